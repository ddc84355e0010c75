#!/bin/sh
# The Debian package (docs/packaging.md): `cpack -G DEB` in BUILD_DIR (a build configured with
# -DCMAKE_INSTALL_PREFIX=/usr) makes ccbox_<version>_amd64.deb with the SDK, the tools, ccboxd
# and its systemd unit; lintian reports no errors; unpacked into a scratch root (dpkg -x),
# samples/helloworld builds out of tree against it and runs in both backends, and the
# isolated run starts the scratch root's ccboxd.
# Usage: deb.sh BUILD_DIR SOURCE_DIR
set -eu
build=$(cd "$1" && pwd) source=$(cd "$2" && pwd)
work=$(mktemp -d /tmp/ccbox-deb-XXXXXX)
root="$work/root"
cleanup() {
    "$root/usr/bin/ccbox" platform stop --state-dir "$work/state" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
. "$source/tests/support/step.sh"

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
step cpack -G DEB -B "$work/cpack" --config "$build/CPackConfig.cmake"
deb="$work/cpack/ccbox_${version}_amd64.deb"
[ -f "$deb" ] || { echo "FAIL: cpack made no $deb:"; ls "$work/cpack"; exit 1; }

contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/ccbox ./usr/bin/ccboxd ./usr/bin/ccbox-edger8r ./usr/bin/ccbox-gdb \
         ./usr/include/ccbox/host.h ./usr/include/ccbox/enclave.h \
         ./usr/lib/x86_64-linux-gnu/libccbox_host.a ./usr/lib/x86_64-linux-gnu/libccbox_enclave.a \
         ./usr/lib/x86_64-linux-gnu/libccbox_enclave_attestation.a ./usr/include/ccbox/edl/socket.edl \
         ./usr/lib/x86_64-linux-gnu/cmake/ccbox/ccboxConfig.cmake ./usr/lib/systemd/system/ccboxd.service \
         ./usr/share/ccbox/ccbox_gdb.py ./usr/share/doc/ccbox/copyright; do
    echo "$contents" | grep -q " $f\$" || { echo "FAIL: $deb lacks $f"; exit 1; }
done
control=$(dpkg-deb -f "$deb")
echo "$control" | grep -q '^Depends:.*libssl-dev' || { echo "FAIL: no Depends on libssl-dev:"; echo "$control"; exit 1; }
step dpkg-deb -e "$deb" "$work/control"
grep -q 'adduser --system' "$work/control/postinst" || { echo "FAIL: the postinst does not create the ccbox user"; exit 1; }
if grep -v '^[[:space:]]*#' "$work/control/postinst" | grep -Eq 'systemctl|deb-systemd-|invoke-rc.d|update-rc.d'; then
    echo "FAIL: the postinst enables or starts something"; exit 1
fi
unit=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/systemd/system/ccboxd.service)
echo "$unit" | grep -q '^ExecStart=/usr/bin/ccboxd ' || { echo "FAIL: the unit does not run /usr/bin/ccboxd:"; echo "$unit"; exit 1; }

if command -v lintian >/dev/null; then
    lintian_out=$(lintian --no-tag-display-limit "$deb" 2>&1 || true)
    if echo "$lintian_out" | grep -q '^E: '; then
        echo "FAIL: lintian reports errors:"; echo "$lintian_out"; exit 1
    fi
    echo "lintian: no errors; its warnings:"
    echo "$lintian_out" | grep '^W: ' || true
else
    echo "lintian not installed: not checked"
fi

step dpkg -x "$deb" "$root"
step cmake -S "$source/samples/helloworld" -B "$work/hello" -G Ninja -DCMAKE_PREFIX_PATH="$root/usr"
step cmake --build "$work/hello"
unset CCBOX_PLATFORM_PATH CCBOX_PLATFORM_SOCKET
export CCBOX_STATE_DIR="$work/state" CCBOX_PLATFORM_IDLE_EXIT=30
cd "$work/hello"
for backend in sim isolated; do
    if [ "$backend" = sim ]; then export CCBOX_SIMULATE=1; else unset CCBOX_SIMULATE; fi
    if ! out=$(sh "$source/tests/samples/run_helloworld.sh" ./helloworld_host ./helloworld_enc.signed 2>&1); then
        echo "FAIL: helloworld ($backend) against the unpacked package:"; echo "$out"; exit 1
    fi
done
pid=$("$root/usr/bin/ccbox" platform status --json --state-dir "$work/state" | sed -n 's/^ *"pid": \([0-9]*\),*$/\1/p' | head -1)
exe=$(readlink "/proc/$pid/exe")
[ "$exe" = "$root/usr/bin/ccboxd" ] || { echo "FAIL: the isolated run started $exe, not $root/usr/bin/ccboxd"; exit 1; }
echo "ok: $(basename "$deb") builds and runs helloworld out of tree (platform $exe)"
