// A hostile host calls ecall_attack_target with marshalling buffers made by hand. Every
// attack must be refused with an error before the ECALL runs, and leave the enclave's
// memory (a secret buffer) and state (the number of real calls) untouched.
//
// ecall_attack_target([in, size=len] buf, len, [in, size=elem, count=n] arr, elem, n,
//                     [in, string] s, [out, size=olen] out_buf, olen) -> int
// input header (8-byte slots): buf 0, len 8, arr 16, elem 24, n 32, s 40, out_buf 48, olen 56
// output: int return value at 0, out_buf's data at 16
#include "test_enclave.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace {

using edl_test::enclave;
using edl_test::Marshal;
using edl_test::SharedBuffer;

constexpr size_t kHeader = 64;
constexpr uint64_t kNull = UINT64_MAX;

class EdlAttack : public ::testing::Test {
protected:
    static uint64_t real_calls;  // ecall_attack_target calls that were meant to run

    struct Call {
        std::vector<uint8_t> buf{1, 2, 3, 4, 5};
        size_t elem = 3, n = 2;
        std::vector<uint8_t> arr{9, 9, 9, 9, 9, 9};
        std::string s = "text";
        size_t olen = 8;

        Marshal build() const {
            Marshal m(kHeader);
            m.slot(0, buf.size());
            m.slot(8, buf.size());
            m.slot(16, arr.size());
            m.slot(24, elem);
            m.slot(32, n);
            m.slot(40, s.size() + 1);
            m.slot(48, olen);
            m.slot(56, olen);
            m.append(buf.data(), buf.size());
            m.append(arr.data(), arr.size());
            m.append(s.c_str(), s.size() + 1);
            return m;
        }
    };

    // Every call goes straight to the enclave (edl_test::call_unchecked): the host library's
    // own refusals of pointers into the enclave and of wrapping buffers are bypassed, as a
    // hostile host would, so what is refused here is refused by the enclave itself.
    static ccbox_result_t call(const void* in, size_t in_size, void* out, size_t out_size, size_t* written) {
        return edl_test::call_unchecked(edl_test_fcn_id_ecall_attack_target, in, in_size, out, out_size, written);
    }

    // The input in shared memory (the enclave reads it there directly) and an output buffer
    // there too.
    static ccbox_result_t call(const Marshal& m, size_t out_size = 16 + 8) {
        SharedBuffer in(m), out(out_size);
        size_t written = 0;
        return call(in.data(), in.size(), out.data(), out.size(), &written);
    }

    static uint64_t secret_address() {
        uint64_t address = 0;
        EXPECT_EQ(ecall_secret_address(enclave(), &address), CCBOX_OK);
        return address;
    }

    void TearDown() override {
        int r = -1;
        ASSERT_EQ(ecall_check_state(enclave(), &r, real_calls), CCBOX_OK);
        EXPECT_EQ(r, 0) << "enclave state changed (enc_state.c:" << r << ")";
    }
};

uint64_t EdlAttack::real_calls = 0;

TEST_F(EdlAttack, HandMadeBufferInTheDocumentedFormatWorks) {
    SharedBuffer in(Call{}.build()), out(16 + 8);
    size_t written = 0;
    ASSERT_EQ(call(in.data(), in.size(), out.data(), out.size(), &written), CCBOX_OK);
    ++real_calls;
    EXPECT_EQ(written, out.size());
    int r = -1;
    std::memcpy(&r, out.data(), sizeof r);
    EXPECT_EQ(r, 0);
    for (size_t k = 16; k < out.size(); ++k)
        EXPECT_EQ(out.data()[k], 0x5a);
}

