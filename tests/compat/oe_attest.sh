#!/bin/sh
# Builds tests/compat/attestation (OE's attestation API used and attacked by an application
# built with OE's CMake package) against the installed SDK and runs it in both backends.
# Usage: oe_attest.sh PREFIX SOURCE_DIR
set -eu
prefix=$1 source=$2
work=$(mktemp -d /tmp/ccbox-oe-attest-XXXXXX)
cleanup() {
    for state in "$work"/state-*; do
        [ -d "$state" ] && "$prefix/bin/ccbox" platform stop --state-dir "$state" >/dev/null 2>&1
    done
    rm -rf "$work"
}
trap cleanup EXIT
. "$(dirname "$0")/../support/step.sh"
export PATH="$prefix/bin:$PATH" CCBOX_STATE_DIR="$work/state-build" CCBOX_PLATFORM_IDLE_EXIT=10
unset CCBOX_PLATFORM_PATH CCBOX_SIMULATE CCBOX_OE_COLLATERAL CCBOX_OE_TRUSTED_ROOTS
step cmake -S "$source" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix"
step cmake --build "$work/build"
cd "$work/build"
# The platform makes its development PKI on its first quote (the host reads its root after
# one), and the enclave that pins a root of its own is given that one. Each backend has its own
# state directory: as root, the isolated backend's platform has a production TCB and the sim
# backend's a development one, and the PKI the first of them makes lists only its own TCB.
for backend in isolated sim; do
    export CCBOX_STATE_DIR="$work/state-$backend"
    root="$CCBOX_STATE_DIR/development-pki/root_ca.pem"
    if [ $backend = sim ]; then export OE_ATTEST_SIMULATE=1; else unset OE_ATTEST_SIMULATE; fi
    if ! out=$(./oe_attest_host ./enclave_a.signed ./enclave_b.signed "$root" 2>&1); then
        echo "oe_attest ($backend) failed:"
        echo "$out"
        exit 1
    fi
    case "$out" in *"oe_attest: all checks passed"*) ;; *) echo "$out"; exit 1 ;; esac
    echo "oe_attest ($backend): ok"
done
