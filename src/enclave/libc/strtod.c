/* strtod, strtof, strtold and atof of the enclave libc.
 * Trust domain: enclave (libc). Parses with glibc's "C" locale syntax (decimal and
 * hexadecimal floats, inf/infinity, nan and nan(n-char-sequence)) and rounds correctly
 * (to nearest, ties to even) for float, double and x86-64 80-bit long double, setting
 * errno to ERANGE on overflow and on tiny inexact results as glibc does (tininess is
 * detected after rounding, as on x86).
 *
 * Decimal conversion: the first 38 significant digits times a 128-bit approximation of
 * the power of ten give the value with a relative error below 2^-108, which decides the
 * rounding unless the value lies extremely close to a rounding boundary; then the input
 * digits are compared exactly with the boundary's decimal expansion (computed by the
 * printf engine's big-integer digit generator, ccbox_libc__fmt_cmp_decimal). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "libc_export.h"

__extension__ typedef unsigned __int128 u128;

/* ------------------------------------------------------------------------------------ */
/* Parsing                                                                              */
/* ------------------------------------------------------------------------------------ */

enum { K_NONE, K_ZERO, K_DEC, K_HEX, K_INF, K_NAN };

typedef struct {
    int neg;
    int kind;
    const char* end;
    /* K_DEC: value = D * 10^(e_lead - (nd - 1)) (+ a non-zero tail if trunc) */
    u128 D;
    int nd;
    int trunc;
    long long e_lead;  /* decimal exponent of the first significant digit */
    const char* first; /* first significant digit */
    const char* mend;  /* end of the mantissa characters */
    /* K_HEX: value = H * 2^bexp (+ a non-zero tail if trunc) */
    u128 H;
    long long bexp;
    /* K_NAN */
    uint64_t payload;
} parsed;

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

static size_t match_word(const char* s, const char* w) {
    size_t n = 0;
    while (w[n] != '\0') {
        if (lower((unsigned char)s[n]) != w[n]) return 0;
        n++;
    }
    return n;
}

#define EXP_CLAMP 1000000000000LL

/* Optional exponent: C ('e' or 'p') [+-] digits. Returns the end (Q if absent). */
static const char* parse_exponent(const char* q, int c, long long* out) {
    const char* r = q;
    int eneg = 0;
    long long v = 0;
    *out = 0;
    if (lower((unsigned char)*r) != c) return q;
    r++;
    if (*r == '+' || *r == '-') eneg = *r++ == '-';
    if (*r < '0' || *r > '9') return q;
    while (*r >= '0' && *r <= '9') {
        if (v < EXP_CLAMP) v = v * 10 + (*r - '0');
        r++;
    }
    *out = eneg ? -v : v;
    return r;
}

/* Scans digits (hex or decimal) with an optional point; collects up to MAXD significant
 * digits. Returns the end of the mantissa, or NULL when there is no digit at all. */
