#!/bin/sh
# The SDK tour: build the SDK, then build, sign, inspect and run an enclave application
# (samples/helloworld) in both backends, and seal and unseal (samples/data-sealing).
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh
B=build
CCBOX=$B/bin/ccbox
SAMPLE=$B/samples/helloworld

echo
echo "== the enclave image, its identity and signature =="
"$CCBOX" inspect "$SAMPLE/helloworld_enc.signed"
echo
echo "== MRENCLAVE recomputed offline from the unsigned image and its configuration =="
"$CCBOX" measure -e "$SAMPLE/helloworld_enc" -c samples/helloworld/enclave/helloworld.conf
echo
echo "== running it: ECALL into the enclave, which answers through an OCALL =="
"$SAMPLE/helloworld_host" "$SAMPLE/helloworld_enc.signed"
echo "   (isolated backend: the enclave ran in its own locked-down process, started by ccboxd)"
echo
echo "== the same enclave in the sim backend (in-process, no isolation) =="
CCBOX_SIMULATE=1 "$SAMPLE/helloworld_host" "$SAMPLE/helloworld_enc.signed"
echo
echo "== the platform: SKU, EPC, enclaves =="
"$CCBOX" platform status
echo
echo "== sealing: one run seals a secret, the next run unseals it; a changed blob is refused =="
SEAL=$B/samples/data-sealing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$SEAL/datasealing_host" "$SEAL/datasealing_enc.signed" seal unique "the launch codes" "$tmp/secret.sealed"
"$SEAL/datasealing_host" "$SEAL/datasealing_enc.signed" unseal "$tmp/secret.sealed"
python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[-1]^=1; open(p,'wb').write(b)" \
    "$tmp/secret.sealed"
if "$SEAL/datasealing_host" "$SEAL/datasealing_enc.signed" unseal "$tmp/secret.sealed" 2>&1; then
    echo "a changed blob was unsealed"
    exit 1
fi
echo
echo "ccboxd keeps running for the next enclave; 'build/bin/ccbox platform stop' stops it."
