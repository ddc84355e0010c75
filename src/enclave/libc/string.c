/* Memory and string functions for the enclave libc (<string.h>, <strings.h>, part of <wchar.h>).
 * Trust domain: enclave (libc). Behaviour follows glibc's for the "C" locale. The hot functions
 * (memcpy, memmove, memset, memcmp, memchr, strlen, strcmp) use SSE2 (the x86-64 baseline) and
 * `rep movsb` / `rep stosb` for big blocks; plain C fallbacks are used when SSE2 is off.
 * Scanning functions read whole aligned 16-byte blocks (or 64-byte groups of them, aligned to
 * 64), and strcmp/strncmp read unaligned blocks only while both stay inside pages the strings
 * have already reached, so they may read bytes around a string but never from a page it does
 * not touch (no fault, whatever follows it). SSE2 only: CPUID is not available inside an
 * enclave to pick wider vectors at run time. Everything here must build with -fno-builtin -fno-tree-loop-distribute-patterns so
 * that no loop is turned back into a call to the function it implements. Needs from elsewhere:
 * malloc (strdup, strndup). */

#include "errno_list.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "libc_export.h"

typedef uint64_t str_u64 __attribute__((may_alias, aligned(1)));
typedef uint32_t str_u32 __attribute__((may_alias, aligned(1)));
typedef uint16_t str_u16 __attribute__((may_alias, aligned(1)));

/* For functions that read whole aligned blocks around a string (never past its last page):
 * AddressSanitizer, when a host test build uses it, must not flag those reads. */
#define STR_READS_AROUND __attribute__((no_sanitize_address))

/* Blocks at least this big are copied / filled with `rep movsb` / `rep stosb`. */
#define STR_REP_MIN 2048

/* ---- 16-byte blocks ---------------------------------------------------------------------- */

#ifdef __SSE2__
typedef __m128i str_v16;
static inline __attribute__((always_inline)) str_v16 v16_load(const unsigned char* p) {
    return _mm_loadu_si128((const __m128i*)p);
}
static inline void v16_store(unsigned char* p, str_v16 v) { _mm_storeu_si128((__m128i*)p, v); }
static inline str_v16 v16_splat(unsigned char c) { return _mm_set1_epi8((char)c); }
/* Aligned load: p must be 16-byte aligned. */
static inline __attribute__((always_inline)) __m128i v16_aload(const unsigned char* p) {
    return _mm_load_si128((const __m128i*)p);
}
/* Bit i set where byte i of v equals byte i of w. */
static inline __attribute__((always_inline)) unsigned v16_eqmask(__m128i v, __m128i w) {
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, w));
}
#else
typedef struct {
    uint64_t lo, hi;
} str_v16;
static inline str_v16 v16_load(const unsigned char* p) {
    str_v16 v;
    v.lo = *(const str_u64*)p;
    v.hi = *(const str_u64*)(p + 8);
    return v;
}
static inline void v16_store(unsigned char* p, str_v16 v) {
    *(str_u64*)p = v.lo;
    *(str_u64*)(p + 8) = v.hi;
}
static inline str_v16 v16_splat(unsigned char c) {
    str_v16 v;
    v.lo = v.hi = c * 0x0101010101010101ull;
    return v;
}
#endif

/* ---- memcpy, memmove, memset --------------------------------------------------------------- */

/* Copies n <= 64 bytes; every load happens before any store, so overlap is fine. */
static inline void copy_upto64(unsigned char* d, const unsigned char* s, size_t n) {
    if (n >= 16) {
        if (n > 32) {
            str_v16 a = v16_load(s), b = v16_load(s + 16);
            str_v16 c = v16_load(s + n - 32), e = v16_load(s + n - 16);
            v16_store(d, a);
            v16_store(d + 16, b);
            v16_store(d + n - 32, c);
            v16_store(d + n - 16, e);
        } else {
            str_v16 a = v16_load(s), b = v16_load(s + n - 16);
            v16_store(d, a);
            v16_store(d + n - 16, b);
        }
        return;
    }
    if (n >= 8) {
        uint64_t a = *(const str_u64*)s, b = *(const str_u64*)(s + n - 8);
        *(str_u64*)d = a;
        *(str_u64*)(d + n - 8) = b;
        return;
    }
    if (n >= 4) {
        uint32_t a = *(const str_u32*)s, b = *(const str_u32*)(s + n - 4);
        *(str_u32*)d = a;
        *(str_u32*)(d + n - 4) = b;
        return;
    }
    if (n >= 2) {
        uint16_t a = *(const str_u16*)s, b = *(const str_u16*)(s + n - 2);
        *(str_u16*)d = a;
        *(str_u16*)(d + n - 2) = b;
        return;
    }
    if (n == 1) *d = *s;
}

/* Copies 64 < n <= 128 bytes; every load happens before any store, so overlap is fine. */
static inline void copy_upto128(unsigned char* d, const unsigned char* s, size_t n) {
    str_v16 a0 = v16_load(s), a1 = v16_load(s + 16), a2 = v16_load(s + 32), a3 = v16_load(s + 48);
    str_v16 b0 = v16_load(s + n - 64), b1 = v16_load(s + n - 48);
    str_v16 b2 = v16_load(s + n - 32), b3 = v16_load(s + n - 16);
    v16_store(d, a0);
    v16_store(d + 16, a1);
    v16_store(d + 32, a2);
    v16_store(d + 48, a3);
    v16_store(d + n - 64, b0);
    v16_store(d + n - 48, b1);
    v16_store(d + n - 32, b2);
    v16_store(d + n - 16, b3);
}

