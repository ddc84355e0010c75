#!/bin/sh
# Installs every Debian 12 package ccbox needs to build and test (DESIGN.md §6).
# Run as root (CI does), or it uses sudo.
set -eu

PACKAGES="
  build-essential cmake ninja-build pkg-config git ca-certificates
  libssl-dev openssl
  libmbedtls-dev
  libseccomp-dev
  nlohmann-json3-dev
  libcli11-dev
  libcpp-httplib-dev
  libsqlite3-dev
  libgtest-dev libgmock-dev
  libbenchmark-dev
  clang-14 libclang-rt-14-dev
  gdb python3
  lintian
"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# An independent DCAP verifier for the attestation tests (docs/attestation.md): Phala's
# pure-JavaScript dcap-qvl, from the npm registry, pinned, into a fixed prefix, with the
# machine's own Node.js and npm (the tests skip it, saying so, where there is no npm).
install_dcap_qvl() {
  command -v npm >/dev/null 2>&1 || { echo "install-deps: no npm: the independent-verifier test will skip"; return 0; }
  prefix=/opt/ccbox-test-tools
  [ -f "$prefix/node_modules/@phala/dcap-qvl/package.json" ] && return 0
  echo "install-deps: installing @phala/dcap-qvl@0.3.9 into $prefix"
  $SUDO mkdir -p "$prefix"
  $SUDO npm install --silent --no-audit --no-fund --prefix "$prefix" @phala/dcap-qvl@0.3.9
}

if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  install_dcap_qvl
  exit 0
fi

echo "install-deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
install_dcap_qvl
