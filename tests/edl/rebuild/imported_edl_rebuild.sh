#!/bin/sh
# An EDL's imports are build dependencies: installs ccbox from this build into a temporary
# prefix, builds a project whose EDL imports another through EDL_SEARCH_PATHS, changes only
# the imported file, and checks that both generated sides (and the programs) are rebuilt and
# run with the new function; an unchanged tree then has nothing left to do.
# Usage: imported_edl_rebuild.sh BUILD_DIR
set -eu
build=$1
work=$(mktemp -d /tmp/ccbox-edldep-XXXXXX)
trap 'rm -rf "$work"' EXIT
# Each step's output is shown only when it fails.
. "$(dirname "$0")/../../support/step.sh"
step cmake --install "$build" --prefix "$work/prefix"

src="$work/src"
mkdir -p "$src/lib"
cat > "$src/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(edldep LANGUAGES C CXX)
find_package(ccbox REQUIRED)
ccbox_add_enclave(dep_enc SOURCES enc.c EDL main.edl EDL_SEARCH_PATHS lib NO_CXX_RUNTIME)
add_executable(dep_host host.c)
ccbox_add_edl_untrusted(dep_host EDL main.edl EDL_SEARCH_PATHS lib)
target_link_libraries(dep_host PRIVATE ccbox::host)
CMAKE
cat > "$src/main.edl" <<'EDL'
enclave {
    from "lib.edl" import *;
    trusted { public int answer(void); };
};
EDL
cat > "$src/lib/lib.edl" <<'EDL'
enclave { trusted { public int from_lib(void); }; };
EDL
cat > "$src/enc.c" <<'C'
#include "main_t.h"
int answer(void) { return 42; }
int from_lib(void) { return 1; }
#ifdef HAVE_NEW
int from_lib_new(void) { return 2; }
#endif
C
cat > "$src/host.c" <<'C'
#include "main_u.h"
#include <stdio.h>
int main(int argc, char** argv) {
    ccbox_enclave_t* e = NULL;
    if (argc < 2 || ccbox_create_main_enclave(argv[1], CCBOX_ENCLAVE_FLAG_SIMULATE, NULL, 0, &e) != CCBOX_OK)
        return 1;
    int r = 0;
    if (answer(e, &r) != CCBOX_OK || r != 42)
        return 2;
#ifdef HAVE_NEW
    if (from_lib_new(e, &r) != CCBOX_OK || r != 2)
        return 3;
    puts("new function called");
#endif
    ccbox_terminate_enclave(e);
    return 0;
}
C

step cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix"
step cmake --build "$work/build"
"$work/build/dep_host" "$work/build/dep_enc.signed"

# Only the imported file changes (the sources learn about it through a define).
cat > "$src/lib/lib.edl" <<'EDL'
enclave { trusted { public int from_lib(void); public int from_lib_new(void); }; };
EDL
sed -i '1i #define HAVE_NEW 1' "$src/enc.c" "$src/host.c"
step cmake --build "$work/build"
for f in dep_enc_edl/main_t.h dep_host_edl/main_u.h; do
    grep -q from_lib_new "$work/build/$f" || { echo "FAIL: $f was not regenerated after lib.edl changed"; exit 1; }
done
out=$("$work/build/dep_host" "$work/build/dep_enc.signed")
[ "$out" = "new function called" ] || { echo "FAIL: host printed '$out'"; exit 1; }

if ! ninja -C "$work/build" -n | grep -q 'no work to do'; then
    echo "FAIL: an unchanged tree still has work to do:"
    ninja -C "$work/build" -n -d explain 2>&1 | head -20
    exit 1
fi
echo "imported EDL changes rebuild both sides: ok"
