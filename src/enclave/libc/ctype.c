/* Character classification for the enclave libc: the "C" locale only.
 * Trust domain: enclave (libc). Enclave code compiled against glibc's <ctype.h> turns
 * isalpha(c) and friends into lookups in the tables returned by __ctype_b_loc(),
 * __ctype_tolower_loc() and __ctype_toupper_loc(); these give glibc's "C" locale tables
 * exactly: 384 entries covering indexes -128..255, the pointer aimed at entry 0, so that a
 * (signed) char or EOF (-1) indexes them safely. The tables are constant data built at
 * compile time: no constructor, no locale machinery, no thread-local state. */

/* Keep <ctype.h> from turning the names below into macros or inline functions. */
#define __NO_CTYPE 1

#include <ctype.h>
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <wctype.h>

#include "libc_export.h"

/* Class bits of one character of the "C" locale; c is in 0..127. */
#define CC_UPPER(c) ((c) >= 'A' && (c) <= 'Z')
#define CC_LOWER(c) ((c) >= 'a' && (c) <= 'z')
#define CC_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define CC_XALPHA(c) (((c) >= 'A' && (c) <= 'F') || ((c) >= 'a' && (c) <= 'f'))
#define CC_CNTRL(c) ((c) < 0x20 || (c) == 0x7f)
#define CC_SPACE(c) ((c) == ' ' || ((c) >= '\t' && (c) <= '\r'))
#define CC_BLANK(c) ((c) == ' ' || (c) == '\t')
#define CC_GRAPH(c) ((c) > 0x20 && (c) < 0x7f)
#define CC_PUNCT(c) (CC_GRAPH(c) && !CC_UPPER(c) && !CC_LOWER(c) && !CC_DIGIT(c))

#define CC_BITS(c)                                                                          \
    ((unsigned short)((CC_UPPER(c) ? _ISupper : 0) | (CC_LOWER(c) ? _ISlower : 0) |       \
                      ((CC_UPPER(c) || CC_LOWER(c)) ? _ISalpha : 0) |                     \
                      (CC_DIGIT(c) ? _ISdigit : 0) |                                      \
                      ((CC_DIGIT(c) || CC_XALPHA(c)) ? _ISxdigit : 0) |                   \
                      (CC_SPACE(c) ? _ISspace : 0) |                                      \
                      ((CC_GRAPH(c) || (c) == ' ') ? _ISprint : 0) |                      \
                      (CC_GRAPH(c) ? _ISgraph : 0) | (CC_BLANK(c) ? _ISblank : 0) |       \
                      (CC_CNTRL(c) ? _IScntrl : 0) | (CC_PUNCT(c) ? _ISpunct : 0) |       \
                      ((CC_UPPER(c) || CC_LOWER(c) || CC_DIGIT(c)) ? _ISalnum : 0)))

/* Case mapping of one value in -128..255, as glibc's "C" locale tables have it: ASCII
 * letters map, EOF (-1) maps to itself, -128..-2 map to the unsigned char value. */
#define CC_LOWERED(c) (CC_UPPER(c) ? (c) + 32 : ((c) < -1 ? (c) + 256 : (c)))
#define CC_UPPERED(c) (CC_LOWER(c) ? (c) - 32 : ((c) < -1 ? (c) + 256 : (c)))

#define CC_R4(M, b) M(b), M((b) + 1), M((b) + 2), M((b) + 3)
#define CC_R16(M, b) CC_R4(M, b), CC_R4(M, (b) + 4), CC_R4(M, (b) + 8), CC_R4(M, (b) + 12)
#define CC_R64(M, b) CC_R16(M, b), CC_R16(M, (b) + 16), CC_R16(M, (b) + 32), CC_R16(M, (b) + 48)
#define CC_R128(M, b) CC_R64(M, b), CC_R64(M, (b) + 64)

/* Index i of each table holds the entry for character value i - 128. */
static const unsigned short int ctype_class_table[384] = {
    /* -128..-1: no class in the "C" locale (zero-filled) */
    [128] = CC_R128(CC_BITS, 0),
    /* 128..255: no class (zero-filled) */
};

