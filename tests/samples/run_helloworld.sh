#!/bin/sh
# helloworld: one ECALL; the enclave's message comes back through an OCALL.
set -eu
"$1" "$2" | grep -qx "Hello world from the enclave"
