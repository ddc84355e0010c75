/* The enclave heap allocator: malloc, free, calloc, realloc, reallocarray, memalign,
 * posix_memalign, aligned_alloc, valloc, pvalloc, malloc_usable_size.
 * Trust domain: enclave (libc). Runs inside the enclave on the fixed heap region handed to
 * ccbox_heap_init(); it never makes system calls and never uses memory outside the region.
 *
 * Design
 *  - Blocks. Every block starts with an 8-byte header at an address that is 8 mod 16, so the
 *    payload that follows is 16-byte aligned. The header holds the block size (a multiple of
 *    16, at least 32, header included) and two flags: INUSE (this block is allocated) and
 *    PINUSE (the block before it is allocated). A free block also holds its free-list links
 *    after the header and a copy of its size (the footer) in its last 8 bytes, so a block
 *    being freed can find a free predecessor (boundary tags). Overhead of an allocated block:
 *    the 8-byte header plus rounding of (request + 8) up to a multiple of 16, minimum 32.
 *  - Coalescing is immediate: two free blocks are never adjacent, and a free block is never
 *    adjacent to the top block.
 *  - Top (wilderness) block: the untouched tail of the region, from which new blocks are carved
 *    when no free block fits; it is in no bin. Freed blocks next to it merge into it.
 *  - Bins: 62 exact bins for block sizes 32..1008 (16-byte steps) and 152 log-spaced bins for
 *    sizes >= 1024 (4 per power of two), each a doubly linked LIFO list, plus a bitmap of
 *    non-empty bins. A small request pops its exact bin in O(1); a large one examines up to 16
 *    blocks of its own bin (best fit among them). Otherwise the smallest non-empty larger bin
 *    (found with the bitmap, every block there fits) is split; then the top block is carved;
 *    only near exhaustion is the request's own bin scanned completely.
 *  - Locking: one global test-and-test-and-set spinlock with `pause` and bounded exponential
 *    backoff protects all heap state (there are no system calls, so no futexes). Copies
 *    (realloc moving a block) and zeroing (calloc) happen outside the lock.
 *  - Zeroing: the region is zero-filled at init, so the allocator tracks the lowest address
 *    above which (apart from the top block's header) nothing was ever written; calloc clears
 *    only what lies below that mark.
 *  - Metadata: the allocator state (lock, bins, bitmap, bounds; about 1.8 KiB) sits at the
 *    start of the region; the blocks follow. The only static variable is a pointer to it.
 *  - Tagged headers: every header and footer word carries, in its top 16 bits, a tag computed
 *    from the word's address, its size and flags, and a per-heap secret drawn from RDRAND at
 *    init. Every read of a header or footer checks the tag, so an overflow that rewrites the
 *    next block's header (even one byte of it, to a plausible size) or a forged header behind
 *    a pointer handed to free() is caught at the next free, malloc or realloc that reads it.
 *    Without the secret an attacker cannot compute a tag (it is a keyed check word, not a
 *    cryptographic MAC: it stops blind overwrites, which is what heap overflows are). Sizes are
 *    below 2^48, so the tag costs no space.
 *  - Checks (abort() on failure): free/realloc/malloc_usable_size of a pointer outside the
 *    heap or not 16-byte aligned, free/realloc of a block whose INUSE bit is clear (double
 *    free; a freed block's stale header keeps INUSE clear even after it merged into a
 *    neighbour), a header whose size is impossible, a neighbour's boundary tag (header vs.
 *    footer, flags) that disagrees during coalescing, and free-list links that do not point
 *    back (checked on every unlink).
 *
 * Differences from glibc 2.36, chosen deliberately:
 *  - posix_memalign never modifies errno (glibc leaves ENOMEM in errno on failure).
 *  - pvalloc(0) returns one whole page (glibc 2.36 returns a page-aligned 24-byte block).
 * Same as glibc 2.36: aligned_alloc is memalign (an alignment that is not a power of two is
 * rounded up to the next power of two, alignment 0 means malloc; EINVAL only for an alignment
 * above SIZE_MAX/2+1), realloc(p, 0) frees p and returns NULL, malloc_usable_size of a freed
 * block returns 0, posix_memalign returns EINVAL for an alignment that is not a power-of-two
 * multiple of sizeof(void *). Page size (valloc, pvalloc) is 4096. */