TEST_F(EdlAttack, InputBufferInsideTheEnclaveIsRefused) {
    // A well-formed marshalling buffer, placed inside the enclave: taken from there, it
    // would run the ECALL (the host making the enclave read its own memory as input).
    Marshal m = Call{}.build();
    uint64_t inside = 0;
    ASSERT_EQ(ecall_copy_into_enclave(enclave(), &inside, m.data(), m.size()), CCBOX_OK);
    ASSERT_NE(inside, 0u);
    SharedBuffer out(24);
    size_t written = 0;
    EXPECT_EQ(call(reinterpret_cast<const void*>(inside), m.size(), out.data(), out.size(), &written),
              CCBOX_INVALID_PARAMETER);
    EXPECT_EQ(written, 0u);
    // Nor can the secret itself be read as input.
    uint64_t secret = secret_address();
    ASSERT_NE(secret, 0u);
    EXPECT_EQ(call(reinterpret_cast<const void*>(secret), 64, out.data(), out.size(), &written),
              CCBOX_INVALID_PARAMETER);
}

TEST_F(EdlAttack, InputBufferStraddlingTheEnclaveStartIsRefused) {
    SharedBuffer out(24);
    size_t written = 0;
    const uintptr_t below = edl_test::enclave_base() - 64;
    EXPECT_EQ(call(reinterpret_cast<const void*>(below), 128, out.data(), out.size(), &written),
              CCBOX_INVALID_PARAMETER);
}

TEST_F(EdlAttack, OutputBufferInsideTheEnclaveIsRefused) {
    uint64_t secret = secret_address();
    SharedBuffer in(Call{}.build());
    size_t written = 0;
    // A successful call would write the return value and 0x5a bytes over the secret.
    EXPECT_EQ(call(in.data(), in.size(), reinterpret_cast<void*>(secret), 24, &written), CCBOX_INVALID_PARAMETER);
    EXPECT_EQ(written, 0u);
}

TEST_F(EdlAttack, BufferThatWrapsTheAddressSpaceIsRefused) {
    SharedBuffer in(Call{}.build()), out(24);
    size_t written = 0;
    const void* wrapping = reinterpret_cast<const void*>(UINTPTR_MAX - 0xfff);
    EXPECT_EQ(call(wrapping, 0x2000, out.data(), out.size(), &written), CCBOX_INVALID_PARAMETER);
    EXPECT_EQ(call(in.data(), in.size(), const_cast<void*>(wrapping), 0x2000, &written), CCBOX_INVALID_PARAMETER);
    // A length that wraps from a buffer that does start outside the enclave.
    EXPECT_EQ(call(in.data(), SIZE_MAX - 8, out.data(), out.size(), &written), CCBOX_INVALID_PARAMETER);
}

TEST_F(EdlAttack, LengthThatWrapsTheCursorIsRefused) {
    Call c;
    Marshal m = c.build();
    const uint64_t huge = UINT64_MAX - 8;  // consistent descriptor and size parameter
    m.slot(0, huge);
    m.slot(8, huge);
    EXPECT_EQ(call(m), CCBOX_INVALID_PARAMETER);
}

TEST_F(EdlAttack, SizeTimesCountOverflowIsRefused) {
    Marshal m = Call{}.build();
    m.slot(24, uint64_t{1} << 33);  // elem
    m.slot(32, uint64_t{1} << 32);  // n: elem * n overflows 64 bits
    EXPECT_EQ(call(m), CCBOX_INTEGER_OVERFLOW);
}

TEST_F(EdlAttack, StringWithoutTerminatorIsRefused) {
    Call c;
    c.s = "ABCDEFGH";
    Marshal m = c.build();
    // Rewrite the string's data without its NUL: the declared length now ends on 'H'.
    Marshal bad(kHeader);
    std::memcpy(bad.data(), m.data(), kHeader);
    bad.slot(40, 8);
    bad.append(c.buf.data(), c.buf.size());
    bad.append(c.arr.data(), c.arr.size());
    bad.append("ABCDEFGH", 8);
    EXPECT_EQ(call(bad), CCBOX_INVALID_PARAMETER);
    // An empty string needs its terminator too.
    bad.slot(40, 0);
    EXPECT_EQ(call(bad), CCBOX_INVALID_PARAMETER);
}

