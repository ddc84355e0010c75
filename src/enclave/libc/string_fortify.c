/* _FORTIFY_SOURCE entry points for the enclave libc.
 * Trust domain: enclave (libc). Code built with -D_FORTIFY_SOURCE against glibc's headers
 * calls __memcpy_chk(dest, src, len, destlen) and friends, where destlen is the compiler's
 * idea of the destination's size. Each checks that the operation fits and otherwise calls
 * __chk_fail(), which never returns (the enclave runtime provides it; host tests use
 * glibc's). Like the rest of the libc each is written as ccbox_libc_NAME and exported under
 * glibc's name in the enclave build only. The wide-character variants take the destination
 * size in wide characters, as glibc's headers pass it. */

#include <stddef.h>
#include <wchar.h>

#include "libc_export.h"

extern void __chk_fail(void) __attribute__((noreturn));

/* The enclave libc's own string functions (string.c). */
void* ccbox_libc_memcpy(void* restrict dest, const void* restrict src, size_t n);
void* ccbox_libc_memmove(void* dest, const void* src, size_t n);
void* ccbox_libc_memset(void* dest, int c, size_t n);
size_t ccbox_libc_strlen(const char* s);
size_t ccbox_libc_strnlen(const char* s, size_t maxlen);
char* ccbox_libc_stpncpy(char* restrict dest, const char* restrict src, size_t n);
void ccbox_libc_explicit_bzero(void* s, size_t n);
wchar_t* ccbox_libc_wmemset(wchar_t* dest, wchar_t c, size_t n);

void* ccbox_libc___memcpy_chk(void* restrict dest, const void* restrict src, size_t len,
                              size_t destlen) {
    if (destlen < len) __chk_fail();
    return ccbox_libc_memcpy(dest, src, len);
}
CCBOX_LIBC_EXPORT(__memcpy_chk)

void* ccbox_libc___memmove_chk(void* dest, const void* src, size_t len, size_t destlen) {
    if (destlen < len) __chk_fail();
    return ccbox_libc_memmove(dest, src, len);
}
CCBOX_LIBC_EXPORT(__memmove_chk)

void* ccbox_libc___mempcpy_chk(void* restrict dest, const void* restrict src, size_t len,
                               size_t destlen) {
    if (destlen < len) __chk_fail();
    return (char*)ccbox_libc_memcpy(dest, src, len) + len;
}
CCBOX_LIBC_EXPORT(__mempcpy_chk)

void* ccbox_libc___memset_chk(void* dest, int c, size_t len, size_t destlen) {
    if (destlen < len) __chk_fail();
    return ccbox_libc_memset(dest, c, len);
}
CCBOX_LIBC_EXPORT(__memset_chk)

void ccbox_libc___explicit_bzero_chk(void* dest, size_t len, size_t destlen) {
    if (destlen < len) __chk_fail();
    ccbox_libc_explicit_bzero(dest, len);
}
CCBOX_LIBC_EXPORT(__explicit_bzero_chk)

char* ccbox_libc___strcpy_chk(char* restrict dest, const char* restrict src, size_t destlen) {
    size_t len = ccbox_libc_strlen(src);
    if (len >= destlen) __chk_fail();
    return ccbox_libc_memcpy(dest, src, len + 1);
}
CCBOX_LIBC_EXPORT(__strcpy_chk)

char* ccbox_libc___stpcpy_chk(char* restrict dest, const char* restrict src, size_t destlen) {
    size_t len = ccbox_libc_strlen(src);
    if (len >= destlen) __chk_fail();
    ccbox_libc_memcpy(dest, src, len + 1);
    return dest + len;
}
CCBOX_LIBC_EXPORT(__stpcpy_chk)

/* strncpy and stpncpy always write n bytes, so n itself must fit. */
char* ccbox_libc___strncpy_chk(char* restrict dest, const char* restrict src, size_t n,
                               size_t destlen) {
    if (destlen < n) __chk_fail();
    ccbox_libc_stpncpy(dest, src, n);
    return dest;
}
CCBOX_LIBC_EXPORT(__strncpy_chk)

char* ccbox_libc___stpncpy_chk(char* restrict dest, const char* restrict src, size_t n,
                               size_t destlen) {
    if (destlen < n) __chk_fail();
    return ccbox_libc_stpncpy(dest, src, n);
}
CCBOX_LIBC_EXPORT(__stpncpy_chk)

/* The existing string must end within destlen, and what is appended plus the terminator
 * must fit in what is left. */
char* ccbox_libc___strcat_chk(char* restrict dest, const char* restrict src, size_t destlen) {
    size_t used = ccbox_libc_strnlen(dest, destlen);
    if (used == destlen) __chk_fail();
    size_t len = ccbox_libc_strlen(src);
    if (len >= destlen - used) __chk_fail();
    ccbox_libc_memcpy(dest + used, src, len + 1);
    return dest;
}
CCBOX_LIBC_EXPORT(__strcat_chk)

char* ccbox_libc___strncat_chk(char* restrict dest, const char* restrict src, size_t n,
                               size_t destlen) {
    size_t used = ccbox_libc_strnlen(dest, destlen);
    if (used == destlen) __chk_fail();
    size_t len = ccbox_libc_strnlen(src, n);
    if (len >= destlen - used) __chk_fail();
    ccbox_libc_memcpy(dest + used, src, len);
    dest[used + len] = '\0';
    return dest;
}
CCBOX_LIBC_EXPORT(__strncat_chk)

wchar_t* ccbox_libc___wmemcpy_chk(wchar_t* restrict dest, const wchar_t* restrict src,
                                  size_t n, size_t destlen) {
    if (destlen < n) __chk_fail();
    return ccbox_libc_memcpy(dest, src, n * sizeof(wchar_t));
}
CCBOX_LIBC_EXPORT(__wmemcpy_chk)

wchar_t* ccbox_libc___wmemmove_chk(wchar_t* dest, const wchar_t* src, size_t n,
                                   size_t destlen) {
    if (destlen < n) __chk_fail();
    return ccbox_libc_memmove(dest, src, n * sizeof(wchar_t));
}
CCBOX_LIBC_EXPORT(__wmemmove_chk)

wchar_t* ccbox_libc___wmemset_chk(wchar_t* dest, wchar_t c, size_t n, size_t destlen) {
    if (destlen < n) __chk_fail();
    return ccbox_libc_wmemset(dest, c, n);
}
CCBOX_LIBC_EXPORT(__wmemset_chk)
