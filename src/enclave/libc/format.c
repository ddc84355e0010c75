/* printf formatting engine of the enclave libc.
 * Trust domain: enclave (libc). Implements glibc's printf conversions for the "C" locale
 * without system calls or allocation: text goes to a caller-supplied sink. Floating point
 * output is exact: the binary value is converted with this file's own big-integer
 * arithmetic and rounded to nearest-even on the exact decimal value, as glibc does under
 * the default rounding mode. Worst-case stack use is a few KiB (see DIGIT_CACHE and
 * BIG_LIMBS below): enclave stacks can be small.
 *
 * Argument handling mirrors glibc: specifications are processed in order with va_arg
 * until one uses "%N$"/"*N$" or is unknown; from then on every specification is processed
 * the "positional" way (glibc's printf_positional): all arguments are numbered, those of
 * specifications without N$ sequentially from the first, and each value is fetched by
 * walking a copy of the original va_list using the types the whole format assigns. */
#include "format.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

__extension__ typedef unsigned __int128 fmt_u128;

/* ------------------------------------------------------------------------------------ */
/* Output                                                                               */
/* ------------------------------------------------------------------------------------ */

typedef struct {
    ccbox_libc_sink_fn sink;
    void* ctx;
    size_t count; /* characters of the full output so far, <= INT_MAX */
    int full;     /* the sink refused bytes: count only from now on */
    const char* fmt; /* the whole format, for the fortify check of %n */
    int fortify;     /* _FORTIFY_SOURCE flag > 0: %n only in a read-only format */
} fmt_out;

static int out_raw(fmt_out* o, const char* s, size_t n) {
    if (n == 0) return 0;
    if (n > (size_t)INT_MAX - o->count) {
        errno = EOVERFLOW;
        return -1;
    }
    o->count += n;
    if (!o->full && o->sink(o->ctx, s, n) < n) o->full = 1;
    return 0;
}

static int out_fill(fmt_out* o, char c, size_t n) {
    char buf[64];
    if (n == 0) return 0;
    if (n > (size_t)INT_MAX - o->count) {
        errno = EOVERFLOW;
        return -1;
    }
    if (o->full) {
        o->count += n;
        return 0;
    }
    memset(buf, c, n < sizeof buf ? n : sizeof buf);
    while (n > 0) {
        size_t k = n < sizeof buf ? n : sizeof buf;
        if (out_raw(o, buf, k) < 0) return -1;
        n -= k;
        if (o->full) {
            o->count += n;
            return 0;
        }
    }
    return 0;
}

/* Small staging buffer so that digits are not handed to the sink one at a time. */
typedef struct {
    fmt_out* o;
    size_t n;
    char b[128];
} fmt_stage;

static int stage_flush(fmt_stage* st) {
    int r = out_raw(st->o, st->b, st->n);
    st->n = 0;
    return r;
}

static int stage_char(fmt_stage* st, char c) {
    if (st->n == sizeof st->b && stage_flush(st) < 0) return -1;
    st->b[st->n++] = c;
    return 0;
}

static int stage_fill(fmt_stage* st, char c, size_t n) {
    if (n <= sizeof st->b - st->n) {
        memset(st->b + st->n, c, n);
        st->n += n;
        return 0;
    }
    if (stage_flush(st) < 0) return -1;
    return out_fill(st->o, c, n);
}

static int stage_str(fmt_stage* st, const char* s, size_t n) {
    if (n <= sizeof st->b - st->n) {
        memcpy(st->b + st->n, s, n);
        st->n += n;
        return 0;
    }
    if (stage_flush(st) < 0) return -1;
    return out_raw(st->o, s, n);
}

/* ------------------------------------------------------------------------------------ */
/* Conversion specifications                                                            */
/* ------------------------------------------------------------------------------------ */

enum {
    FL_LEFT = 1,
    FL_PLUS = 2,
    FL_SPACE = 4,
    FL_ALT = 8,
    FL_ZERO = 16,
    FL_GROUP = 32,
    FL_I18N = 64,
};

typedef struct {
    unsigned flags;
    int width;     /* literal width (0 if none) */
    int prec;      /* literal precision, -1 if none */
    int width_arg; /* positional index of a '*' width argument, -1 if none */
    int prec_arg;  /* positional index of a '*' precision argument, -1 if none */
    int data_arg;  /* positional index of the data argument, -1 if none */
    int width_star, prec_star;
    unsigned char is_long, is_long_double, is_short, is_char;
    unsigned char conv;    /* conversion character, 0 if the format ended first */
    const char* end;       /* first character after the specification */
    int overflow;          /* sequential mode: a width/precision literal overflowed */
    int needs_positional;  /* sequential mode: the spec requires positional processing */
} fmt_spec;

/* Argument classes, by how va_arg fetches them on x86-64. */
enum { AC_NONE = -1, AC_INT = 0, AC_LONG = 1, AC_DOUBLE = 2, AC_LDOUBLE = 3 };

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Reads a decimal number; returns -1 (after consuming all digits) if it exceeds INT_MAX. */
static int read_num(const unsigned char** pp) {
    const unsigned char* p = *pp;
    long v = 0;
    int ovf = 0;
    while (is_digit(*p)) {
        if (!ovf) {
            v = v * 10 + (*p - '0');
            if (v > INT_MAX) ovf = 1;
        }
        ++p;
    }
    *pp = p;
    return ovf ? -1 : (int)v;
}

static int is_known_conv(unsigned char c) {
    switch (c) {
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'b': case 'B':
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
    case 'c': case 'C': case 's': case 'S': case 'p': case 'n': case 'm': case '%':
        return 1;
    default:
        return 0;
    }
}

/* Parses the specification starting at P (which points at '%').
 * positional == 0: glibc's sequential ("fast") grammar; sets needs_positional when the
 *   spec contains N$ or an unknown conversion, and overflow for an oversized literal.
 * positional == 1: glibc's printf_positional grammar; *posn is the running count of
 *   sequentially numbered arguments, *max_ref the highest N$ seen; returns through the
 *   spec the argument indices. */
