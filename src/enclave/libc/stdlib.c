/* Numeric conversion, integer arithmetic helpers, sorting and searching for the enclave libc.
 * Trust domain: enclave (libc). strto* reproduce glibc's "C" locale behaviour exactly
 * (whitespace, sign, bases 0 and 2..36, the 0x prefix, ERANGE saturation, EINVAL for a bad
 * base, endptr rules). qsort is an introsort that never allocates, keeps its own bounded
 * stack of pending ranges (no recursion) and falls back to heapsort, so it is
 * O(n log n) in the worst case and stays within a small, fixed amount of enclave stack. It
 * survives an inconsistent comparator without touching memory outside the array. The only
 * outside symbol needed is errno's (__errno_location, via <errno.h>). */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "libc_export.h"

/* ---- strto* ---------------------------------------------------------------------------- */

static inline bool strto_is_space(unsigned char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The value of c as a digit in any base up to 36, or 36 or more if it is not a digit. */
static inline unsigned strto_digit(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 36;
}

/* Parses the magnitude of an integer as glibc's strto* family does. Returns false (after
 * setting errno to EINVAL, without touching *endptr) for an invalid base. Otherwise stores
 * the sign in *negative, whether the magnitude exceeded ULLONG_MAX in *overflow, and the
 * magnitude (saturated) in *magnitude, and sets *endptr. */
static bool strto_parse(const char* nptr, char** endptr, int base, bool* negative,
                        bool* overflow, unsigned long long* magnitude) {
    *negative = false;
    *overflow = false;
    *magnitude = 0;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        return false;
    }
    const unsigned char* s = (const unsigned char*)nptr;
    while (strto_is_space(*s)) s++;
    if (*s == '-') {
        *negative = true;
        s++;
    } else if (*s == '+') {
        s++;
    }
    /* A "0x" prefix is taken for base 0 and 16; if no hex digit follows, only the "0" is
     * a number, and the end pointer is left just after it. */
    if (*s == '0' && (base == 0 || base == 16) && (s[1] == 'x' || s[1] == 'X')) {
        if (strto_digit(s[2]) < 16) {
            s += 2;
            base = 16;
        } else {
            if (endptr != NULL) *endptr = (char*)(s + 1);
            return true;
        }
    } else if (base == 0) {
        base = (*s == '0') ? 8 : 10;
    }
    const unsigned long long ubase = (unsigned)base;
    const unsigned long long limit = ULLONG_MAX / ubase;
    const unsigned long long limit_digit = ULLONG_MAX % ubase;
    const unsigned char* digits = s;
    unsigned long long value = 0;
    bool ovf = false;
    for (;; s++) {
        unsigned d = strto_digit(*s);
        if (d >= (unsigned)base) break;
        if (ovf) continue;
        if (value > limit || (value == limit && d > limit_digit)) {
            ovf = true;
            value = ULLONG_MAX;
        } else {
            value = value * ubase + d;
        }
    }
    if (s == digits) {
        /* No digits: nothing converted, and *endptr is the start of the string. */
        *negative = false;
        if (endptr != NULL) *endptr = (char*)nptr;
        return true;
    }
    if (endptr != NULL) *endptr = (char*)s;
    *overflow = ovf;
    *magnitude = value;
    return true;
}

/* Signed conversion with range [-max-1, max]. */
static long long strto_signed(const char* nptr, char** endptr, int base, long long max) {
    bool negative, overflow;
    unsigned long long magnitude;
    if (!strto_parse(nptr, endptr, base, &negative, &overflow, &magnitude)) return 0;
    const unsigned long long umax = (unsigned long long)max;
    if (negative) {
        if (overflow || magnitude > umax + 1) {
            errno = ERANGE;
            return -max - 1;
        }
        if (magnitude == umax + 1) return -max - 1;
        return -(long long)magnitude;
    }
    if (overflow || magnitude > umax) {
        errno = ERANGE;
        return max;
    }
    return (long long)magnitude;
}

