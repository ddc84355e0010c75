#!/bin/sh
# The test command: installs what is missing, builds, and runs the whole test suite.
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