/* Copies n > 64 bytes front to back; correct when d <= s or the blocks do not overlap. */
static void copy_forward(unsigned char* d, const unsigned char* s, size_t n) {
    const str_v16 t0 = v16_load(s + n - 32), t1 = v16_load(s + n - 16);
    size_t i = 0;
    while (n - i > 64) {
        str_v16 a = v16_load(s + i), b = v16_load(s + i + 16);
        str_v16 c = v16_load(s + i + 32), e = v16_load(s + i + 48);
        v16_store(d + i, a);
        v16_store(d + i + 16, b);
        v16_store(d + i + 32, c);
        v16_store(d + i + 48, e);
        i += 64;
    }
    if (n - i > 32) {
        str_v16 a = v16_load(s + i), b = v16_load(s + i + 16);
        v16_store(d + i, a);
        v16_store(d + i + 16, b);
    }
    v16_store(d + n - 32, t0);
    v16_store(d + n - 16, t1);
}

/* Copies n > 64 bytes back to front; correct when d >= s. */
static void copy_backward(unsigned char* d, const unsigned char* s, size_t n) {
    const str_v16 h0 = v16_load(s), h1 = v16_load(s + 16);
    size_t i = n;
    while (i > 64) {
        str_v16 a = v16_load(s + i - 16), b = v16_load(s + i - 32);
        str_v16 c = v16_load(s + i - 48), e = v16_load(s + i - 64);
        v16_store(d + i - 16, a);
        v16_store(d + i - 32, b);
        v16_store(d + i - 48, c);
        v16_store(d + i - 64, e);
        i -= 64;
    }
    if (i > 32) {
        str_v16 a = v16_load(s + i - 16), b = v16_load(s + i - 32);
        v16_store(d + i - 16, a);
        v16_store(d + i - 32, b);
    }
    v16_store(d, h0);
    v16_store(d + 16, h1);
}

static inline void copy_rep(unsigned char* d, const unsigned char* s, size_t n) {
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

void* ccbox_libc_memcpy(void* restrict dest, const void* restrict src, size_t n) {
    unsigned char* d = dest;
    const unsigned char* s = src;
    if (n <= 64)
        copy_upto64(d, s, n);
    else if (n <= 128)
        copy_upto128(d, s, n);
    else if (n < STR_REP_MIN)
        copy_forward(d, s, n);
    else
        copy_rep(d, s, n);
    return dest;
}
CCBOX_LIBC_EXPORT(memcpy)

void* ccbox_libc_memmove(void* dest, const void* src, size_t n) {
    unsigned char* d = dest;
    const unsigned char* s = src;
    if (n <= 64) {
        copy_upto64(d, s, n);
    } else if (n <= 128) {
        copy_upto128(d, s, n);
    } else if ((uintptr_t)d - (uintptr_t)s >= n) {
        /* d is below s, or past its end: front to back is safe. */
        if (n >= STR_REP_MIN && (uintptr_t)s - (uintptr_t)d >= n)
            copy_rep(d, s, n);
        else
            copy_forward(d, s, n);
    } else if (d != s) {
        copy_backward(d, s, n);
    }
    return dest;
}
CCBOX_LIBC_EXPORT(memmove)

void* ccbox_libc_mempcpy(void* restrict dest, const void* restrict src, size_t n) {
    ccbox_libc_memcpy(dest, src, n);
    return (unsigned char*)dest + n;
}
CCBOX_LIBC_EXPORT(mempcpy)

void* ccbox_libc_memset(void* dest, int c, size_t n) {
    unsigned char* d = dest;
    const unsigned char b = (unsigned char)c;
    if (n <= 16) {
        const uint64_t w = b * 0x0101010101010101ull;
        if (n >= 8) {
            *(str_u64*)d = w;
            *(str_u64*)(d + n - 8) = w;
        } else if (n >= 4) {
            *(str_u32*)d = (uint32_t)w;
            *(str_u32*)(d + n - 4) = (uint32_t)w;
        } else if (n >= 2) {
            *(str_u16*)d = (uint16_t)w;
            *(str_u16*)(d + n - 2) = (uint16_t)w;
        } else if (n == 1) {
            *d = b;
        }
        return dest;
    }
    if (n >= STR_REP_MIN) {
        __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(b) : "memory");
        return dest;
    }
    const str_v16 v = v16_splat(b);
    v16_store(d, v);
    v16_store(d + n - 16, v);
    if (n <= 32) return dest;
    v16_store(d + 16, v);
    v16_store(d + n - 32, v);
    if (n <= 64) return dest;
    /* Fill 64-byte groups from the first 16-byte boundary after d + 16 (the first and last
     * 32 bytes are already done). */
    unsigned char* p = (unsigned char*)(((uintptr_t)d + 32) & ~(uintptr_t)15);
    unsigned char* end = d + n - 32;
    while (end - p >= 64) {
        v16_store(p, v);
        v16_store(p + 16, v);
        v16_store(p + 32, v);
        v16_store(p + 48, v);
        p += 64;
    }
    while (p < end) {
        v16_store(p, v);
        p += 16;
    }
    return dest;
}
CCBOX_LIBC_EXPORT(memset)

void ccbox_libc_bzero(void* s, size_t n) { ccbox_libc_memset(s, 0, n); }
CCBOX_LIBC_EXPORT(bzero)

void ccbox_libc_explicit_bzero(void* s, size_t n) {
    ccbox_libc_memset(s, 0, n);
    /* The compiler must assume the zeroed memory is read here, so the stores stay. */
    __asm__ volatile("" : : "r"(s) : "memory");
}
CCBOX_LIBC_EXPORT(explicit_bzero)

/* ---- memcmp ------------------------------------------------------------------------------ */

/* The difference of the first differing byte of two 8-byte words loaded little-endian. */
static inline int cmp_words(const unsigned char* p, const unsigned char* q, uint64_t x, uint64_t y) {
    unsigned k = (unsigned)__builtin_ctzll(x ^ y) >> 3;
    return (int)p[k] - (int)q[k];
}

