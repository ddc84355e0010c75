#!/bin/sh
# Usage: expect_report.sh PROGRAM REPORT [FIRST_ARGUMENT]
# PROGRAM with the harmless argument must succeed; with the buggy one it must fail and print
# REPORT (the sanitizer's words). oob_read: 7 / 8; signed_overflow, ub_enclave_host: 1 / 2
# (ub_enclave_host takes the enclave image first).
set -u
program=$1 report=$2
shift 2
case "$program" in
    *oob_read) good=7 bad=8 ;;
    *signed_overflow|*ub_enclave_host) good=1 bad=2 ;;
    *) echo "expect_report.sh: unknown program $program"; exit 2 ;;
esac
if ! out=$("$program" "$@" "$good" 2>&1); then
    echo "FAIL: $program $good (no bug reached) failed:"; echo "$out"; exit 1
fi
if out=$("$program" "$@" "$bad" 2>&1); then
    echo "FAIL: $program $bad reached the bug and still succeeded: the sanitizer is not there"
    echo "$out"; exit 1
fi
if ! printf '%s\n' "$out" | grep -qF "$report"; then
    echo "FAIL: $program $bad failed without the report '$report':"; echo "$out"; exit 1
fi
echo "ok: $program $bad was stopped with: $report"
