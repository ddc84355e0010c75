#!/bin/sh
# Builds tests/compat/hostsock (an enclave on OE's host socket layer, with a host that lies in
# the socket OCALLs) against the installed SDK and runs it in both backends.
# Usage: oe_hostsock.sh PREFIX SOURCE_DIR
set -eu
prefix=$1 source=$2
work=$(mktemp -d /tmp/ccbox-oe-hostsock-XXXXXX)
state="$work/state"
cleanup() {
    "$prefix/bin/ccbox" platform stop --state-dir "$state" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
. "$(dirname "$0")/../support/step.sh"
export PATH="$prefix/bin:$PATH" CCBOX_STATE_DIR="$state" CCBOX_PLATFORM_IDLE_EXIT=10
unset CCBOX_PLATFORM_PATH CCBOX_SIMULATE
step cmake -S "$source" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix"
step cmake --build "$work/build"
cd "$work/build"
for backend in isolated sim; do
    if [ $backend = sim ]; then export OE_HOSTSOCK_SIMULATE=1; else unset OE_HOSTSOCK_SIMULATE; fi
    if ! out=$(./hostsock_host ./enclave.signed 2>&1); then
        echo "oe_hostsock ($backend) failed:"
        echo "$out"
        exit 1
    fi
    echo "$out" | sed -n 1,200p
    # every lie was told and refused, and each refusal was named on the enclave's stderr
    for text in "refused it and kept working" "resolver: ok" "which an open enclave socket already names" \
        "the host claims 9 bytes of a 8-byte request" "which is not a descriptor"; do
        echo "$out" | grep -qF -- "$text" || { echo "oe_hostsock ($backend): expected \"$text\""; exit 1; }
    done
    echo "oe_hostsock ($backend): ok"
done