/* Unsigned conversion with range [0, max]; a '-' negates the result modulo max + 1. */
static unsigned long long strto_unsigned(const char* nptr, char** endptr, int base,
                                         unsigned long long max) {
    bool negative, overflow;
    unsigned long long magnitude;
    if (!strto_parse(nptr, endptr, base, &negative, &overflow, &magnitude)) return 0;
    if (overflow || magnitude > max) {
        errno = ERANGE;
        return max;
    }
    return negative ? (0 - magnitude) & max : magnitude;
}

long ccbox_libc_strtol(const char* nptr, char** endptr, int base) {
    return (long)strto_signed(nptr, endptr, base, LONG_MAX);
}
CCBOX_LIBC_EXPORT(strtol)

unsigned long ccbox_libc_strtoul(const char* nptr, char** endptr, int base) {
    return (unsigned long)strto_unsigned(nptr, endptr, base, ULONG_MAX);
}
CCBOX_LIBC_EXPORT(strtoul)

long long ccbox_libc_strtoll(const char* nptr, char** endptr, int base) {
    return strto_signed(nptr, endptr, base, LLONG_MAX);
}
CCBOX_LIBC_EXPORT(strtoll)

unsigned long long ccbox_libc_strtoull(const char* nptr, char** endptr, int base) {
    return strto_unsigned(nptr, endptr, base, ULLONG_MAX);
}
CCBOX_LIBC_EXPORT(strtoull)

intmax_t ccbox_libc_strtoimax(const char* nptr, char** endptr, int base) {
    return (intmax_t)strto_signed(nptr, endptr, base, INTMAX_MAX);
}
CCBOX_LIBC_EXPORT(strtoimax)

uintmax_t ccbox_libc_strtoumax(const char* nptr, char** endptr, int base) {
    return (uintmax_t)strto_unsigned(nptr, endptr, base, UINTMAX_MAX);
}
CCBOX_LIBC_EXPORT(strtoumax)

/* glibc's ato* are strtol(nptr, NULL, 10) truncated to the result type. */
int ccbox_libc_atoi(const char* nptr) {
    return (int)ccbox_libc_strtol(nptr, NULL, 10);
}
CCBOX_LIBC_EXPORT(atoi)

long ccbox_libc_atol(const char* nptr) {
    return ccbox_libc_strtol(nptr, NULL, 10);
}
CCBOX_LIBC_EXPORT(atol)

long long ccbox_libc_atoll(const char* nptr) {
    return ccbox_libc_strtoll(nptr, NULL, 10);
}
CCBOX_LIBC_EXPORT(atoll)

/* ---- integer arithmetic ---------------------------------------------------------------- */

int ccbox_libc_abs(int j) { return j < 0 ? -j : j; }
CCBOX_LIBC_EXPORT(abs)

long ccbox_libc_labs(long j) { return j < 0 ? -j : j; }
CCBOX_LIBC_EXPORT(labs)

long long ccbox_libc_llabs(long long j) { return j < 0 ? -j : j; }
CCBOX_LIBC_EXPORT(llabs)

intmax_t ccbox_libc_imaxabs(intmax_t j) { return j < 0 ? -j : j; }
CCBOX_LIBC_EXPORT(imaxabs)

div_t ccbox_libc_div(int numer, int denom) {
    div_t r;
    r.quot = numer / denom;
    r.rem = numer % denom;
    return r;
}
CCBOX_LIBC_EXPORT(div)

ldiv_t ccbox_libc_ldiv(long numer, long denom) {
    ldiv_t r;
    r.quot = numer / denom;
    r.rem = numer % denom;
    return r;
}
CCBOX_LIBC_EXPORT(ldiv)

lldiv_t ccbox_libc_lldiv(long long numer, long long denom) {
    lldiv_t r;
    r.quot = numer / denom;
    r.rem = numer % denom;
    return r;
}
CCBOX_LIBC_EXPORT(lldiv)

imaxdiv_t ccbox_libc_imaxdiv(intmax_t numer, intmax_t denom) {
    imaxdiv_t r;
    r.quot = numer / denom;
    r.rem = numer % denom;
    return r;
}
CCBOX_LIBC_EXPORT(imaxdiv)

