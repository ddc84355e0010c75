#!/bin/sh
# gdb stops at a breakpoint set by enclave function name in a debug enclave (sim backend),
# and can show a backtrace and local state there (docs/debugging.md). The host-side ECALL
# proxy has the same name (as in Open Enclave), so gdb places the breakpoint at both.
# Usage: gdb_breakpoint.sh CCBOX_GDB HOST IMAGE
set -eu
out=$(CCBOX_SIMULATE=1 timeout 120 "$1" -batch -ex 'break enclave_helloworld' -ex run -ex continue -ex bt \
      -ex 'info locals' -ex continue --args "$2" "$3" 2>&1)
echo "$out" | grep -Eq "Breakpoint 1(\.[0-9]+)?, enclave_helloworld \(\) at .*/enclave/enc.c" ||
    { echo "no stop in the enclave:"; echo "$out"; exit 1; }
echo "$out" | grep -q "ccbox_enclave_entry" || { echo "no enclave backtrace:"; echo "$out"; exit 1; }
echo "$out" | grep -q "Hello world from the enclave" || { echo "the program did not finish:"; echo "$out"; exit 1; }
echo "ok"
