/* Open Enclave puts OE_SET_ENCLAVE_SGX here. */
#ifndef OPENENCLAVE_BITS_SGX_SGXPROPERTIES_H
#define OPENENCLAVE_BITS_SGX_SGXPROPERTIES_H
#include <openenclave/bits/properties.h>
#endif