/* ---- qsort ----------------------------------------------------------------------------- */

typedef int (*sort_cmp_r)(const void*, const void*, void*);
typedef uint64_t sort_u64 __attribute__((may_alias, aligned(1)));
typedef uint32_t sort_u32 __attribute__((may_alias, aligned(1)));

struct sort_ctx {
    size_t size;
    sort_cmp_r cmp;
    void* arg;
};

/* Exchanges two distinct elements of ctx->size bytes. */
static inline void sort_swap(const struct sort_ctx* ctx, char* a, char* b) {
    size_t n = ctx->size;
    if (n == 8) {
        uint64_t t = *(sort_u64*)a;
        *(sort_u64*)a = *(sort_u64*)b;
        *(sort_u64*)b = t;
        return;
    }
    if (n == 4) {
        uint32_t t = *(sort_u32*)a;
        *(sort_u32*)a = *(sort_u32*)b;
        *(sort_u32*)b = t;
        return;
    }
    while (n >= 8) {
        uint64_t t = *(sort_u64*)a;
        *(sort_u64*)a = *(sort_u64*)b;
        *(sort_u64*)b = t;
        a += 8;
        b += 8;
        n -= 8;
    }
    while (n > 0) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
        n--;
    }
}

static inline int sort_cmp(const struct sort_ctx* ctx, const char* a, const char* b) {
    return ctx->cmp(a, b, ctx->arg);
}

/* Small ranges: straight insertion by adjacent exchanges (no element-sized temporary). */
static void sort_insertion(const struct sort_ctx* ctx, char* base, size_t n) {
    const size_t size = ctx->size;
    for (size_t i = 1; i < n; i++) {
        char* p = base + i * size;
        while (p > base && sort_cmp(ctx, p - size, p) > 0) {
            sort_swap(ctx, p - size, p);
            p -= size;
        }
    }
}

/* Restores the max-heap property below node i of the heap base[0..n). */
static void sort_sift_down(const struct sort_ctx* ctx, char* base, size_t i, size_t n) {
    const size_t size = ctx->size;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n) return;
        char* pc = base + child * size;
        if (child + 1 < n && sort_cmp(ctx, pc, pc + size) < 0) {
            child++;
            pc += size;
        }
        char* pi = base + i * size;
        if (sort_cmp(ctx, pi, pc) >= 0) return;
        sort_swap(ctx, pi, pc);
        i = child;
    }
}

static void sort_heap(const struct sort_ctx* ctx, char* base, size_t n) {
    const size_t size = ctx->size;
    for (size_t i = n / 2; i > 0; i--) sort_sift_down(ctx, base, i - 1, n);
    for (size_t end = n - 1; end > 0; end--) {
        sort_swap(ctx, base, base + end * size);
        sort_sift_down(ctx, base, 0, end);
    }
}

/* The median of three elements by the comparator. */
static char* sort_median3(const struct sort_ctx* ctx, char* a, char* b, char* c) {
    if (sort_cmp(ctx, a, b) < 0) {
        if (sort_cmp(ctx, b, c) < 0) return b;
        return sort_cmp(ctx, a, c) < 0 ? c : a;
    }
    if (sort_cmp(ctx, a, c) < 0) return a;
    return sort_cmp(ctx, b, c) < 0 ? c : b;
}

/* Picks a pivot (median of 3, or Tukey's ninther for big ranges), moves it to the front,
 * partitions the rest around it (elements equal to the pivot may go either side, which
 * keeps runs of equal keys balanced) and puts it in its final place. Returns that index;
 * base[0..p) compare <= pivot and base(p..n) >= pivot. */
