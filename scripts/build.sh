#!/bin/sh
# Configures and builds ccbox into ./build (Release with debug info, Ninja). The project's own
# builds treat warnings as errors (CCBOX_WERROR); a user's `cmake -S . -B b` does not.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCCBOX_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