TEST_F(EdlAttack, BuffersTooSmallForTheirDeclaredContentsAreRefused) {
    Call c;
    Marshal m = c.build();
    SharedBuffer in(m), out(24);
    size_t written = 0;
    // Header cut short.
    EXPECT_EQ(call(in.data(), kHeader - 8, nullptr, 0, nullptr), CCBOX_INVALID_PARAMETER);
    // Input ends before the declared data.
    EXPECT_EQ(call(in.data(), in.size() - 3, out.data(), out.size(), &written), CCBOX_INVALID_PARAMETER);
    // Output too small for the [out] buffer.
    EXPECT_EQ(call(m, 16 + 4), CCBOX_BUFFER_TOO_SMALL);
    // Descriptor disagrees with the size parameter.
    Marshal lie = c.build();
    lie.slot(0, 4);
    EXPECT_EQ(call(lie), CCBOX_INVALID_PARAMETER);
    // Bytes after the declared contents.
    Marshal longer = c.build();
    longer.append("x", 1);
    EXPECT_EQ(call(longer), CCBOX_INVALID_PARAMETER);
    // A descriptor that is neither NULL nor the declared length of an [out] buffer.
    Marshal out_lie = c.build();
    out_lie.slot(48, 4096);
    EXPECT_EQ(call(out_lie), CCBOX_INVALID_PARAMETER);
}

TEST_F(EdlAttack, NullDescriptorsReachTheEnclaveAsNull) {
    Marshal m(kHeader);
    for (size_t slot : {0, 16, 40, 48})
        m.slot(slot, kNull);
    m.slot(8, 123);  // sizes of NULL buffers are not looked at
    m.slot(56, 1u << 20);
    EXPECT_EQ(call(m), CCBOX_OK);
    ++real_calls;
}


// Deep copy under attack: ecall_deep_in([in, count=1] const struct blob* b,
// [in, count=n] struct ints* arr, size_t n), with regions made by hand (docs/edl.md,
// "Deep copy"). Header: b's region size 0, arr's region size 8, n 16; regions from 32.
// struct blob { size_t len; [size=len] uint8_t* data; }: 16 bytes, len at 0, marker at 8.
// struct ints { uint32_t n; [count=n] int32_t* values; }: 16 bytes, n at 0, marker at 8.
class EdlDeepCopyAttack : public ::testing::Test {
protected:
    struct Region {
        std::vector<uint8_t> bytes;
        void put(size_t offset, uint64_t value, size_t width = 8) {
            if (bytes.size() < offset + width)
                bytes.resize(offset + width, 0);
            std::memcpy(bytes.data() + offset, &value, width);
        }
        size_t append(const void* data, size_t size) {
            size_t at = (bytes.size() + 15) & ~size_t{15};
            bytes.resize(at + size, 0);
            std::memcpy(bytes.data() + at, data, size);
            return at;
        }
    };

    Region blob_region() const {
        Region r;
        r.put(0, 5);  // len
        r.put(8, 1);  // data follows
        r.append("hello", 5);
        return r;
    }
    Region ints_region(size_t n) const {
        Region r;
        for (size_t k = 0; k < n; ++k) {
            r.put(k * 16, k + 1, 4);  // n
            r.put(k * 16 + 8, 1);     // values follow
        }
        for (size_t k = 0; k < n; ++k) {
            std::vector<int32_t> values;
            for (size_t j = 0; j <= k; ++j)
                values.push_back(static_cast<int32_t>((k + 1) * 100 + j));
            r.append(values.data(), values.size() * sizeof(int32_t));
        }
        return r;
    }
    static Marshal build(const Region& b, const Region& arr, uint64_t n) {
        Marshal m(24);
        m.slot(0, b.bytes.size());
        m.slot(8, arr.bytes.size());
        m.slot(16, n);
        m.append(b.bytes.data(), b.bytes.size());
        m.append(arr.bytes.data(), arr.bytes.size());
        return m;
    }
    static ccbox_result_t call(const Marshal& m, int* ret = nullptr) {
        SharedBuffer in(m), out(8);
        size_t written = 0;
        ccbox_result_t r = edl_test::call_unchecked(edl_test_fcn_id_ecall_deep_in, in.data(), in.size(), out.data(),
                                                    out.size(), &written);
        if (ret)
            std::memcpy(ret, out.data(), sizeof *ret);
        return r;
    }
};

