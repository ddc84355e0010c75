#!/bin/sh
# Installs ccbox from this build into a temporary prefix, builds a sample as a standalone
# project with find_package(ccbox) against it, and runs tests/samples/run_SAMPLE.sh in both
# backends (the isolated run starts with no platform running: the host starts one).
# Usage: out_of_tree.sh BUILD_DIR SOURCE_DIR SAMPLE
set -eu
build=$1 source=$2 sample=$3
work=$(mktemp -d /tmp/ccbox-sample-XXXXXX)
state="$work/state"
cleanup() {
    "$work/prefix/bin/ccbox" platform stop --state-dir "$state" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/samples/$sample" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null

cd "$work/build"
host=$(ls | grep '_host$' | head -1)
image=$(ls | grep '_enc.signed$' | head -1)
export CCBOX_PLATFORM_PATH="$work/prefix/bin/ccboxd" CCBOX_STATE_DIR="$state" CCBOX_PLATFORM_IDLE_EXIT=10
for backend in sim isolated; do
    if [ "$backend" = sim ]; then export CCBOX_SIMULATE=1; else unset CCBOX_SIMULATE; fi
    if ! out=$(sh "$source/tests/samples/run_$sample.sh" "./$host" "./$image" 2>&1); then
        echo "$sample ($backend) failed:"
        echo "$out"
        exit 1
    fi
    echo "$sample ($backend): ok"
done