#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "libc_export.h"

#ifdef CCBOX_ENCLAVE_LIBC
#include "enclave/core/runtime_c.h"
#else
#include <sys/random.h>
#endif

#define HEAP_PAGE_SIZE ((size_t)4096)
#define HDR_SIZE ((size_t)8)
#define MIN_BLOCK ((size_t)32)
#define F_INUSE ((size_t)1)
#define F_PINUSE ((size_t)2)
#define F_MASK ((size_t)15)

#define SMALL_LIMIT ((size_t)1024) /* sizes below it have exact bins */
#define NUM_SMALL 64u              /* bins 0..63, bins 0 and 1 unused */
#define LARGE_SUB_BITS 2u
#define LARGE_SUBS (1u << LARGE_SUB_BITS)
#define MAX_FL 47u /* log2 of the largest size with its own bins; above it: last bin */
#define NUM_BINS (NUM_SMALL + (MAX_FL - 10u + 1u) * LARGE_SUBS)
#define MAP_WORDS ((NUM_BINS + 63u) / 64u)
#define SCAN_LIMIT 16u

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Headers, footers and links live in memory the application also writes through other types. */
typedef size_t __attribute__((may_alias)) heap_word;

typedef struct free_block {
    size_t head;
    struct free_block* next;
    struct free_block* prev;
} __attribute__((may_alias)) free_block;

struct heap {
    int lock;
    char* first;     /* header of the first block */
    char* lim;       /* end of the block area: top block is [top, lim); its header may sit at lim */
    char* top;       /* header of the top block */
    char* clean;     /* bytes in [max(top + 8, clean), lim + 8) have never been written */
    size_t capacity; /* largest malloc request on an empty heap */
    size_t in_use;   /* sum of the sizes of allocated blocks */
    uint64_t map[MAP_WORDS];
    free_block* bins[NUM_BINS];
};

static struct heap* g_heap;
static uint64_t g_tag_key; /* the per-heap secret of the header tags */

/* ---- low-level helpers ------------------------------------------------------------------ */

#define TAG_SHIFT 48u
#define VALUE_MASK (((size_t)1 << TAG_SHIFT) - 1u)

__attribute__((noinline, cold, noreturn)) static void heap_corrupt(void) {
    /* The lock stays held: no other thread may keep working on a corrupted heap. */
    abort();
}

/* The tag of header/footer value v (< 2^48) stored at h, already in the top 16 bits. */
static inline size_t tag_of(const char* h, size_t v) {
    /* The secret enters before the multiplication, whose top bits depend on every input bit. */
    uint64_t x = ((uint64_t)(uintptr_t)h ^ ((uint64_t)v << 16) ^ g_tag_key) * 0x9e3779b97f4a7c15ull;
    return (size_t)(x & ~(uint64_t)VALUE_MASK);
}

/* The header or footer at h; aborts if its tag does not match (the word was overwritten). */
static inline size_t hget(const char* h) {
    size_t w = *(const heap_word*)(const void*)h;
    size_t v = w & VALUE_MASK;
    if (UNLIKELY((w & ~VALUE_MASK) != tag_of(h, v))) heap_corrupt();
    return v;
}

static inline void hset(char* h, size_t v) {
    *(heap_word*)(void*)h = v | tag_of(h, v);
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    __asm__ __volatile__("" ::: "memory");
#endif
}

__attribute__((noinline)) static void heap_lock_slow(struct heap* H) {
    unsigned backoff = 1;
    for (;;) {
        while (__atomic_load_n(&H->lock, __ATOMIC_RELAXED) != 0) {
            for (unsigned i = 0; i < backoff; i++) cpu_relax();
            if (backoff < 32) backoff <<= 1;
        }
        if (__atomic_exchange_n(&H->lock, 1, __ATOMIC_ACQUIRE) == 0) return;
    }
}

static inline void heap_lock(struct heap* H) {
    if (LIKELY(__atomic_exchange_n(&H->lock, 1, __ATOMIC_ACQUIRE) == 0)) return;
    heap_lock_slow(H);
}

