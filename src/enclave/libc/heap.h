/* The enclave heap allocator (malloc and friends).
 * Trust domain: enclave (libc). The heap is the enclave's fixed, page-aligned, zero-filled
 * read-write region; it never grows and no memory is ever obtained from anywhere else. The
 * allocator keeps all its metadata (state, bins, block headers) inside that region.
 *
 * Contract with the enclave runtime:
 *  - ccbox_heap_init() is called exactly once, single-threaded, before any allocation, with
 *    the heap region. The region must be 16-byte aligned (page-aligned in practice), readable,
 *    writable and zero-filled. It returns 0, or -1 if the region is unusable (NULL, too small
 *    to hold the ~1.8 KiB of allocator state plus one block, address range wraps) or if the
 *    heap was already initialised. Before a successful init every allocation fails with
 *    ENOMEM, and freeing a non-NULL pointer aborts.
 *  - abort() (called on detected heap corruption, with the heap lock held) must not allocate.
 *
 * The ccbox_libc_ functions have glibc's semantics; in the enclave build (CCBOX_ENCLAVE_LIBC)
 * malloc.c also exports them under their standard names. See malloc.c for the documented
 * differences from glibc 2.36. */
#ifndef CCBOX_ENCLAVE_LIBC_HEAP_H
#define CCBOX_ENCLAVE_LIBC_HEAP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

int ccbox_heap_init(void* base, size_t size);

/* Bytes held by live blocks, per-block header and rounding included (0 on an empty heap). */
size_t ccbox_heap_bytes_in_use(void);

/* The largest request malloc can satisfy on an empty heap (0 before init). */
size_t ccbox_heap_capacity(void);

void* ccbox_libc_malloc(size_t size);
void ccbox_libc_free(void* ptr);
void* ccbox_libc_calloc(size_t nmemb, size_t size);
void* ccbox_libc_realloc(void* ptr, size_t size);
void* ccbox_libc_reallocarray(void* ptr, size_t nmemb, size_t size);
void* ccbox_libc_memalign(size_t alignment, size_t size);
int ccbox_libc_posix_memalign(void** memptr, size_t alignment, size_t size);
void* ccbox_libc_aligned_alloc(size_t alignment, size_t size);
void* ccbox_libc_valloc(size_t size);
void* ccbox_libc_pvalloc(size_t size);
size_t ccbox_libc_malloc_usable_size(void* ptr);

#ifndef CCBOX_ENCLAVE_LIBC
/* Host unit tests only (not compiled into the enclave).
 * ccbox_heap_reset_for_tests forgets the current heap (its blocks must no longer be used) and,
 * if base is not NULL, initialises a new one exactly like ccbox_heap_init; with base == NULL
 * the allocator goes back to the uninitialised state. Not thread-safe.
 * ccbox_heap_check_for_tests walks every block and every free list and returns 0 if all
 * invariants hold (a negative code naming the first violation otherwise); with deep != 0 it
 * also verifies that the never-used part of the region is still all zero. */
int ccbox_heap_reset_for_tests(void* base, size_t size);
int ccbox_heap_check_for_tests(int deep);
#endif

#ifdef __cplusplus
}
#endif

#endif
