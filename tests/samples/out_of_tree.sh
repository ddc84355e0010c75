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

# Each step's output is shown only when it fails.
. "$(dirname "$0")/../support/step.sh"
step cmake --install "$build" --prefix "$work/prefix"
step cmake -S "$source/samples/$sample" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix"
step cmake --build "$work/build"

cd "$work/build"
host=$(ls | grep '_host$' | head -1)
image=$(ls | grep '_enc.signed$' | head -1)
# The package hands the host its own ccboxd (not one on PATH, not the build tree's).
export CCBOX_STATE_DIR="$state" CCBOX_PLATFORM_IDLE_EXIT=10
unset CCBOX_PLATFORM_PATH
for backend in sim isolated; do
    if [ "$backend" = sim ]; then export CCBOX_SIMULATE=1; else unset CCBOX_SIMULATE; fi
    if ! out=$(CCBOX_TOOL="$work/prefix/bin/ccbox" sh "$source/tests/samples/run_$sample.sh" "./$host" "./$image" 2>&1); then
        echo "$sample ($backend) failed:"
        echo "$out"
        exit 1
    fi
    # The platform the host started: the one of the prefix it was built against.
    expected="$work/prefix/bin/ccboxd"
    if [ "$backend" = isolated ] && ! pgrep -f "^$expected --daemon --state-dir $state" >/dev/null; then
        echo "$sample (isolated): the host did not start $expected"
        exit 1
    fi
    echo "$sample ($backend): ok"
done