static inline void heap_unlock(struct heap* H) {
    __atomic_store_n(&H->lock, 0, __ATOMIC_RELEASE);
}

static inline unsigned bin_index(size_t s) {
    if (s < SMALL_LIMIT) return (unsigned)(s >> 4);
    unsigned fl = 63u - (unsigned)__builtin_clzll((unsigned long long)s);
    if (fl > MAX_FL) return NUM_BINS - 1u;
    unsigned sl = (unsigned)(s >> (fl - LARGE_SUB_BITS)) & (LARGE_SUBS - 1u);
    return NUM_SMALL + (fl - 10u) * LARGE_SUBS + sl;
}

/* Smallest non-empty bin >= b, or -1. */
static inline int next_nonempty_bin(const struct heap* H, unsigned b) {
    if (b >= NUM_BINS) return -1;
    unsigned w = b >> 6;
    uint64_t m = H->map[w] & (~(uint64_t)0 << (b & 63u));
    while (m == 0) {
        if (++w >= MAP_WORDS) return -1;
        m = H->map[w];
    }
    return (int)(w * 64u + (unsigned)__builtin_ctzll(m));
}

static inline void bin_insert(struct heap* H, char* h, size_t s) {
    unsigned b = bin_index(s);
    free_block* f = (free_block*)(void*)h;
    free_block* head = H->bins[b];
    f->next = head;
    f->prev = NULL;
    if (head != NULL) head->prev = f;
    H->bins[b] = f;
    H->map[b >> 6] |= (uint64_t)1 << (b & 63u);
}

/* A plausible block header address: inside the block area, below the top block, 8 mod 16. */
static inline int is_block_ptr(const struct heap* H, const void* p) {
    return (const char*)p >= H->first && (const char*)p < H->top && ((uintptr_t)p & 15u) == HDR_SIZE;
}

static inline void bin_unlink(struct heap* H, free_block* f, size_t s) {
    free_block* n = f->next;
    free_block* p = f->prev;
    if (UNLIKELY(n != NULL && (!is_block_ptr(H, n) || n->prev != f))) heap_corrupt();
    if (p != NULL) {
        if (UNLIKELY(!is_block_ptr(H, p) || p->next != f)) heap_corrupt();
        p->next = n;
    } else {
        unsigned b = bin_index(s);
        if (UNLIKELY(H->bins[b] != f)) heap_corrupt();
        H->bins[b] = n;
        if (n == NULL) H->map[b >> 6] &= ~((uint64_t)1 << (b & 63u));
    }
    if (n != NULL) n->prev = p;
}

/* Moves the top block to start at nt, keeping the never-written mark conservative. */
static inline void set_top(struct heap* H, char* nt) {
    char* ot = H->top;
    char* mark = nt > ot ? nt : ot + 16; /* a lower top leaves the old top header behind */
    if (mark > H->clean) H->clean = mark;
    H->top = nt;
    hset(nt, (size_t)(H->lim - nt) | F_PINUSE);
}

/* Block size for a request of n bytes; 0 if it can never fit. */
static inline size_t request_size(const struct heap* H, size_t n) {
    if (UNLIKELY(n > H->capacity)) return 0;
    size_t s = (n + HDR_SIZE + 15u) & ~(size_t)15u;
    return s < MIN_BLOCK ? MIN_BLOCK : s;
}

/* Size of free block f found in bin b, after checking its header. */
static inline size_t checked_free_size(const struct heap* H, const free_block* f, unsigned b) {
    if (UNLIKELY(!is_block_ptr(H, f))) heap_corrupt();
    size_t hd = hget((const char*)f);
    size_t fs = hd & ~F_MASK;
    if (UNLIKELY((hd & (F_INUSE | F_PINUSE)) != F_PINUSE || bin_index(fs) != b ||
                 fs >= (size_t)(H->top - (const char*)f)))
        heap_corrupt();
    return fs;
}

/* ---- allocation and release under the lock ---------------------------------------------- */