static const int32_t ctype_tolower_table[384] = {
    CC_R128(CC_LOWERED, -128), CC_R128(CC_LOWERED, 0), CC_R128(CC_LOWERED, 128),
};

static const int32_t ctype_toupper_table[384] = {
    CC_R128(CC_UPPERED, -128), CC_R128(CC_UPPERED, 0), CC_R128(CC_UPPERED, 128),
};

static const unsigned short int* const ctype_class_ptr = ctype_class_table + 128;
static const int32_t* const ctype_tolower_ptr = ctype_tolower_table + 128;
static const int32_t* const ctype_toupper_ptr = ctype_toupper_table + 128;

/* glibc's prototypes return a pointer to a modifiable pointer (it is per-thread there);
 * ours is constant data, so nothing may write through it (glibc's macros never do). */
const unsigned short int** ccbox_libc___ctype_b_loc(void) {
    return (const unsigned short int**)&ctype_class_ptr;
}
CCBOX_LIBC_EXPORT(__ctype_b_loc)

const int32_t** ccbox_libc___ctype_tolower_loc(void) {
    return (const int32_t**)&ctype_tolower_ptr;
}
CCBOX_LIBC_EXPORT(__ctype_tolower_loc)

const int32_t** ccbox_libc___ctype_toupper_loc(void) {
    return (const int32_t**)&ctype_toupper_ptr;
}
CCBOX_LIBC_EXPORT(__ctype_toupper_loc)

/* The class bits of c; zero outside the table's -128..255 (glibc does not check there). */
static inline int ctype_bits(int c, unsigned short mask) {
    if (c < -128 || c > 255) return 0;
    return ctype_class_table[c + 128] & mask;
}

int ccbox_libc_isalnum(int c) { return ctype_bits(c, _ISalnum); }
CCBOX_LIBC_EXPORT(isalnum)
int ccbox_libc_isalpha(int c) { return ctype_bits(c, _ISalpha); }
CCBOX_LIBC_EXPORT(isalpha)
int ccbox_libc_isblank(int c) { return ctype_bits(c, _ISblank); }
CCBOX_LIBC_EXPORT(isblank)
int ccbox_libc_iscntrl(int c) { return ctype_bits(c, _IScntrl); }
CCBOX_LIBC_EXPORT(iscntrl)
int ccbox_libc_isdigit(int c) { return ctype_bits(c, _ISdigit); }
CCBOX_LIBC_EXPORT(isdigit)
int ccbox_libc_isgraph(int c) { return ctype_bits(c, _ISgraph); }
CCBOX_LIBC_EXPORT(isgraph)
int ccbox_libc_islower(int c) { return ctype_bits(c, _ISlower); }
CCBOX_LIBC_EXPORT(islower)
int ccbox_libc_isprint(int c) { return ctype_bits(c, _ISprint); }
CCBOX_LIBC_EXPORT(isprint)
int ccbox_libc_ispunct(int c) { return ctype_bits(c, _ISpunct); }
CCBOX_LIBC_EXPORT(ispunct)
int ccbox_libc_isspace(int c) { return ctype_bits(c, _ISspace); }
CCBOX_LIBC_EXPORT(isspace)
int ccbox_libc_isupper(int c) { return ctype_bits(c, _ISupper); }
CCBOX_LIBC_EXPORT(isupper)
int ccbox_libc_isxdigit(int c) { return ctype_bits(c, _ISxdigit); }
CCBOX_LIBC_EXPORT(isxdigit)

int ccbox_libc_isascii(int c) { return (c & ~0x7f) == 0; }
CCBOX_LIBC_EXPORT(isascii)

int ccbox_libc_toascii(int c) { return c & 0x7f; }
CCBOX_LIBC_EXPORT(toascii)

int ccbox_libc_tolower(int c) {
    return (c >= -128 && c <= 255) ? ctype_tolower_table[c + 128] : c;
}
CCBOX_LIBC_EXPORT(tolower)

int ccbox_libc_toupper(int c) {
    return (c >= -128 && c <= 255) ? ctype_toupper_table[c + 128] : c;
}
CCBOX_LIBC_EXPORT(toupper)

