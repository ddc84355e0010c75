#!/bin/sh
# Enclave code includes no host header (DESIGN.md §3): every #include <...> under src/enclave
# must name a header of the interface the enclave libc itself provides (standard C and C++,
# and the POSIX pieces it implements), Mbed TLS, or ccbox's own. Facilities an enclave does
# not have (sockets, the resolver, terminals, IPC, polling, mmap, files, directories, user
# contexts) and host libraries such as OpenSSL are declared by the enclave code that needs
# them (src/enclave/libc/absent_abi.h, src/enclave/identity/openssl_evp.h). Project headers
# ("...") come from src/enclave or src/common only, never from another trust domain.
# Usage: enclave_includes.sh SOURCE_DIR
set -eu
allowed='
assert.h ctype.h errno.h inttypes.h limits.h locale.h math.h setjmp.h signal.h stdarg.h
stdbool.h stddef.h stdint.h stdio.h stdlib.h string.h strings.h time.h wchar.h wctype.h
cstddef cstdint cstring cstdlib new
unistd.h pthread.h sched.h malloc.h libintl.h sys/time.h sys/utsname.h sys/random.h
sys/syscall.h elf.h link.h dlfcn.h emmintrin.h
'
includes=$(mktemp)
trap 'rm -f "$includes"' EXIT
grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<[^>]+>' "$1/src/enclave" > "$includes" || true
status=0
while IFS= read -r line; do
    header=$(printf '%s\n' "$line" | sed -E 's/.*<([^>]+)>.*/\1/')
    case "$header" in
        ccbox/*|mbedtls/*) continue ;;
    esac
    # shellcheck disable=SC2086
    if ! printf '%s\n' $allowed | grep -qxF "$header"; then
        echo "host header in enclave code: ${line#"$1"/}"
        status=1
    fi
done < "$includes"
grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*/[^"]*"' "$1/src/enclave" > "$includes" || true
while IFS= read -r line; do
    header=$(printf '%s\n' "$line" | sed -E 's/.*"([^"]+)".*/\1/')
    case "$header" in
        enclave/*|common/*) ;;
        *) echo "header from another trust domain in enclave code: ${line#"$1"/}"; status=1 ;;
    esac
done < "$includes"
[ $status -eq 0 ] && echo "ok: src/enclave includes only enclave-side headers"
exit $status