/* Allocates s bytes from free block f of size fs (which is in a bin). */
static char* take_free(struct heap* H, free_block* f, size_t fs, size_t s) {
    char* h = (char*)f;
    bin_unlink(H, f, fs);
    size_t rem = fs - s;
    if (rem >= MIN_BLOCK) {
        hset(h, s | F_INUSE | F_PINUSE);
        char* r = h + s;
        hset(r, rem | F_PINUSE);
        hset(r + rem - HDR_SIZE, rem);
        bin_insert(H, r, rem); /* the block after r stays marked "previous free" */
    } else {
        s = fs;
        hset(h, fs | F_INUSE | F_PINUSE);
        char* n = h + fs; /* an allocated block: free blocks never touch the top block */
        hset(n, hget(n) | F_PINUSE);
    }
    H->in_use += s;
    return h;
}

static inline char* carve_top(struct heap* H, size_t s) {
    char* h = H->top;
    set_top(H, h + s);
    hset(h, s | F_INUSE | F_PINUSE); /* the block before the top block is always allocated */
    H->in_use += s;
    return h;
}

/* Best fit among the first `limit` blocks of bin b that hold at least s bytes. */
static free_block* scan_bin(const struct heap* H, unsigned b, size_t s, size_t limit, size_t* best_size,
                            int* truncated) {
    free_block* best = NULL;
    size_t bs = 0;
    size_t seen = 0;
    *truncated = 0;
    for (free_block* f = H->bins[b]; f != NULL; f = f->next) {
        if (seen++ == limit) {
            *truncated = 1;
            break;
        }
        size_t fs = checked_free_size(H, f, b);
        if (fs >= s && (best == NULL || fs < bs)) {
            best = f;
            bs = fs;
            if (fs == s) break;
        }
    }
    *best_size = bs;
    return best;
}

/* Allocates a block of size s (a valid block size); returns its header or NULL. */
static char* alloc_locked(struct heap* H, size_t s) {
    unsigned b = bin_index(s);
    int truncated = 0;
    if (s < SMALL_LIMIT) {
        free_block* f = H->bins[b];
        if (f != NULL) return take_free(H, f, checked_free_size(H, f, b), s);
    } else {
        size_t fs;
        free_block* f = scan_bin(H, b, s, SCAN_LIMIT, &fs, &truncated);
        if (f != NULL) return take_free(H, f, fs, s);
    }
    /* Every block in a larger bin fits (the last bin has no larger one). */
    int nb = next_nonempty_bin(H, b + 1u);
    if (nb >= 0) {
        free_block* f = H->bins[nb];
        size_t fs = checked_free_size(H, f, (unsigned)nb);
        if (UNLIKELY(fs < s)) heap_corrupt();
        return take_free(H, f, fs, s);
    }
    if ((size_t)(H->lim - H->top) >= s) return carve_top(H, s);
    if (truncated) {
        size_t fs;
        free_block* f = scan_bin(H, b, s, SIZE_MAX, &fs, &truncated);
        if (f != NULL) return take_free(H, f, fs, s);
    }
    return NULL;
}

/* Returns the allocated block [h, h+s) with header hd to the free pool, merging it with free
 * neighbours or the top block. The caller has already taken s off in_use. */
static void release_block(struct heap* H, char* h, size_t s, size_t hd) {
    char* next = h + s;
    hset(h, hd & ~F_INUSE); /* a stale copy inside a merged block still reads "free" */
    if (!(hd & F_PINUSE)) {
        size_t ps = hget(h - HDR_SIZE);
        if (UNLIKELY((ps & F_MASK) != 0 || ps < MIN_BLOCK || ps > (size_t)(h - H->first))) heap_corrupt();
        char* p = h - ps;
        size_t phd = hget(p);
        if (UNLIKELY((phd & ~F_MASK) != ps || (phd & (F_INUSE | F_PINUSE)) != F_PINUSE)) heap_corrupt();
        bin_unlink(H, (free_block*)(void*)p, ps);
        h = p;
        s += ps;
    }
    if (next == H->top) {
        set_top(H, h);
        return;
    }
    size_t nhd = hget(next);
    if (UNLIKELY(!(nhd & F_PINUSE))) heap_corrupt();
    if (!(nhd & F_INUSE)) {
        size_t ns = nhd & ~F_MASK;
        if (UNLIKELY(ns < MIN_BLOCK || ns >= (size_t)(H->top - next) || hget(next + ns - HDR_SIZE) != ns))
            heap_corrupt();
        bin_unlink(H, (free_block*)(void*)next, ns);
        s += ns;
    } else {
        hset(next, nhd & ~F_PINUSE);
    }
    hset(h, s | F_PINUSE);
    hset(h + s - HDR_SIZE, s);
    bin_insert(H, h, s);
}