int ccbox_libc_memcmp(const void* s1, const void* s2, size_t n) {
    const unsigned char* p = s1;
    const unsigned char* q = s2;
#ifdef __SSE2__
    if (n >= 16) {
        size_t i = 0;
        while (n - i >= 64) {
            __m128i e0 = _mm_cmpeq_epi8(v16_load(p + i), v16_load(q + i));
            __m128i e1 = _mm_cmpeq_epi8(v16_load(p + i + 16), v16_load(q + i + 16));
            __m128i e2 = _mm_cmpeq_epi8(v16_load(p + i + 32), v16_load(q + i + 32));
            __m128i e3 = _mm_cmpeq_epi8(v16_load(p + i + 48), v16_load(q + i + 48));
            __m128i all = _mm_and_si128(_mm_and_si128(e0, e1), _mm_and_si128(e2, e3));
            if (_mm_movemask_epi8(all) != 0xffff) break;
            i += 64;
        }
        for (;;) {
            if (n - i < 16) i = n - 16; /* last, overlapping block */
            unsigned m = v16_eqmask(v16_load(p + i), v16_load(q + i)) ^ 0xffffu;
            if (m != 0) {
                size_t k = i + (unsigned)__builtin_ctz(m);
                return (int)p[k] - (int)q[k];
            }
            i += 16;
            if (i >= n) return 0;
        }
    }
#else
    while (n >= 8) {
        uint64_t x = *(const str_u64*)p, y = *(const str_u64*)q;
        if (x != y) return cmp_words(p, q, x, y);
        p += 8;
        q += 8;
        n -= 8;
    }
#endif
    if (n >= 8) {
        uint64_t x = *(const str_u64*)p, y = *(const str_u64*)q;
        if (x != y) return cmp_words(p, q, x, y);
        p += n - 8;
        q += n - 8;
        x = *(const str_u64*)p;
        y = *(const str_u64*)q;
        return x != y ? cmp_words(p, q, x, y) : 0;
    }
    if (n >= 4) {
        uint64_t x = *(const str_u32*)p, y = *(const str_u32*)q;
        if (x != y) return cmp_words(p, q, x, y);
        p += n - 4;
        q += n - 4;
        x = *(const str_u32*)p;
        y = *(const str_u32*)q;
        return x != y ? cmp_words(p, q, x, y) : 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] != q[i]) return (int)p[i] - (int)q[i];
    }
    return 0;
}
CCBOX_LIBC_EXPORT(memcmp)

int ccbox_libc_bcmp(const void* s1, const void* s2, size_t n) {
    return ccbox_libc_memcmp(s1, s2, n);
}
CCBOX_LIBC_EXPORT(bcmp)

/* ---- memchr, rawmemchr, memrchr, strlen, strnlen ---------------------------------------- */

STR_READS_AROUND void* ccbox_libc_memchr(const void* s, int c, size_t n) {
    const unsigned char* p = s;
    const unsigned char b = (unsigned char)c;
    if (n == 0) return NULL;
#ifdef __SSE2__
    const __m128i vc = _mm_set1_epi8((char)b);
    const size_t off = (uintptr_t)p & 15;
    const unsigned char* a = p - off;
    unsigned m = v16_eqmask(v16_aload(a), vc) >> off;
    if (m != 0) {
        size_t k = (unsigned)__builtin_ctz(m);
        return k < n ? (void*)(p + k) : NULL;
    }
    if (n <= 16 - off) return NULL;
    n -= 16 - off;
    a += 16;
    /* n bytes remain from the aligned a; a match may stop the search before their end,
     * so wider reads wait until a is 64-byte aligned. */
    while (n >= 16 && ((uintptr_t)a & 63) != 0) {
        m = v16_eqmask(v16_aload(a), vc);
        if (m != 0) return (void*)(a + __builtin_ctz(m));
        a += 16;
        n -= 16;
    }
    while (n >= 64) {
        __m128i e0 = _mm_cmpeq_epi8(v16_aload(a), vc);
        __m128i e1 = _mm_cmpeq_epi8(v16_aload(a + 16), vc);
        __m128i e2 = _mm_cmpeq_epi8(v16_aload(a + 32), vc);
        __m128i e3 = _mm_cmpeq_epi8(v16_aload(a + 48), vc);
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(e0, e1), _mm_or_si128(e2, e3))) != 0) {
            uint64_t all = (uint64_t)(unsigned)_mm_movemask_epi8(e0) |
                           (uint64_t)(unsigned)_mm_movemask_epi8(e1) << 16 |
                           (uint64_t)(unsigned)_mm_movemask_epi8(e2) << 32 |
                           (uint64_t)(unsigned)_mm_movemask_epi8(e3) << 48;
            return (void*)(a + __builtin_ctzll(all));
        }
        a += 64;
        n -= 64;
    }
    while (n >= 16) {
        m = v16_eqmask(v16_aload(a), vc);
        if (m != 0) return (void*)(a + __builtin_ctz(m));
        a += 16;
        n -= 16;
    }
    if (n > 0) {
        m = v16_eqmask(v16_aload(a), vc) & ((1u << n) - 1);
        if (m != 0) return (void*)(a + __builtin_ctz(m));
    }
    return NULL;
#else
    for (; n > 0; n--, p++) {
        if (*p == b) return (void*)p;
    }
    return NULL;
#endif
}
CCBOX_LIBC_EXPORT(memchr)

STR_READS_AROUND void* ccbox_libc_rawmemchr(const void* s, int c) {
    const unsigned char* p = s;
    const unsigned char b = (unsigned char)c;
#ifdef __SSE2__
    const __m128i vc = _mm_set1_epi8((char)b);
    const size_t off = (uintptr_t)p & 15;
    const unsigned char* a = p - off;
    unsigned m = v16_eqmask(v16_aload(a), vc) >> off;
    if (m != 0) return (void*)(p + __builtin_ctz(m));
    for (;;) {
        a += 16;
        m = v16_eqmask(v16_aload(a), vc);
        if (m != 0) return (void*)(a + __builtin_ctz(m));
    }
#else
    while (*p != b) p++;
    return (void*)p;
#endif
}
CCBOX_LIBC_EXPORT(rawmemchr)

