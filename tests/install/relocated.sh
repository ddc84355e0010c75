#!/bin/sh
# An installed SDK uses only its own files, even after being moved (docs/building-enclaves.md,
# "Which ccboxd runs"). Installs this build into a fresh prefix, moves the prefix, builds
# samples/helloworld against the moved copy, runs it in the isolated backend with no platform
# running, and checks from /proc that the ccboxd the host library started is the moved copy's;
# the same for `ccbox platform start` of the moved copy; and that its ccbox-gdb loads its
# script without a warning.
# Usage: relocated.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 source=$2
work=$(mktemp -d /tmp/ccbox-relocated-XXXXXX)
moved="$work/moved"
cleanup() {
    for s in "$work/state" "$work/state-cli"; do
        "$moved/bin/ccbox" platform stop --state-dir "$s" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
. "$(dirname "$0")/../support/step.sh"

step cmake --install "$build" --prefix "$work/first"
mv "$work/first" "$moved"
step cmake -S "$source/samples/helloworld" -B "$work/hello" -G Ninja -DCMAKE_PREFIX_PATH="$moved"
step cmake --build "$work/hello"

# The platform serving a state directory: its pid as `ccbox platform status` reports it, and
# that process's executable as /proc shows it.
platform_exe() {
    pid=$("$moved/bin/ccbox" platform status --json --state-dir "$1" | sed -n 's/^ *"pid": \([0-9]*\),*$/\1/p' | head -1)
    [ -n "$pid" ] || { echo "no platform pid in the status of $1"; exit 1; }
    readlink "/proc/$pid/exe"
}
expect_moved_ccboxd() {  # what, state dir
    exe=$(platform_exe "$2")
    if [ "$exe" != "$moved/bin/ccboxd" ]; then
        echo "FAIL: $1 started $exe, not the moved copy's $moved/bin/ccboxd"
        exit 1
    fi
    status=$("$moved/bin/ccbox" platform status --state-dir "$2")
    echo "$status" | grep -qx "exe       $moved/bin/ccboxd" || {
        echo "FAIL: ccbox platform status does not name $moved/bin/ccboxd:"; echo "$status"; exit 1; }
    echo "ok: $1 started $exe"
}

# 1. The host library, in a program built against the moved copy.
unset CCBOX_PLATFORM_PATH CCBOX_SIMULATE CCBOX_PLATFORM_SOCKET
export CCBOX_PLATFORM_IDLE_EXIT=30
out=$(cd "$work/hello" && CCBOX_STATE_DIR="$work/state" CCBOX_LOG=debug ./helloworld_host ./helloworld_enc.signed 2>&1) || {
    echo "FAIL: helloworld against the moved copy:"; echo "$out"; exit 1; }
echo "$out" | grep -qx "Hello world from the enclave" || { echo "FAIL: unexpected output: $out"; exit 1; }
echo "$out" | grep -qF "ccbox: started the platform $moved/bin/ccboxd" || {
    echo "FAIL: the debug log does not say which ccboxd was started:"; echo "$out"; exit 1; }
expect_moved_ccboxd "the host library" "$work/state"

# 2. The moved copy's own tool.
step "$moved/bin/ccbox" platform start --state-dir "$work/state-cli"
expect_moved_ccboxd "ccbox platform start" "$work/state-cli"

# 3. ccbox-gdb of the moved copy loads the moved copy's script, silently.
if command -v gdb >/dev/null; then
    out=$("$moved/bin/ccbox-gdb" -nx -batch -ex 'python print("script:", _EnclaveLoaded.__module__)' \
          "$work/hello/helloworld_host" 2>&1) || {
        echo "FAIL: ccbox-gdb of the moved copy:"; echo "$out"; exit 1; }
    if [ "$out" != "script: __main__" ]; then
        echo "FAIL: ccbox-gdb of the moved copy did not load its script silently:"; echo "$out"; exit 1
    fi
    # Without its script it refuses to start rather than running a gdb without enclave support.
    rm "$moved/share/ccbox/ccbox_gdb.py"
    if "$moved/bin/ccbox-gdb" -nx -batch >/dev/null 2>&1; then
        echo "FAIL: ccbox-gdb ran without its script"; exit 1
    fi
    echo "ok: ccbox-gdb loads $moved/share/ccbox/ccbox_gdb.py"
else
    echo "gdb not installed: ccbox-gdb not checked"
fi