static void parse_spec(const char* fmt_at, int positional, int* posn, int* max_ref,
                       fmt_spec* s) {
    const unsigned char* p = (const unsigned char*)fmt_at + 1;
    memset(s, 0, sizeof *s);
    s->prec = -1;
    s->width_arg = s->prec_arg = s->data_arg = -1;

    if (positional && is_digit(*p)) {
        const unsigned char* begin = p;
        int n = read_num(&p);
        if (n != 0 && *p == '$') {
            ++p;
            if (n != -1) {
                s->data_arg = n - 1;
                if (n > *max_ref) *max_ref = n;
            }
        } else {
            p = begin;
        }
    }

    for (;; ++p) {
        switch (*p) {
        case ' ': s->flags |= FL_SPACE; continue;
        case '+': s->flags |= FL_PLUS; continue;
        case '-': s->flags |= FL_LEFT; continue;
        case '#': s->flags |= FL_ALT; continue;
        case '0': s->flags |= FL_ZERO; continue;
        case '\'': s->flags |= FL_GROUP; continue;
        case 'I': s->flags |= FL_I18N; continue;
        default: break;
        }
        break;
    }

    if (*p == '*') {
        const unsigned char* begin = ++p;
        s->width_star = 1;
        if (is_digit(*p)) {
            int n = read_num(&p);
            if (!positional && n == -1) s->overflow = 1;
            if (n != 0 && *p == '$') {
                if (positional) {
                    if (n != -1) {
                        s->width_arg = n - 1;
                        if (n > *max_ref) *max_ref = n;
                    }
                    ++p;
                } else {
                    s->needs_positional = 1;
                }
            } else {
                p = begin;
            }
        }
        if (positional && s->width_arg < 0) {
            s->width_arg = (*posn)++;
            p = begin;
        }
        if (!positional) p = begin;
    } else if (is_digit(*p)) {
        int n = read_num(&p);
        if (n == -1) {
            if (!positional) s->overflow = 1;
        } else {
            s->width = n;
        }
        if (!positional && *p == '$') s->needs_positional = 1;
    }

    if (*p == '.') {
        ++p;
        if (*p == '*') {
            const unsigned char* begin = ++p;
            s->prec_star = 1;
            if (is_digit(*p)) {
                int n = read_num(&p);
                if (!positional && n == -1) s->overflow = 1;
                if (n != 0 && *p == '$') {
                    if (positional) {
                        if (n != -1) {
                            s->prec_arg = n - 1;
                            if (n > *max_ref) *max_ref = n;
                        }
                        ++p;
                    } else {
                        s->needs_positional = 1;
                    }
                } else {
                    p = begin;
                }
            }
            if (positional && s->prec_arg < 0) {
                s->prec_arg = (*posn)++;
                p = begin;
            }
            if (!positional) p = begin;
        } else if (is_digit(*p)) {
            int n = read_num(&p);
            if (n == -1) {
                if (!positional) s->overflow = 1;
            } else {
                s->prec = n;
            }
        } else {
            s->prec = 0;
        }
    }

    switch (*p) {
    case 'h':
        ++p;
        if (*p == 'h') {
            ++p;
            s->is_char = 1;
        } else {
            s->is_short = 1;
        }
        break;
    case 'l':
        ++p;
        s->is_long = 1;
        if (*p == 'l') {
            ++p;
            s->is_long_double = 1;
        }
        break;
    case 'L':
    case 'q':
        ++p;
        s->is_long_double = 1;
        /* The sequential path treats L and q like ll; printf_positional does not. */
        if (!positional) s->is_long = 1;
        break;
    case 'z':
    case 'Z':
    case 't':
    case 'j':
        ++p;
        s->is_long = 1;
        break;
    default:
        break;
    }

    s->conv = *p;
    if (*p != '\0') {
        ++p;
        if (!positional && !is_known_conv(s->conv)) s->needs_positional = 1;
    }
    s->end = (const char*)p;

    if (positional && s->data_arg < 0 && is_known_conv(s->conv) && s->conv != '%' &&
        s->conv != 'm') {
        s->data_arg = (*posn)++;
    }
}

/* The class of the data argument of a spec under printf_positional's typing. */
static int spec_arg_class(const fmt_spec* s) {
    switch (s->conv) {
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'b': case 'B':
        return s->is_long ? AC_LONG : AC_INT;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
        return s->is_long_double ? AC_LDOUBLE : AC_DOUBLE;
    case 'c': case 'C':
        return AC_INT;
    case 's': case 'S': case 'p': case 'n':
        return AC_LONG;
    default:
        return AC_NONE;
    }
}

/* ------------------------------------------------------------------------------------ */
/* Argument source                                                                      */
/* ------------------------------------------------------------------------------------ */

#define TYPE_CACHE 64

typedef union {
    int i;
    long l;
    double d;
    long double ld;
    void* p;
} fmt_arg;

typedef struct {
    int positional;
    va_list* seq;          /* sequential mode */
    va_list* start;        /* positional mode: the untouched argument list */
    va_list cur;           /* positional mode: walking copy */
    int cur_valid, cur_idx;
    const char* first_spec;
    int ntypes;
    signed char types[TYPE_CACHE];
} fmt_args;

/* Class of positional argument IDX: the last spec (in order) that uses it decides. */
static int arg_class_scan(const char* first_spec, int idx) {
    int posn = 0, max_ref = 0, cls = AC_INT;
    const char* f = first_spec;
    while (*f != '\0') {
        fmt_spec s;
        parse_spec(f, 1, &posn, &max_ref, &s);
        if (s.width_arg == idx) cls = AC_INT;
        if (s.prec_arg == idx) cls = AC_INT;
        if (s.data_arg == idx) {
            int c = spec_arg_class(&s);
            if (c != AC_NONE) cls = c;
        }
        if (s.conv == '\0') break;
        f = s.end;
        while (*f != '\0' && *f != '%') ++f;
    }
    return cls;
}

static int arg_class(const fmt_args* a, int idx) {
    if (idx < a->ntypes) return a->types[idx];
    return arg_class_scan(a->first_spec, idx);
}

static void positional_init(fmt_args* a, va_list* start, const char* first_spec) {
    int posn = 0, max_ref = 0;
    const char* f = first_spec;
    a->positional = 1;
    a->start = start;
    a->cur_valid = 0;
    a->cur_idx = 0;
    a->first_spec = first_spec;
    memset(a->types, AC_INT, sizeof a->types);
    a->ntypes = TYPE_CACHE;
    while (*f != '\0') {
        fmt_spec s;
        parse_spec(f, 1, &posn, &max_ref, &s);
        if (s.width_arg >= 0 && s.width_arg < TYPE_CACHE) a->types[s.width_arg] = AC_INT;
        if (s.prec_arg >= 0 && s.prec_arg < TYPE_CACHE) a->types[s.prec_arg] = AC_INT;
        if (s.data_arg >= 0 && s.data_arg < TYPE_CACHE) {
            int c = spec_arg_class(&s);
            if (c != AC_NONE) a->types[s.data_arg] = (signed char)c;
        }
        if (s.conv == '\0') break;
        f = s.end;
        while (*f != '\0' && *f != '%') ++f;
    }
}

static void va_fetch(va_list* ap, int cls, fmt_arg* v) {
    switch (cls) {
    case AC_LONG: v->l = va_arg(*ap, long); break;
    case AC_DOUBLE: v->d = va_arg(*ap, double); break;
    case AC_LDOUBLE: v->ld = va_arg(*ap, long double); break;
    default: v->i = va_arg(*ap, int); break;
    }
}

/* Fetches argument IDX (positional mode) or the next argument as class CLS (sequential). */
static void fetch_arg(fmt_args* a, int idx, int cls, fmt_arg* v) {
    memset(v, 0, sizeof *v);
    if (!a->positional) {
        va_fetch(a->seq, cls, v);
        return;
    }
    if (idx < 0) idx = 0;
    if (a->cur_valid && idx < a->cur_idx) {
        va_end(a->cur);
        a->cur_valid = 0;
    }
    if (!a->cur_valid) {
        va_copy(a->cur, *a->start);
        a->cur_valid = 1;
        a->cur_idx = 0;
    }
    while (a->cur_idx < idx) {
        fmt_arg skip;
        va_fetch(&a->cur, arg_class(a, a->cur_idx), &skip);
        a->cur_idx++;
    }
    va_fetch(&a->cur, arg_class(a, idx), v);
    a->cur_idx++;
}

