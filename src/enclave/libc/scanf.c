/* sscanf and vsscanf of the enclave libc, also under glibc's C99 names __isoc99_sscanf and
 * __isoc99_vsscanf (Debian's static libraries reference those).
 * Trust domain: enclave (libc). Behaviour follows glibc's C99 sscanf in the "C" locale:
 * conversions d i u o x X p n c s [ a A e E f F g G %, assignment suppression, field widths,
 * the length modifiers hh h l ll L q j z t, the return value (assignments made, or EOF when
 * the input fails before the first assignment). No allocation, no FILE streams.
 *
 * Numbers: this file decides which characters a field takes, by the rules glibc's scanf
 * applies (they differ from strto*'s: "1e+" is a whole %f field, "0x" a whole %x field),
 * and the strto* functions of stdlib.c and strtod.c give the value of those characters,
 * as glibc's scanf gets it from its strto* functions. Integers therefore wrap as a strtol
 * or strtoul result cast to the target type. A float field is converted in place when
 * strtod stops inside it; only when a field width cuts a number short is the field copied
 * (without allocation: longer fields are rewritten as 0.<digits>e<exponent>, keeping the
 * first SCAN_FP_DIGITS significant digits and a sticky digit for the rest, which is exact
 * for float and double; for long double it is exact unless such a field has more than
 * SCAN_FP_DIGITS significant digits and lies extremely close to a rounding boundary).
 * errno: the ERANGE of strto* for a field shows through, as in glibc; glibc's resetting of
 * errno when its stream reaches the end of the input is not reproduced.
 *
 * Not supported, and failing cleanly (the count of assignments so far is returned): the
 * wide conversions (%lc, %ls, %l[, %C, %S), %m (allocation) and positional %N$ arguments. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "format.h"
#include "libc_export.h"

/* stdlib.c */
long ccbox_libc_strtol(const char* nptr, char** endptr, int base);
unsigned long ccbox_libc_strtoul(const char* nptr, char** endptr, int base);

#define SCAN_EOF (-1)
#define SCAN_NO_WIDTH SIZE_MAX

/* Significant digits an integer field keeps: more means overflow in any base >= 8. */
#define SCAN_INT_DIGITS 40
/* Significant digits a rewritten float field keeps: every rounding boundary of float and
 * double has at most 767. */
#define SCAN_FP_DIGITS 770
#define SCAN_FP_BUF (SCAN_FP_DIGITS + 40)

enum { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_J, LEN_Z, LEN_T };
enum { FP_FLOAT, FP_DOUBLE, FP_LONG_DOUBLE };

typedef struct {
    int suppress;
    size_t width; /* SCAN_NO_WIDTH if none */
    int len;      /* LEN_* */
    int conv;     /* the conversion character, 0 if the format ended */
} scan_spec;

typedef union {
    float f;
    double d;
    long double ld;
} scan_fp;

