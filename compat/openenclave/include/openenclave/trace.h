/* Open Enclave's host log API (openenclave/trace.h): declared with host.h. */
#ifndef OPENENCLAVE_TRACE_H
#define OPENENCLAVE_TRACE_H
#include <openenclave/host.h>
#endif
