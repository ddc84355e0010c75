#!/bin/sh
# oesign and oeedger8r as OE's users run them, from the installed SDK.
# Usage: oe_tools.sh PREFIX UNSIGNED_ENCLAVE CONF EDL
set -eu
prefix=$1 image=$2 conf=$3 edl=$4
work=$(mktemp -d /tmp/ccbox-oe-tools-XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/../support/step.sh"
oesign=$prefix/bin/oesign ccbox=$prefix/bin/ccbox oeedger8r=$prefix/bin/oeedger8r
cd "$work"
fail() { echo "oe_tools: $*"; exit 1; }
# must_fail TEXT COMMAND...: the command fails and says TEXT
must_fail() {
    text=$1
    shift
    if "$@" >out.log 2>&1; then fail "succeeded, but should not: $*"; fi
    grep -qF -- "$text" out.log || { echo "oe_tools: '$*' did not say \"$text\":"; cat out.log; exit 1; }
}
field() { sed -n "s/.*\"$2\": *\"\([0-9a-f]*\)\".*/\1/p" "$1" | head -1; }

# ---- oesign sign -e -c -k, with a key made as OE's docs say ----
step openssl genrsa -out key.pem -3 3072
step "$oesign" sign -e "$image" -c "$conf" -k key.pem -o one.signed
step "$ccbox" inspect --json one.signed
"$ccbox" inspect --json one.signed >one.json
# default output: ENCLAVE.signed
cp "$image" enc
step "$oesign" sign -e enc -c "$conf" -k key.pem
[ -f enc.signed ] || fail "sign without -o did not write ENCLAVE.signed"

# ---- two-step: oesign digest, an offline signature, oesign sign -x CERT -d SIG ----
step "$oesign" digest -e "$image" -c "$conf" -d digest.bin
[ "$(wc -c <digest.bin)" -eq 32 ] || fail "the digest is not 32 bytes"
step openssl pkeyutl -sign -inkey key.pem -pkeyopt digest:sha256 -in digest.bin -out sig.bin
step openssl req -new -x509 -key key.pem -subj /CN=oesign-test -days 2 -out cert.pem
step "$oesign" sign -e "$image" -c "$conf" -x cert.pem -d sig.bin -o two.signed
"$ccbox" inspect --json two.signed >two.json || fail "the two-step image does not pass inspection"
[ "$(field one.json mrenclave)" = "$(field two.json mrenclave)" ] || fail "one- and two-step MRENCLAVE differ"
[ "$(field one.json mrsigner)" = "$(field two.json mrsigner)" ] || fail "one- and two-step MRSIGNER differ"
[ -n "$(field one.json mrsigner)" ] || fail "no mrsigner in inspect --json"
# a PEM public key works for -x too
step openssl rsa -in key.pem -pubout -out pub.pem
step "$oesign" sign -e "$image" -c "$conf" -x pub.pem -d sig.bin -o three.signed

# ---- attacks and mistakes: refused, nothing written ----
step openssl genrsa -out other.pem -3 3072
step openssl pkeyutl -sign -inkey other.pem -pkeyopt digest:sha256 -in digest.bin -out other_sig.bin
must_fail "" "$oesign" sign -e "$image" -c "$conf" -x cert.pem -d other_sig.bin -o bad.signed
[ ! -e bad.signed ] || fail "a signature by another key produced an image"
printf 'x' >>digest.bin
must_fail "" "$oesign" sign -e "$image" -c "$conf" -x cert.pem -d digest.bin -o bad.signed
[ ! -e bad.signed ] || fail "a non-signature produced an image"
step openssl genrsa -out f4.pem 3072
must_fail "exponent" "$oesign" sign -e "$image" -c "$conf" -k f4.pem -o bad.signed
[ ! -e bad.signed ] || fail "an e=65537 key produced an image"
step openssl genrsa -out small.pem -3 2048
must_fail "3072" "$oesign" sign -e "$image" -c "$conf" -k small.pem -o bad.signed
must_fail "OpenSSL engines are not supported" "$oesign" sign -e "$image" -n pkcs11 -i key1
must_fail "either -k KEY.pem, or -x CERT.pem and -d SIGNATURE" "$oesign" sign -e "$image" -x cert.pem
printf 'Debug=1\nNumTCS=2\nNumTCS=3\n' >dup.conf
must_fail "NumTCS" "$oesign" sign -e "$image" -c dup.conf -k key.pem -o bad.signed
printf 'Debug=1\nNoSuchKey=1\n' >unknown.conf
must_fail "NoSuchKey" "$oesign" sign -e "$image" -c unknown.conf -k key.pem -o bad.signed
[ ! -e bad.signed ] || fail "a bad configuration produced an image"

# ---- oesign dump ----
"$oesign" dump -e one.signed >dump.txt || fail "dump of a signed image failed"
grep -qi "$(field one.json mrenclave)" dump.txt || fail "dump does not show MRENCLAVE"

# ---- oeedger8r: OE's options and generated names ----
inc=$prefix/include
step "$oeedger8r" --trusted "$edl" --search-path "$inc" --search-path "$inc/openenclave/edl/sgx" --trusted-dir t \
    -Wall -Werror --experimental -DSOME_FEATURE
step "$oeedger8r" --untrusted "$edl" --search-path "$inc" --search-path "$inc/openenclave/edl/sgx" --untrusted-dir u
step "$oeedger8r" --header-only "$edl" --search-path "$inc" --search-path "$inc/openenclave/edl/sgx" \
    --trusted-dir h --untrusted-dir h
n=$(basename "$edl" .edl)
for f in t/${n}_t.h t/${n}_t.c t/${n}_args.h u/${n}_u.h u/${n}_u.c u/${n}_args.h h/${n}_t.h h/${n}_u.h; do
    [ -f "$f" ] || fail "oeedger8r did not write $f"
done
[ ! -e h/${n}_t.c ] && [ ! -e h/${n}_u.c ] || fail "--header-only wrote sources"
grep -q "#include <openenclave/enclave.h>" t/${n}_t.h || fail "X_t.h does not include openenclave/enclave.h"
grep -q "#include <openenclave/host.h>" u/${n}_u.h || fail "X_u.h does not include openenclave/host.h"
grep -q "oe_result_t oe_create_${n}_enclave(" u/${n}_u.h || fail "X_u.h does not declare oe_create_${n}_enclave"
grep -q "return oe_create_enclave(" u/${n}_u.c || fail "X_u.c does not define oe_create_${n}_enclave"
# ccbox-edger8r's output has none of OE's names
step "$prefix/bin/ccbox-edger8r" --untrusted "$edl" --search-path "$inc" --search-path "$inc/openenclave/edl/sgx" \
    --untrusted-dir c
! grep -q "oe_create_\|oe_result_t\|openenclave/" c/${n}_u.h c/${n}_u.c || fail "ccbox-edger8r emitted OE names"
must_fail "--use-prefix is not supported" "$oeedger8r" --use-prefix --untrusted "$edl" --search-path "$inc"
# ---- headers: OE_SET_ENCLAVE_SGX2 in C and C++; what has no ccbox meaning stops the build ----
inc_flags="-I$inc"
cat >sgx2.c <<'SRC'
#include <openenclave/enclave.h>
OE_SET_ENCLAVE_SGX2(1, 2, {0x11}, {0x22}, true, false, true, false, 0, 128, 16, 2);
SRC
cp sgx2.c sgx2.cpp
step cc -std=c11 -Wall -Wextra -Werror -c sgx2.c -o sgx2.o $inc_flags
step c++ -std=c++17 -Wall -Wextra -Werror -c sgx2.cpp -o sgx2pp.o $inc_flags
objdump -s -j .ccbox.props sgx2.o >props.txt || fail "no .ccbox.props section"
grep -q " 11000000 00000000 00000000 00000000" props.txt || fail "ExtendedProductID is not in the properties"
sed 's/true, false, true, false, 0,/true, true, false, false, 0,/' sgx2.c >pfgp.c
must_fail "ccbox supports neither" cc -std=c11 -c pfgp.c -o pfgp.o $inc_flags
printf '#include <openenclave/host.h>\n#include <openenclave/enclave.h>\n' >both.c
must_fail "must not be included in the same compilation unit" cc -c both.c -o both.o $inc_flags
echo "oe_tools: ok"
