#!/bin/sh
# helloworld: one ECALL; the enclave's message comes back through an OCALL. The host must
# succeed and print exactly that line.
set -eu
out=$("$1" "$2")
echo "$out" | grep -qx "Hello world from the enclave" || { echo "unexpected output: $out"; exit 1; }
