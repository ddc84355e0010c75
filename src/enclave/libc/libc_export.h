/* How the enclave libc names its functions.
 * Trust domain: enclave (libc). Every function is written once as ccbox_libc_NAME. In the
 * enclave build (CCBOX_ENCLAVE_LIBC defined) CCBOX_LIBC_EXPORT(NAME) also gives it its
 * standard name, as an alias, so enclave code and Debian's static libraries link against
 * it. Host unit tests compile the same sources without CCBOX_ENCLAVE_LIBC and compare the
 * ccbox_libc_ functions with glibc's. */
#ifndef CCBOX_ENCLAVE_LIBC_EXPORT_H
#define CCBOX_ENCLAVE_LIBC_EXPORT_H

#ifdef CCBOX_ENCLAVE_LIBC
/* ccbox_libc_NAME also under another name (glibc's __isoc99_ and 64 variants). */
#define CCBOX_LIBC_EXPORT_AS(name, other) \
    extern __typeof(ccbox_libc_##name) other __attribute__((alias("ccbox_libc_" #name)));
/* The same, as a weak alias: a library linked into the enclave may define NAME itself (Open
 * Enclave's host socket layer, compat/openenclave/src/hostsock.c, replaces the socket family
 * and read/write/close, and calls ccbox_libc_NAME for descriptors that are not its own). */
#define CCBOX_LIBC_EXPORT_WEAK(name) \
    extern __typeof(ccbox_libc_##name) name __attribute__((weak, alias("ccbox_libc_" #name)));
#else
#define CCBOX_LIBC_EXPORT_AS(name, other)
#define CCBOX_LIBC_EXPORT_WEAK(name)
#endif
#define CCBOX_LIBC_EXPORT(name) CCBOX_LIBC_EXPORT_AS(name, name)

#endif
