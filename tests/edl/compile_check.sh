#!/bin/sh
# Generates the five files of an EDL and compiles both sides as C (gcc -std=c11, and -std=gnu11,
# CMake's default, under which the C library's headers also declare POSIX and GNU functions)
# and as C++ (g++ -std=c++20) with -Wall -Wextra -Werror, at -O0 and -O2; the same with clang 14
# (GNU C11 and C++20) when it is installed (scripts/install-deps.sh installs it).
#
#   compile_check.sh EDGER8R OUTDIR EDL [edger8r options...] [-I DIR...]
#
# -I options go to the compilers (the ccbox headers and the EDL's own headers); everything
# else goes to ccbox-edger8r.
set -eu
edger8r=$1 out=$2 edl=$3
shift 3
gen_args=""
inc_args=""
while [ $# -gt 0 ]; do
    case "$1" in
        -I) inc_args="$inc_args -I $2"; shift 2 ;;
        -I*) inc_args="$inc_args $1"; shift ;;
        *) gen_args="$gen_args $1"; shift ;;
    esac
done
rm -rf "$out"
mkdir -p "$out"
# shellcheck disable=SC2086
"$edger8r" --trusted-dir "$out" --untrusted-dir "$out" $gen_args "$edl"
name=$(basename "$edl" .edl)
for f in "$out/${name}_args.h" "$out/${name}_t.h" "$out/${name}_t.c" "$out/${name}_u.h" "$out/${name}_u.c"; do
    [ -f "$f" ] || { echo "missing $f"; exit 1; }
done
for opt in -O0 -O2; do
    for side in t u; do
        for std in c11 gnu11; do
            # shellcheck disable=SC2086
            ${CC:-gcc} -std=$std -Wall -Wextra -Werror $opt -I "$out" $inc_args -c "$out/${name}_${side}.c" \
                -o "$out/${name}_${side}.$std$opt.o"
        done
        # shellcheck disable=SC2086
        ${CXX:-g++} -std=c++20 -x c++ -Wall -Wextra -Werror $opt -I "$out" $inc_args -c "$out/${name}_${side}.c" \
            -o "$out/${name}_${side}.cpp$opt.o"
        # clang too (its warnings differ from gcc's), when installed
        if command -v clang-14 >/dev/null 2>&1; then
            # shellcheck disable=SC2086
            clang-14 -std=gnu11 -Wall -Wextra -Werror $opt -I "$out" $inc_args -c "$out/${name}_${side}.c" \
                -o "$out/${name}_${side}.clang$opt.o"
            # shellcheck disable=SC2086
            clang++-14 -std=c++20 -x c++ -Wall -Wextra -Werror $opt -I "$out" $inc_args -c "$out/${name}_${side}.c" \
                -o "$out/${name}_${side}.clang++$opt.o"
        fi
    done
done
echo "ok: $edl"
