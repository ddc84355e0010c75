// The measurement engine against the SGXS stream of a real enclave (fortanix/rust-sgx), and
// its refusals of malformed streams.
#include "platform/measurement.hpp"
#include "support/hex.hpp"
#include "test_support.hpp"

#include <cstring>
#include <set>

namespace ccbox {
namespace {

const char kTestEnclaveMrenclave[] = "784acfd7d5096a8f0fbd3265760bff21b120f62407a9a9e5ba31aa3c8ed198fc";

std::vector<uint8_t> test_enclave_sgxs() {
    return test::read_bytes(test::testdata_dir() + "/sigstruct/test_enclave.sgxs");
}

std::vector<uint8_t> record(const char tag[8], uint64_t a, uint64_t b = 0) {
    std::vector<uint8_t> r(64, 0);
    std::memcpy(r.data(), tag, 8);
    std::memcpy(r.data() + 8, &a, 8);
    std::memcpy(r.data() + 16, &b, 8);
    return r;
}

TEST(SgxsReplay, RealStreamGivesItsMrenclave) {
    CCBOX_REQUIRE_TESTDATA();
    auto replay = replay_sgxs(test_enclave_sgxs(), "test_enclave.sgxs");
    ASSERT_TRUE(replay.ok()) << replay.error().message();
    EXPECT_EQ(to_hex(replay->mrenclave), kTestEnclaveMrenclave);
    EXPECT_EQ(replay->ecreate_count, 1u);
    EXPECT_EQ(replay->eadd_count, 9u);
    EXPECT_EQ(replay->eextend_count, 144u);
    EXPECT_EQ(replay->ssa_frame_size, 1u);
    EXPECT_EQ(replay->enclave_size, 0x40000u);
}

TEST(SgxsReplay, UnmeasuredRecordsAreNotHashed) {
    CCBOX_REQUIRE_TESTDATA();
    auto stream = test_enclave_sgxs();
    // Insert an UNMEASRD record (64-byte header + 256 data bytes) for the first EADDed page,
    // right after that page's EADD record (the second record of the stream).
    uint64_t first_page;
    std::memcpy(&first_page, stream.data() + 64 + 8, 8);
    auto unmeasured = record("UNMEASRD", first_page + 256);
    unmeasured.resize(64 + 256, 0xab);
    stream.insert(stream.begin() + 128, unmeasured.begin(), unmeasured.end());
    auto replay = replay_sgxs(stream, "esgxs");
    ASSERT_TRUE(replay.ok()) << replay.error().message();
    EXPECT_EQ(to_hex(replay->mrenclave), kTestEnclaveMrenclave);
    EXPECT_EQ(replay->unmeasured_count, 1u);
}

TEST(SgxsReplay, BuilderStreamReplaysToTheSameValue) {
    std::vector<uint8_t> stream;
    MeasurementBuilder builder([&](std::span<const uint8_t> chunk) { stream.insert(stream.end(), chunk.begin(), chunk.end()); });
    builder.ecreate(1, 1 << 20);
    std::vector<uint8_t> page(4096);
    for (size_t i = 0; i < page.size(); ++i)
        page[i] = static_cast<uint8_t>(i * 7);
    builder.add_page(0, 0x205, page.data(), true);
    builder.add_page(4096, 0x203, page.data(), false);
    builder.add_page(8192, 0x100, page.data(), true);
    Digest256 mrenclave = builder.finish();
    EXPECT_EQ(stream.size(), 64u + 3 * 64 + 32 * (64 + 256));
    EXPECT_EQ(sha256(stream), mrenclave) << "the SGXS file is exactly the hashed stream";
    auto replay = replay_sgxs(stream, "built");
    ASSERT_TRUE(replay.ok()) << replay.error().message();
    EXPECT_EQ(replay->mrenclave, mrenclave);
}

struct BadStream {
    const char* name;
    std::vector<uint8_t> bytes;
    const char* expected_message;
};

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
    std::vector<uint8_t> out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

std::vector<uint8_t> ecreate(uint64_t size) {
    auto r = record("ECREATE\0", 1);
    std::memcpy(r.data() + 12, &size, 8);
    return r;
}

TEST(SgxsReplay, MalformedStreamsAreRefusedWithTheirOffset) {
    std::vector<uint8_t> eextend = record("EEXTEND\0", 0);
    eextend.resize(320, 0);
    const std::vector<BadStream> cases = {
        {"empty", {}, "empty stream"},
        {"truncated header", std::vector<uint8_t>(10, 0), "record at byte 0: truncated record header"},
        {"no ecreate", record("EADD\0\0\0\0", 0, 0x203), "must begin with ECREATE"},
        {"two ecreates", concat({ecreate(1 << 20), ecreate(1 << 20)}), "record at byte 64: a second ECREATE"},
        {"size not power of two", ecreate(3 * 4096), "is not a power of two"},
        {"unknown tag", concat({ecreate(1 << 20), record("BOGUSTAG", 0)}), "unknown record tag 'BOGUSTAG'"},
        {"unsized", record("UNSIZED\0", 0), "UNSIZED record"},
        {"eadd outside", concat({ecreate(1 << 20), record("EADD\0\0\0\0", 1 << 20, 0x203)}), "outside the enclave"},
        {"eadd misaligned", concat({ecreate(1 << 20), record("EADD\0\0\0\0", 100, 0x203)}), "misaligned"},
        {"page added twice",
         concat({ecreate(1 << 20), record("EADD\0\0\0\0", 0, 0x203), record("EADD\0\0\0\0", 0, 0x203)}),
         "already added"},
        {"eextend without eadd", concat({ecreate(1 << 20), eextend}), "never added"},
        {"truncated eextend",
         concat({ecreate(1 << 20), record("EADD\0\0\0\0", 0, 0x203), record("EEXTEND\0", 0)}),
         "truncated EEXTEND data"},
    };
    for (const auto& c : cases) {
        auto replay = replay_sgxs(c.bytes, "bad.sgxs");
        ASSERT_FALSE(replay.ok()) << c.name;
        EXPECT_EQ(replay.error().code(), CCBOX_INVALID_IMAGE) << c.name;
        EXPECT_NE(replay.error().message().find(c.expected_message), std::string::npos)
            << c.name << ": " << replay.error().message();
        EXPECT_EQ(replay.error().message().rfind("bad.sgxs", 0), 0u) << c.name;
    }
}

TEST(SgxsReplay, EveryTruncationInsideARecordIsRefused) {
    CCBOX_REQUIRE_TESTDATA();
    auto stream = test_enclave_sgxs();
    std::set<size_t> boundaries;
    for (size_t pos = 0; pos < stream.size();) {
        boundaries.insert(pos);
        pos += std::memcmp(stream.data() + pos, "EEXTEND", 7) == 0 ? 320 : 64;
    }
    for (size_t cut = 1; cut < stream.size(); cut += 13) {
        std::vector<uint8_t> truncated(stream.begin(), stream.begin() + static_cast<long>(cut));
        auto replay = replay_sgxs(truncated, "t");
        if (boundaries.count(cut)) {
            EXPECT_TRUE(replay.ok()) << "a stream cut between records is a shorter valid stream";
        } else {
            ASSERT_FALSE(replay.ok()) << "cut at " << cut;
            EXPECT_NE(replay.error().message().find("truncated"), std::string::npos) << replay.error().message();
        }
    }
}

}  // namespace
}  // namespace ccbox
