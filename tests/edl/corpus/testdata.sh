#!/bin/sh
# Open Enclave's own sample EDLs, read where they are (../shared/testdata/openenclave-samples,
# never copied into ccbox): each compiles with oeedger8r, headers only and fully, and the
# generated C compiles (check.sh, OE mode). Skips with a message when the test data is absent.
#   testdata.sh EDGER8R OEEDGER8R OUTDIR SAMPLES_DIR [check.sh options...]
set -eu
# shellcheck disable=SC2086
edger8r=$1 oeedger8r=$2 out=$3 samples=$4
shift 4
if [ ! -d "$samples" ]; then
    echo "skipped: $samples is absent (Open Enclave's samples are test data outside the project)"
    exit 0
fi
here=$(dirname "$0")
# The search paths among the options, for oeedger8r itself.
search=""
next_is_path=0
for arg in "$@"; do
    if [ "$next_is_path" = 1 ]; then search="$search --search-path $arg"; next_is_path=0; fi
    [ "$arg" = --search-path ] && next_is_path=1
done
count=0
for dir in $(find "$samples" -name '*.edl' -exec dirname {} \; | sort -u); do
    name=$(basename "$dir")
    # Deep-copied [out] parameters, which Open Enclave's callee allocates, are refused by
    # oeedger8r until ccbox gives them OE's meaning (docs/openenclave.md): a sample whose only
    # errors are those is reported and skipped; any other error fails below.
    mkdir -p "$out/probe.$name"
    if ! "$oeedger8r" --header-only --trusted-dir "$out/probe.$name" --untrusted-dir "$out/probe.$name" \
            --search-path "$dir" $search "$dir"/*.edl >/dev/null 2>"$out/probe.$name/stderr"; then
        if ! grep ': error: ' "$out/probe.$name/stderr" | grep -qv 'a deep-copied \[out\] struct'; then
            echo "skipped: $dir (deep-copied [out] parameters, not supported by oeedger8r yet)"
            continue
        fi
    fi
    # The samples include headers relative to their enclave/ and host/ directories.
    CORPUS_MODES=oe sh "$here/check.sh" "$edger8r" "$oeedger8r" "$out/$name" "$dir" "$@" \
        -I "$dir" -I "$dir/enclave" -I "$dir/host"
    count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "no EDL files under $samples"; exit 1; }
echo "ok: $count of Open Enclave's sample directories"