/* ------------------------------------------------------------------------------------ */
/* Padding helpers                                                                      */
/* ------------------------------------------------------------------------------------ */

static size_t pad_len(const fmt_spec* s, size_t len) {
    return (size_t)s->width > len ? (size_t)s->width - len : 0;
}

/* Emits a string body with space padding. */
static int emit_padded(fmt_out* o, const fmt_spec* s, const char* str, size_t len) {
    size_t pad = pad_len(s, len);
    if (!(s->flags & FL_LEFT) && out_fill(o, ' ', pad) < 0) return -1;
    if (out_raw(o, str, len) < 0) return -1;
    if ((s->flags & FL_LEFT) && out_fill(o, ' ', pad) < 0) return -1;
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Integers                                                                             */
/* ------------------------------------------------------------------------------------ */

static int fmt_integer(fmt_out* o, const fmt_spec* s, uint64_t mag, int neg, int is_signed,
                       int base, int upper, int alt_prefix) {
    char digits[72];
    const char* xd = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t nd = 0, pos = sizeof digits;
    char sign = 0, prefix[2];
    size_t nprefix = 0, pz = 0, zpad = 0, total, pad;
    long prec = s->prec;

    while (mag != 0) {
        digits[--pos] = xd[mag % (unsigned)base];
        mag /= (unsigned)base;
        nd++;
    }
    if (nd == 0 && prec != 0) {
        digits[--pos] = '0';
        nd = 1;
    }
    if (is_signed) {
        if (neg)
            sign = '-';
        else if (s->flags & FL_PLUS)
            sign = '+';
        else if (s->flags & FL_SPACE)
            sign = ' ';
    }
    if (alt_prefix) {
        prefix[0] = '0';
        prefix[1] = (char)(base == 16 ? (upper ? 'X' : 'x') : (upper ? 'B' : 'b'));
        nprefix = 2;
    }
    if (base == 8 && (s->flags & FL_ALT)) {
        /* The first digit must be a zero. */
        if (nd == 0 || digits[pos] != '0') {
            if (prec < (long)nd + 1) prec = (long)nd + 1;
        }
    }
    if (prec > (long)nd) pz = (size_t)(prec - (long)nd);
    total = (sign ? 1 : 0) + nprefix + pz + nd;
    if (total > (size_t)INT_MAX) {
        errno = EOVERFLOW;
        return -1;
    }
    pad = pad_len(s, total);
    if ((s->flags & FL_ZERO) && !(s->flags & FL_LEFT) && s->prec < 0) {
        zpad = pad;
        pad = 0;
    }
    if (!(s->flags & FL_LEFT) && out_fill(o, ' ', pad) < 0) return -1;
    if (sign && out_raw(o, &sign, 1) < 0) return -1;
    if (out_raw(o, prefix, nprefix) < 0) return -1;
    if (out_fill(o, '0', zpad + pz) < 0) return -1;
    if (out_raw(o, digits + pos, nd) < 0) return -1;
    if ((s->flags & FL_LEFT) && out_fill(o, ' ', pad) < 0) return -1;
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Exact big-integer arithmetic for floating-point conversion                            */
/* ------------------------------------------------------------------------------------ */

/* Largest numbers held: about 11540 bits (a long double scaled so that 9 decimal digits
 * remain above the binary point), plus one limb of headroom for a multiplication. */
#define BIG_LIMBS 368

typedef struct {
    int n; /* limbs in use; w[n..] are not meaningful */
    uint32_t w[BIG_LIMBS];
} fbig;

static void big_trim(fbig* a) {
    while (a->n > 0 && a->w[a->n - 1] == 0) a->n--;
}

static void big_set_u64(fbig* a, uint64_t v) {
    a->w[0] = (uint32_t)v;
    a->w[1] = (uint32_t)(v >> 32);
    a->n = 2;
    big_trim(a);
}

static void big_mul_u64(fbig* a, uint64_t f) {
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        fmt_u128 t = (fmt_u128)a->w[i] * f + carry;
        a->w[i] = (uint32_t)t;
        carry = (uint64_t)(t >> 32);
    }
    while (carry != 0) {
        a->w[a->n++] = (uint32_t)carry;
        carry >>= 32;
    }
}

/* a *= f, two limbs at a time (the inner loop of the powers of five). */
static void big_mul_u64_pairs(fbig* a, uint64_t f) {
    uint64_t carry = 0;
    if (a->n & 1) a->w[a->n++] = 0;
    for (int i = 0; i < a->n; i += 2) {
        uint64_t x = (uint64_t)a->w[i] | ((uint64_t)a->w[i + 1] << 32);
        fmt_u128 t = (fmt_u128)x * f + carry;
        a->w[i] = (uint32_t)t;
        a->w[i + 1] = (uint32_t)((uint64_t)t >> 32);
        carry = (uint64_t)(t >> 64);
    }
    while (carry != 0) {
        a->w[a->n++] = (uint32_t)carry;
        carry >>= 32;
    }
    big_trim(a);
}

static void big_mul_pow5(fbig* a, int p) {
    static const uint64_t pow5_27 = 7450580596923828125ULL;
    while (p >= 27) {
        big_mul_u64_pairs(a, pow5_27);
        p -= 27;
    }
    if (p > 0) {
        uint64_t f = 1;
        while (p-- > 0) f *= 5;
        big_mul_u64(a, f);
    }
}

static void big_shl(fbig* a, int bits) {
    int limbs = bits / 32, b = bits % 32;
    if (a->n == 0) return;
    if (b != 0) {
        uint32_t carry = 0;
        for (int i = 0; i < a->n; i++) {
            uint32_t w = a->w[i];
            a->w[i] = (w << b) | carry;
            carry = w >> (32 - b);
        }
        if (carry != 0) a->w[a->n++] = carry;
    }
    if (limbs > 0) {
        for (int i = a->n - 1; i >= 0; i--) a->w[i + limbs] = a->w[i];
        for (int i = 0; i < limbs; i++) a->w[i] = 0;
        a->n += limbs;
    }
}

static int big_bitlen(const fbig* a) {
    if (a->n == 0) return 0;
    return (a->n - 1) * 32 + (32 - __builtin_clz(a->w[a->n - 1]));
}

/* Bits [off, off + 64) of A. */
static uint64_t big_bits64(const fbig* a, int off) {
    int li = off / 32, b = off % 32;
    fmt_u128 v = 0;
    for (int k = 2; k >= 0; k--) {
        v <<= 32;
        if (li + k < a->n) v |= a->w[li + k];
    }
    return (uint64_t)(v >> b);
}

static int big_cmp(const fbig* a, const fbig* b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--) {
        if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
    }
    return 0;
}

/* a -= b; requires a >= b. */
static void big_sub(fbig* a, const fbig* b) {
    int64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int64_t t = (int64_t)a->w[i] - (i < b->n ? (int64_t)b->w[i] : 0) - borrow;
        a->w[i] = (uint32_t)t;
        borrow = t < 0;
    }
    big_trim(a);
}