/* Validates p as the payload of an allocated block (lock held) and returns its header. */
static char* checked_inuse_block(struct heap* H, void* p, size_t* hd_out) {
    char* h = (char*)p - HDR_SIZE;
    if (UNLIKELY(h >= H->top)) heap_corrupt();
    size_t hd = hget(h);
    size_t s = hd & ~F_MASK;
    if (UNLIKELY(!(hd & F_INUSE) || s < MIN_BLOCK || s > (size_t)(H->top - h))) heap_corrupt();
    char* next = h + s;
    if (UNLIKELY(next != H->top && !(hget(next) & F_PINUSE))) heap_corrupt();
    *hd_out = hd;
    return h;
}

/* The bounds check that needs no lock: p must be a 16-aligned address inside the block area. */
static inline struct heap* heap_for_pointer(void* p) {
    struct heap* H = g_heap;
    uintptr_t a = (uintptr_t)p;
    if (UNLIKELY(H == NULL || (a & 15u) != 0 || a < (uintptr_t)H->first + HDR_SIZE || a > (uintptr_t)H->lim))
        heap_corrupt();
    return H;
}

/* Shrinks the allocated block at h (size s, header hd) to ns bytes if the rest makes a block. */
static void trim_block(struct heap* H, char* h, size_t s, size_t hd, size_t ns) {
    size_t rem = s - ns;
    if (rem < MIN_BLOCK) return;
    hset(h, ns | (hd & F_MASK));
    char* r = h + ns;
    size_t rhd = rem | F_INUSE | F_PINUSE;
    hset(r, rhd);
    H->in_use -= rem;
    release_block(H, r, rem, rhd);
}

/* ---- public interface ------------------------------------------------------------------- */

/* The tag secret: RDRAND inside the enclave, the kernel's generator in host builds. */
static int draw_tag_key(uint64_t* key) {
#ifdef CCBOX_ENCLAVE_LIBC
    return ccbox_rt_random(key, sizeof *key);
#else
    return getrandom(key, sizeof *key, 0) == (ssize_t)sizeof *key ? 0 : -1;
#endif
}

int ccbox_heap_init(void* base, size_t size) {
    if (g_heap != NULL || base == NULL) return -1;
    uintptr_t b = (uintptr_t)base;
    uintptr_t e;
    if ((b & 15u) != 0 || size > (size_t)PTRDIFF_MAX || __builtin_add_overflow(b, size, &e)) return -1;
    if (size >= ((size_t)1 << TAG_SHIFT) || draw_tag_key(&g_tag_key) != 0) return -1;
    uintptr_t hb = (b + 63u) & ~(uintptr_t)63u; /* the state on its own cache line(s) */
    uintptr_t first = ((hb + sizeof(struct heap) + 15u) & ~(uintptr_t)15u) + HDR_SIZE;
    if (e < first || e - first < 4 * MIN_BLOCK) return -1;
    uintptr_t lim = (e & ~(uintptr_t)15u) - HDR_SIZE;

    struct heap* H = (struct heap*)hb;
    memset(H, 0, sizeof(*H));
    H->first = (char*)first;
    H->lim = (char*)lim;
    H->top = (char*)first;
    H->clean = (char*)first;
    H->capacity = (size_t)(lim - first) - HDR_SIZE;
    hset(H->top, (size_t)(lim - first) | F_PINUSE);
    g_heap = H;
    return 0;
}

size_t ccbox_heap_bytes_in_use(void) {
    struct heap* H = g_heap;
    if (H == NULL) return 0;
    heap_lock(H);
    size_t v = H->in_use;
    heap_unlock(H);
    return v;
}