void* ccbox_libc_memrchr(const void* s, int c, size_t n) {
    const unsigned char* p = s;
    const unsigned char b = (unsigned char)c;
#ifdef __SSE2__
    const __m128i vc = _mm_set1_epi8((char)b);
    while (n >= 16) {
        unsigned m = v16_eqmask(v16_load(p + n - 16), vc);
        if (m != 0) return (void*)(p + n - 16 + (31 - __builtin_clz(m)));
        n -= 16;
    }
#endif
    while (n > 0) {
        n--;
        if (p[n] == b) return (void*)(p + n);
    }
    return NULL;
}
CCBOX_LIBC_EXPORT(memrchr)

STR_READS_AROUND size_t ccbox_libc_strlen(const char* s) {
#ifdef __SSE2__
    const unsigned char* p = (const unsigned char*)s;
    const __m128i z = _mm_setzero_si128();
    const size_t off = (uintptr_t)p & 15;
    const unsigned char* a = p - off;
    unsigned m = v16_eqmask(v16_aload(a), z) >> off;
    if (m != 0) return (unsigned)__builtin_ctz(m);
    a += 16;
    while (((uintptr_t)a & 63) != 0) {
        m = v16_eqmask(v16_aload(a), z);
        if (m != 0) return (size_t)(a - p) + (unsigned)__builtin_ctz(m);
        a += 16;
    }
    for (;; a += 64) {
        __m128i v0 = v16_aload(a), v1 = v16_aload(a + 16);
        __m128i v2 = v16_aload(a + 32), v3 = v16_aload(a + 48);
        __m128i lo = _mm_min_epu8(_mm_min_epu8(v0, v1), _mm_min_epu8(v2, v3));
        if (v16_eqmask(lo, z) != 0) {
            uint64_t all = (uint64_t)v16_eqmask(v0, z) | (uint64_t)v16_eqmask(v1, z) << 16 |
                           (uint64_t)v16_eqmask(v2, z) << 32 | (uint64_t)v16_eqmask(v3, z) << 48;
            return (size_t)(a - p) + (unsigned)__builtin_ctzll(all);
        }
    }
#else
    const char* p = s;
    while (*p != '\0') p++;
    return (size_t)(p - s);
#endif
}
CCBOX_LIBC_EXPORT(strlen)

size_t ccbox_libc_strnlen(const char* s, size_t maxlen) {
    const char* z = ccbox_libc_memchr(s, 0, maxlen);
    return z != NULL ? (size_t)(z - s) : maxlen;
}
CCBOX_LIBC_EXPORT(strnlen)

/* ---- copying strings ----------------------------------------------------------------------- */

char* ccbox_libc_strcpy(char* restrict dest, const char* restrict src) {
    ccbox_libc_memcpy(dest, src, ccbox_libc_strlen(src) + 1);
    return dest;
}
CCBOX_LIBC_EXPORT(strcpy)

char* ccbox_libc_stpcpy(char* restrict dest, const char* restrict src) {
    size_t len = ccbox_libc_strlen(src);
    ccbox_libc_memcpy(dest, src, len + 1);
    return dest + len;
}
CCBOX_LIBC_EXPORT(stpcpy)

char* ccbox_libc_stpncpy(char* restrict dest, const char* restrict src, size_t n) {
    size_t len = ccbox_libc_strnlen(src, n);
    ccbox_libc_memcpy(dest, src, len);
    ccbox_libc_memset(dest + len, 0, n - len);
    return dest + len;
}
CCBOX_LIBC_EXPORT(stpncpy)

char* ccbox_libc_strncpy(char* restrict dest, const char* restrict src, size_t n) {
    ccbox_libc_stpncpy(dest, src, n);
    return dest;
}
CCBOX_LIBC_EXPORT(strncpy)

char* ccbox_libc_strcat(char* restrict dest, const char* restrict src) {
    ccbox_libc_strcpy(dest + ccbox_libc_strlen(dest), src);
    return dest;
}
CCBOX_LIBC_EXPORT(strcat)

char* ccbox_libc_strncat(char* restrict dest, const char* restrict src, size_t n) {
    char* d = dest + ccbox_libc_strlen(dest);
    size_t len = ccbox_libc_strnlen(src, n);
    ccbox_libc_memcpy(d, src, len);
    d[len] = '\0';
    return dest;
}
CCBOX_LIBC_EXPORT(strncat)

char* ccbox_libc_strdup(const char* s) {
    size_t size = ccbox_libc_strlen(s) + 1;
    char* p = malloc(size);
    if (p != NULL) ccbox_libc_memcpy(p, s, size);
    return p;
}
CCBOX_LIBC_EXPORT(strdup)

