#!/bin/sh
# Regenerates the golden EDL's five files with one generator and compares them with the
# committed copies in GOLDEN_DIR/EXPECTED (expected: ccbox-edger8r; expected-oe: oeedger8r).
#   check.sh GENERATOR GOLDEN_DIR EXPECTED OUTDIR     (a test: fails on any difference)
#   CCBOX_UPDATE_GOLDEN=1 check.sh ...                (rewrites the committed copies)
set -eu
edger8r=$1 golden=$2 expected=$3 out=$4
rm -rf "$out"
mkdir -p "$out"
"$edger8r" --trusted-dir "$out" --untrusted-dir "$out" "$golden/golden.edl"
status=0
for f in golden_args.h golden_t.h golden_t.c golden_u.h golden_u.c; do
    [ -f "$out/$f" ] || { echo "$edger8r wrote no $f"; exit 1; }
    if [ "${CCBOX_UPDATE_GOLDEN:-0}" = 1 ]; then
        cp "$out/$f" "$golden/$expected/$f"
    elif ! diff -u "$golden/$expected/$f" "$out/$f"; then
        echo "$f differs from tests/edl/golden/$expected/$f (if the change is intended:"
        echo "CCBOX_UPDATE_GOLDEN=1 ctest -R edl_golden, then review and commit the diff)"
        status=1
    fi
done
exit $status
