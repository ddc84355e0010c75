// ECALLs with buffers: in, out, in-out; size and count from parameters and literals; NULL
// pointers; strings; arrays; isary; isptr; user_check.
#include "edl_test_types.h"
#include "test_enclave.h"

#include <gtest/gtest.h>

#include <cstring>
#include <cwchar>
#include <numeric>
#include <thread>
#include <vector>

namespace {

using edl_test::enclave;

TEST(EdlBuffers, InWithSizeFromParameter) {
    std::vector<uint8_t> buf(1000);
    for (size_t k = 0; k < buf.size(); ++k)
        buf[k] = static_cast<uint8_t>(k * 31);
    uint32_t sum = std::accumulate(buf.begin(), buf.end(), 0u);
    int r = -1;
    ASSERT_EQ(ecall_in_buffer(enclave(), &r, buf.data(), buf.size(), sum), CCBOX_OK);
    EXPECT_EQ(r, 0) << "failed check at enc_buffers.c:" << r;
    ASSERT_EQ(ecall_in_buffer(enclave(), &r, buf.data(), 0, 0), CCBOX_OK);
    EXPECT_EQ(r, 0);
}

TEST(EdlBuffers, InLargerThanScratch) {
    std::vector<uint8_t> buf(300 * 1024, 1);
    int r = -1;
    ASSERT_EQ(ecall_in_buffer(enclave(), &r, buf.data(), buf.size(), static_cast<uint32_t>(buf.size())), CCBOX_OK);
    EXPECT_EQ(r, 0);
}

TEST(EdlBuffers, InWithCountOfSignedParameter) {
    int32_t values[] = {5, -7, 1 << 30, 12};
    int r = -1;
    ASSERT_EQ(ecall_in_count(enclave(), &r, values, 4, 5 - 7 + (1 << 30) + 12), CCBOX_OK);
    EXPECT_EQ(r, 0);
    // A negative count is a size no buffer has: refused before the enclave function runs.
    EXPECT_NE(ecall_in_count(enclave(), &r, values, -1, 0), CCBOX_OK);
}

TEST(EdlBuffers, InWithSizeAndCount) {
    std::vector<uint8_t> data(6 * 5);
    for (size_t k = 0; k < data.size(); ++k)
        data[k] = static_cast<uint8_t>(k * 7);
    int r = -1;
    ASSERT_EQ(ecall_in_size_count(enclave(), &r, data.data(), 6, 5), CCBOX_OK);
    EXPECT_EQ(r, 0);
}

TEST(EdlBuffers, OutIsZeroedInsideAndCopiedBack) {
    uint8_t buf[40];
    std::memset(buf, 0xcc, sizeof buf);  // never seen by the enclave
    int r = -1;
    ASSERT_EQ(ecall_out_buffer(enclave(), &r, buf, sizeof buf, 7), CCBOX_OK);
    ASSERT_EQ(r, 0) << "failed check at enc_buffers.c:" << r;
    for (size_t k = 0; k < sizeof buf; ++k)
        EXPECT_EQ(buf[k], static_cast<uint8_t>(7 + k));
}

TEST(EdlBuffers, InOut) {
    uint32_t values[6];
    for (uint32_t k = 0; k < 6; ++k)
        values[k] = k * 10;
    int r = -1;
    ASSERT_EQ(ecall_inout_count(enclave(), &r, values, 6), CCBOX_OK);
    ASSERT_EQ(r, 0);
    for (uint32_t k = 0; k < 6; ++k)
        EXPECT_EQ(values[k], k * 10 + 1);
}

TEST(EdlBuffers, LiteralCountAndSize) {
    int16_t four[4] = {1, -2, 3, -4};
    char three[3] = {'a', 'b', 'c'};
    int r = -1;
    ASSERT_EQ(ecall_in_literal(enclave(), &r, four, three), CCBOX_OK);
    EXPECT_EQ(r, 0);
}

TEST(EdlBuffers, NullPointers) {
    int r = -1;
    ASSERT_EQ(ecall_nulls(enclave(), &r, nullptr, nullptr, nullptr, 4, nullptr), CCBOX_OK);
    EXPECT_EQ(r, 0);
}

TEST(EdlBuffers, SinglePointers) {
    double in = 6.5, out = -1;
    int64_t io = -3;
    int r = -1;
    ASSERT_EQ(ecall_pointer_single(enclave(), &r, &in, &out, &io), CCBOX_OK);
    ASSERT_EQ(r, 0);
    EXPECT_EQ(out, 7.25);
    EXPECT_EQ(io, 300);
}

TEST(EdlBuffers, Strings) {
    char io[] = TV_IO_STRING;
    wchar_t wio[] = L"abc";
    int r = -1;
    ASSERT_EQ(ecall_strings(enclave(), &r, TV_STRING, io, TV_WSTRING, wio), CCBOX_OK);
    ASSERT_EQ(r, 0) << "failed check at enc_buffers.c:" << r;
    EXPECT_STREQ(io, "MIXED CASE");
    EXPECT_EQ(std::wcscmp(wio, L"Xbc"), 0);
}

TEST(EdlBuffers, Arrays) {
    int32_t a[4] = {1, 2, 3, 4};
    uint8_t b[2][3];
    std::memset(b, 0xff, sizeof b);
    int64_t c[TEST_ARRAY_LEN] = {10, 20, 30};
    char implicit_in[5] = "abcd";
    int r = -1;
    ASSERT_EQ(ecall_arrays(enclave(), &r, a, b, c, implicit_in), CCBOX_OK);
    ASSERT_EQ(r, 0) << "failed check at enc_buffers.c:" << r;
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j)
            EXPECT_EQ(b[i][j], i * 3 + j);
    EXPECT_EQ(c[0], -10);
    EXPECT_EQ(c[2], -30);
}