char* ccbox_libc_strndup(const char* s, size_t n) {
    size_t len = ccbox_libc_strnlen(s, n);
    char* p = malloc(len + 1);
    if (p != NULL) {
        ccbox_libc_memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}
CCBOX_LIBC_EXPORT(strndup)

/* ---- comparing strings ----------------------------------------------------------------- */

#ifdef __SSE2__
/* How many bytes from both p and q can be read without entering a page (4 KiB) that neither
 * string has reached yet. */
static inline size_t str_room(const unsigned char* p, const unsigned char* q) {
    size_t rp = 4096 - ((uintptr_t)p & 4095);
    size_t rq = 4096 - ((uintptr_t)q & 4095);
    return rp < rq ? rp : rq;
}

/* Zero bytes where p's and q's 16 bytes differ or where p's string ends. */
static inline __attribute__((always_inline)) __m128i str_same16(const unsigned char* p,
                                                                const unsigned char* q) {
    __m128i a = v16_load(p);
    return _mm_min_epu8(_mm_cmpeq_epi8(a, v16_load(q)), a);
}

/* Bit i set where the first 64 bytes at p and q differ or p's string ends; 0 if none. */
static inline __attribute__((always_inline)) uint64_t str_stop64(const unsigned char* p,
                                                                 const unsigned char* q) {
    const __m128i z = _mm_setzero_si128();
    __m128i s0 = str_same16(p, q), s1 = str_same16(p + 16, q + 16);
    __m128i s2 = str_same16(p + 32, q + 32), s3 = str_same16(p + 48, q + 48);
    __m128i all = _mm_min_epu8(_mm_min_epu8(s0, s1), _mm_min_epu8(s2, s3));
    if (v16_eqmask(all, z) == 0) return 0;
    return (uint64_t)v16_eqmask(s0, z) | (uint64_t)v16_eqmask(s1, z) << 16 |
           (uint64_t)v16_eqmask(s2, z) << 32 | (uint64_t)v16_eqmask(s3, z) << 48;
}
#endif

STR_READS_AROUND int ccbox_libc_strcmp(const char* s1, const char* s2) {
    const unsigned char* p = (const unsigned char*)s1;
    const unsigned char* q = (const unsigned char*)s2;
#ifdef __SSE2__
    const __m128i z = _mm_setzero_si128();
    for (;;) {
        size_t room = str_room(p, q);
        for (; room >= 64; room -= 64, p += 64, q += 64) {
            uint64_t m = str_stop64(p, q);
            if (m != 0) {
                unsigned k = (unsigned)__builtin_ctzll(m);
                return (int)p[k] - (int)q[k];
            }
        }
        for (; room >= 16; room -= 16, p += 16, q += 16) {
            unsigned m = v16_eqmask(str_same16(p, q), z);
            if (m != 0) {
                unsigned k = (unsigned)__builtin_ctz(m);
                return (int)p[k] - (int)q[k];
            }
        }
        /* Fewer than 16 bytes before one of them enters a new page: go byte by byte. */
        for (; room > 0; room--) {
            unsigned char x = *p++, y = *q++;
            if (x != y || x == 0) return (int)x - (int)y;
        }
    }
#else
    for (;;) {
        unsigned char x = *p++, y = *q++;
        if (x != y || x == 0) return (int)x - (int)y;
    }
#endif
}
CCBOX_LIBC_EXPORT(strcmp)

STR_READS_AROUND int ccbox_libc_strncmp(const char* s1, const char* s2, size_t n) {
    const unsigned char* p = (const unsigned char*)s1;
    const unsigned char* q = (const unsigned char*)s2;
#ifdef __SSE2__
    const __m128i z = _mm_setzero_si128();
    while (n > 0) {
        size_t room = str_room(p, q);
        for (; room >= 64 && n >= 64; room -= 64, n -= 64, p += 64, q += 64) {
            uint64_t m = str_stop64(p, q);
            if (m != 0) {
                unsigned k = (unsigned)__builtin_ctzll(m);
                return (int)p[k] - (int)q[k];
            }
        }
        for (; room >= 16 && n > 0; room -= 16, p += 16, q += 16) {
            unsigned m = v16_eqmask(str_same16(p, q), z);
            if (n < 16) m &= (1u << n) - 1; /* bytes past n do not count */
            if (m != 0) {
                unsigned k = (unsigned)__builtin_ctz(m);
                return (int)p[k] - (int)q[k];
            }
            if (n <= 16) return 0;
            n -= 16;
        }
        for (; room > 0 && n > 0; room--, n--) {
            unsigned char x = *p++, y = *q++;
            if (x != y || x == 0) return (int)x - (int)y;
        }
    }
    return 0;
#else
    for (; n > 0; n--) {
        unsigned char x = *p++, y = *q++;
        if (x != y || x == 0) return (int)x - (int)y;
    }
    return 0;
#endif
}
CCBOX_LIBC_EXPORT(strncmp)

static inline int ascii_lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

int ccbox_libc_strcasecmp(const char* s1, const char* s2) {
    const unsigned char* p = (const unsigned char*)s1;
    const unsigned char* q = (const unsigned char*)s2;
    for (;; p++, q++) {
        int x = ascii_lower(*p), y = ascii_lower(*q);
        if (x != y || x == 0) return x - y;
    }
}
CCBOX_LIBC_EXPORT(strcasecmp)

int ccbox_libc_strncasecmp(const char* s1, const char* s2, size_t n) {
    const unsigned char* p = (const unsigned char*)s1;
    const unsigned char* q = (const unsigned char*)s2;
    for (; n > 0; n--, p++, q++) {
        int x = ascii_lower(*p), y = ascii_lower(*q);
        if (x != y || x == 0) return x - y;
    }
    return 0;
}
CCBOX_LIBC_EXPORT(strncasecmp)

/* The "C" locale collates by byte value. */
int ccbox_libc_strcoll(const char* s1, const char* s2) { return ccbox_libc_strcmp(s1, s2); }
CCBOX_LIBC_EXPORT(strcoll)

/* "C" locale: the transformed string is the string itself. Like glibc, copies at most n
 * bytes (the terminator included when it fits) and returns the full length. */
size_t ccbox_libc_strxfrm(char* restrict dest, const char* restrict src, size_t n) {
    size_t len = ccbox_libc_strlen(src);
    if (n != 0) ccbox_libc_memcpy(dest, src, len < n ? len + 1 : n);
    return len;
}
CCBOX_LIBC_EXPORT(strxfrm)

/* ---- finding characters -------------------------------------------------------------------- */

/* The first byte of s equal to c or to the terminator. */
STR_READS_AROUND static const char* find_char_or_end(const char* s, int c) {
    const unsigned char b = (unsigned char)c;
#ifdef __SSE2__
    const unsigned char* p = (const unsigned char*)s;
    const __m128i vc = _mm_set1_epi8((char)b);
    const __m128i z = _mm_setzero_si128();
    const size_t off = (uintptr_t)p & 15;
    const unsigned char* a = p - off;
    __m128i v = v16_aload(a);
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, z)));
    m >>= off;
    if (m != 0) return s + __builtin_ctz(m);
    for (;;) {
        a += 16;
        v = v16_aload(a);
        m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, z)));
        if (m != 0) return (const char*)a + __builtin_ctz(m);
    }
