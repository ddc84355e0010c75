/* glibc's thread-local `errno`, for code that uses it directly. Trust domain: enclave (libc).
 * Code compiled against glibc's headers reaches errno through __errno_location(); glibc's own
 * static libraries do not: Debian's libm.a stores EDOM and ERANGE into the initial-exec TLS
 * symbol `errno` (and the members of libc.a that CcboxEnclave.cmake takes, `__libc_errno`). This object is linked only when something references that symbol (libm.a
 * does); __errno_location() (core/runtime_c.cpp) then returns the same variable, so both ways
 * of reaching errno agree, and errno stays per thread (each TCS has its own TLS block).
 * Enclaves that do not use libm keep errno in the TCS's thread state and have no TLS. */

__thread int errno;
/* glibc's internal name for the same variable (libc.a's ldexp and scalbn use it). */
extern __thread int __libc_errno __attribute__((alias("errno")));

int* ccbox_libc_tls_errno(void) { return &errno; }
