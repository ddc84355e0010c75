// OCALLs: the enclave calls each one and checks the answers; re-entry through allow(); and
// the answers of a hostile host, which the enclave must refuse or contain.
#include "test_enclave.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

using edl_test::enclave;

TEST(EdlOcalls, EveryOcallRoundTrips) {
    int r = -1;
    ASSERT_EQ(ecall_call_ocalls(enclave(), &r), CCBOX_OK);
    EXPECT_EQ(r, 0) << "failed check at enc_ocalls.c:" << r;
}

// memccpy is a [dllimport] OCALL: the host implements nothing, its C library copies.
// ecall_call_ocalls calls it from C, this ECALL from C++.
TEST(EdlOcalls, DllimportCallsTheHostCLibrary) {
    int r = -1;
    ASSERT_EQ(ecall_dllimport_cxx(enclave(), &r), CCBOX_OK);
    EXPECT_EQ(r, 0) << "failed check at enc_cxx.cpp:" << r;
}

TEST(EdlOcalls, AllowListGovernsReentry) {
    int r = -1;
    ASSERT_EQ(ecall_reenter_via_ocall(enclave(), &r, 6), CCBOX_OK);
    EXPECT_EQ(r, 0) << "failed check at enc_ocalls.c:" << r;
    EXPECT_EQ(edl_test::g_reentry_private_result, CCBOX_OK);
    EXPECT_EQ(edl_test::g_reentry_public_result, CCBOX_ECALL_NOT_ALLOWED);
    // A private ECALL cannot be called from the top level.
    int x = 0;
    EXPECT_EQ(ecall_private_reentry(enclave(), &x, 1), CCBOX_ECALL_NOT_ALLOWED);
}

// ---- a hostile host: OCALL answers written by hand, bypassing the generated wrappers ----

// ocall_hostile_string([in, out, string] char* s): answer a full-length string, no NUL.
void hostile_string(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size, size_t* written) {
    uint64_t len = 0;
    if (in_size < 8)
        return;
    std::memcpy(&len, in, 8);
    if (out_size < 16 + len)
        return;
    std::memset(out, 0, 16);
    std::memset(out + 16, 'H', len);
    *written = 16 + len;
}

// ocall_hostile_out([out, size=len] uint8_t* buf, size_t len): answer 8 bytes short.
void hostile_out(const uint8_t*, size_t, uint8_t* out, size_t out_size, size_t* written) {
    std::memset(out, 0xee, out_size);
    *written = out_size - 8;
}

// ocall_hostile_deep([in, out, count=1] struct blob* b): claim len = 1000 and point `data`
// somewhere else; fill the data bytes honestly.
void hostile_deep(const uint8_t*, size_t, uint8_t* out, size_t out_size, size_t* written) {
    std::memset(out, 0, out_size);
    struct blob b;
    b.len = 1000;
    b.data = reinterpret_cast<uint8_t*>(uintptr_t{0x10000});
    std::memcpy(out + 16, &b, sizeof b);
    std::memset(out + 32, 'H', out_size - 32);
    *written = out_size;
}

// bool ocall_hostile_bool(bool b): answer the byte 0x02.
void hostile_bool(const uint8_t*, size_t, uint8_t* out, size_t out_size, size_t* written) {
    std::memset(out, 0, out_size);
    out[0] = 2;
    *written = out_size;
}

TEST(EdlOcalls, LargeBuffersComeFromTheHostHeap) {
    int r = -1;
    ASSERT_EQ(ecall_large_ocall(enclave(), &r, 300 * 1024), CCBOX_OK);
    EXPECT_EQ(r, 0) << "failed check at enc_ocalls.c:" << r;
}

TEST(EdlOcalls, HostileAnswersAreContained) {
    std::vector<ccbox_ocall_func_t> table(edl_test_ocall_function_table,
                                          edl_test_ocall_function_table + edl_test_ocall_count);
    table[edl_test_fcn_id_ocall_hostile_string] = hostile_string;
    table[edl_test_fcn_id_ocall_hostile_out] = hostile_out;
    table[edl_test_fcn_id_ocall_hostile_deep] = hostile_deep;
    table[edl_test_fcn_id_ocall_hostile_bool] = hostile_bool;
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(ccbox_create_enclave(edl_test::enclave_path(), edl_test::creation_flags(), edl_test::creation_settings(),
                                   edl_test::creation_setting_count(), table.data(),
                                   static_cast<uint32_t>(table.size()), &e),
              CCBOX_OK)
        << ccbox_get_last_error();
    int r = -1;
    EXPECT_EQ(ecall_call_hostile_ocalls(e, &r), CCBOX_OK);
    EXPECT_EQ(r, 0) << "failed check at enc_ocalls.c:" << r;
    EXPECT_EQ(ccbox_terminate_enclave(e), CCBOX_OK);
}

}  // namespace
