#!/bin/sh
# The build configurations CI checks (docs/testing.md), each in
# build/configurations/<name>:
#   release-gcc    the SDK alone (no tests, benchmarks, fuzzers), Release, gcc, prefix /usr;
#                  then its Debian package (tests/install/deb.sh)
#   release-clang  the SDK alone, Release, clang 14
#   sanitize       the test build: everything but the benchmarks, host-side code with ASan +
#                  UBSan (CCBOX_SANITIZE), enclaves with trapping UBSan; then the whole suite
# Usage: check-configurations.sh [NAME...]   (default: all three)
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc)
names=${*:-release-gcc release-clang sanitize}
sdk_only="-DCCBOX_BUILD_TESTS=OFF -DCCBOX_BUILD_BENCH=OFF -DCCBOX_BUILD_FUZZERS=OFF"

configure_and_build() {  # name, cmake arguments...
    name=$1; shift
    dir="build/configurations/$name"
    echo "== $name: configure and build"
    cmake -S . -B "$dir" -G Ninja -DCCBOX_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j"$jobs" >"$dir.log" 2>&1 || { tail -50 "$dir.log"; echo "== $name: build failed ($dir.log)"; exit 1; }
}

for name in $names; do
    start=$(date +%s)
    case $name in
    release-gcc)
        configure_and_build release-gcc -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
            -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ $sdk_only
        echo "== release-gcc: the Debian package"
        sh tests/install/deb.sh build/configurations/release-gcc "$root"
        ;;
    release-clang)
        configure_and_build release-clang -DCMAKE_BUILD_TYPE=Release \
            -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 $sdk_only
        ;;
    sanitize)
        # The test build (scripts/test.sh): everything, benchmarks aside (they would measure
        # the sanitizers), and the whole suite. CCBOX_CTEST_ARGS: more ctest arguments.
        configure_and_build sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCCBOX_SANITIZE=address,undefined \
            -DCCBOX_SANITIZE_ENCLAVES=ON -DCCBOX_BUILD_TESTS=ON -DCCBOX_BUILD_FUZZERS=ON -DCCBOX_BUILD_BENCH=OFF
        echo "== sanitize: tests"
        # shellcheck disable=SC2086
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            ctest --test-dir build/configurations/sanitize --output-on-failure -j"$jobs" ${CCBOX_CTEST_ARGS:-}
        ;;
    *) echo "check-configurations.sh: unknown configuration $name"; exit 2 ;;
    esac
    echo "== $name: ok ($(($(date +%s) - start)) s)"
done