static int scan_is_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static int scan_lower(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

/* The value of C as a digit in BASE (8, 10 or 16), or -1. */
static int scan_digit(int c, int base) {
    int d = -1;
    if (c >= '0' && c <= '9')
        d = c - '0';
    else if (scan_lower(c) >= 'a' && scan_lower(c) <= 'f')
        d = scan_lower(c) - 'a' + 10;
    return d < base ? d : -1;
}

/* Length of WORD if the input at P starts with it (ignoring case) within W characters. */
static size_t scan_word(const unsigned char* p, size_t w, const char* word) {
    size_t n = 0;
    while (word[n] != '\0') {
        if (n >= w || scan_lower(p[n]) != word[n]) return 0;
        n++;
    }
    return n;
}

/* ---- format ------------------------------------------------------------------------- */

/* Parses a conversion specification after its '%'; returns the format after it. */
static const unsigned char* scan_parse_spec(const unsigned char* f, scan_spec* sp) {
    sp->suppress = 0;
    sp->width = SCAN_NO_WIDTH;
    sp->len = LEN_NONE;
    /* Flags: '*'; the grouping flag ' and glibc's I (locale digits) change nothing in the
     * "C" locale. */
    for (;; f++) {
        if (*f == '*')
            sp->suppress = 1;
        else if (*f != '\'' && *f != 'I')
            break;
    }
    if (*f >= '0' && *f <= '9') {
        size_t w = 0;
        for (; *f >= '0' && *f <= '9'; f++)
            w = w > (SCAN_NO_WIDTH - 9) / 10 ? SCAN_NO_WIDTH : w * 10 + (size_t)(*f - '0');
        if (w != 0) sp->width = w; /* glibc reads %0d as %d */
    }
    switch (*f) {
    case 'h':
        sp->len = f[1] == 'h' ? LEN_HH : LEN_H;
        f += f[1] == 'h' ? 2 : 1;
        break;
    case 'l':
        sp->len = f[1] == 'l' ? LEN_LL : LEN_L;
        f += f[1] == 'l' ? 2 : 1;
        break;
    case 'L':
    case 'q': sp->len = LEN_LL; f++; break;
    case 'j': sp->len = LEN_J; f++; break;
    case 'z': sp->len = LEN_Z; f++; break;
    case 't': sp->len = LEN_T; f++; break;
    default: break;
    }
    /* Anything else, "%m", the '$' of "%N$" included, is an unknown conversion. */
    sp->conv = *f;
    return *f != '\0' ? f + 1 : f;
}

static void scan_set_add(unsigned char set[32], int c) {
    set[c >> 3] |= (unsigned char)(1u << (c & 7));
}

static int scan_set_has(const unsigned char set[32], int c) { return set[c >> 3] >> (c & 7) & 1; }

/* Parses the scanset after "%[" into SET (a bit per character); returns the format after
 * the closing ']', or NULL if there is none. A ']' first (after any '^') is a member; a '-'
 * between two characters in ascending order makes a range, any other '-' is a member. */
static const unsigned char* scan_parse_set(const unsigned char* f, unsigned char set[32]) {
    const unsigned char* first;
    int invert = 0, c;
    memset(set, 0, 32);
    if (*f == '^') {
        invert = 1;
        f++;
    }
    for (first = f;; f++) {
        if (*f == '\0') return NULL;
        if (*f == ']' && f != first) break;
        if (*f == '-' && f != first && f[1] != ']' && f[1] != '\0' && f[-1] <= f[1]) {
            for (c = f[-1]; c <= f[1]; c++) scan_set_add(set, c);
            continue;
        }
        scan_set_add(set, *f);
    }
    if (invert)
        for (c = 0; c < 32; c++) set[c] = (unsigned char)~set[c];
    return f + 1;
}

/* The set of characters %c (any) or %s (any but white space) takes. */
static void scan_text_set(int conv, unsigned char set[32]) {
    int c;
    memset(set, 0, 32);
    for (c = 1; c < 256; c++)
        if (conv == 'c' || !scan_is_space(c)) scan_set_add(set, c);
}

/* ---- integers ----------------------------------------------------------------------- */

/* Reads an integer field from *INP (not at the end of the input) for conversion CONV:
 * [sign], then for %x, %X, %p and %i an optional 0x (after which the digits are hex; for
 * %i a leading 0 otherwise means octal), then digits. %p also reads "(nil)", as glibc
 * prints a null pointer. Stores the value as strtol (%d, %i) or strtoul gives it for the
 * field; returns 0 when the field holds no digit (a matching failure). */
static int scan_integer(const unsigned char** inp, const scan_spec* sp, unsigned long long* out) {
    const unsigned char* p = *inp;
    size_t w = sp->width, nsig = 0, n;
    int base = 10, any = 0;
    char buf[SCAN_INT_DIGITS + 4];
    char* o = buf;

    if (sp->conv == 'p' && *p == '(') {
        if ((n = scan_word(p, w, "(nil)")) == 0) return 0;
        *inp = p + n;
        *out = 0;
        return 1;
    }
    if (sp->conv == 'o') base = 8;
    if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p') base = 16;
    if (sp->conv == 'i') base = 0;
    if (w > 0 && (*p == '+' || *p == '-')) {
        *o++ = (char)*p++;
        w--;
    }
    if (w > 0 && *p == '0') {
        any = 1;
        p++;
        w--;
        if ((base == 16 || base == 0) && w > 0 && scan_lower(*p) == 'x') {
            base = 16;
            p++;
            w--;
        } else if (base == 0) {
            base = 8;
        }
    }
    if (base == 0) base = 10;
    /* The field is copied without its leading zeros and with at most SCAN_INT_DIGITS
     * significant digits: strto* still sees the same value, or the same overflow. */
    for (; w > 0 && scan_digit(*p, base) >= 0; p++, w--) {
        any = 1;
        if ((nsig > 0 || *p != '0') && nsig < SCAN_INT_DIGITS) o[nsig++] = (char)*p;
    }
    if (!any) return 0;
    if (nsig == 0) o[nsig++] = '0';
    o[nsig] = '\0';
    if (sp->conv == 'd' || sp->conv == 'i')
        *out = (unsigned long long)ccbox_libc_strtol(buf, NULL, base);
    else
        *out = ccbox_libc_strtoul(buf, NULL, base);
    *inp = p;
    return 1;
}

/* Stores the low SIZE bytes of V (x86-64 is little-endian): the value cast to the type. */
static void scan_store_int(void* dst, int len, unsigned long long v) {
    size_t size = len == LEN_HH ? 1 : len == LEN_H ? 2 : len == LEN_NONE ? 4 : 8;
    memcpy(dst, &v, size);
}

/* ---- floating point ------------------------------------------------------------------ */

/* The end of the float field at P (not at the end of the input) within W characters, or
 * NULL if glibc's scanf rejects it outright: [sign], then nan or inf or infinity (a partial
 * word fails), or a decimal or 0x-prefixed hex mantissa with at most one point and, after a
 * digit, an e (p for hex) exponent with an optional sign and decimal digits. The 0x is
 * taken only if two characters of the width remain, and must be followed by something. */
static const unsigned char* scan_float_field(const unsigned char* p, size_t w) {
    const unsigned char* mant;
    size_t n;
    int hex = 0, digit = 0, point = 0, expo = 0;
    if (w > 0 && (*p == '+' || *p == '-')) {
        p++;
        w--;
    }
    if (w > 0 && scan_lower(*p) == 'n') return (n = scan_word(p, w, "nan")) ? p + n : NULL;
    if (w > 0 && scan_lower(*p) == 'i') {
        if ((n = scan_word(p, w, "inf")) == 0) return NULL;
        p += n;
        w -= n;
        if (w > 0 && scan_lower(*p) == 'i') return (n = scan_word(p, w, "inity")) ? p + n : NULL;
        return p;
    }
    if (w > 0 && *p == '0') {
        p++;
        w--;
        digit = 1;
        if (w >= 2 && scan_lower(*p) == 'x') {
            p++;
            w--;
            hex = 1;
            digit = 0;
        }
    }
    for (mant = p; w > 0; p++, w--) {
        if (scan_digit(*p, hex && !expo ? 16 : 10) >= 0) {
            digit = 1;
        } else if (*p == '.' && !point && !expo) {
            point = 1;
        } else if (scan_lower(*p) == (hex ? 'p' : 'e') && digit && !expo) {
            expo = 1;
            if (w >= 2 && (p[1] == '+' || p[1] == '-')) {
                p++;
                w--;
            }
        } else {
            break;
        }
    }
    return hex && p == mant ? NULL : p;
}

/* strtof, strtod or strtold of S into *V; returns the end of what was converted. */
static const char* scan_strtofp(const char* s, int kind, scan_fp* v) {
    char* end;
    if (kind == FP_FLOAT)
        v->f = ccbox_libc_strtof(s, &end);
    else if (kind == FP_DOUBLE)
        v->d = ccbox_libc_strtod(s, &end);
    else
        v->ld = ccbox_libc_strtold(s, &end);
    return end;
}

/* Writes the number field [P, END) (a mantissa as scan_float_field takes it, not inf or
 * nan) into BUF as [-]0.<digits>e<exp> or [-]0x0.<digits>p<exp>, with the same value for
 * strto* (see the top of the file). */
static void scan_rewrite_fp(const unsigned char* p, const unsigned char* end, char* buf) {
    long long pos = 0, x = 0, xsign = 1;
    size_t nsig = 0;
    int hex = 0, point = 0, sticky = 0, d;
    char* o = buf;
    if (*p == '+' || *p == '-') {
        if (*p == '-') *o++ = '-';
        p++;
    }
    if (end - p >= 2 && p[0] == '0' && scan_lower(p[1]) == 'x') {
        hex = 1;
        p += 2;
        *o++ = '0';
        *o++ = 'x';
    }
    *o++ = '0';
    *o++ = '.';
    /* value = 0.<significant digits> * base^pos */
    for (; p < end; p++) {
        if (*p == '.') {
            point = 1;
            continue;
        }
        if ((d = scan_digit(*p, hex ? 16 : 10)) < 0) break;
        if (nsig == 0 && d == 0) {
            if (point) pos--;
            continue;
        }
        if (!point) pos++;
        if (nsig < SCAN_FP_DIGITS)
            o[nsig++] = (char)*p;
        else if (d != 0)
            sticky = 1;
    }
    if (nsig == 0) { /* zero */
        o[nsig++] = '0';
        pos = 0;
    }
    if (sticky) o[nsig++] = '1';
    o += nsig;
    if (p < end) { /* the exponent: clamped far beyond any overflow or underflow */
        p++;
        if (p < end && (*p == '+' || *p == '-')) xsign = *p++ == '-' ? -1 : 1;
        for (; p < end; p++)
            if (x < 1000000000000000LL) x = x * 10 + (*p - '0');
    }
    ccbox_libc_snprintf(o, (size_t)(buf + SCAN_FP_BUF - o), hex ? "p%lld" : "e%lld",
                        (hex ? 4 * pos : pos) + xsign * x);
}

/* Converts the field [P, END) through a copy; returns 0 if nothing converts. Kept out of
 * line so that its buffer is on the stack only when a width cuts a number short. */
static __attribute__((noinline)) int scan_fp_copy(const unsigned char* p,
                                                  const unsigned char* end, int kind,
                                                  scan_fp* v) {
    char buf[SCAN_FP_BUF];
    size_t n = (size_t)(end - p);
    if (n < sizeof buf) {
        memcpy(buf, p, n);
        buf[n] = '\0';
    } else {
        scan_rewrite_fp(p, end, buf);
    }
    return scan_strtofp(buf, kind, v) != buf;
}

/* Reads a float field from *INP (not at the end of the input); returns 0 on a matching
 * failure. */
static int scan_float(const unsigned char** inp, const scan_spec* sp, int kind, scan_fp* v) {
    const unsigned char* p = *inp;
    const unsigned char* end = scan_float_field(p, sp->width);
    const char* conv_end;
    int saved_errno = errno;
    if (end == NULL) return 0;
    conv_end = scan_strtofp((const char*)p, kind, v);
    if (conv_end == (const char*)p) return 0;
    if (conv_end > (const char*)end) {
        /* strtod took more than the field: the field alone has another value (and its
         * own ERANGE or none). */
        errno = saved_errno;
        if (!scan_fp_copy(p, end, kind, v)) return 0;
    }
    *inp = end;
    return 1;
}

/* ---- sscanf ------------------------------------------------------------------------- */

int ccbox_libc_vsscanf(const char* str, const char* fmt, va_list ap) {
    const unsigned char* in = (const unsigned char*)str;
    const unsigned char* f = (const unsigned char*)fmt;
    int done = 0;

    while (*f != '\0') {
        scan_spec sp;
        unsigned char set[32];
        unsigned long long iv;
        scan_fp fv;
        int kind;

        if (scan_is_space(*f)) {
            while (scan_is_space(*f)) f++;
            while (scan_is_space(*in)) in++;
            continue;
        }
        if (*f != '%') {
            if (*in == '\0') goto input_failure;
            if (*in != *f) return done;
            in++;
            f++;
            continue;
        }
        f = scan_parse_spec(f + 1, &sp);
        switch (sp.conv) {
        case 'n':
            if (!sp.suppress)
                scan_store_int(va_arg(ap, void*), sp.len, (size_t)((const char*)in - str));
            continue;
        case 'c':
        case 's':
        case '[':
            if (sp.len != LEN_NONE && sp.len != LEN_HH && sp.len != LEN_H) return done; /* wide */
            if (sp.conv == '[') {
                if ((f = scan_parse_set(f, set)) == NULL) return done;
            } else {
                scan_text_set(sp.conv, set);
                if (sp.conv == 'c' && sp.width == SCAN_NO_WIDTH) sp.width = 1;
            }
            break;
        case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'p':
        case 'a': case 'A': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        case '%':
            break;
        default: /* unknown, unsupported (%C, %S, %m, %N$), or the format ended */
            return done;
        }
        if (sp.conv != 'c' && sp.conv != '[')
            while (scan_is_space(*in)) in++;
        if (*in == '\0') goto input_failure;

        switch (sp.conv) {
        case '%':
            if (*in != '%') return done;
            in++;
            continue;
        case 'c':
        case 's':
        case '[': {
            char* dst = sp.suppress ? NULL : va_arg(ap, char*);
            size_t n = 0;
            while (n < sp.width && *in != '\0' && scan_set_has(set, *in)) {
                if (dst != NULL) dst[n] = (char)*in;
                n++;
                in++;
            }
            if (n == 0) return done;
            if (dst != NULL && sp.conv != 'c') dst[n] = '\0';
            break;
        }
        case 'a': case 'A': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
            kind = sp.len == LEN_LL ? FP_LONG_DOUBLE
                   : sp.len == LEN_NONE || sp.len == LEN_HH || sp.len == LEN_H ? FP_FLOAT
                                                                                : FP_DOUBLE;
            if (!scan_float(&in, &sp, kind, &fv)) return done;
            if (sp.suppress) continue;
            if (kind == FP_FLOAT)
                *va_arg(ap, float*) = fv.f;
            else if (kind == FP_DOUBLE)
                *va_arg(ap, double*) = fv.d;
            else
                *va_arg(ap, long double*) = fv.ld;
            break;
        default: /* integers */
            if (!scan_integer(&in, &sp, &iv)) return done;
            if (sp.suppress) continue;
            if (sp.conv == 'p')
                *va_arg(ap, void**) = (void*)(uintptr_t)iv;
            else
                scan_store_int(va_arg(ap, void*), sp.len, iv);
            break;
        }
        if (!sp.suppress) done++;
    }
    return done;

input_failure:
    return done != 0 ? done : SCAN_EOF;
}
CCBOX_LIBC_EXPORT(vsscanf)

int ccbox_libc_sscanf(const char* str, const char* fmt, ...) {
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = ccbox_libc_vsscanf(str, fmt, ap);
    va_end(ap);
    return r;
}
CCBOX_LIBC_EXPORT(sscanf)

CCBOX_LIBC_EXPORT_AS(sscanf, __isoc99_sscanf)
CCBOX_LIBC_EXPORT_AS(vsscanf, __isoc99_vsscanf)