TEST_F(EdlDeepCopyAttack, HandMadeRegionsInTheDocumentedFormatWork) {
    int ret = -1;
    ASSERT_EQ(call(build(blob_region(), ints_region(3), 3), &ret), CCBOX_OK);
    EXPECT_EQ(ret, 0) << "the enclave saw other values (enc_deep.c:" << ret << ")";
}

TEST_F(EdlDeepCopyAttack, MarkerOtherThanZeroOrOneIsRefused) {
    Region b = blob_region();
    b.put(8, 2);
    EXPECT_EQ(call(build(b, ints_region(3), 3)), CCBOX_INVALID_PARAMETER);
    Region arr = ints_region(3);
    arr.put(16 + 8, reinterpret_cast<uintptr_t>(&arr));  // a host address instead of a marker
    EXPECT_EQ(call(build(blob_region(), arr, 3)), CCBOX_INVALID_PARAMETER);
}

TEST_F(EdlDeepCopyAttack, MemberLengthReachingPastTheRegionIsRefused) {
    Region b = blob_region();
    b.put(0, 6);  // len says 6, the region holds 5 bytes of data
    EXPECT_EQ(call(build(b, ints_region(3), 3)), CCBOX_INVALID_PARAMETER);
    Region arr = ints_region(3);
    arr.put(2 * 16, 1000, 4);  // the last element claims 1000 values
    EXPECT_EQ(call(build(blob_region(), arr, 3)), CCBOX_INVALID_PARAMETER);
}

TEST_F(EdlDeepCopyAttack, MemberLengthThatWrapsIsRefused) {
    Region b = blob_region();
    b.put(0, UINT64_MAX - 7);  // 16 + len wraps around
    EXPECT_EQ(call(build(b, ints_region(3), 3)), CCBOX_INVALID_PARAMETER);
    Region arr = ints_region(3);
    arr.put(0, UINT32_MAX, 4);  // n * sizeof(int32_t) beyond the region
    EXPECT_EQ(call(build(blob_region(), arr, 3)), CCBOX_INVALID_PARAMETER);
}

TEST_F(EdlDeepCopyAttack, CountTimesElementSizeOverflowIsRefused) {
    Marshal m = build(blob_region(), ints_region(3), 3);
    m.slot(16, uint64_t{1} << 60);  // n * sizeof(struct ints) overflows 64 bits
    ccbox_result_t r = call(m);
    EXPECT_EQ(r, CCBOX_INVALID_PARAMETER) << ccbox_result_str(r);
}

TEST_F(EdlDeepCopyAttack, RegionLongerOrShorterThanItsWalkIsRefused) {
    Region arr = ints_region(3);
    arr.bytes.resize(arr.bytes.size() + 16, 0);  // trailing bytes the walk does not reach
    EXPECT_EQ(call(build(blob_region(), arr, 3)), CCBOX_INVALID_PARAMETER);
    // Three elements' data, but n says two: the walk ends before the region does.
    EXPECT_EQ(call(build(blob_region(), ints_region(3), 2)), CCBOX_INVALID_PARAMETER);
    // n says four: the element array alone reaches past the data.
    EXPECT_EQ(call(build(blob_region(), ints_region(3), 4)), CCBOX_INVALID_PARAMETER);
}

}  // namespace
