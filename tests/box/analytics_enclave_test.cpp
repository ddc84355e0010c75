// Issue 13 acceptance 3, inside the enclave, in both backends: the confidential-analytics
// enclave refuses a tampered, reordered, truncated, extended or spliced input envelope, a
// changed header and an overflowing length field, and a host that answers a read with more
// bytes than it asked for; a malformed row aborts the job. In every refused case the enclave
// writes nothing at all (no partial result, not even the result's header), and its error
// names what was wrong without quoting the data. Every input here commits to the result key
// (seal_committed), as the job requires.
#include "aggregate.hpp"
#include "analytics_fixture.hpp"

#include <gtest/gtest.h>

namespace {

using namespace box_test;
using ccbox::test::Backend;

std::string sample_csv(size_t rows, const char* extra = nullptr) {
    std::string csv = "group,value\n";
    for (size_t i = 0; i < rows; ++i)
        csv += "g" + std::to_string(i % 5) + "," + std::to_string(long(i * 37 % 1000) - 100) + "\n";
    if (extra)
        csv += extra;
    return csv;
}

std::string expected_result(const std::string& csv) {
    analytics::Aggregator a;
    EXPECT_TRUE(a.feed(csv.data(), csv.size()) && a.finish()) << a.error();
    return a.result_csv();
}

class AnalyticsEnclaveTest : public ::testing::TestWithParam<Backend> {
  protected:
    void SetUp() override {
        enclave_ = std::make_unique<AnalyticsEnclave>(GetParam());
        ASSERT_EQ(enclave_->created, CCBOX_OK);
    }
    // One job with fresh development keys over `input`.
    JobResult job(const Bytes& input, TestHost* host_out = nullptr) {
        EXPECT_EQ(use_keys(enclave_->e, data_key_, result_key_), CCBOX_OK);
        TestHost local;
        TestHost& host = host_out ? *host_out : local;
        host.input = input;
        host.at = 0;
        return run_job(enclave_->e, host);
    }
    void expect_refused(const Bytes& input, int status, const std::string& message) {
        TestHost host;
        JobResult r = job(input, &host);
        EXPECT_EQ(r.status, status) << r.error;
        EXPECT_NE(r.error.find(message), std::string::npos) << r.error;
        EXPECT_EQ(host.writes, 0u) << "the enclave wrote output for a refused input";
        EXPECT_TRUE(host.output.empty());
    }
    std::unique_ptr<AnalyticsEnclave> enclave_;
    const Bytes data_key_ = key_of(3), result_key_ = key_of(4);
};

TEST_P(AnalyticsEnclaveTest, AggregatesAnEncryptedCsvAndEncryptsTheResult) {
    const std::string csv = sample_csv(3000);
    TestHost host;
    host.piece = 1000;  // pieces that do not line up with chunks or rows
    JobResult r = job(seal_committed(result_key_, data_key_, text(csv), 1024), &host);
    ASSERT_EQ(r.status, CCBOX_OK) << r.error;
    EXPECT_EQ(r.rows, 3000u);
    Opened result = open(result_key_, host.output);
    ASSERT_EQ(result.error, ccbox::box::Error::ok);
    EXPECT_EQ(std::string(result.plain.begin(), result.plain.end()), expected_result(csv));
    ccbox::box::Decryptor header_only(result_key_.data(), 32, nullptr, nullptr);
    header_only.feed(host.output.data(), host.output.size());
    EXPECT_STREQ(header_only.header().key_id, "results");
    // Each key serves one job.
    TestHost again;
    again.input = seal_committed(result_key_, data_key_, text(csv), 1024);
    EXPECT_EQ(run_job(enclave_->e, again).status, CCBOX_INVALID_PARAMETER);
}

TEST_P(AnalyticsEnclaveTest, RefusesEveryAttackOnTheInputEnvelope) {
    const Bytes good = seal_committed(result_key_, data_key_, text(sample_csv(2000)), 1024);
    const auto r = record_offsets(good);
    ASSERT_GE(r.size(), 5u);
    Bytes tampered = good;
    tampered[r[2] + 100] ^= 1;
    Bytes reordered = slice(good, 0, r[1]);
    for (size_t i : {2, 1})
        for (uint8_t b : slice(good, r[i], r[i + 1]))
            reordered.push_back(b);
    reordered.insert(reordered.end(), good.begin() + long(r[3]), good.end());
    Bytes duplicated = slice(good, 0, r[2]);  // chunk 1 served twice
    for (uint8_t b : slice(good, r[1], r[2]))
        duplicated.push_back(b);
    duplicated.insert(duplicated.end(), good.begin() + long(r[2]), good.end());
    const Bytes truncated = slice(good, 0, r.back());
    Bytes extended = good;
    extended.insert(extended.end(), good.begin() + long(r.back()), good.end());
    const Bytes other = seal_committed(result_key_, data_key_, text(sample_csv(2000)), 1024, "data", 9);
    const auto ro = record_offsets(other);
    Bytes spliced = slice(good, 0, r[1]);
    for (uint8_t b : slice(other, ro[1], ro[2]))
        spliced.push_back(b);
    spliced.insert(spliced.end(), good.begin() + long(r[2]), good.end());
    Bytes header = good;
    header[20] ^= 1;  // the file id
    Bytes overflow = good;
    const uint32_t huge = 0x7fffffff;
    std::memcpy(overflow.data() + r[1], &huge, 4);
    const Bytes wrong_key = seal_committed(result_key_, key_of(8), text(sample_csv(2000)), 1024);

    const std::string auth = "does not authenticate";
    expect_refused(tampered, CCBOX_VERIFY_FAILED, auth);
    expect_refused(reordered, CCBOX_VERIFY_FAILED, auth);
    expect_refused(duplicated, CCBOX_VERIFY_FAILED, auth);
    expect_refused(truncated, CCBOX_INVALID_PARAMETER, "truncated");
    expect_refused(slice(good, 0, r[2] + 7), CCBOX_INVALID_PARAMETER, "truncated");
    expect_refused(extended, CCBOX_INVALID_PARAMETER, "extended");
    expect_refused(spliced, CCBOX_VERIFY_FAILED, auth);
    expect_refused(header, CCBOX_VERIFY_FAILED, auth);
    expect_refused(overflow, CCBOX_INVALID_PARAMETER, "length field");
    expect_refused(wrong_key, CCBOX_VERIFY_FAILED, auth);
    expect_refused({}, CCBOX_INVALID_PARAMETER, "truncated");
}

TEST_P(AnalyticsEnclaveTest, RefusesAHostThatReturnsMoreBytesThanAsked) {
    TestHost host;
    host.claim_one_more = true;
    JobResult r = job(seal_committed(result_key_, data_key_, text(sample_csv(100)), 1024), &host);
    EXPECT_EQ(r.status, CCBOX_OUT_OF_BOUNDS);
    EXPECT_NE(r.error.find("more bytes than asked"), std::string::npos) << r.error;
    EXPECT_EQ(host.writes, 0u);
}

TEST_P(AnalyticsEnclaveTest, AHostWhoseReadsOrWritesFailEndsTheJobWithAnError) {
    TestHost host;
    host.fail_reads = true;
    JobResult r = job(seal_committed(result_key_, data_key_, text(sample_csv(100)), 1024), &host);
    EXPECT_EQ(r.status, CCBOX_IO_ERROR);
    EXPECT_NE(r.error.find("reading the input failed"), std::string::npos) << r.error;
    TestHost writer;
    writer.fail_writes = true;
    r = job(seal_committed(result_key_, data_key_, text(sample_csv(100)), 1024), &writer);
    EXPECT_EQ(r.status, CCBOX_IO_ERROR);
    EXPECT_NE(r.error.find("writing the result failed"), std::string::npos) << r.error;
    EXPECT_EQ(writer.writes, 1u) << "the enclave stops at the first refused write";
}

TEST_P(AnalyticsEnclaveTest, TheLargestChunkSizeWorksOrFailsCleanly) {
    // A 16 MiB chunk needs a 16 MiB record buffer in the 24 MiB heap: either it fits and the
    // job succeeds, or the enclave says it is out of memory; it never crashes.
    const std::string csv = sample_csv(50);
    TestHost host;
    JobResult r = job(seal_committed(result_key_, data_key_, text(csv), ccbox::box::kMaxChunkSize), &host);
    if (r.status == CCBOX_OK) {
        Opened result = open(result_key_, host.output);
        EXPECT_EQ(std::string(result.plain.begin(), result.plain.end()), expected_result(csv));
    } else {
        EXPECT_NE(r.error.find("out of memory"), std::string::npos) << r.error;
    }
    // And the enclave still works afterwards.
    TestHost again;
    EXPECT_EQ(job(seal_committed(result_key_, data_key_, text(csv), 1024), &again).status, CCBOX_OK);
}

TEST_P(AnalyticsEnclaveTest, ReadsOfAnySizeGiveTheSameResult) {
    const std::string csv = sample_csv(400);
    TestHost host;
    host.piece = 7;
    JobResult r = job(seal_committed(result_key_, data_key_, text(csv), 256), &host);
    ASSERT_EQ(r.status, CCBOX_OK) << r.error;
    Opened result = open(result_key_, host.output);
    EXPECT_EQ(std::string(result.plain.begin(), result.plain.end()), expected_result(csv));
}

TEST_P(AnalyticsEnclaveTest, AMalformedRowAbortsTheJobWithoutQuotingIt) {
    struct Case {
        const char* extra;
        const char* message;
    };
    for (const Case& c : {Case{"g1,12x4SECRET\n", "row 202: the value is not an integer"},
                          Case{"g1;12\n", "row 202: no ','"}, Case{",5\n", "row 202: the group name is empty"},
                          Case{"g 1,5\n", "row 202: the group name has a character outside"},
                          Case{"g1,1234567890123\n", "row 202: the value is not an integer of 1 to 12 digits"}}) {
        TestHost host;
        JobResult r = job(seal_committed(result_key_, data_key_, text(sample_csv(200, c.extra) + "g2,1\n"), 256), &host);
        EXPECT_EQ(r.status, CCBOX_INVALID_PARAMETER) << c.extra;
        EXPECT_NE(r.error.find(c.message), std::string::npos) << r.error;
        EXPECT_EQ(r.error.find("SECRET"), std::string::npos) << "the error quotes the data: " << r.error;
        EXPECT_EQ(host.writes, 0u);
    }
    TestHost host;
    JobResult r = job(seal_committed(result_key_, data_key_, text("value,group\ng1,1\n"), 256), &host);
    EXPECT_NE(r.error.find("row 1: the header is not 'group,value'"), std::string::npos) << r.error;
    std::string long_row = sample_csv(3) + "g1," + std::string(200, '1') + "\n";
    r = job(seal_committed(result_key_, data_key_, text(long_row), 256), &host);
    EXPECT_NE(r.error.find("row 5: longer than 128 bytes"), std::string::npos) << r.error;
    std::string many = "group,value\n";
    for (int i = 0; i < 300; ++i)
        many += "g" + std::to_string(i) + ",1\n";
    r = job(seal_committed(result_key_, data_key_, text(many), 4096), &host);
    EXPECT_NE(r.error.find("row 258: more than 256 groups"), std::string::npos) << r.error;
    EXPECT_EQ(host.writes, 0u);
}

TEST_P(AnalyticsEnclaveTest, RefusesToRunWithoutKeys) {
    TestHost host;
    host.input = seal_committed(result_key_, data_key_, text(sample_csv(10)), 256);
    JobResult r = run_job(enclave_->e, host);
    EXPECT_EQ(r.status, CCBOX_INVALID_PARAMETER);
    EXPECT_NE(r.error.find("must be released first"), std::string::npos) << r.error;
    EXPECT_EQ(host.reads, 0u);
}

// The owner's commitment to the result key is mandatory for this job (docs/box-format.md):
// an input without one, an input committed to another result key than the enclave holds, and
// a version 1 file (which cannot carry one) are refused inside the enclave, nothing written.
TEST_P(AnalyticsEnclaveTest, RefusesAnInputThatDoesNotCommitToItsResultKey) {
    const Bytes plain = text(sample_csv(500));
    expect_refused(seal(data_key_, plain, 1024), CCBOX_INVALID_PARAMETER, "commits to no result key");
    expect_refused(seal_committed(key_of(9), data_key_, plain, 1024), CCBOX_VERIFY_FAILED,
                   "not the one the data owner committed to");
    Bytes v1 = seal(data_key_, plain, 1024);
    v1[8] = 1;
    expect_refused(v1, CCBOX_INVALID_PARAMETER, "unsupported envelope version");
}

INSTANTIATE_TEST_SUITE_P(Backends, AnalyticsEnclaveTest, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

}  // namespace