TEST(EdlBuffers, TypedefArrayWithIsary) {
    int_array_t in = {1, 2, 3, 4, 5};
    int_array_t io = {100, 101, 102, 103, 104};
    int r = -1;
    ASSERT_EQ(ecall_isary(enclave(), &r, in, io), CCBOX_OK);
    ASSERT_EQ(r, 0);
    for (int k = 0; k < 5; ++k)
        EXPECT_EQ(io[k], (k + 1) * 2);
}

TEST(EdlBuffers, TypedefPointerWithIsptrAndReadonly) {
    uint8_t bytes[10];
    for (int k = 0; k < 10; ++k)
        bytes[k] = static_cast<uint8_t>(0xA0 + k);
    foreign_pair_t pair{-5, -5};
    int r = -1;
    ASSERT_EQ(ecall_isptr(enclave(), &r, bytes, sizeof bytes, &pair), CCBOX_OK);
    ASSERT_EQ(r, 0) << "failed check at enc_buffers.c:" << r;
    EXPECT_EQ(pair.first, 11);
    EXPECT_EQ(pair.second, 22);
}

TEST(EdlBuffers, UserCheckPointersPassUnchanged) {
    int32_t arr[4] = {1, 2, 3, 4};
    uint64_t token = 0;
    void* p = reinterpret_cast<void*>(uintptr_t{0x7f0012345678});
    ASSERT_EQ(ecall_user_check(enclave(), &token, p, arr), CCBOX_OK);
    EXPECT_EQ(token, uint64_t{0x7f0012345678} ^ reinterpret_cast<uintptr_t>(arr));
}

TEST(EdlBuffers, ConcurrentCallsFromSeveralThreads) {
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([t, &failures] {
            std::vector<uint8_t> buf(256 + t * 100, static_cast<uint8_t>(t + 1));
            for (int i = 0; i < 200; ++i) {
                int r = -1;
                ccbox_result_t result = ecall_in_buffer(enclave(), &r, buf.data(), buf.size(),
                                                        static_cast<uint32_t>(buf.size() * (t + 1)));
                // with as many threads as the enclave has TCS, a call may find them all busy
                if (result == CCBOX_OUT_OF_THREADS)
                    continue;
                if (result != CCBOX_OK || r != 0)
                    ++failures[t];
            }
        });
    }
    for (auto& th : threads)
        th.join();
    for (int t = 0; t < 4; ++t)
        EXPECT_EQ(failures[t], 0) << "thread " << t;
}

TEST(EdlBuffers, ArrayOfStructs) {
    struct scalars s[2];
    std::memset(s, 0, sizeof s);
    for (int k = 0; k < 2; ++k) {
        s[k].i = k;
        std::strcpy(s[k].text, "ab");
    }
    int r = -1;
    ASSERT_EQ(ecall_struct_array(enclave(), &r, s, 2), CCBOX_OK);
    ASSERT_EQ(r, 0);
    EXPECT_EQ(s[0].i, 100);
    EXPECT_EQ(s[1].i, 101);
    EXPECT_EQ(s[1].ld, 1.0L);
}

}  // namespace
