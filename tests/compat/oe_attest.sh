#!/bin/sh
# Builds tests/compat/attestation (OE's attestation API used and attacked by an application
# built with OE's CMake package) against the installed SDK and runs it in both backends.
# Usage: oe_attest.sh PREFIX SOURCE_DIR
set -eu
prefix=$1 source=$2
work=$(mktemp -d /tmp/ccbox-oe-attest-XXXXXX)
state="$work/state"
cleanup() {
    "$prefix/bin/ccbox" platform stop --state-dir "$state" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
. "$(dirname "$0")/../support/step.sh"
export PATH="$prefix/bin:$PATH" CCBOX_STATE_DIR="$state" CCBOX_PLATFORM_IDLE_EXIT=10
unset CCBOX_PLATFORM_PATH CCBOX_SIMULATE CCBOX_OE_COLLATERAL CCBOX_OE_TRUSTED_ROOTS
step cmake -S "$source" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix"
step cmake --build "$work/build"
cd "$work/build"
# The platform makes its development PKI on its first quote (the host reads its root after
# one), and the enclave that pins a root of its own is given that one. Both backends share the
# state directory, as an OE sample's `make run` and `CCBOX_SIMULATE=1 make run` do: as root the
# isolated backend's platform has a production TCB and the sim backend's a development one,
# and the development PKI the first one makes must certify both.
root="$state/development-pki/root_ca.pem"
for backend in isolated sim; do
    if [ $backend = sim ]; then export OE_ATTEST_SIMULATE=1; else unset OE_ATTEST_SIMULATE; fi
    if ! out=$(./oe_attest_host ./enclave_a.signed ./enclave_b.signed "$root" 2>&1); then
        echo "oe_attest ($backend) failed:"
        echo "$out"
        exit 1
    fi
    case "$out" in *"oe_attest: all checks passed"*) ;; *) echo "$out"; exit 1 ;; esac
    echo "oe_attest ($backend): ok"
    if ! out=$(./oe_attest_liar ./enclave_a.signed ./enclave_b.signed "$root" 2>&1); then
        echo "oe_attest_liar ($backend) failed:"
        echo "$out"
        exit 1
    fi
    echo "oe_attest_liar ($backend): ok"
done
# As root, the isolated backend's platform is a production one: provisioned under a production
# PKI whose collateral and root the host names (CCBOX_OE_COLLATERAL, CCBOX_OE_TRUSTED_ROOTS),
# its quotes verify as production on the host; an enclave told that root by its host still
# counts them as development, and as production only under the root it pins itself.
if [ "$(id -u)" = 0 ]; then
    unset OE_ATTEST_SIMULATE
    pki="$work/production-pki"
    step ccbox pki init --out "$pki"
    step ccbox platform provision --pki "$pki" --state-dir "$state"
    step ccbox collateral --pki "$pki" --out "$work/collateral.json"
    if ! out=$(env CCBOX_OE_COLLATERAL="$work/collateral.json" CCBOX_OE_TRUSTED_ROOTS="$pki/root_ca.pem" \
               ./oe_attest_host ./enclave_a.signed ./enclave_b.signed "$pki/root_ca.pem" production 2>&1); then
        echo "oe_attest (production platform) failed:"
        echo "$out"
        exit 1
    fi
    echo "oe_attest (isolated, production platform): ok"
else
    echo "oe_attest: not root: the production platform checks need ccboxd to run as root (skipped)"
fi
