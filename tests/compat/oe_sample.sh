#!/bin/sh
# Builds one of Open Enclave's own samples, unchanged, from a copy, against the ccbox SDK
# installed by the oe_sdk fixture, the way its README says (mkdir build && cd build &&
# cmake .. && make), then runs its targets and checks what they print.
# Usage: oe_sample.sh PREFIX SAMPLES_DIR SAMPLE
# Exit 77 (skipped) when the samples are absent.
set -eu
prefix=$1 samples=$2 sample=$3
if [ ! -d "$samples/$sample" ]; then
    echo "skipped: $samples/$sample is absent (Open Enclave's samples live in ../shared/testdata)"
    exit 77
fi
work=$(mktemp -d /tmp/ccbox-oe-$sample-XXXXXX)
state="$work/state"
cleanup() {
    "$prefix/bin/ccbox" platform stop --state-dir "$state" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
. "$(dirname "$0")/../support/step.sh"

cp -r "$samples/$sample" "$work/src"
mkdir "$work/src/build"
cd "$work/src/build"
# The installed ccboxd is found on PATH; each test has its own platform.
export PATH="$prefix/bin:$PATH" CCBOX_STATE_DIR="$state" CCBOX_PLATFORM_IDLE_EXIT=10
unset CCBOX_PLATFORM_PATH CCBOX_SIMULATE OE_SIMULATION
compiler=
if [ "${OE_SAMPLE_CLANG:-}" = 1 ]; then
    command -v clang >/dev/null && command -v clang++ >/dev/null || { echo "skipped: no clang"; exit 77; }
    compiler="-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++"
fi
# shellcheck disable=SC2086
step cmake .. -DCMAKE_PREFIX_PATH="$prefix" $compiler

# expect LOG TEXT...: each TEXT must be a line of LOG's output.
expect() {
    log=$1
    shift
    for text in "$@"; do
        if ! grep -qF -- "$text" "$log"; then
            echo "$sample: expected \"$text\" in:"
            cat "$log"
            exit 1
        fi
    done
}

# run TARGET BACKEND: `make TARGET`, output in $work/TARGET-BACKEND.log
run() {
    log="$work/$1-$2.log"
    if [ "$2" = sim ]; then env CCBOX_SIMULATE=1 make "$1" >"$log" 2>&1 || status=$?; else make "$1" >"$log" 2>&1 || status=$?; fi
    if [ "${status:-0}" != 0 ]; then
        echo "$sample: make $1 ($2) failed:"
        cat "$log"
        exit 1
    fi
    echo "$sample: make $1 ($2): ok"
}

case $sample in
data-sealing)
    # OE's data-sealing returns sealed blobs through deep-copied [out] structs whose buffers the
    # enclave allocates; ccbox's [out] takes its shape from the caller. oeedger8r must refuse
    # the EDL with a clear error instead of generating code that returns garbage.
    if make >"$work/build.log" 2>&1; then
        echo "data-sealing: built, but its deep-copied [out] parameters cannot mean what they mean in OE"
        exit 1
    fi
    expect "$work/build.log" "a deep-copied [out] struct, whose pointers Open Enclave lets the callee allocate, is not supported by ccbox"
    echo "data-sealing: refused with a clear error, as documented"
    exit 0
    ;;
esac

step make
case $sample in
helloworld)
    run run isolated
    run simulate sim
    for l in "$work"/run-isolated.log "$work"/simulate-sim.log; do
        expect "$l" "Hello world from the enclave" "Enclave called into host to print: Hello World!"
    done
    ;;
file-encryptor)
    run run isolated
    run simulate sim
    for l in "$work"/run-isolated.log "$work"/simulate-sim.log; do
        expect "$l" "Host: /tmp" "Host: two files are equal" "Host: Sample completed successfully."
    done
    ;;
log_callback)
    for b in isolated sim; do
        rm -f oe_host_out.txt oe_enclave_out.txt
        if [ $b = sim ]; then run simulate sim; l="$work/simulate-sim.log"; else run run isolated; l="$work/run-isolated.log"; fi
        expect "$l" "Enclave called into host to print: Hello!" "Please check ./oe_host_out.txt"
        [ -f oe_host_out.txt ] && [ -f oe_enclave_out.txt ] || { echo "log_callback: the log files are missing"; exit 1; }
    done
    ;;
debugmalloc)
    run run isolated
    run simulate sim
    for l in "$work"/run-isolated.log "$work"/simulate-sim.log; do
        expect "$l" "There are 1 un-freed objects reported:" "There are 3 un-freed objects reported:" \
            "Enclave called into host to print: Hello World!"
    done
    ;;
pluggable_allocator)
    run run isolated
    run simulate sim
    for l in "$work"/run-isolated.log "$work"/simulate-sim.log; do
        expect "$l" "num-threads = 8:" "dlmalloc   (default allocator) =" "oesnmalloc (pluggable allocator) ="
    done
    # the link of enclave_custom says that oesnmalloc is ccbox's default allocator
    expect "$work/step.log" "openenclave::oesnmalloc: ccbox has no snmalloc"
    ;;
switchless)
    # 4 x 1,000,000 calls: switchless OCALLs through a host worker, switchless ECALLs through an
    # enclave worker, and as many ordinary ones; both backends (run alone: RUN_SERIAL).
    run run isolated
    run simulate sim
    for l in "$work"/run-isolated.log "$work"/simulate-sim.log; do
        expect "$l" \
            "1000000 host_increment_switchless() calls: 1000000 + 1000000 = 2000000." \
            "1000000 host_increment_regular() calls: 1000000 + 1000000 = 2000000." \
            "1000000 enclave_decrement_switchless() calls: 1000000 - 1000000 = 0." \
            "1000000 enclave_decrement_regular() calls: 1000000 - 1000000 = 0."
    done
    grep -h "Time spent" "$work"/run-isolated.log "$work"/simulate-sim.log
    ;;
*)
    echo "oe_sample.sh: no checks for $sample"
    exit 1
    ;;
esac
