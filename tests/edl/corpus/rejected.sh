#!/bin/sh
# An EDL the compiler must refuse: exit status 1, the expected error on stderr, no file written.
#   rejected.sh TOOL OUTDIR EDL "expected error text"
set -eu
tool=$1 out=$2 edl=$3 expected=$4
rm -rf "$out"
mkdir -p "$out"
status=0
"$tool" --trusted-dir "$out" --untrusted-dir "$out" "$edl" 2>"$out/stderr" || status=$?
[ "$status" = 1 ] || { echo "FAIL: $tool exited with $status, expected 1"; cat "$out/stderr"; exit 1; }
grep -qF -- "$expected" "$out/stderr" || { echo "FAIL: no '$expected' in:"; cat "$out/stderr"; exit 1; }
[ "$(ls "$out" | grep -vc '^stderr$')" = 0 ] || { echo "FAIL: files were written:"; ls "$out"; exit 1; }
echo "ok: $edl rejected: $expected"