#else
    const unsigned char* p = (const unsigned char*)s;
    while (*p != b && *p != 0) p++;
    return (const char*)p;
#endif
}

char* ccbox_libc_strchr(const char* s, int c) {
    const char* p = find_char_or_end(s, c);
    return *p == (char)c ? (char*)p : NULL;
}
CCBOX_LIBC_EXPORT(strchr)

char* ccbox_libc_strchrnul(const char* s, int c) { return (char*)find_char_or_end(s, c); }
CCBOX_LIBC_EXPORT(strchrnul)

STR_READS_AROUND char* ccbox_libc_strrchr(const char* s, int c) {
    const unsigned char b = (unsigned char)c;
    if (b == 0) return (char*)s + ccbox_libc_strlen(s);
#ifdef __SSE2__
    const __m128i vc = _mm_set1_epi8((char)b);
    const __m128i z = _mm_setzero_si128();
    const size_t off = (uintptr_t)s & 15;
    const unsigned char* a = (const unsigned char*)s - off;
    const unsigned char* last = NULL;
    __m128i v = v16_aload(a);
    unsigned keep = 0xffffu << off;
    for (;;) {
        unsigned mz = v16_eqmask(v, z) & keep;
        unsigned mc = v16_eqmask(v, vc) & keep;
        if (mz != 0) {
            mc &= mz ^ (mz - 1); /* matches before the terminator */
            if (mc != 0) last = a + (31 - __builtin_clz(mc));
            return (char*)last;
        }
        if (mc != 0) last = a + (31 - __builtin_clz(mc));
        keep = 0xffffu;
        a += 16;
        v = v16_aload(a);
    }
#else
    const char* last = NULL;
    for (;; s++) {
        if (*s == (char)b) last = s;
        if (*s == '\0') return (char*)last;
    }
#endif
}
CCBOX_LIBC_EXPORT(strrchr)

/* ---- spans and tokens ------------------------------------------------------------------- */

typedef struct {
    uint64_t bits[4];
} byte_set;

static inline void byte_set_init(byte_set* set, const char* chars) {
    set->bits[0] = set->bits[1] = set->bits[2] = set->bits[3] = 0;
    for (const unsigned char* p = (const unsigned char*)chars; *p != 0; p++)
        set->bits[*p >> 6] |= 1ull << (*p & 63);
}

static inline bool byte_set_has(const byte_set* set, unsigned char c) {
    return (set->bits[c >> 6] >> (c & 63)) & 1;
}

size_t ccbox_libc_strspn(const char* s, const char* accept) {
    const unsigned char* p = (const unsigned char*)s;
    if (accept[0] == '\0') return 0;
    if (accept[1] == '\0') {
        const unsigned char a = (unsigned char)accept[0];
        while (*p == a) p++;
        return (size_t)(p - (const unsigned char*)s);
    }
    byte_set set;
    byte_set_init(&set, accept); /* never contains the terminator */
    while (byte_set_has(&set, *p)) p++;
    return (size_t)(p - (const unsigned char*)s);
}
CCBOX_LIBC_EXPORT(strspn)

size_t ccbox_libc_strcspn(const char* s, const char* reject) {
    if (reject[0] == '\0') return ccbox_libc_strlen(s);
    if (reject[1] == '\0') return (size_t)(find_char_or_end(s, reject[0]) - s);
    const unsigned char* p = (const unsigned char*)s;
    byte_set set;
    byte_set_init(&set, reject);
    set.bits[0] |= 1; /* stop at the terminator too */
    while (!byte_set_has(&set, *p)) p++;
    return (size_t)(p - (const unsigned char*)s);
}
CCBOX_LIBC_EXPORT(strcspn)

char* ccbox_libc_strpbrk(const char* s, const char* accept) {
    s += ccbox_libc_strcspn(s, accept);
    return *s != '\0' ? (char*)s : NULL;
}
CCBOX_LIBC_EXPORT(strpbrk)

char* ccbox_libc_strsep(char** stringp, const char* delim) {
    char* s = *stringp;
    if (s == NULL) return NULL;
    char* end = s + ccbox_libc_strcspn(s, delim);
    if (*end != '\0') {
        *end = '\0';
        *stringp = end + 1;
    } else {
        *stringp = NULL;
    }
    return s;
}
CCBOX_LIBC_EXPORT(strsep)

char* ccbox_libc_strtok_r(char* restrict s, const char* restrict delim, char** restrict saveptr) {
    if (s == NULL) s = *saveptr;
    s += ccbox_libc_strspn(s, delim);
    if (*s == '\0') {
        *saveptr = s;
        return NULL;
    }
    char* end = s + ccbox_libc_strcspn(s, delim);
    if (*end == '\0') {
        *saveptr = end;
    } else {
        *end = '\0';
        *saveptr = end + 1;
    }
    return s;
}
CCBOX_LIBC_EXPORT(strtok_r)

static char* strtok_state;

char* ccbox_libc_strtok(char* restrict s, const char* restrict delim) {
    return ccbox_libc_strtok_r(s, delim, &strtok_state);
}
CCBOX_LIBC_EXPORT(strtok)

/* ---- substring search (two-way string matching, constant space, linear time) ---------- */

