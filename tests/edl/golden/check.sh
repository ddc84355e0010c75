#!/bin/sh
# Regenerates a golden EDL's five files with one generator and compares them with the
# committed copies in GOLDEN_DIR/EXPECTED (expected: ccbox-edger8r; expected-oe: oeedger8r).
#   check.sh GENERATOR GOLDEN_DIR EXPECTED OUTDIR [NAME]   (NAME.edl, golden by default;
#                                                           a test: fails on any difference)
#   CCBOX_UPDATE_GOLDEN=1 check.sh ...                (rewrites the committed copies)
set -eu
edger8r=$1 golden=$2 expected=$3 out=$4 name=${5:-golden}
rm -rf "$out"
mkdir -p "$out"
"$edger8r" --trusted-dir "$out" --untrusted-dir "$out" "$golden/$name.edl"
status=0
for f in "${name}_args.h" "${name}_t.h" "${name}_t.c" "${name}_u.h" "${name}_u.c"; do
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