/* a -= q * b; requires a >= q * b. */
static void big_submul(fbig* a, const fbig* b, uint32_t q) {
    uint64_t carry = 0;
    int64_t borrow = 0;
    while (a->n < b->n) a->w[a->n++] = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t p = (i < b->n ? (uint64_t)q * b->w[i] : 0) + carry;
        int64_t t;
        carry = p >> 32;
        t = (int64_t)a->w[i] - (int64_t)(uint32_t)p - borrow;
        a->w[i] = (uint32_t)t;
        borrow = t < 0;
    }
    big_trim(a);
}

/* ------------------------------------------------------------------------------------ */
/* Decimal digit generator: x = m * 2^e is scaled as x / 10^s = r / d with             */
/* 1 <= r / d < 10^9; then chunks of 9 digits come out of r * 10^9 / d.                */
/* ------------------------------------------------------------------------------------ */

typedef struct {
    fbig r, d;
    int pow2;  /* d == 2^j (no d stored) */
    int j;
    int dbits; /* bit length of d */
    uint64_t m, mhi; /* value m + mhi * 2^64, times 2^e */
    int e;
    int E;     /* decimal exponent of the leading digit */
    int nq0;   /* digits in chunk 0 */
    uint32_t q0;
    int next;  /* index of the next chunk to produce */
} digen;

static int bitlen64(uint64_t v) { return v == 0 ? 0 : 64 - __builtin_clzll(v); }

static uint32_t take_top(fbig* r, int j) {
    /* q = r >> j (< 2^32), r &= 2^j - 1 */
    uint32_t q = (uint32_t)big_bits64(r, j);
    int li = j / 32, b = j % 32;
    if (li < r->n) {
        r->w[li] &= b == 0 ? 0 : (uint32_t)((1ULL << b) - 1);
        r->n = li + 1;
        big_trim(r);
    }
    return q;
}

static uint32_t div_step(digen* g) {
    int sh = g->dbits - 32;
    uint32_t q;
    if (sh <= 0) {
        uint64_t rv = big_bits64(&g->r, 0), dv = g->d.w[0];
        q = (uint32_t)(rv / dv);
        big_set_u64(&g->r, rv % dv);
        return q;
    }
    q = (uint32_t)(big_bits64(&g->r, sh) / (big_bits64(&g->d, sh) + 1));
    big_submul(&g->r, &g->d, q);
    while (big_cmp(&g->r, &g->d) >= 0) {
        big_sub(&g->r, &g->d);
        q++;
    }
    return q;
}

static void big_set_u128(fbig* a, uint64_t hi, uint64_t lo) {
    a->w[0] = (uint32_t)lo;
    a->w[1] = (uint32_t)(lo >> 32);
    a->w[2] = (uint32_t)hi;
    a->w[3] = (uint32_t)(hi >> 32);
    a->n = 4;
    big_trim(a);
}

static void digen_init(digen* g, uint64_t mhi, uint64_t m, int e) {
    int b = (mhi != 0 ? 64 + bitlen64(mhi) : bitlen64(m)) + e;
    long t = (long)(b - 1) * 1292913986L; /* (b - 1) * log10(2) * 2^32 */
    long fl = t >= 0 ? t >> 32 : -((-t + 0xffffffffL) >> 32);
    int s = (int)fl - 1 - 5;
    g->m = m;
    g->mhi = mhi;
    g->e = e;
    g->next = 1;
    if (s <= 0) {
        int z = -s, t2;
        g->pow2 = 1;
        big_set_u128(&g->r, mhi, m);
        big_mul_pow5(&g->r, z);
        t2 = e + z;
        if (t2 >= 0) {
            big_shl(&g->r, t2);
            g->j = 0;
        } else {
            g->j = -t2;
        }
        g->q0 = take_top(&g->r, g->j);
    } else {
        g->pow2 = 0;
        big_set_u128(&g->r, mhi, m);
        big_set_u64(&g->d, 1);
        big_mul_pow5(&g->d, s);
        if (e >= s)
            big_shl(&g->r, e - s);
        else
            big_shl(&g->d, s - e);
        g->dbits = big_bitlen(&g->d);
        g->q0 = div_step(g);
    }
    g->nq0 = 1;
    for (uint32_t v = g->q0; v >= 10; v /= 10) g->nq0++;
    g->E = s + g->nq0 - 1;
}

static uint32_t digen_next(digen* g) {
    g->next++;
    if (g->r.n == 0) return 0;
    if (g->pow2) {
        if (g->j >= 9) {
            big_mul_u64(&g->r, 1953125);
            g->j -= 9;
        } else {
            big_mul_u64(&g->r, 1000000000);
        }
        return take_top(&g->r, g->j);
    }
    big_mul_u64(&g->r, 1000000000);
    return div_step(g);
}

/* Digit stream over the generator with a cache so that the digits examined to decide the
 * rounding can be emitted without recomputation (recomputed only past the cache). */
#ifndef CCBOX_FORMAT_DIGIT_CACHE
#define CCBOX_FORMAT_DIGIT_CACHE 320 /* chunks of 9 digits */
#endif

typedef struct {
    digen g;
    int zero;         /* the value is zero: every digit is 0 */
    long end_digit;   /* digits from here on are all zero (LONG_MAX if unknown) */
    int ncache;
    uint32_t cache[CCBOX_FORMAT_DIGIT_CACHE];
    /* cursor */
    long cur_chunk;
    long cur_start;   /* digit index of cur_chunk's first digit */
    int cur_len;
    char cur_dig[9];
} dstream;

static long chunk_start(const dstream* ds, long c) {
    return c == 0 ? 0 : ds->g.nq0 + 9 * (c - 1);
}

static void ds_load(dstream* ds, long c) {
    uint32_t v;
    if (c < ds->ncache) {
        v = ds->cache[c];
    } else if (c == 0) {
        v = ds->g.q0;
    } else {
        if (c < ds->g.next) digen_init(&ds->g, ds->g.mhi, ds->g.m, ds->g.e);
        v = 0;
        while (ds->g.next <= c) v = digen_next(&ds->g);
    }
    if (c == ds->ncache && c < CCBOX_FORMAT_DIGIT_CACHE) ds->cache[ds->ncache++] = v;
    /* Exhausted generator right after producing chunk c: later digits are all zero. */
    if (ds->g.next == c + 1 && ds->g.r.n == 0 && ds->end_digit == LONG_MAX)
        ds->end_digit = chunk_start(ds, c + 1);
    ds->cur_chunk = c;
    ds->cur_start = chunk_start(ds, c);
    ds->cur_len = c == 0 ? ds->g.nq0 : 9;
    for (int k = ds->cur_len - 1; k >= 0; k--) {
        ds->cur_dig[k] = (char)(v % 10);
        v /= 10;
    }
}

/* Raw digit I of the exact decimal expansion (0 = leading digit). */
static int ds_digit(dstream* ds, long i) {
    long c;
    if (ds->zero || i >= ds->end_digit) return 0;
    if (ds->cur_chunk >= 0 && i >= ds->cur_start && i < ds->cur_start + ds->cur_len)
        return ds->cur_dig[i - ds->cur_start];
    c = i < ds->g.nq0 ? 0 : 1 + (i - ds->g.nq0) / 9;
    ds_load(ds, c);
    if (i >= ds->end_digit) return 0;
    return ds->cur_dig[i - ds->cur_start];
}

