#!/bin/sh
# The test command, what CI runs: installs what is missing, then (scripts/check-configurations.sh,
# docs/testing.md)
#   sanitize        builds the whole tree with ASan + UBSan (enclaves: trapping UBSan) in
#                   build/configurations/sanitize and runs the whole test suite there;
#   release-gcc     the SDK alone, Release, gcc, and its Debian package;
#   release-clang   the SDK alone, Release, clang 14.
# Arguments go to ctest (e.g. -R Isolation). CCBOX_TEST_CONFIGURATIONS=main instead builds the
# plain development build ./build (scripts/build.sh) and runs the suite there, nothing else.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
if [ "${CCBOX_TEST_CONFIGURATIONS:-all}" = main ]; then
    ./scripts/build.sh
    exec ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
fi
CCBOX_CTEST_ARGS="$*" ./scripts/check-configurations.sh sanitize release-gcc release-clang