size_t ccbox_heap_capacity(void) {
    struct heap* H = g_heap;
    return H == NULL ? 0 : H->capacity;
}

void* ccbox_libc_malloc(size_t size) {
    struct heap* H = g_heap;
    size_t s;
    if (UNLIKELY(H == NULL || (s = request_size(H, size)) == 0)) {
        errno = ENOMEM;
        return NULL;
    }
    heap_lock(H);
    char* h = alloc_locked(H, s);
    heap_unlock(H);
    if (UNLIKELY(h == NULL)) {
        errno = ENOMEM;
        return NULL;
    }
    return h + HDR_SIZE;
}
CCBOX_LIBC_EXPORT(malloc)

void ccbox_libc_free(void* ptr) {
    if (ptr == NULL) return;
    struct heap* H = heap_for_pointer(ptr);
    heap_lock(H);
    size_t hd;
    char* h = checked_inuse_block(H, ptr, &hd);
    size_t s = hd & ~F_MASK;
    H->in_use -= s;
    release_block(H, h, s, hd);
    heap_unlock(H);
}
CCBOX_LIBC_EXPORT(free)

void* ccbox_libc_calloc(size_t nmemb, size_t size) {
    struct heap* H = g_heap;
    size_t n;
    size_t s;
    if (UNLIKELY(H == NULL || __builtin_mul_overflow(nmemb, size, &n) || (s = request_size(H, n)) == 0)) {
        errno = ENOMEM;
        return NULL;
    }
    heap_lock(H);
    char* clean = H->clean; /* the carved part of the top block at and above it is zero */
    char* h = alloc_locked(H, s);
    char* end = h == NULL ? NULL : h + (hget(h) & ~F_MASK);
    heap_unlock(H);
    if (UNLIKELY(h == NULL)) {
        errno = ENOMEM;
        return NULL;
    }
    char* p = h + HDR_SIZE;
    if (clean < end) end = clean;
    if (end > p) memset(p, 0, (size_t)(end - p));
    return p;
}
CCBOX_LIBC_EXPORT(calloc)

void* ccbox_libc_realloc(void* ptr, size_t size) {
    if (ptr == NULL) return ccbox_libc_malloc(size);
    if (size == 0) {
        ccbox_libc_free(ptr);
        return NULL;
    }
    struct heap* H = heap_for_pointer(ptr);
    size_t ns = request_size(H, size);
    heap_lock(H);
    size_t hd;
    char* h = checked_inuse_block(H, ptr, &hd);
    size_t s = hd & ~F_MASK;
    if (UNLIKELY(ns == 0)) {
        heap_unlock(H);
        errno = ENOMEM;
        return NULL;
    }
    if (ns <= s) {
        trim_block(H, h, s, hd, ns);
        heap_unlock(H);
        return ptr;
    }
    char* next = h + s;
    if (next == H->top) {
        if ((size_t)(H->lim - next) >= ns - s) {
            set_top(H, h + ns);
            hset(h, ns | (hd & F_MASK));
            H->in_use += ns - s;
            heap_unlock(H);
            return ptr;
        }
    } else {
        size_t nhd = hget(next);
        if (!(nhd & F_INUSE)) {
            size_t nfs = nhd & ~F_MASK;
            if (UNLIKELY(nfs < MIN_BLOCK || nfs >= (size_t)(H->top - next) ||
                         hget(next + nfs - HDR_SIZE) != nfs || !(nhd & F_PINUSE)))
                heap_corrupt();
            if (s + nfs >= ns) {
                bin_unlink(H, (free_block*)(void*)next, nfs);
                size_t total = s + nfs;
                size_t rem = total - ns;
                if (rem >= MIN_BLOCK) {
                    hset(h, ns | (hd & F_MASK));
                    char* r = h + ns;
                    hset(r, rem | F_PINUSE);
                    hset(r + rem - HDR_SIZE, rem);
                    bin_insert(H, r, rem); /* the block after r still says "previous free" */
                    H->in_use += ns - s;
                } else {
                    hset(h, total | (hd & F_MASK));
                    char* after = h + total;
                    hset(after, hget(after) | F_PINUSE);
                    H->in_use += total - s;
                }
                heap_unlock(H);
                return ptr;
            }
        }
    }
    heap_unlock(H);

    void* q = ccbox_libc_malloc(size);
    if (q == NULL) return NULL; /* errno is ENOMEM; ptr is untouched */
    size_t old_usable = s - HDR_SIZE;
    memcpy(q, ptr, old_usable < size ? old_usable : size);
    ccbox_libc_free(ptr);
    return q;
}
CCBOX_LIBC_EXPORT(realloc)