/* Whether any digit after I is non-zero; digit I must have just been read. */
static int ds_sticky_after(dstream* ds, long i) {
    if (ds->zero || i >= ds->end_digit) return 0;
    for (long k = i + 1; k < ds->cur_start + ds->cur_len; k++) {
        if (ds->cur_dig[k - ds->cur_start] != 0) return 1;
    }
    /* The generator is positioned right after the cursor's chunk (first pass). */
    return ds->g.r.n != 0;
}

/* The rounded digit sequence: n digits starting at decimal exponent E (before carry). */
typedef struct {
    dstream* ds;
    long n;         /* digits kept (may be <= 0) */
    int round_up;
    int carry;      /* all kept digits were 9 and rounding carried out: value is 10^(E+1) */
    long last_non9; /* index of the last kept digit that is not 9 */
    long last_nz;   /* index of the last non-zero kept digit of the rounded value */
} rounded;

/* First pass: examine digits 0..n and decide the rounding (to nearest, ties to even). */
static void round_digits(dstream* ds, long n, rounded* rd) {
    long last_non9 = -1, last_nz = -1;
    int rdig = 0, sticky = 0, prev = 0;
    rd->ds = ds;
    rd->n = n;
    for (long i = 0; i < n; i++) {
        int d;
        if (ds->zero || i >= ds->end_digit) {
            last_non9 = n - 1;
            break;
        }
        d = ds_digit(ds, i);
        if (d != 9) last_non9 = i;
        if (d != 0) last_nz = i;
        prev = d;
    }
    if (n >= 0) {
        rdig = ds_digit(ds, n);
        sticky = ds_sticky_after(ds, n);
        if (n > 0 && (ds->zero || n - 1 >= ds->end_digit)) prev = 0;
    }
    rd->round_up = rdig > 5 || (rdig == 5 && (sticky || (prev & 1)));
    rd->carry = rd->round_up && last_non9 < 0;
    rd->last_non9 = last_non9;
    if (rd->carry)
        rd->last_nz = 0;
    else if (rd->round_up)
        rd->last_nz = last_non9;
    else
        rd->last_nz = last_nz;
}

/* Digit I of the rounded sequence (after a carry the sequence is 1 0 0 ...). */
static int rounded_digit(rounded* rd, long i) {
    if (rd->carry) return i == 0 ? 1 : 0;
    if (i < 0 || i >= rd->n) return 0;
    if (rd->round_up) {
        if (i > rd->last_non9) return 0;
        if (i == rd->last_non9) return ds_digit(rd->ds, i) + 1;
    }
    return ds_digit(rd->ds, i);
}

/* Emits COUNT digits of the rounded sequence starting at index FROM (which may be
 * negative: leading zeros). Runs of zeros past the expansion are emitted in bulk. */