static const char* scan_mantissa(const char* q, int hex, int maxd, u128* acc, int* nd,
                                 int* trunc, long long* e_lead, const char** first) {
    int point = 0, any = 0, first_after_point = 0;
    long long int_sig = 0, zeros_after = 0;
    unsigned base = hex ? 16 : 10;
    *acc = 0;
    *nd = 0;
    *trunc = 0;
    *first = NULL;
    for (;; q++) {
        int c = (unsigned char)*q, d;
        if (c == '.') {
            if (point) break;
            point = 1;
            continue;
        }
        d = hex ? hexval(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
        if (d < 0) break;
        any = 1;
        if (*first == NULL) {
            if (d == 0) {
                if (point) zeros_after++;
                continue;
            }
            *first = q;
            first_after_point = point;
        }
        if (!point) int_sig++;
        if (*nd < maxd) {
            *acc = *acc * base + (unsigned)d;
            (*nd)++;
        } else if (d != 0) {
            *trunc = 1;
        }
    }
    if (!any) return NULL;
    if (*first != NULL) *e_lead = first_after_point ? -(zeros_after + 1) : int_sig - 1;
    return q;
}

static void parse(const char* s, parsed* ps) {
    const char* p = s;
    size_t n;
    memset(ps, 0, sizeof *ps);
    ps->kind = K_NONE;
    ps->end = s;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r')) p++;
    if (*p == '+' || *p == '-') ps->neg = *p++ == '-';

    if ((n = match_word(p, "inf")) != 0) {
        size_t m = match_word(p, "infinity");
        ps->kind = K_INF;
        ps->end = p + (m ? m : n);
        return;
    }
    if ((n = match_word(p, "nan")) != 0) {
        const char* q = p + n;
        ps->kind = K_NAN;
        ps->end = q;
        if (*q == '(') {
            const char* seq = q + 1;
            const char* r = seq;
            while ((*r >= '0' && *r <= '9') || (lower((unsigned char)*r) >= 'a' &&
                                                lower((unsigned char)*r) <= 'z') ||
                   *r == '_')
                r++;
            if (*r == ')') {
                /* The characters before ')' are [0-9A-Za-z_], so strtoull stops at r at the
                 * latest; glibc lets its ERANGE through. */
                char* e;
                uint64_t v = strtoull(seq, &e, 0);
                ps->end = r + 1;
                if (r != seq && e == r) ps->payload = v;
            }
        }
        return;
    }

    if (p[0] == '0' && lower((unsigned char)p[1]) == 'x') {
        const char* q = p + 2;
        if (hexval((unsigned char)*q) >= 0 || (*q == '.' && hexval((unsigned char)q[1]) >= 0)) {
            int nd, trunc;
            long long e_lead = 0, pexp;
            const char* first;
            u128 H;
            q = scan_mantissa(q, 1, 30, &H, &nd, &trunc, &e_lead, &first);
            q = parse_exponent(q, 'p', &pexp);
            ps->end = q;
            if (first == NULL) {
                ps->kind = K_ZERO;
                return;
            }
            ps->kind = K_HEX;
            ps->H = H;
            ps->trunc = trunc;
            ps->bexp = 4 * (e_lead - (nd - 1)) + pexp;
            return;
        }
        /* "0x" without hex digits: just the 0. */
        ps->kind = K_ZERO;
        ps->end = p + 1;
        return;
    }

    {
        int nd, trunc;
        long long e_lead = 0, x;
        const char* first;
        u128 D;
        const char* q = scan_mantissa(p, 0, 38, &D, &nd, &trunc, &e_lead, &first);
        if (q == NULL) return; /* no conversion */
        ps->mend = q;
        q = parse_exponent(q, 'e', &x);
        ps->end = q;
        if (first == NULL) {
            ps->kind = K_ZERO;
            return;
        }
        ps->kind = K_DEC;
        ps->D = D;
        ps->nd = nd;
        ps->trunc = trunc;
        ps->first = first;
        ps->e_lead = e_lead + x;
    }
}

/* ------------------------------------------------------------------------------------ */
/* Rounding                                                                             */
/* ------------------------------------------------------------------------------------ */

typedef struct {
    int p;       /* significand bits */
    int emin;    /* exponent of the smallest normal number */
    int emax;    /* exponent of the largest finite binade */
    int e10_over;  /* a decimal leading exponent >= this overflows */
    int e10_under; /* a decimal leading exponent <= this rounds to zero */
} flt_fmt;

static const flt_fmt FMT_F = {24, -126, 127, 39, -47};
static const flt_fmt FMT_D = {53, -1022, 1023, 309, -325};
static const flt_fmt FMT_LD = {64, -16382, 16383, 4933, -4952};

enum { R_ZERO, R_FINITE, R_INF };

typedef struct {
    int kind;
    u128 M; /* value = M * 2^sh */
    int sh;
    int erange;
} rounded_val;

/* Exact comparison context (decimal inputs only). */
typedef struct {
    const parsed* ps;
} cmpctx;

static int cmp_exact(const cmpctx* c, u128 K, int t) {
    return ccbox_libc__fmt_cmp_decimal(c->ps->first, c->ps->mend, c->ps->e_lead,
                                       (uint64_t)(K >> 64), (uint64_t)K, t);
}

#define ERRU ((u128)1 << 20) /* bound of the approximation error, in units of A */

/* The value v lies in [A, A + ERRU] * 2^ea (exactly A * 2^ea if EXACT), with
 * 2^127 <= A < 2^128. Rounds it to format F. */
static void round_value(u128 A, int ea, int exact, const cmpctx* cc, const flt_fmt* F,
                        rounded_val* out) {
    const u128 top = ~(u128)0;
    int lb, kb, drop, sh, up, inexact, tiny, c;
    u128 unit, half, M, R;

    out->erange = 0;
    if (!exact && A > top - ERRU) {
        /* v may have reached the next binade. */
        c = cmp_exact(cc, 1, ea + 128);
        if (c >= 0) {
            A = (u128)1 << 127;
            ea += 1;
            exact = c == 0;
        }
    }
    lb = ea + 127;
    if (lb > F->emax) {
        out->kind = R_INF;
        out->erange = 1;
        return;
    }
    kb = lb >= F->emin ? F->p : F->p - (F->emin - lb);
    if (kb < 0) {
        out->kind = R_ZERO;
        out->erange = 1;
        return;
    }
    if (kb == 0) {
        /* Between half the smallest subnormal (2^lb) and the smallest subnormal. */
        if (A > ((u128)1 << 127))
            up = 1;
        else if (exact)
            up = 0;
        else
            up = cmp_exact(cc, 1, lb) > 0;
        out->erange = 1;
        if (!up) {
            out->kind = R_ZERO;
            return;
        }
        out->kind = R_FINITE;
        out->M = 1;
        out->sh = lb + 1;
        return;
    }
    drop = 128 - kb;
    unit = (u128)1 << drop;
    half = unit >> 1;
    M = A >> drop;
    R = A & (unit - 1);
    sh = lb - kb + 1;
    if (exact) {
        up = R > half || (R == half && (M & 1));
        inexact = R != 0;
    } else if (R > half) {
        up = 1;
        inexact = R + ERRU < unit ? 1 : -1;
    } else if (R + ERRU < half) {
        up = 0;
        inexact = R != 0 ? 1 : -1;
    } else {
        c = cmp_exact(cc, (M << 1) | 1, sh - 1);
        up = c > 0 || (c == 0 && (M & 1));
        inexact = 1;
    }
    tiny = lb < F->emin;
    if (tiny && lb == F->emin - 1) {
        /* Tininess after rounding: not tiny if rounding to full precision with an
         * unbounded exponent gives 2^emin, i.e. v >= 2^emin - 2^(emin - p - 1). */
        u128 T = (top - (((u128)1 << (127 - F->p)) - 1));
        if (A >= T)
            tiny = 0;
        else if (!exact && A + ERRU >= T &&
                 cmp_exact(cc, ((u128)1 << (F->p + 1)) - 1, F->emin - F->p - 1) >= 0)
            tiny = 0;
    }
    if (up) M++;
    if (tiny && inexact < 0) inexact = cmp_exact(cc, M, sh) != 0;
    if (tiny && inexact) out->erange = 1;
    if ((M >> kb) != 0) { /* carried into a new binade */
        M >>= 1;
        sh++;
        if (sh + kb - 1 > F->emax) {
            out->kind = R_INF;
            out->erange = 1;
            return;
        }
    }
    out->kind = R_FINITE;
    out->M = M;
    out->sh = sh;
}

static int bitlen128(u128 v) {
    uint64_t hi = (uint64_t)(v >> 64), lo = (uint64_t)v;
    if (hi) return 128 - __builtin_clzll(hi);
    return lo ? 64 - __builtin_clzll(lo) : 0;
}

/* 128x128 -> top 128 bits, normalised; *lost set if non-zero bits were dropped. */
typedef struct {
    u128 m; /* top bit set */
    int e;  /* value = m * 2^e */
    int exact;
} xfloat;

static xfloat xmul(xfloat a, xfloat b) {
    uint64_t a1 = (uint64_t)(a.m >> 64), a0 = (uint64_t)a.m;
    uint64_t b1 = (uint64_t)(b.m >> 64), b0 = (uint64_t)b.m;
    u128 p00 = (u128)a0 * b0, p01 = (u128)a0 * b1, p10 = (u128)a1 * b0, p11 = (u128)a1 * b1;
    u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
    u128 hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    u128 lo = (mid << 64) | (uint64_t)p00;
    xfloat r;
    r.e = a.e + b.e + 128;
    if (!(hi >> 127)) {
        hi = (hi << 1) | (lo >> 127);
        lo <<= 1;
        r.e--;
    }
    r.m = hi;
    r.exact = a.exact && b.exact && lo == 0;
    return r;
}

static void convert_decimal(const parsed* ps, const flt_fmt* F, rounded_val* out) {
    xfloat acc, pw;
    long long E;
    unsigned long long n;
    cmpctx cc;
    int sh;
    if (ps->e_lead >= F->e10_over) {
        out->kind = R_INF;
        out->erange = 1;
        return;
    }
    if (ps->e_lead <= F->e10_under) {
        out->kind = R_ZERO;
        out->erange = 1;
        return;
    }
    E = ps->e_lead - (ps->nd - 1);
    sh = 128 - bitlen128(ps->D);
    acc.m = ps->D << sh;
    acc.e = -sh;
    acc.exact = !ps->trunc;
    if (E >= 0) {
        pw.m = (u128)10 << 124;
        pw.e = -124;
        pw.exact = 1;
        n = (unsigned long long)E;
    } else {
        pw.m = ~(u128)0 / 5 * 4; /* floor(2^131 / 10) */
        pw.e = -131;
        pw.exact = 0;
        n = (unsigned long long)-E;
    }
    while (n != 0) {
        if (n & 1) acc = xmul(acc, pw);
        n >>= 1;
        if (n != 0) pw = xmul(pw, pw);
    }
    cc.ps = ps;
    round_value(acc.m, acc.e, acc.exact, &cc, F, out);
}

static void convert_hex(const parsed* ps, const flt_fmt* F, rounded_val* out) {
    int bl = bitlen128(ps->H), sh;
    long long lb = (long long)bl - 1 + ps->bexp;
    u128 A;
    if (lb > F->emax) {
        out->kind = R_INF;
        out->erange = 1;
        return;
    }
    if (lb < F->emin - F->p - 1) {
        out->kind = R_ZERO;
        out->erange = 1;
        return;
    }
    sh = 128 - bl; /* >= 8: H has at most 120 bits */
    A = ps->H << sh;
    if (ps->trunc) A |= 1; /* sticky: lies strictly between A and the next unit */
    round_value(A, (int)(ps->bexp - sh), 1, NULL, F, out);
}

/* Parses S and rounds to F. Returns the kind; sets *end. */
static void convert(const char* s, char** end, const flt_fmt* F, parsed* ps, rounded_val* rv) {
    parse(s, ps);
    if (ps->kind == K_NONE) ps->neg = 0;
    if (end != NULL) *end = (char*)ps->end;
    rv->erange = 0;
    switch (ps->kind) {
    case K_DEC: convert_decimal(ps, F, rv); break;
    case K_HEX: convert_hex(ps, F, rv); break;
    default: rv->kind = R_ZERO; break;
    }
    if (rv->erange) errno = ERANGE;
}

/* ------------------------------------------------------------------------------------ */
/* Packing                                                                              */
/* ------------------------------------------------------------------------------------ */

/* Biased exponent and significand bits (with the integer bit at position p-1) of the
 * finite value M * 2^sh, known to be representable. Returns 0 for subnormals. */
static int pack_fields(const rounded_val* rv, const flt_fmt* F, u128* sig) {
    int bl = bitlen128(rv->M);
    int lb = bl - 1 + rv->sh;
    if (lb >= F->emin) {
        *sig = rv->M << (F->p - bl);
        return lb - F->emin + 1;
    }
    *sig = rv->M << (rv->sh - (F->emin - F->p + 1));
    return 0;
}

double ccbox_libc_strtod(const char* s, char** end) {
    parsed ps;
    rounded_val rv;
    uint64_t bits = 0;
    double d;
    convert(s, end, &FMT_D, &ps, &rv);
    if (ps.kind == K_INF) {
        bits = 0x7ffULL << 52;
    } else if (ps.kind == K_NAN) {
        bits = (0x7ff8ULL << 48) | (ps.payload & ((1ULL << 51) - 1));
    } else if (rv.kind == R_INF) {
        bits = 0x7ffULL << 52;
    } else if (rv.kind == R_FINITE) {
        u128 sig;
        int be = pack_fields(&rv, &FMT_D, &sig);
        bits = ((uint64_t)be << 52) | ((uint64_t)sig & ((1ULL << 52) - 1));
    }
    if (ps.neg) bits |= 1ULL << 63;
    memcpy(&d, &bits, sizeof d);
    return d;
}
CCBOX_LIBC_EXPORT(strtod)

float ccbox_libc_strtof(const char* s, char** end) {
    parsed ps;
    rounded_val rv;
    uint32_t bits = 0;
    float f;
    convert(s, end, &FMT_F, &ps, &rv);
    if (ps.kind == K_INF) {
        bits = 0x7f800000u;
    } else if (ps.kind == K_NAN) {
        bits = 0x7fc00000u | (uint32_t)(ps.payload & ((1u << 22) - 1));
    } else if (rv.kind == R_INF) {
        bits = 0x7f800000u;
    } else if (rv.kind == R_FINITE) {
        u128 sig;
        int be = pack_fields(&rv, &FMT_F, &sig);
        bits = ((uint32_t)be << 23) | ((uint32_t)sig & ((1u << 23) - 1));
    }
    if (ps.neg) bits |= 1u << 31;
    memcpy(&f, &bits, sizeof f);
    return f;
}
CCBOX_LIBC_EXPORT(strtof)

long double ccbox_libc_strtold(const char* s, char** end) {
    parsed ps;
    rounded_val rv;
    uint64_t mant = 0;
    uint16_t se = 0;
    unsigned char raw[sizeof(long double)];
    long double x;
    convert(s, end, &FMT_LD, &ps, &rv);
    if (ps.kind == K_INF || (ps.kind != K_NAN && rv.kind == R_INF)) {
        se = 0x7fff;
        mant = 1ULL << 63;
    } else if (ps.kind == K_NAN) {
        se = 0x7fff;
        mant = (3ULL << 62) | (ps.payload & ((1ULL << 62) - 1));
    } else if (rv.kind == R_FINITE) {
        u128 sig;
        se = (uint16_t)pack_fields(&rv, &FMT_LD, &sig);
        mant = (uint64_t)sig;
    }
    if (ps.neg) se |= 0x8000;
    memset(raw, 0, sizeof raw);
    memcpy(raw, &mant, 8);
    memcpy(raw + 8, &se, 2);
    memcpy(&x, raw, sizeof x);
    return x;
}
CCBOX_LIBC_EXPORT(strtold)

double ccbox_libc_atof(const char* s) { return ccbox_libc_strtod(s, NULL); }
CCBOX_LIBC_EXPORT(atof)
