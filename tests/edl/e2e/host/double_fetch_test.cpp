// The host rewrites an [in] buffer from another thread while the enclave is inside the
// ECALL (blocked in an OCALL until the rewrite is done, so the race is deterministic). The
// enclave must see one consistent copy: what was sent.
#include "test_enclave.h"

#include <gtest/gtest.h>

#include <cstring>

namespace {

using edl_test::enclave;
using edl_test::Marshal;

constexpr size_t kLen = 32;

class EdlDoubleFetch : public ::testing::Test {
protected:
    void TearDown() override { edl_test::g_flip_action = nullptr; }
};

TEST_F(EdlDoubleFetch, CallersBufferRewrittenDuringTheCall) {
    uint8_t buf[kLen];
    for (size_t k = 0; k < kLen; ++k)
        buf[k] = static_cast<uint8_t>(0x30 + k);
    bool flipped = false;
    edl_test::g_flip_action = [&] {
        std::memset(buf, 0xff, sizeof buf);
        flipped = true;
    };
    int r = -1;
    ASSERT_EQ(ecall_double_fetch(enclave(), &r, buf, kLen), CCBOX_OK);
    EXPECT_TRUE(flipped);
    EXPECT_EQ(r, 0) << "the enclave saw the buffer change (enc_ocalls.c:" << r << ")";
}

TEST_F(EdlDoubleFetch, MarshallingBufferRewrittenDuringTheCall) {
    // ecall_double_fetch([in, size=len] buf, len): header buf 0, len 8; data at 16. The
    // marshalling buffer lies in shared memory, which the enclave reads in place (no copy by
    // the host library), and the host rewrites exactly those bytes during the call.
    uint8_t data[kLen];
    for (size_t k = 0; k < kLen; ++k)
        data[k] = static_cast<uint8_t>(0x30 + k);
    Marshal m(16);
    m.slot(0, kLen);
    m.slot(8, kLen);
    size_t at = m.append(data, kLen);
    edl_test::SharedBuffer in(m), out(8);
    bool flipped = false;
    edl_test::g_flip_action = [&] {
        std::memset(in.data() + at, 0xff, kLen);  // the data...
        std::memset(in.data(), 0, 16);            // ...and the header the enclave was given
        flipped = true;
    };
    size_t written = 0;
    ASSERT_EQ(edl_test::call_unchecked(edl_test_fcn_id_ecall_double_fetch, in.data(), in.size(), out.data(),
                                       out.size(), &written),
              CCBOX_OK);
    EXPECT_TRUE(flipped);
    int r = -1;
    std::memcpy(&r, out.data(), sizeof r);
    EXPECT_EQ(r, 0) << "the enclave saw the buffer change (enc_ocalls.c:" << r << ")";
}

}  // namespace
