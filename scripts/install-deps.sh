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
if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
