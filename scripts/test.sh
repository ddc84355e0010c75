#!/bin/sh
# The test command: installs what is missing, builds, and runs the whole test suite; then the
# other configurations CI checks (scripts/check-configurations.sh: Release with gcc and clang,
# the Debian package, the suite under ASan + UBSan). CCBOX_TEST_CONFIGURATIONS=main runs the
# suite only.
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
if [ "${CCBOX_TEST_CONFIGURATIONS:-all}" != main ]; then
    ./scripts/check-configurations.sh release-gcc release-clang sanitize
fi
