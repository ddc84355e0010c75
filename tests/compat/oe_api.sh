#!/bin/sh
# Builds tests/compat/api (an application written against OE's API, with OE's CMake package)
# against the installed SDK and runs its checks in both backends.
# Usage: oe_api.sh PREFIX SOURCE_DIR
set -eu
prefix=$1 source=$2
work=$(mktemp -d /tmp/ccbox-oe-api-XXXXXX)
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
    if [ $backend = sim ]; then export OE_API_SIMULATE=1; else unset OE_API_SIMULATE; fi
    if ! out=$(./oe_api_host ./enclave.signed 2>&1); then
        echo "oe_api ($backend) failed:"
        echo "$out"
        exit 1
    fi
    echo "oe_api ($backend): ok"
done
