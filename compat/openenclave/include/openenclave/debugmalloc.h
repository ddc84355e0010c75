/* Open Enclave's debug-malloc API (openenclave/debugmalloc.h): needs openenclave::oedebugmalloc,
 * which tracks every block of the oe_malloc family while tracking is on. Without it the functions
 * return OE_UNSUPPORTED. Trust domain: enclave. */
#ifndef OPENENCLAVE_DEBUGMALLOC_H
#define OPENENCLAVE_DEBUGMALLOC_H

#include <openenclave/bits/defs.h>
#include <openenclave/bits/result.h>

#include <stddef.h>
#include <stdint.h>

OE_EXTERNC_BEGIN

oe_result_t oe_debug_malloc_tracking_start(void);
oe_result_t oe_debug_malloc_tracking_stop(void);
/* The number of blocks allocated while tracking was on and not freed since, and a text listing
 * them (address, size, the function that allocated). Free the text with oe_free. */
oe_result_t oe_debug_malloc_tracking_report(uint64_t* out_object_count, char** report);

OE_EXTERNC_END

#endif /* OPENENCLAVE_DEBUGMALLOC_H */
