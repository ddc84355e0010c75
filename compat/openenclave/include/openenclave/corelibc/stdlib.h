/* Open Enclave's corelibc allocation functions (openenclave/corelibc/stdlib.h): the enclave
 * heap's malloc family, tracked when openenclave::oedebugmalloc is linked. Trust domain: enclave. */
#ifndef OPENENCLAVE_CORELIBC_STDLIB_H
#define OPENENCLAVE_CORELIBC_STDLIB_H

#include <openenclave/bits/defs.h>

#include <stddef.h>
#include <stdlib.h>

OE_EXTERNC_BEGIN

void* oe_malloc(size_t size);
void oe_free(void* ptr);
void* oe_calloc(size_t nmemb, size_t size);
void* oe_realloc(void* ptr, size_t size);
void* oe_memalign(size_t alignment, size_t size);
int oe_posix_memalign(void** memptr, size_t alignment, size_t size);

OE_EXTERNC_END

#endif /* OPENENCLAVE_CORELIBC_STDLIB_H */