void* ccbox_libc_reallocarray(void* ptr, size_t nmemb, size_t size) {
    size_t n;
    if (__builtin_mul_overflow(nmemb, size, &n)) {
        errno = ENOMEM;
        return NULL;
    }
    return ccbox_libc_realloc(ptr, n);
}
CCBOX_LIBC_EXPORT(reallocarray)

/* alignment: a power of two. Sets errno = ENOMEM on failure. */
static void* aligned_alloc_core(size_t alignment, size_t size) {
    if (alignment <= 16u) return ccbox_libc_malloc(size);
    struct heap* H = g_heap;
    size_t s;
    if (UNLIKELY(H == NULL || alignment > H->capacity || (s = request_size(H, size)) == 0)) {
        errno = ENOMEM;
        return NULL;
    }
    /* Room for s at an aligned payload with a leading gap of 0 or at least MIN_BLOCK bytes. */
    size_t want;
    if (UNLIKELY(__builtin_add_overflow(s, alignment + MIN_BLOCK, &want))) {
        errno = ENOMEM;
        return NULL;
    }
    heap_lock(H);
    char* h = alloc_locked(H, want);
    if (UNLIKELY(h == NULL)) {
        heap_unlock(H);
        errno = ENOMEM;
        return NULL;
    }
    size_t hd = hget(h);
    size_t bs = hd & ~F_MASK;
    uintptr_t p = (uintptr_t)h + HDR_SIZE;
    if ((p & (alignment - 1u)) != 0) {
        uintptr_t q = (p + alignment - 1u) & ~(uintptr_t)(alignment - 1u);
        if (q - p < MIN_BLOCK) q += alignment;
        size_t lead = (size_t)(q - p); /* a multiple of 16, at most alignment + 16 */
        char* h2 = h + lead;
        size_t lhd = lead | F_INUSE | (hd & F_PINUSE);
        hset(h, lhd);
        hd = (bs - lead) | F_INUSE | F_PINUSE;
        hset(h2, hd);
        H->in_use -= lead;
        release_block(H, h, lead, lhd); /* clears PINUSE of h2 */
        h = h2;
        hd = hget(h2);
        bs -= lead;
    }
    trim_block(H, h, bs, hd, s);
    heap_unlock(H);
    return h + HDR_SIZE;
}

void* ccbox_libc_memalign(size_t alignment, size_t size) {
    if (alignment <= 16u) return ccbox_libc_malloc(size);
    if (alignment > SIZE_MAX / 2u + 1u) {
        errno = EINVAL;
        return NULL;
    }
    if ((alignment & (alignment - 1u)) != 0) {
        size_t a = 32;
        while (a < alignment) a <<= 1;
        alignment = a;
    }
    return aligned_alloc_core(alignment, size);
}
CCBOX_LIBC_EXPORT(memalign)

void* ccbox_libc_aligned_alloc(size_t alignment, size_t size) {
    return ccbox_libc_memalign(alignment, size); /* glibc 2.36: aligned_alloc is memalign */
}
CCBOX_LIBC_EXPORT(aligned_alloc)

int ccbox_libc_posix_memalign(void** memptr, size_t alignment, size_t size) {
    if (alignment == 0 || alignment % sizeof(void*) != 0 || (alignment & (alignment - 1u)) != 0) return EINVAL;
    int saved = errno;
    void* p = aligned_alloc_core(alignment, size);
    errno = saved;
    if (p == NULL) return ENOMEM;
    *memptr = p;
    return 0;
}
CCBOX_LIBC_EXPORT(posix_memalign)

void* ccbox_libc_valloc(size_t size) {
    return aligned_alloc_core(HEAP_PAGE_SIZE, size);
}
CCBOX_LIBC_EXPORT(valloc)

