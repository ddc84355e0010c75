#!/bin/sh
# The main job, end to end, on embedded defaults: build the SDK, then build, sign, inspect
# and run an enclave application (samples/helloworld).
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh
B=build
CCBOX=$B/src/tools/ccbox/ccbox
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
