#!/bin/sh
# Compiles every EDL of one corpus category (docs/edl-corpus.md): each top-level *.edl of the
# directory (files in subdirectories are only imported), in each of its modes, first with
# --header-only (exactly the three headers must appear) and then fully (all five files), and
# compiles both generated sources with gcc -std=gnu11 -Wall -Wextra -Werror. Warnings of the
# EDL compiler are allowed; errors fail the test.
#
#   check.sh EDGER8R OEEDGER8R OUTDIR CATEGORY_DIR [-I DIR | --search-path DIR]...
#
# A file can say, in lines of its own:
#   // corpus-modes: ccbox oe sgx    the modes to run (default: ccbox oe); sgx = ccbox-edger8r --sgx-sdk
#   // corpus-args: -D NAME ...       extra options for the EDL compiler
#   // corpus-cflags: -include h.h    extra options for the C compiler
#   // corpus-warns: N                the number of EDL compiler warnings expected (default 0)
# CORPUS_MODES in the environment overrides every file's modes.
set -eu
edger8r=$1 oeedger8r=$2 out=$3 dir=$4
shift 4
gen_common="" cflags_common=""
while [ $# -gt 0 ]; do
    case "$1" in
        -I) cflags_common="$cflags_common -I $2"; shift 2 ;;
        --search-path) gen_common="$gen_common --search-path $2"; shift 2 ;;
        *) echo "check.sh: unknown option $1"; exit 2 ;;
    esac
done
rm -rf "$out"
mkdir -p "$out"
count=0
for edl in "$dir"/*.edl; do
    name=$(basename "$edl" .edl)
    modes=$(sed -n 's|^// corpus-modes: *||p' "$edl")
    args=$(sed -n 's|^// corpus-args: *||p' "$edl" | tr '\n' ' ')
    cflags=$(sed -n 's|^// corpus-cflags: *||p' "$edl" | tr '\n' ' ')
    warns=$(sed -n 's|^// corpus-warns: *||p' "$edl")
    for mode in ${CORPUS_MODES:-${modes:-ccbox oe}}; do
        case "$mode" in
            ccbox) tool=$edger8r; extra="" ;;
            sgx) tool=$edger8r; extra="--sgx-sdk" ;;
            oe) tool=$oeedger8r; extra="" ;;
            *) echo "$edl: unknown mode $mode"; exit 1 ;;
        esac
        for kind in header full; do
            o="$out/$name.$mode.$kind"
            mkdir -p "$o"
            flag=""
            [ "$kind" = header ] && flag="--header-only"
            # shellcheck disable=SC2086
            if ! "$tool" $extra $flag --search-path "$dir" $gen_common $args \
                    --trusted-dir "$o" --untrusted-dir "$o" "$edl" 2>"$o/stderr"; then
                echo "FAIL ($mode, $kind): $edl"; cat "$o/stderr"; exit 1
            fi
            got=$(grep -c ': warning: ' "$o/stderr" || true)
            if [ "$got" != "${warns:-0}" ]; then
                echo "FAIL ($mode, $kind): $edl: $got warnings, expected ${warns:-0}"; cat "$o/stderr"; exit 1
            fi
            files=$(ls "$o" | grep -v '^stderr$' | sort | tr '\n' ' ')
            if [ "$kind" = header ]; then
                want="${name}_args.h ${name}_t.h ${name}_u.h "
            else
                want="${name}_args.h ${name}_t.c ${name}_t.h ${name}_u.c ${name}_u.h "
            fi
            if [ "$files" != "$want" ]; then
                echo "FAIL ($mode, $kind): $edl: generated [$files], expected [$want]"; exit 1
            fi
        done
        o="$out/$name.$mode.full"
        for side in t u; do
            # shellcheck disable=SC2086
            if ! ${CC:-gcc} -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -I "$o" -I "$dir" $cflags_common $cflags \
                    "$o/${name}_${side}.c"; then
                echo "FAIL ($mode): the generated ${name}_${side}.c of $edl does not compile"; exit 1
            fi
        done
    done
    count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "no EDL files in $dir"; exit 1; }
echo "ok: $count EDL files of $dir"