void* ccbox_libc_pvalloc(size_t size) {
    size_t rounded;
    if (__builtin_add_overflow(size, HEAP_PAGE_SIZE - 1u, &rounded)) {
        errno = ENOMEM;
        return NULL;
    }
    rounded &= ~(HEAP_PAGE_SIZE - 1u);
    return aligned_alloc_core(HEAP_PAGE_SIZE, rounded == 0 ? HEAP_PAGE_SIZE : rounded);
}
CCBOX_LIBC_EXPORT(pvalloc)

size_t ccbox_libc_malloc_usable_size(void* ptr) {
    if (ptr == NULL) return 0;
    struct heap* H = heap_for_pointer(ptr);
    char* h = (char*)ptr - HDR_SIZE;
    size_t r = 0;
    heap_lock(H);
    if (h < H->top) {
        size_t hd = hget(h);
        if (hd & F_INUSE) r = (hd & ~F_MASK) - HDR_SIZE; /* glibc: 0 for a freed block */
    }
    heap_unlock(H);
    return r;
}
CCBOX_LIBC_EXPORT(malloc_usable_size)

/* ---- host test support ------------------------------------------------------------------ */

#ifndef CCBOX_ENCLAVE_LIBC
/* hget without the abort: -1 (an impossible value) for a word whose tag does not match. */
static size_t hpeek(const char* h) {
    size_t w = *(const heap_word*)(const void*)h;
    size_t v = w & VALUE_MASK;
    return (w & ~VALUE_MASK) == tag_of(h, v) ? v : (size_t)-1;
}

int ccbox_heap_reset_for_tests(void* base, size_t size) {
    g_heap = NULL;
    return base == NULL ? 0 : ccbox_heap_init(base, size);
}

static int check_locked(const struct heap* H, int deep) {
    size_t nfree = 0;
    size_t used = 0;
    size_t prev_inuse = F_PINUSE;
    const char* h = H->first;
    while (h < H->top) {
        size_t hd = hpeek(h);
        size_t s = hd & ~F_MASK;
        if (s < MIN_BLOCK || (s & 15u) != 0 || s > (size_t)(H->top - h)) return -1;
        if ((hd & F_PINUSE) != prev_inuse) return -2;
        if (hd & F_INUSE) {
            used += s;
        } else {
            if (!prev_inuse) return -3; /* two adjacent free blocks */
            if (hpeek(h + s - HDR_SIZE) != s) return -4;
            nfree++;
        }
        prev_inuse = (hd & F_INUSE) ? F_PINUSE : 0;
        h += s;
    }
    if (h != H->top || H->top > H->lim) return -5;
    if (hpeek(H->top) != ((size_t)(H->lim - H->top) | F_PINUSE) || !prev_inuse) return -6;
    if (used != H->in_use) return -7;
    size_t listed = 0;
    for (unsigned b = 0; b < NUM_BINS; b++) {
        int bit = (H->map[b >> 6] >> (b & 63u)) & 1u;
        if (bit != (H->bins[b] != NULL)) return -8;
        const free_block* prev = NULL;
        for (const free_block* f = H->bins[b]; f != NULL; f = f->next) {
            if (++listed > nfree) return -9; /* also stops on a cycle */
            if ((const char*)f < H->first || (const char*)f >= H->top) return -10;
            if (f->prev != prev) return -11;
            if ((hpeek((const char*)f) & (F_INUSE | F_PINUSE)) != F_PINUSE || bin_index(hpeek((const char*)f) & ~F_MASK) != b) return -12;
            prev = f;
        }
    }
    if (listed != nfree) return -13;
    if (H->clean < H->top) return -14;
    if (deep) {
        const char* z = H->clean > H->top + HDR_SIZE ? H->clean : H->top + HDR_SIZE;
        for (; z < H->lim + HDR_SIZE; z++)
            if (*z != 0) return -15;
    }
    return 0;
}

int ccbox_heap_check_for_tests(int deep) {
    struct heap* H = g_heap;
    if (H == NULL) return -100;
    heap_lock(H);
    int r = check_locked(H, deep);
    heap_unlock(H);
    return r;
}
#endif