static inline unsigned char tw_fold(unsigned char c, bool fold) {
    return (fold && c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* The maximal suffix of x[0..m) under byte order (or its reverse): returns the index just
 * before it (-1 for the whole needle) and stores its period in *period. */
static ptrdiff_t tw_max_suffix(const unsigned char* x, ptrdiff_t m, bool reverse, bool fold,
                               ptrdiff_t* period) {
    ptrdiff_t start = -1; /* the suffix under consideration begins at start + 1 */
    ptrdiff_t j = 0;      /* the candidate suffix begins at j + 1 */
    ptrdiff_t k = 1;      /* offset being compared within the candidate */
    ptrdiff_t p = 1;
    while (j + k < m) {
        unsigned char a = tw_fold(x[j + k], fold);
        unsigned char b = tw_fold(x[start + k], fold);
        if (a == b) {
            if (k == p) {
                j += p;
                k = 1;
            } else {
                k++;
            }
        } else if (reverse ? a > b : a < b) {
            j += k;
            k = 1;
            p = j - start;
        } else {
            start = j;
            j = start + 1;
            k = p = 1;
        }
    }
    *period = p;
    return start;
}

/* Finds x[0..m) (m >= 1) in y. For a memory block, *avail is its length. For a string
 * (is_str), *avail is a prefix length known to hold no terminator, extended as needed. */
static inline __attribute__((always_inline)) const unsigned char* tw_search(
    const unsigned char* y, size_t avail, bool is_str, const unsigned char* x, size_t msize,
    bool fold) {
    const ptrdiff_t m = (ptrdiff_t)msize;
    ptrdiff_t p1, p2;
    ptrdiff_t ell1 = tw_max_suffix(x, m, false, fold, &p1);
    ptrdiff_t ell2 = tw_max_suffix(x, m, true, fold, &p2);
    ptrdiff_t ell = ell1 > ell2 ? ell1 : ell2;
    ptrdiff_t per = ell1 > ell2 ? p1 : p2;

    /* Is the part left of the critical position repeated `per` bytes later? */
    bool periodic = true;
    for (ptrdiff_t i = 0; i <= ell; i++) {
        if (tw_fold(x[i], fold) != tw_fold(x[i + per], fold)) {
            periodic = false;
            break;
        }
    }
    if (!periodic) per = (ell + 1 > m - ell - 1 ? ell + 1 : m - ell - 1) + 1;

    ptrdiff_t memory = -1; /* in the periodic case: x[0..memory] already known to match */
    size_t j = 0;
    for (;;) {
        /* Is y[j..j+m) all there? */
        if (j + msize > avail) {
            if (!is_str) return NULL;
            size_t want = j + msize - avail;
            size_t got = ccbox_libc_strnlen((const char*)y + avail, want + 256);
            avail += got;
            if (got < want) return NULL;
        }
        const unsigned char* w = y + j;
        ptrdiff_t i = (ell > memory ? ell : memory) + 1;
        while (i < m && tw_fold(x[i], fold) == tw_fold(w[i], fold)) i++;
        if (i < m) {
            j += (size_t)(i - ell);
            memory = -1;
            continue;
        }
        i = ell;
        while (i > memory && tw_fold(x[i], fold) == tw_fold(w[i], fold)) i--;
        if (i <= memory) return w;
        j += (size_t)per;
        if (periodic) memory = m - per - 1;
    }
}

void* ccbox_libc_memmem(const void* haystack, size_t haystacklen, const void* needle,
                        size_t needlelen) {
    const unsigned char* y = haystack;
    const unsigned char* x = needle;
    if (needlelen == 0) return (void*)y;
    if (needlelen > haystacklen) return NULL;
    if (needlelen == 1) return ccbox_libc_memchr(y, x[0], haystacklen);
    return (void*)tw_search(y, haystacklen, false, x, needlelen, false);
}
CCBOX_LIBC_EXPORT(memmem)

char* ccbox_libc_strstr(const char* haystack, const char* needle) {
    if (needle[0] == '\0') return (char*)haystack;
    if (needle[1] == '\0') return ccbox_libc_strchr(haystack, needle[0]);
    /* Skip straight to the first occurrence of the needle's first byte. */
    haystack = ccbox_libc_strchr(haystack, needle[0]);
    if (haystack == NULL) return NULL;
    return (char*)tw_search((const unsigned char*)haystack, 1, true,
                            (const unsigned char*)needle, ccbox_libc_strlen(needle), false);
}
CCBOX_LIBC_EXPORT(strstr)

char* ccbox_libc_strcasestr(const char* haystack, const char* needle) {
    if (needle[0] == '\0') return (char*)haystack;
    return (char*)tw_search((const unsigned char*)haystack, 0, true,
                            (const unsigned char*)needle, ccbox_libc_strlen(needle), true);
}
CCBOX_LIBC_EXPORT(strcasestr)

/* ---- error messages ---------------------------------------------------------------------- */

/* glibc's messages and names for Linux x86-64 errno values (errno_list.h). */
#define CCBOX_ERRNO_MESSAGE_(name, message) [name] = message,
#define CCBOX_ERRNO_NAME_(name, message) [name] = #name,
static const char* const strerror_messages[] = {[0] = "Success", CCBOX_ERRNO_LIST(CCBOX_ERRNO_MESSAGE_)};
static const char* const errno_names[] = {[0] = "0", CCBOX_ERRNO_LIST(CCBOX_ERRNO_NAME_)};
#undef CCBOX_ERRNO_MESSAGE_
#undef CCBOX_ERRNO_NAME_

/* glibc's message for errnum, or NULL if it has none (it then says "Unknown error N"). */
static const char* strerror_lookup(int errnum) {
    if (errnum < 0 || (size_t)errnum >= sizeof strerror_messages / sizeof strerror_messages[0])
        return NULL;
    return strerror_messages[errnum];
}

/* Writes "Unknown error N" into buf like snprintf(buf, buflen, ...) would. */
static void strerror_unknown(int errnum, char* buf, size_t buflen) {
    static const char prefix[] = "Unknown error ";
    char text[sizeof prefix + 12];
    size_t len = sizeof prefix - 1;
    ccbox_libc_memcpy(text, prefix, len);
    unsigned int magnitude = errnum < 0 ? 0u - (unsigned int)errnum : (unsigned int)errnum;
    if (errnum < 0) text[len++] = '-';
    char digits[10];
    size_t nd = 0;
    do {
        digits[nd++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    while (nd > 0) text[len++] = digits[--nd];
    if (buflen == 0) return;
    if (len > buflen - 1) len = buflen - 1;
    ccbox_libc_memcpy(buf, text, len);
    buf[len] = '\0';
}

/* Holds the text for an unknown errno. glibc keeps one per thread; the enclave libc has no
 * thread-local storage here, so concurrent strerror calls on unknown values share it. */
static char strerror_buffer[32];

char* ccbox_libc_strerror(int errnum) {
    const char* msg = strerror_lookup(errnum);
    if (msg != NULL) return (char*)msg;
    strerror_unknown(errnum, strerror_buffer, sizeof strerror_buffer);
    return strerror_buffer;
}
CCBOX_LIBC_EXPORT(strerror)

/* The symbolic name ("EPERM"), or NULL for a value without one (glibc 2.32; %#m uses it). */
const char* ccbox_libc_strerrorname_np(int errnum) {
    if (errnum < 0 || (size_t)errnum >= sizeof errno_names / sizeof errno_names[0])
        return NULL;
    return errno_names[errnum];
}
CCBOX_LIBC_EXPORT(strerrorname_np)

/* GNU strerror_r: returns the static message, or writes "Unknown error N" into buf. */
char* ccbox_libc_strerror_r(int errnum, char* buf, size_t buflen) {
    const char* msg = strerror_lookup(errnum);
    if (msg != NULL) return (char*)msg;
    strerror_unknown(errnum, buf, buflen);
    return buf;
}
CCBOX_LIBC_EXPORT(strerror_r)

/* XSI strerror_r: copies the (possibly truncated) message into buf; ERANGE if it did not
 * fit, EINVAL (with "Unknown error N" written into buf, as glibc does) for an unknown value. */
int ccbox_libc___xpg_strerror_r(int errnum, char* buf, size_t buflen) {
    const char* msg = strerror_lookup(errnum);
    if (msg == NULL) {
        strerror_unknown(errnum, buf, buflen);
        return EINVAL;
    }
    size_t len = ccbox_libc_strlen(msg);
    if (buflen > 0) {
        size_t n = len < buflen - 1 ? len : buflen - 1;
        ccbox_libc_memcpy(buf, msg, n);
        buf[n] = '\0';
    }
    return buflen <= len ? ERANGE : 0;
}
CCBOX_LIBC_EXPORT(__xpg_strerror_r)

/* ---- wide characters --------------------------------------------------------------------- */

size_t ccbox_libc_wcslen(const wchar_t* s) {
    const wchar_t* p = s;
    while (*p != 0) p++;
    return (size_t)(p - s);
}
CCBOX_LIBC_EXPORT(wcslen)

size_t ccbox_libc_wcsnlen(const wchar_t* s, size_t maxlen) {
    size_t n = 0;
    while (n < maxlen && s[n] != 0) n++;
    return n;
}
CCBOX_LIBC_EXPORT(wcsnlen)

int ccbox_libc_wcscmp(const wchar_t* s1, const wchar_t* s2) {
    for (;; s1++, s2++) {
        if (*s1 != *s2) return *s1 < *s2 ? -1 : 1;
        if (*s1 == 0) return 0;
    }
}
CCBOX_LIBC_EXPORT(wcscmp)

int ccbox_libc_wcsncmp(const wchar_t* s1, const wchar_t* s2, size_t n) {
    for (; n > 0; n--, s1++, s2++) {
        if (*s1 != *s2) return *s1 < *s2 ? -1 : 1;
        if (*s1 == 0) return 0;
    }
    return 0;
}
CCBOX_LIBC_EXPORT(wcsncmp)

wchar_t* ccbox_libc_wcscpy(wchar_t* restrict dest, const wchar_t* restrict src) {
    ccbox_libc_memcpy(dest, src, (ccbox_libc_wcslen(src) + 1) * sizeof(wchar_t));
    return dest;
}
CCBOX_LIBC_EXPORT(wcscpy)

wchar_t* ccbox_libc_wcsncpy(wchar_t* restrict dest, const wchar_t* restrict src, size_t n) {
    size_t len = ccbox_libc_wcsnlen(src, n);
    ccbox_libc_memcpy(dest, src, len * sizeof(wchar_t));
    ccbox_libc_memset(dest + len, 0, (n - len) * sizeof(wchar_t));
    return dest;
}
CCBOX_LIBC_EXPORT(wcsncpy)

wchar_t* ccbox_libc_wcschr(const wchar_t* s, wchar_t c) {
    for (;; s++) {
        if (*s == c) return (wchar_t*)s;
        if (*s == 0) return NULL;
    }
}
CCBOX_LIBC_EXPORT(wcschr)

wchar_t* ccbox_libc_wcsrchr(const wchar_t* s, wchar_t c) {
    const wchar_t* last = NULL;
    for (;; s++) {
        if (*s == c) last = s;
        if (*s == 0) return (wchar_t*)last;
    }
}
CCBOX_LIBC_EXPORT(wcsrchr)

wchar_t* ccbox_libc_wmemcpy(wchar_t* restrict dest, const wchar_t* restrict src, size_t n) {
    ccbox_libc_memcpy(dest, src, n * sizeof(wchar_t));
    return dest;
}
CCBOX_LIBC_EXPORT(wmemcpy)

wchar_t* ccbox_libc_wmemmove(wchar_t* dest, const wchar_t* src, size_t n) {
    ccbox_libc_memmove(dest, src, n * sizeof(wchar_t));
    return dest;
}
CCBOX_LIBC_EXPORT(wmemmove)

wchar_t* ccbox_libc_wmemset(wchar_t* dest, wchar_t c, size_t n) {
    for (size_t i = 0; i < n; i++) dest[i] = c;
    return dest;
}
CCBOX_LIBC_EXPORT(wmemset)

int ccbox_libc_wmemcmp(const wchar_t* s1, const wchar_t* s2, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (s1[i] != s2[i]) return s1[i] < s2[i] ? -1 : 1;
    }
    return 0;
}
CCBOX_LIBC_EXPORT(wmemcmp)

wchar_t* ccbox_libc_wmemchr(const wchar_t* s, wchar_t c, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (s[i] == c) return (wchar_t*)(s + i);
    }
    return NULL;
}
CCBOX_LIBC_EXPORT(wmemchr)
