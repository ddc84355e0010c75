#!/bin/sh
# The Intel SGX SDK style from an installed ccbox: installs this build into a temporary prefix
# and builds a project with find_package(ccbox) whose EDL imports sgx_tstdc.edl by name from
# ${CCBOX_SGX_INCLUDE_DIR} and returns sgx_status_t, generated with EDL_OPTIONS --sgx-sdk; its
# C host, written with Intel's names (sgx_urts.h), runs an ECALL that makes the CPUID OCALL
# ccbox::host answers.
# Usage: installed.sh BUILD_DIR
set -eu
build=$1
work=$(mktemp -d /tmp/ccbox-sgxstyle-XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/../../support/step.sh"
step cmake --install "$build" --prefix "$work/prefix"

src="$work/src"
mkdir -p "$src"
cat > "$src/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(sgxstyle LANGUAGES C CXX)
find_package(ccbox REQUIRED)
ccbox_add_enclave(sgxstyle_enc SOURCES enc.c EDL Enclave.edl EDL_SEARCH_PATHS ${CCBOX_SGX_INCLUDE_DIR}
                  EDL_OPTIONS --sgx-sdk INCLUDE_DIRECTORIES ${CCBOX_SGX_INCLUDE_DIR} NO_CXX_RUNTIME)
add_executable(sgxstyle_host host.c)
ccbox_add_edl_untrusted(sgxstyle_host EDL Enclave.edl EDL_SEARCH_PATHS ${CCBOX_SGX_INCLUDE_DIR}
                        EDL_OPTIONS --sgx-sdk)
target_include_directories(sgxstyle_host PRIVATE ${CCBOX_SGX_INCLUDE_DIR})
target_link_libraries(sgxstyle_host PRIVATE ccbox::host)
CMAKE
cat > "$src/Enclave.edl" <<'EDL'
enclave {
    from "sgx_tstdc.edl" import sgx_oc_cpuidex;
    from "sgx_tswitchless.edl" import *;
    trusted {
        public sgx_status_t ecall_vendor([out] int regs[4]);
    };
};
EDL
cat > "$src/enc.c" <<'C'
#include "Enclave_t.h"
sgx_status_t ecall_vendor(int regs[4]) {
    sgx_status_t ret = sgx_oc_cpuidex(regs, 0, 0);
    return ret == SGX_SUCCESS ? SGX_SUCCESS : SGX_ERROR_UNEXPECTED;
}
C
cat > "$src/host.c" <<'C'
#include "Enclave_u.h"
#include "sgx_urts.h"
#include <stdio.h>
#include <string.h>
int main(int argc, char** argv) {
    sgx_enclave_id_t global_eid = 0;
    if (argc < 2 || ccbox_create_Enclave_enclave(argv[1], CCBOX_ENCLAVE_FLAG_SIMULATE, NULL, 0, &global_eid) != SGX_SUCCESS)
        return 1;
    int regs[4] = {0, 0, 0, 0};
    sgx_status_t retval = SGX_ERROR_UNEXPECTED;
    sgx_status_t ret = ecall_vendor(global_eid, &retval, regs);
    if (ret != SGX_SUCCESS || retval != SGX_SUCCESS)
        return 2;
    char vendor[13];
    memcpy(vendor, &regs[1], 4);
    memcpy(vendor + 4, &regs[3], 4);
    memcpy(vendor + 8, &regs[2], 4);
    vendor[12] = 0;
    printf("cpu vendor through the enclave: %s\n", vendor);
    return sgx_destroy_enclave(global_eid) == SGX_SUCCESS ? 0 : 3;
}
C
step cmake -S "$src" -B "$work/b" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix"
step cmake --build "$work/b"
out=$("$work/b/sgxstyle_host" "$work/b/sgxstyle_enc.signed")
echo "$out"
case "$out" in
    "cpu vendor through the enclave: "?*) ;;
    *) echo "FAIL: unexpected output"; exit 1 ;;
esac
echo "ok: an Intel SGX SDK-style project built against the installed package"
