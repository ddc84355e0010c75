/* Declarations of the enclave libc's ccbox_libc_* functions for host unit tests.
 * Trust domain: host tests only. The host build of the enclave libc (without
 * CCBOX_ENCLAVE_LIBC) defines only the prefixed names, so tests can call them side by side
 * with glibc's. Covers string.c, string_fortify.c, ctype.c, stdlib.c and scanf.c. Usable
 * from C and C++. */
#ifndef CCBOX_ENCLAVE_LIBC_TEST_DECLS_H
#define CCBOX_ENCLAVE_LIBC_TEST_DECLS_H

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <wchar.h>
#include <wctype.h>

#ifdef __cplusplus
extern "C" {
#endif

/* string.c */
void* ccbox_libc_memcpy(void* dest, const void* src, size_t n);
void* ccbox_libc_memmove(void* dest, const void* src, size_t n);
void* ccbox_libc_mempcpy(void* dest, const void* src, size_t n);
void* ccbox_libc_memset(void* dest, int c, size_t n);
void ccbox_libc_bzero(void* s, size_t n);
void ccbox_libc_explicit_bzero(void* s, size_t n);
int ccbox_libc_memcmp(const void* s1, const void* s2, size_t n);
int ccbox_libc_bcmp(const void* s1, const void* s2, size_t n);
void* ccbox_libc_memchr(const void* s, int c, size_t n);
void* ccbox_libc_memrchr(const void* s, int c, size_t n);
void* ccbox_libc_rawmemchr(const void* s, int c);
void* ccbox_libc_memmem(const void* haystack, size_t haystacklen, const void* needle,
                        size_t needlelen);
size_t ccbox_libc_strlen(const char* s);
size_t ccbox_libc_strnlen(const char* s, size_t maxlen);
char* ccbox_libc_strcpy(char* dest, const char* src);
char* ccbox_libc_strncpy(char* dest, const char* src, size_t n);
char* ccbox_libc_stpcpy(char* dest, const char* src);
char* ccbox_libc_stpncpy(char* dest, const char* src, size_t n);
char* ccbox_libc_strcat(char* dest, const char* src);
char* ccbox_libc_strncat(char* dest, const char* src, size_t n);
int ccbox_libc_strcmp(const char* s1, const char* s2);
int ccbox_libc_strncmp(const char* s1, const char* s2, size_t n);
int ccbox_libc_strcasecmp(const char* s1, const char* s2);
int ccbox_libc_strncasecmp(const char* s1, const char* s2, size_t n);
int ccbox_libc_strcoll(const char* s1, const char* s2);
size_t ccbox_libc_strxfrm(char* dest, const char* src, size_t n);
char* ccbox_libc_strchr(const char* s, int c);
char* ccbox_libc_strrchr(const char* s, int c);
char* ccbox_libc_strchrnul(const char* s, int c);
char* ccbox_libc_strstr(const char* haystack, const char* needle);
char* ccbox_libc_strcasestr(const char* haystack, const char* needle);
size_t ccbox_libc_strspn(const char* s, const char* accept);
size_t ccbox_libc_strcspn(const char* s, const char* reject);
char* ccbox_libc_strpbrk(const char* s, const char* accept);
char* ccbox_libc_strsep(char** stringp, const char* delim);
char* ccbox_libc_strtok(char* s, const char* delim);
char* ccbox_libc_strtok_r(char* s, const char* delim, char** saveptr);
char* ccbox_libc_strdup(const char* s);
char* ccbox_libc_strndup(const char* s, size_t n);
char* ccbox_libc_strerror(int errnum);
const char* ccbox_libc_strerrorname_np(int errnum);
char* ccbox_libc_strerror_r(int errnum, char* buf, size_t buflen);
int ccbox_libc___xpg_strerror_r(int errnum, char* buf, size_t buflen);
size_t ccbox_libc_wcslen(const wchar_t* s);
size_t ccbox_libc_wcsnlen(const wchar_t* s, size_t maxlen);
int ccbox_libc_wcscmp(const wchar_t* s1, const wchar_t* s2);
int ccbox_libc_wcsncmp(const wchar_t* s1, const wchar_t* s2, size_t n);
wchar_t* ccbox_libc_wcscpy(wchar_t* dest, const wchar_t* src);
wchar_t* ccbox_libc_wcsncpy(wchar_t* dest, const wchar_t* src, size_t n);
wchar_t* ccbox_libc_wcschr(const wchar_t* s, wchar_t c);
wchar_t* ccbox_libc_wcsrchr(const wchar_t* s, wchar_t c);
wchar_t* ccbox_libc_wmemcpy(wchar_t* dest, const wchar_t* src, size_t n);
wchar_t* ccbox_libc_wmemmove(wchar_t* dest, const wchar_t* src, size_t n);
wchar_t* ccbox_libc_wmemset(wchar_t* dest, wchar_t c, size_t n);
int ccbox_libc_wmemcmp(const wchar_t* s1, const wchar_t* s2, size_t n);
wchar_t* ccbox_libc_wmemchr(const wchar_t* s, wchar_t c, size_t n);

/* string_fortify.c */
void* ccbox_libc___memcpy_chk(void* dest, const void* src, size_t len, size_t destlen);
void* ccbox_libc___memmove_chk(void* dest, const void* src, size_t len, size_t destlen);
void* ccbox_libc___mempcpy_chk(void* dest, const void* src, size_t len, size_t destlen);
void* ccbox_libc___memset_chk(void* dest, int c, size_t len, size_t destlen);
void ccbox_libc___explicit_bzero_chk(void* dest, size_t len, size_t destlen);
char* ccbox_libc___strcpy_chk(char* dest, const char* src, size_t destlen);
char* ccbox_libc___stpcpy_chk(char* dest, const char* src, size_t destlen);
char* ccbox_libc___strncpy_chk(char* dest, const char* src, size_t n, size_t destlen);
char* ccbox_libc___stpncpy_chk(char* dest, const char* src, size_t n, size_t destlen);
char* ccbox_libc___strcat_chk(char* dest, const char* src, size_t destlen);
char* ccbox_libc___strncat_chk(char* dest, const char* src, size_t n, size_t destlen);
wchar_t* ccbox_libc___wmemcpy_chk(wchar_t* dest, const wchar_t* src, size_t n, size_t destlen);
wchar_t* ccbox_libc___wmemmove_chk(wchar_t* dest, const wchar_t* src, size_t n, size_t destlen);
wchar_t* ccbox_libc___wmemset_chk(wchar_t* dest, wchar_t c, size_t n, size_t destlen);

/* ctype.c */
const unsigned short int** ccbox_libc___ctype_b_loc(void);
const int32_t** ccbox_libc___ctype_tolower_loc(void);
const int32_t** ccbox_libc___ctype_toupper_loc(void);
int ccbox_libc_isalnum(int c);
int ccbox_libc_isalpha(int c);
int ccbox_libc_isascii(int c);
int ccbox_libc_isblank(int c);
int ccbox_libc_iscntrl(int c);
int ccbox_libc_isdigit(int c);
int ccbox_libc_isgraph(int c);
int ccbox_libc_islower(int c);
int ccbox_libc_isprint(int c);
int ccbox_libc_ispunct(int c);
int ccbox_libc_isspace(int c);
int ccbox_libc_isupper(int c);
int ccbox_libc_isxdigit(int c);
int ccbox_libc_tolower(int c);
int ccbox_libc_toupper(int c);
int ccbox_libc_toascii(int c);
int ccbox_libc_iswalnum(wint_t wc);
int ccbox_libc_iswalpha(wint_t wc);
int ccbox_libc_iswblank(wint_t wc);
int ccbox_libc_iswcntrl(wint_t wc);
int ccbox_libc_iswdigit(wint_t wc);
int ccbox_libc_iswgraph(wint_t wc);
int ccbox_libc_iswlower(wint_t wc);
int ccbox_libc_iswprint(wint_t wc);
int ccbox_libc_iswpunct(wint_t wc);
int ccbox_libc_iswspace(wint_t wc);
int ccbox_libc_iswupper(wint_t wc);
int ccbox_libc_iswxdigit(wint_t wc);
wint_t ccbox_libc_towlower(wint_t wc);
wint_t ccbox_libc_towupper(wint_t wc);

/* stdlib.c */
long ccbox_libc_strtol(const char* nptr, char** endptr, int base);
unsigned long ccbox_libc_strtoul(const char* nptr, char** endptr, int base);
long long ccbox_libc_strtoll(const char* nptr, char** endptr, int base);
unsigned long long ccbox_libc_strtoull(const char* nptr, char** endptr, int base);
intmax_t ccbox_libc_strtoimax(const char* nptr, char** endptr, int base);
uintmax_t ccbox_libc_strtoumax(const char* nptr, char** endptr, int base);
int ccbox_libc_atoi(const char* nptr);
long ccbox_libc_atol(const char* nptr);
long long ccbox_libc_atoll(const char* nptr);
int ccbox_libc_abs(int j);
long ccbox_libc_labs(long j);
long long ccbox_libc_llabs(long long j);
intmax_t ccbox_libc_imaxabs(intmax_t j);
div_t ccbox_libc_div(int numer, int denom);
ldiv_t ccbox_libc_ldiv(long numer, long denom);
lldiv_t ccbox_libc_lldiv(long long numer, long long denom);
imaxdiv_t ccbox_libc_imaxdiv(intmax_t numer, intmax_t denom);
void ccbox_libc_qsort(void* base, size_t nmemb, size_t size,
                      int (*compar)(const void*, const void*));
void ccbox_libc_qsort_r(void* base, size_t nmemb, size_t size,
                        int (*compar)(const void*, const void*, void*), void* arg);
void* ccbox_libc_bsearch(const void* key, const void* base, size_t nmemb, size_t size,
                         int (*compar)(const void*, const void*));

/* scanf.c */
int ccbox_libc_sscanf(const char* str, const char* fmt, ...);
int ccbox_libc_vsscanf(const char* str, const char* fmt, va_list ap);

#ifdef __cplusplus
}
#endif

#endif