/* Wide characters, "C" locale: ASCII classes only; nothing above 127 is in any class. */
static inline int wctype_bits(wint_t wc, unsigned short mask) {
    if (wc > 127) return 0;
    return ctype_class_table[wc + 128] & mask;
}

int ccbox_libc_iswalnum(wint_t wc) { return wctype_bits(wc, _ISalnum); }
CCBOX_LIBC_EXPORT(iswalnum)
int ccbox_libc_iswalpha(wint_t wc) { return wctype_bits(wc, _ISalpha); }
CCBOX_LIBC_EXPORT(iswalpha)
int ccbox_libc_iswblank(wint_t wc) { return wctype_bits(wc, _ISblank); }
CCBOX_LIBC_EXPORT(iswblank)
int ccbox_libc_iswcntrl(wint_t wc) { return wctype_bits(wc, _IScntrl); }
CCBOX_LIBC_EXPORT(iswcntrl)
int ccbox_libc_iswdigit(wint_t wc) { return wctype_bits(wc, _ISdigit); }
CCBOX_LIBC_EXPORT(iswdigit)
int ccbox_libc_iswgraph(wint_t wc) { return wctype_bits(wc, _ISgraph); }
CCBOX_LIBC_EXPORT(iswgraph)
int ccbox_libc_iswlower(wint_t wc) { return wctype_bits(wc, _ISlower); }
CCBOX_LIBC_EXPORT(iswlower)
int ccbox_libc_iswprint(wint_t wc) { return wctype_bits(wc, _ISprint); }
CCBOX_LIBC_EXPORT(iswprint)
int ccbox_libc_iswpunct(wint_t wc) { return wctype_bits(wc, _ISpunct); }
CCBOX_LIBC_EXPORT(iswpunct)
int ccbox_libc_iswspace(wint_t wc) { return wctype_bits(wc, _ISspace); }
CCBOX_LIBC_EXPORT(iswspace)
int ccbox_libc_iswupper(wint_t wc) { return wctype_bits(wc, _ISupper); }
CCBOX_LIBC_EXPORT(iswupper)
int ccbox_libc_iswxdigit(wint_t wc) { return wctype_bits(wc, _ISxdigit); }
CCBOX_LIBC_EXPORT(iswxdigit)

wint_t ccbox_libc_towlower(wint_t wc) {
    return (wc >= 'A' && wc <= 'Z') ? wc + 32 : wc;
}
CCBOX_LIBC_EXPORT(towlower)

wint_t ccbox_libc_towupper(wint_t wc) {
    return (wc >= 'a' && wc <= 'z') ? wc - 32 : wc;
}
CCBOX_LIBC_EXPORT(towupper)

/* The "C" locale's numeric and monetary conventions (nlohmann-json asks for the decimal point). */
struct lconv* ccbox_libc_localeconv(void)
{
    static struct lconv c_locale = {
        .decimal_point = (char*)".", .thousands_sep = (char*)"", .grouping = (char*)"",
        .int_curr_symbol = (char*)"", .currency_symbol = (char*)"", .mon_decimal_point = (char*)"",
        .mon_thousands_sep = (char*)"", .mon_grouping = (char*)"", .positive_sign = (char*)"",
        .negative_sign = (char*)"", .int_frac_digits = CHAR_MAX, .frac_digits = CHAR_MAX,
        .p_cs_precedes = CHAR_MAX, .p_sep_by_space = CHAR_MAX, .n_cs_precedes = CHAR_MAX,
        .n_sep_by_space = CHAR_MAX, .p_sign_posn = CHAR_MAX, .n_sign_posn = CHAR_MAX,
        .int_p_cs_precedes = CHAR_MAX, .int_p_sep_by_space = CHAR_MAX, .int_n_cs_precedes = CHAR_MAX,
        .int_n_sep_by_space = CHAR_MAX, .int_p_sign_posn = CHAR_MAX, .int_n_sign_posn = CHAR_MAX,
    };
    return &c_locale;
}
CCBOX_LIBC_EXPORT(localeconv)
