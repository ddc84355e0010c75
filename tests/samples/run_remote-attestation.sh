#!/bin/sh
# remote-attestation: evidence from the enclave verifies against the platform's development
# PKI (made on first use in the state directory), with the custom claims, the development mode
# and the enclave's identity; a production policy, a changed byte and another root all fail.
set -eu
host=$1 image=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
state=${CCBOX_STATE_DIR:?the sample test sets CCBOX_STATE_DIR}
"$host" "$image" evidence "nonce=4242" "$dir/evidence.bin" >/dev/null
pki="$state/development-pki"
"${CCBOX_TOOL:-ccbox}" collateral --pki "$pki" --out "$dir/collateral.json"
out=$("$host" verify "$dir/evidence.bin" "$dir/collateral.json" "$pki/root_ca.pem")
for want in "evidence verified" "custom_claims_buffer: nonce=4242" "ccbox_platform_mode: development" \
            "security_version: 02000000" "ccbox_tcb_status: UpToDate"; do
    case "$out" in *"$want"*) ;; *) echo "verify did not print '$want':"; echo "$out"; exit 1 ;; esac
done
if "$host" verify "$dir/evidence.bin" "$dir/collateral.json" "$pki/root_ca.pem" --require-production 2>"$dir/err"; then
    echo "a production policy accepted a development platform"; exit 1
fi
grep -q policy_development_platform "$dir/err" || { cat "$dir/err"; exit 1; }
# The custom claims are bound: change one byte of them (the last byte of the evidence).
python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[-1]^=1; open(p,'wb').write(b)" \
    "$dir/evidence.bin"
if "$host" verify "$dir/evidence.bin" "$dir/collateral.json" "$pki/root_ca.pem" 2>"$dir/err"; then
    echo "changed custom claims verified"; exit 1
fi
grep -q "REPORTDATA does not bind the custom claims" "$dir/err" || { cat "$dir/err"; exit 1; }