static size_t sort_partition(const struct sort_ctx* ctx, char* base, size_t n) {
    const size_t size = ctx->size;
    char* lo = base;
    char* mid = base + (n / 2) * size;
    char* hi = base + (n - 1) * size;
    char* pivot;
    if (n >= 128) {
        size_t s = n / 8;
        char* m1 = sort_median3(ctx, lo, lo + s * size, lo + 2 * s * size);
        char* m2 = sort_median3(ctx, mid - s * size, mid, mid + s * size);
        char* m3 = sort_median3(ctx, hi - 2 * s * size, hi - s * size, hi);
        pivot = sort_median3(ctx, m1, m2, m3);
    } else {
        pivot = sort_median3(ctx, lo, mid, hi);
    }
    if (pivot != base) sort_swap(ctx, base, pivot);
    pivot = base;

    size_t i = 0;
    size_t j = n;
    for (;;) {
        do {
            i++;
        } while (i < n && sort_cmp(ctx, base + i * size, pivot) < 0);
        do {
            j--;
        } while (j > 0 && sort_cmp(ctx, base + j * size, pivot) > 0);
        if (i >= j) break;
        sort_swap(ctx, base + i * size, base + j * size);
    }
    if (j != 0) sort_swap(ctx, base, base + j * size);
    return j;
}

#define SORT_INSERTION_MAX 12

static void sort_intro(char* base, size_t n, const struct sort_ctx* ctx) {
    if (n < 2 || ctx->size == 0) return;
    /* Pending ranges. The larger part of every split is pushed and the smaller one is
     * sorted next, so each pushed range is at least twice the size of the one pushed
     * after it: 64 entries are more than any address space can need. */
    struct {
        char* base;
        size_t n;
        unsigned depth;
    } stack[64];
    unsigned top = 0;
    unsigned depth = 0;
    for (size_t m = n; m > 1; m >>= 1) depth += 2;

    for (;;) {
        while (n > SORT_INSERTION_MAX) {
            if (depth == 0) {
                sort_heap(ctx, base, n);
                n = 0;
                break;
            }
            depth--;
            size_t p = sort_partition(ctx, base, n);
            char* right = base + (p + 1) * ctx->size;
            size_t nleft = p;
            size_t nright = n - p - 1;
            if (nleft < nright) {
                stack[top].base = right;
                stack[top].n = nright;
                stack[top].depth = depth;
                top++;
                n = nleft;
            } else {
                stack[top].base = base;
                stack[top].n = nleft;
                stack[top].depth = depth;
                top++;
                base = right;
                n = nright;
            }
        }
        if (n > 1) sort_insertion(ctx, base, n);
        if (top == 0) return;
        top--;
        base = stack[top].base;
        n = stack[top].n;
        depth = stack[top].depth;
    }
}

void ccbox_libc_qsort_r(void* base, size_t nmemb, size_t size,
                        int (*compar)(const void*, const void*, void*), void* arg) {
    struct sort_ctx ctx = {size, compar, arg};
    sort_intro((char*)base, nmemb, &ctx);
}
CCBOX_LIBC_EXPORT(qsort_r)

struct sort_plain_cmp {
    int (*compar)(const void*, const void*);
};

static int sort_call_plain(const void* a, const void* b, void* arg) {
    return ((const struct sort_plain_cmp*)arg)->compar(a, b);
}

void ccbox_libc_qsort(void* base, size_t nmemb, size_t size,
                      int (*compar)(const void*, const void*)) {
    struct sort_plain_cmp plain = {compar};
    struct sort_ctx ctx = {size, sort_call_plain, &plain};
    sort_intro((char*)base, nmemb, &ctx);
}
CCBOX_LIBC_EXPORT(qsort)

void* ccbox_libc_bsearch(const void* key, const void* base, size_t nmemb, size_t size,
                         int (*compar)(const void*, const void*)) {
    const char* lo = (const char*)base;
    while (nmemb > 0) {
        const char* mid = lo + (nmemb / 2) * size;
        int c = compar(key, mid);
        if (c == 0) return (void*)mid;
        if (c > 0) {
            lo = mid + size;
            nmemb -= nmemb / 2 + 1;
        } else {
            nmemb /= 2;
        }
    }
    return NULL;
}
CCBOX_LIBC_EXPORT(bsearch)