static int emit_rounded(fmt_stage* st, rounded* rd, long from, long count) {
    while (count > 0) {
        long i = from;
        long zero_from; /* from this index on every rounded digit is 0 */
        if (rd->carry)
            zero_from = 1;
        else if (rd->round_up)
            zero_from = rd->last_non9 + 1;
        else if (rd->ds->zero)
            zero_from = 0;
        else
            zero_from = rd->n < rd->ds->end_digit ? rd->n : rd->ds->end_digit;
        if (i < 0 || i >= zero_from) {
            long z = i < 0 ? (-i < count ? -i : count) : count;
            if (stage_fill(st, '0', (size_t)z) < 0) return -1;
            from += z;
            count -= z;
            continue;
        }
        if (stage_char(st, (char)('0' + rounded_digit(rd, i))) < 0) return -1;
        from++;
        count--;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Floating point                                                                       */
/* ------------------------------------------------------------------------------------ */

enum { FK_ZERO, FK_FINITE, FK_INF, FK_NAN };

typedef struct {
    int kind;
    int neg;
    uint64_t m; /* value = m * 2^e */
    int e;
    /* hexadecimal form: lead . frac (fdigits hex digits) p hexp */
    unsigned lead;
    uint64_t frac;
    int fdigits;
    int hexp;
    int is_ld;
} fdecomp;

static void decomp_double(double x, fdecomp* v) {
    uint64_t bits;
    unsigned ex;
    uint64_t fr;
    memcpy(&bits, &x, sizeof bits);
    v->neg = (int)(bits >> 63);
    ex = (unsigned)(bits >> 52) & 0x7ff;
    fr = bits & ((1ULL << 52) - 1);
    v->is_ld = 0;
    v->fdigits = 13;
    v->frac = fr;
    if (ex == 0x7ff) {
        v->kind = fr ? FK_NAN : FK_INF;
        return;
    }
    if (ex == 0) {
        v->kind = fr ? FK_FINITE : FK_ZERO;
        v->m = fr;
        v->e = -1074;
        v->lead = 0;
        v->hexp = fr ? -1022 : 0;
    } else {
        v->kind = FK_FINITE;
        v->m = fr | (1ULL << 52);
        v->e = (int)ex - 1075;
        v->lead = 1;
        v->hexp = (int)ex - 1023;
    }
}

static void decomp_ldouble(long double x, fdecomp* v) {
    unsigned char raw[sizeof(long double)];
    uint64_t mant;
    uint16_t se;
    unsigned ex;
    memcpy(raw, &x, sizeof raw);
    memcpy(&mant, raw, 8);
    memcpy(&se, raw + 8, 2);
    v->neg = se >> 15;
    ex = se & 0x7fff;
    v->is_ld = 1;
    v->fdigits = 15;
    v->lead = (unsigned)(mant >> 60);
    v->frac = mant & ((1ULL << 60) - 1);
    if (ex == 0x7fff) {
        v->kind = (mant << 1) != 0 || (mant >> 63) == 0 ? FK_NAN : FK_INF;
        return;
    }
    /* Encodings the x87 no longer produces, printed as glibc 2.36 prints them (found by
     * fuzz_libc_printf): an unnormal (exponent not 0, integer bit clear), pseudo-infinity and
     * pseudo-NaN are "nan" in every conversion; a pseudo-denormal (exponent 0, integer bit set)
     * has its integer bit ignored by the decimal conversions unless nothing else is set. */
    if (ex != 0 && (mant >> 63) == 0) {
        v->kind = FK_NAN;
        return;
    }
    v->m = mant;
    if (ex == 0) {
        if ((mant >> 63) != 0 && (mant << 1) != 0) v->m = mant & ~(1ULL << 63);
        v->kind = mant ? FK_FINITE : FK_ZERO;
        v->e = -16445;
        v->hexp = mant ? -16385 : 0;
    } else {
        v->kind = mant ? FK_FINITE : FK_ZERO;
        v->e = (int)ex - 16383 - 63;
        v->hexp = (int)ex - 16383 - 3;
    }
}

static char sign_char(const fmt_spec* s, int neg) {
    if (neg) return '-';
    if (s->flags & FL_PLUS) return '+';
    if (s->flags & FL_SPACE) return ' ';
    return 0;
}

static int fmt_nonfinite(fmt_out* o, const fmt_spec* s, const fdecomp* v, int upper) {
    char buf[4];
    size_t n = 0;
    char sc = sign_char(s, v->neg);
    if (sc) buf[n++] = sc;
    memcpy(buf + n, v->kind == FK_INF ? (upper ? "INF" : "inf") : (upper ? "NAN" : "nan"), 3);
    n += 3;
    return emit_padded(o, s, buf, n);
}

/* Layout of a decimal float: [sign] body, where body is described by the fields below. */
static int fmt_decimal(fmt_out* o, const fmt_spec* s, const fdecomp* v, int conv, int upper) {
    dstream ds;
    rounded rd;
    long prec = s->prec < 0 ? 6 : s->prec;
    long n, X, fprec = 0, eprec = 0;
    int style; /* 'f' or 'e' */
    char sc = sign_char(s, v->neg);
    char expbuf[8];
    size_t nexp = 0, total, pad, zpad = 0;
    long intdigits;
    int point;
    fmt_stage st;

    ds.zero = v->kind == FK_ZERO;
    ds.end_digit = LONG_MAX;
    ds.ncache = 0;
    ds.cur_chunk = -1;
    ds.cur_start = 0;
    ds.cur_len = 0;
    if (ds.zero) {
        ds.g.E = 0;
        ds.g.nq0 = 1;
        ds.end_digit = 0;
    } else {
        digen_init(&ds.g, 0, v->m, v->e);
    }

    if (conv == 'f')
        n = ds.g.E + prec + 1;
    else if (conv == 'e')
        n = prec + 1;
    else
        n = prec == 0 ? 1 : prec;
    round_digits(&ds, n, &rd);
    X = ds.g.E + rd.carry;
    if (conv == 'f' && rd.carry) rd.n = n + 1; /* one more integer digit */

    if (conv == 'g') {
        long P = prec == 0 ? 1 : prec;
        if (ds.zero) X = 0;
        if (rd.carry && ds.g.E == P - 1) {
            /* glibc quirk: the unrounded value chose the %f style with no fraction
             * digits; rounding carried into one more digit and glibc switches to the %e
             * style keeping zero fraction digits ("%#g" of 999999.5 is "1.e+06"). */
            style = 'e';
            eprec = 0;
        } else if (P > X && X >= -4) {
            style = 'f';
            fprec = P - 1 - X;
            if (!(s->flags & FL_ALT)) {
                long keep = rd.last_nz - X;
                if (ds.zero) keep = 0;
                if (keep < 0) keep = 0;
                if (keep < fprec) fprec = keep;
            }
        } else {
            style = 'e';
            eprec = P - 1;
            if (!(s->flags & FL_ALT)) {
                long keep = rd.last_nz < 0 ? 0 : rd.last_nz;
                if (keep < eprec) eprec = keep;
            }
        }
    } else {
        style = conv;
        fprec = eprec = prec;
    }
    if (ds.zero) X = 0;

    if (style == 'f') {
        intdigits = X >= 0 ? X + 1 : 1;
        point = fprec > 0 || (s->flags & FL_ALT);
        total = (size_t)intdigits + (size_t)point + (size_t)fprec;
    } else {
        long ax = X < 0 ? -X : X;
        char tmp[8];
        size_t nt = 0;
        expbuf[nexp++] = upper ? 'E' : 'e';
        expbuf[nexp++] = X < 0 ? '-' : '+';
        do {
            tmp[nt++] = (char)('0' + ax % 10);
            ax /= 10;
        } while (ax != 0);
        if (nt < 2) tmp[nt++] = '0';
        while (nt > 0) expbuf[nexp++] = tmp[--nt];
        intdigits = 1;
        point = eprec > 0 || (s->flags & FL_ALT);
        total = 1 + (size_t)point + (size_t)eprec + nexp;
    }
    total += sc ? 1 : 0;
    if (total > (size_t)INT_MAX) {
        errno = EOVERFLOW;
        return -1;
    }
    pad = pad_len(s, total);
    if ((s->flags & FL_ZERO) && !(s->flags & FL_LEFT)) {
        zpad = pad;
        pad = 0;
    }
    st.o = o;
    st.n = 0;
    if (!(s->flags & FL_LEFT) && out_fill(o, ' ', pad) < 0) return -1;
    if (sc && stage_char(&st, sc) < 0) return -1;
    if (stage_fill(&st, '0', zpad) < 0) return -1;
    if (style == 'f') {
        if (X >= 0) {
            if (emit_rounded(&st, &rd, 0, X + 1) < 0) return -1;
        } else if (stage_char(&st, '0') < 0) {
            return -1;
        }
        if (point && stage_char(&st, '.') < 0) return -1;
        if (emit_rounded(&st, &rd, X + 1, fprec) < 0) return -1;
    } else {
        if (emit_rounded(&st, &rd, 0, 1) < 0) return -1;
        if (point && stage_char(&st, '.') < 0) return -1;
        if (emit_rounded(&st, &rd, 1, eprec) < 0) return -1;
        if (stage_str(&st, expbuf, nexp) < 0) return -1;
    }
    if (stage_flush(&st) < 0) return -1;
    if ((s->flags & FL_LEFT) && out_fill(o, ' ', pad) < 0) return -1;
    return 0;
}

static int fmt_hexfloat(fmt_out* o, const fmt_spec* s, const fdecomp* v, int upper) {
    const char* xd = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned lead = v->lead;
    uint64_t frac = v->frac;
    int F = v->fdigits, nd, hexp = v->hexp;
    long extra = 0;
    char body[64];
    size_t nb = 0, total, pad, zpad = 0;
    char sc = sign_char(s, v->neg);
    char prefix[3];
    char expbuf[12];
    size_t nexp = 0;

    if (v->kind == FK_ZERO) {
        lead = 0;
        frac = 0;
        hexp = 0;
    }
    if (s->prec < 0) {
        nd = F;
        while (nd > 0 && ((frac >> (4 * (F - nd))) & 0xf) == 0) nd--;
        frac >>= 4 * (F - nd);
    } else if (s->prec < F) {
        int drop = 4 * (F - s->prec);
        uint64_t rem = frac & ((1ULL << drop) - 1), half = 1ULL << (drop - 1);
        uint64_t keep = frac >> drop;
        int odd = s->prec == 0 ? (int)(lead & 1) : (int)(keep & 1);
        nd = s->prec;
        if (rem > half || (rem == half && odd)) {
            keep++;
            if (nd == 0 || (keep >> (4 * nd)) != 0) {
                keep = 0;
                lead++;
            }
        }
        frac = keep;
        if (lead > 15) { /* long double 0xf.f... rounded up */
            lead = 1;
            hexp += 4;
        }
    } else {
        nd = F;
        extra = s->prec - F;
    }

    prefix[0] = '0';
    prefix[1] = upper ? 'X' : 'x';
    body[nb++] = xd[lead];
    if (nd > 0 || extra > 0 || (s->flags & FL_ALT)) body[nb++] = '.';
    for (int k = nd - 1; k >= 0; k--) body[nb++] = xd[(frac >> (4 * k)) & 0xf];
    {
        long ax = hexp < 0 ? -(long)hexp : hexp;
        char tmp[8];
        size_t nt = 0;
        expbuf[nexp++] = upper ? 'P' : 'p';
        expbuf[nexp++] = hexp < 0 ? '-' : '+';
        do {
            tmp[nt++] = (char)('0' + ax % 10);
            ax /= 10;
        } while (ax != 0);
        while (nt > 0) expbuf[nexp++] = tmp[--nt];
    }
    total = (sc ? 1 : 0) + 2 + nb + (size_t)extra + nexp;
    if (total > (size_t)INT_MAX) {
        errno = EOVERFLOW;
        return -1;
    }
    pad = pad_len(s, total);
    if ((s->flags & FL_ZERO) && !(s->flags & FL_LEFT)) {
        zpad = pad;
        pad = 0;
    }
    if (!(s->flags & FL_LEFT) && out_fill(o, ' ', pad) < 0) return -1;
    if (sc && out_raw(o, &sc, 1) < 0) return -1;
    if (out_raw(o, prefix, 2) < 0) return -1;
    if (out_fill(o, '0', zpad) < 0) return -1;
    if (out_raw(o, body, nb) < 0) return -1;
    if (out_fill(o, '0', (size_t)extra) < 0) return -1;
    if (out_raw(o, expbuf, nexp) < 0) return -1;
    if ((s->flags & FL_LEFT) && out_fill(o, ' ', pad) < 0) return -1;
    return 0;
}

/* Exact comparison used by strtod (declared in strtod.c): the decimal number whose
 * significant digits are the characters [digits, end) (a '.' among them is skipped; the
 * first is non-zero) and whose first digit has decimal exponent DEXP, against
 * (khi * 2^64 + klo) * 2^t (non-zero). Returns <0, 0 or >0 like a comparison of the
 * decimal number with the binary one. */
int ccbox_libc__fmt_cmp_decimal(const char* digits, const char* end, long long dexp,
                                uint64_t khi, uint64_t klo, int t) {
    digen g;
    const char* p = digits;
    uint32_t chunk;
    int len;
    digen_init(&g, khi, klo, t);
    if (dexp != g.E) return dexp < g.E ? -1 : 1;
    chunk = g.q0;
    len = g.nq0;
    for (;;) {
        char hd[9];
        uint32_t v = chunk;
        for (int k = len - 1; k >= 0; k--) {
            hd[k] = (char)('0' + v % 10);
            v /= 10;
        }
        for (int k = 0; k < len; k++) {
            while (p < end && *p == '.') ++p;
            if (p == end) {
                /* The decimal digits ran out: the binary value is larger iff it has any
                 * non-zero digit left. */
                for (int q = k; q < len; q++) {
                    if (hd[q] != '0') return -1;
                }
                return g.r.n != 0 ? -1 : 0;
            }
            if (*p != hd[k]) return *p < hd[k] ? -1 : 1;
            ++p;
        }
        if (g.r.n == 0) break;
        chunk = digen_next(&g);
        len = 9;
    }
    /* The binary value's expansion ended: the decimal one is larger iff more non-zero
     * digits follow. */
    for (; p < end; ++p) {
        if (*p != '.' && *p != '0') return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Strings and characters                                                               */
/* ------------------------------------------------------------------------------------ */

static size_t bounded_len(const char* str, long prec) {
    size_t n = 0;
    if (prec < 0) return strlen(str);
    while ((long)n < prec && str[n] != '\0') n++;
    return n;
}

static int fmt_string(fmt_out* o, const fmt_spec* s, const char* str) {
    if (str == NULL) {
        str = (s->prec < 0 || s->prec >= 6) ? "(null)" : "";
    }
    return emit_padded(o, s, str, bounded_len(str, s->prec));
}

static int wide_ok(long wc) { return wc >= 0 && wc <= 0x7f; }

static int fmt_wstring(fmt_out* o, const fmt_spec* s, const wchar_t* ws) {
    size_t len = 0, pad;
    fmt_stage st;
    if (ws == NULL) return fmt_string(o, s, NULL);
    while (ws[len] != 0 && (s->prec < 0 || (long)len < s->prec)) {
        if (!wide_ok((long)ws[len])) {
            errno = EILSEQ;
            return -1;
        }
        len++;
    }
    pad = pad_len(s, len);
    if (!(s->flags & FL_LEFT) && out_fill(o, ' ', pad) < 0) return -1;
    st.o = o;
    st.n = 0;
    for (size_t i = 0; i < len; i++) {
        if (stage_char(&st, (char)ws[i]) < 0) return -1;
    }
    if (stage_flush(&st) < 0) return -1;
    if ((s->flags & FL_LEFT) && out_fill(o, ' ', pad) < 0) return -1;
    return 0;
}

/* glibc's rendering of a specification it does not know. */
static int fmt_unknown(fmt_out* o, const fmt_spec* s) {
    char buf[48];
    size_t n = 0;
    buf[n++] = '%';
    if (s->flags & FL_ALT) buf[n++] = '#';
    if (s->flags & FL_GROUP) buf[n++] = '\'';
    if (s->flags & FL_PLUS)
        buf[n++] = '+';
    else if (s->flags & FL_SPACE)
        buf[n++] = ' ';
    if (s->flags & FL_LEFT) buf[n++] = '-';
    if ((s->flags & FL_ZERO) && !(s->flags & FL_LEFT)) buf[n++] = '0';
    if (s->flags & FL_I18N) buf[n++] = 'I';
    for (int k = 0; k < 2; k++) {
        long v = k == 0 ? s->width : s->prec;
        char tmp[12];
        size_t nt = 0;
        if (k == 0 && v == 0) continue;
        if (k == 1) {
            if (v < 0) continue;
            buf[n++] = '.';
        }
        do {
            tmp[nt++] = (char)('0' + v % 10);
            v /= 10;
        } while (v != 0);
        while (nt > 0) buf[n++] = tmp[--nt];
    }
    if (s->conv != '\0') buf[n++] = (char)s->conv;
    return out_raw(o, buf, n);
}

/* ------------------------------------------------------------------------------------ */
/* One specification                                                                    */
/* ------------------------------------------------------------------------------------ */

static int do_spec(fmt_out* o, fmt_spec* s, fmt_args* a, int saved_errno) {
    fmt_arg v;
    int conv = s->conv;

    if (s->width_star) {
        fetch_arg(a, s->width_arg, AC_INT, &v);
        if (v.i == INT_MIN) { /* glibc: its magnitude does not fit an int */
            errno = EOVERFLOW;
            return -1;
        }
        if (v.i < 0) {
            s->flags |= FL_LEFT;
            s->width = -v.i;
        } else {
            s->width = v.i;
        }
    }
    if (s->prec_star) {
        fetch_arg(a, s->prec_arg, AC_INT, &v);
        s->prec = v.i < 0 ? -1 : v.i;
    }
    if (s->flags & FL_LEFT) s->flags &= ~(unsigned)FL_ZERO;

    switch (conv) {
    case '%':
        return out_raw(o, "%", 1);
    case 'd':
    case 'i': {
        long val;
        uint64_t mag;
        if (s->is_long) {
            fetch_arg(a, s->data_arg, AC_LONG, &v);
            val = v.l;
        } else {
            fetch_arg(a, s->data_arg, AC_INT, &v);
            val = s->is_char ? (signed char)v.i : s->is_short ? (short)v.i : v.i;
        }
        mag = val < 0 ? (uint64_t)0 - (uint64_t)val : (uint64_t)val;
        return fmt_integer(o, s, mag, val < 0, 1, 10, 0, 0);
    }
    case 'u':
    case 'o':
    case 'x':
    case 'X':
    case 'b':
    case 'B': {
        uint64_t val;
        int base = conv == 'u' ? 10 : conv == 'o' ? 8 : (conv == 'x' || conv == 'X') ? 16 : 2;
        if (s->is_long) {
            fetch_arg(a, s->data_arg, AC_LONG, &v);
            val = (unsigned long)v.l;
        } else {
            fetch_arg(a, s->data_arg, AC_INT, &v);
            val = s->is_char ? (unsigned char)v.i
                  : s->is_short ? (unsigned short)v.i : (unsigned)v.i;
        }
        return fmt_integer(o, s, val, 0, 0, base, conv == 'X' || conv == 'B',
                           (s->flags & FL_ALT) && val != 0 && base != 8 && base != 10);
    }
    case 'p': {
        fetch_arg(a, s->data_arg, AC_LONG, &v);
        if (v.p == NULL) {
            fmt_spec t = *s;
            t.prec = -1;
            return fmt_string(o, &t, "(nil)");
        }
        s->flags |= FL_ALT;
        return fmt_integer(o, s, (uint64_t)(uintptr_t)v.p, 0, 1, 16, 0, 1);
    }
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A': {
        fdecomp fv;
        int lower = conv | 0x20;
        int upper = conv != lower;
        if (s->is_long_double) {
            fetch_arg(a, s->data_arg, AC_LDOUBLE, &v);
            decomp_ldouble(v.ld, &fv);
        } else {
            fetch_arg(a, s->data_arg, AC_DOUBLE, &v);
            decomp_double(v.d, &fv);
        }
        if (fv.kind == FK_INF || fv.kind == FK_NAN) return fmt_nonfinite(o, s, &fv, upper);
        if (lower == 'a') return fmt_hexfloat(o, s, &fv, upper);
        return fmt_decimal(o, s, &fv, lower, upper);
    }
    case 'c':
    case 'C':
        fetch_arg(a, s->data_arg, AC_INT, &v);
        if (conv == 'C' || s->is_long) {
            unsigned wc = (unsigned)v.i;
            char ch;
            if (wc > 0x7f) {
                errno = EILSEQ;
                return -1;
            }
            ch = (char)wc;
            return emit_padded(o, s, &ch, 1);
        } else {
            char ch = (char)(unsigned char)v.i;
            return emit_padded(o, s, &ch, 1);
        }
    case 's':
    case 'S':
        fetch_arg(a, s->data_arg, AC_LONG, &v);
        if (conv == 'S' || s->is_long) return fmt_wstring(o, s, (const wchar_t*)v.p);
        return fmt_string(o, s, (const char*)v.p);
    case 'm': {
        const char* msg;
        if (s->flags & FL_ALT) {
            msg = strerrorname_np(saved_errno);
            if (msg == NULL) { /* glibc prints the number like %d */
                uint64_t mag = saved_errno < 0 ? (uint64_t)0 - (uint64_t)(long)saved_errno
                                               : (uint64_t)saved_errno;
                return fmt_integer(o, s, mag, saved_errno < 0, 1, 10, 0, 0);
            }
        } else {
            msg = strerror(saved_errno);
        }
        return fmt_string(o, s, msg);
    }
    case 'n':
        /* glibc's fortified printf: a %n in a format the program could have overwritten
         * is an attack (a format string written by an overflow), never honoured. */
        if (o->fortify && !ccbox_libc__fmt_is_readonly(o->fmt)) ccbox_libc__fmt_fatal_writable_n();
        fetch_arg(a, s->data_arg, AC_LONG, &v);
        if (v.p != NULL) {
            if (s->is_long)
                *(long*)v.p = (long)o->count;
            else if (s->is_char)
                *(signed char*)v.p = (signed char)o->count;
            else if (s->is_short)
                *(short*)v.p = (short)o->count;
            else
                *(int*)v.p = (int)o->count;
        }
        return 0;
    default:
        return fmt_unknown(o, s);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Driver                                                                               */
/* ------------------------------------------------------------------------------------ */

static const char* find_spec(fmt_out* o, const char* f, int* err) {
    const char* start = f;
    while (*f != '\0' && *f != '%') ++f;
    if (out_raw(o, start, (size_t)(f - start)) < 0) *err = 1;
    return f;
}

int ccbox_libc_vformat(ccbox_libc_sink_fn sink, void* ctx, const char* fmt, va_list ap) {
    return ccbox_libc_vformat_ex(sink, ctx, fmt, ap, 0);
}

int ccbox_libc_vformat_ex(ccbox_libc_sink_fn sink, void* ctx, const char* fmt, va_list ap,
                          int fortify) {
    int saved_errno = errno;
    fmt_out o;
    fmt_args a;
    va_list seq, start;
    const char* f;
    const char* first_spec;
    int nspecs_done = 0, err = 0, result = -1;

    o.sink = sink;
    o.ctx = ctx;
    o.count = 0;
    o.full = 0;
    o.fmt = fmt;
    o.fortify = fortify > 0;
    va_copy(seq, ap);
    va_copy(start, ap);
    memset(&a, 0, sizeof a);
    a.positional = 0;
    a.seq = &seq;

    f = first_spec = find_spec(&o, fmt, &err);
    if (err) goto done;

    /* Sequential processing. */
    while (*f != '\0') {
        fmt_spec s;
        parse_spec(f, 0, NULL, NULL, &s);
        if (s.overflow) {
            errno = EOVERFLOW;
            goto done;
        }
        if (s.needs_positional) goto positional;
        if (s.conv == '\0') {
            errno = EINVAL;
            goto done;
        }
        if (do_spec(&o, &s, &a, saved_errno) < 0) goto done;
        nspecs_done++;
        f = find_spec(&o, s.end, &err);
        if (err) goto done;
    }
    result = (int)o.count;
    goto done;

positional:
    positional_init(&a, &start, first_spec);
    {
        int posn = 0, max_ref = 0, idx = 0;
        f = first_spec;
        while (*f != '\0') {
            fmt_spec s;
            parse_spec(f, 1, &posn, &max_ref, &s);
            if (idx >= nspecs_done) {
                if (do_spec(&o, &s, &a, saved_errno) < 0) goto done_pos;
            }
            idx++;
            if (s.conv == '\0') break;
            f = s.end;
            if (idx > nspecs_done) {
                f = find_spec(&o, f, &err);
                if (err) goto done_pos;
            } else {
                while (*f != '\0' && *f != '%') ++f;
            }
        }
        result = (int)o.count;
    }
done_pos:
    if (a.cur_valid) va_end(a.cur);
done:
    va_end(seq);
    va_end(start);
    return result;
}
