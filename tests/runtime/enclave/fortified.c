/* Enclave code built the way Debian's hardened packages are (-O2 -D_FORTIFY_SOURCE=2, see
 * tests/runtime/CMakeLists.txt): the compiler turns these calls into glibc's __*_chk
 * variants, which the enclave libc provides. An overflow the compiler cannot see at build
 * time is caught at run time and aborts the enclave. */
#include "runtime_test_t.h"

#include <stdio.h>
#include <string.h>

/* Returns 0 when every fortified call did its job; `len` bytes are copied into a 16-byte
 * buffer, so len > 16 must never return. */
int rt_fortified(size_t len) {
    char source[64];
    char small[16];
    char text[32];
    memset(source, 'x', sizeof source);                 /* __memset_chk */
    memcpy(small, source, len);                         /* __memcpy_chk */
    if (small[len ? len - 1 : 0] != (len ? 'x' : small[0]))
        return 1;
    strcpy(text, "fortified");                          /* __strcpy_chk */
    strcat(text, " calls");                             /* __strcat_chk */
    if (strcmp(text, "fortified calls") != 0)
        return 2;
    int n = snprintf(text, sizeof text, "%zu bytes", len);  /* __snprintf_chk */
    if (n <= 0 || strncmp(text, "1", 1) < 0)
        return 3;
    memmove(small + 1, small, len > 0 ? len - 1 : 0);  /* __memmove_chk */
    return 0;
}
