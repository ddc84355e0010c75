// The enclave's half of key release (include/ccbox/keyrelease.h) in both backends, through the
// sample's ECALLs: evidence binds nonce ‖ point in REPORTDATA; a JWE made as the broker makes it
// (jwe_maker.cpp, OpenSSL) unwraps inside the enclave to the key that then decrypts the data;
// and each JWE a hostile host could substitute is refused with its reason — alg confusion
// ("dir", "none"), a huge header, an epk off the curve, a kid for another key, a changed tag or
// wrapped key, a JWE for another enclave key, a replayed JWE, a second use of a context.
#include "aggregate.hpp"
#include "analytics_fixture.hpp"
#include "jwe_maker.hpp"

#include <openssl/evp.h>

#include <gtest/gtest.h>

namespace {

using namespace box_test;
using ccbox::test::Backend;

struct Begun {
    Bytes evidence;
    uint8_t point[65] = {};
};

class KeyRelease : public ::testing::TestWithParam<Backend> {
  protected:
    void SetUp() override {
        enclave_ = std::make_unique<AnalyticsEnclave>(GetParam());
        ASSERT_EQ(enclave_->created, CCBOX_OK);
    }
    Begun begin(int slot, uint8_t nonce_seed = 5) {
        Begun b;
        uint8_t nonce[32];
        std::memset(nonce, nonce_seed, sizeof nonce);
        b.evidence.resize(64 * 1024);
        size_t size = 0;
        int status = -1;
        EXPECT_EQ(ca_release_begin(enclave_->e, &status, slot, nonce, b.evidence.data(), b.evidence.size(), &size,
                                   b.point),
                  CCBOX_OK);
        EXPECT_EQ(status, CCBOX_OK);
        b.evidence.resize(size);
        return b;
    }
    std::pair<int, std::string> finish(int slot, const std::string& jwe, const char* kid) {
        char error[256] = {};
        int status = -1;
        EXPECT_EQ(ca_release_finish(enclave_->e, &status, slot, jwe.data(), jwe.size(), kid, error), CCBOX_OK);
        return {status, error};
    }
    std::unique_ptr<AnalyticsEnclave> enclave_;
    const Bytes data_key_ = key_of(11), result_key_ = key_of(12);
};

TEST_P(KeyRelease, EvidenceBindsTheNonceAndTheEphemeralPoint) {
    Begun b = begin(0, 0x77);
    ASSERT_GT(b.evidence.size(), 97u + 432u);
    EXPECT_EQ(b.point[0], 0x04);
    // Evidence = quote ‖ custom claims; the claims are nonce ‖ point.
    const uint8_t* claims = b.evidence.data() + b.evidence.size() - 97;
    EXPECT_EQ(Bytes(claims, claims + 32), Bytes(32, 0x77));
    EXPECT_EQ(std::memcmp(claims + 32, b.point, 65), 0);
    // REPORTDATA (quote header 48 + report body offset 320) = SHA-256(claims) ‖ 0^32.
    uint8_t hash[32];
    unsigned int n = 0;
    EVP_Digest(claims, 97, hash, &n, EVP_sha256(), nullptr);
    EXPECT_EQ(std::memcmp(b.evidence.data() + 48 + 320, hash, 32), 0);
    EXPECT_EQ(Bytes(b.evidence.data() + 48 + 352, b.evidence.data() + 48 + 384), Bytes(32, 0));
    // Each begin makes a new key.
    Begun again = begin(0, 0x77);
    EXPECT_NE(std::memcmp(again.point, b.point, 65), 0);
}

TEST_P(KeyRelease, ReleasedKeysDecryptTheDataAndEncryptTheResult) {
    Begun d = begin(0), r = begin(1);
    auto [ds, de] = finish(0, make_jwe(d.point, data_key_, jwe_kid("sales/3")), "sales");
    ASSERT_EQ(ds, CCBOX_OK) << de;
    auto [rs, re] = finish(1, make_jwe(r.point, result_key_, jwe_kid("results/1")), "results/1");
    ASSERT_EQ(rs, CCBOX_OK) << re;
    const std::string csv = "group,value\na,1\nb,2\na,3\n";
    TestHost host;
    host.input = seal_committed(result_key_, data_key_, text(csv), 256, "sales");
    JobResult job = run_job(enclave_->e, host, "results");
    ASSERT_EQ(job.status, CCBOX_OK) << job.error;
    Opened out = open(result_key_, host.output);
    ASSERT_EQ(out.error, ccbox::box::Error::ok);
    EXPECT_EQ(std::string(out.plain.begin(), out.plain.end()),
              "group,count,sum,mean,min,max,median\na,2,4,2.000000,1,3,1\nb,1,2,2.000000,2,2,2\n");
}

TEST_P(KeyRelease, TheJobChecksTheEnvelopesAgainstTheReleasedKeyIds) {
    Begun d = begin(0), r = begin(1);
    ASSERT_EQ(finish(0, make_jwe(d.point, data_key_, jwe_kid("sales/3")), "sales").first, CCBOX_OK);
    ASSERT_EQ(finish(1, make_jwe(r.point, result_key_, jwe_kid("results/1")), "results").first, CCBOX_OK);
    TestHost host;
    host.input = seal_committed(result_key_, data_key_, text("group,value\na,1\n"), 256, "other");
    JobResult job = run_job(enclave_->e, host, "results");
    EXPECT_EQ(job.status, CCBOX_VERIFY_FAILED);
    EXPECT_NE(job.error.find("names another key"), std::string::npos) << job.error;
    EXPECT_EQ(host.writes, 0u);

    d = begin(0), r = begin(1);
    ASSERT_EQ(finish(0, make_jwe(d.point, data_key_, jwe_kid("sales/3")), "sales").first, CCBOX_OK);
    ASSERT_EQ(finish(1, make_jwe(r.point, result_key_, jwe_kid("results/1")), "results").first, CCBOX_OK);
    host = TestHost{};
    host.input = seal_committed(result_key_, data_key_, text("group,value\na,1\n"), 256, "sales");
    job = run_job(enclave_->e, host, "attacker");
    EXPECT_EQ(job.status, CCBOX_VERIFY_FAILED);
    EXPECT_NE(job.error.find("not the released result key"), std::string::npos) << job.error;
    EXPECT_EQ(host.reads, 0u);
}

// The attack of a host that runs its own broker (docs/key-release.md): it relays the owner's
// genuine data key release from the real broker, but answers the result key's release with a
// JWE it made itself for the enclave's ephemeral point (it sees the point; nothing in a JWE says
// which broker made it). If the enclave accepted that key, the host would decrypt the result.
// The owner's envelope commits to the real result key (docs/box-format.md), so the enclave,
// once the data key has authenticated the header, refuses the host's key and writes nothing.
TEST_P(KeyRelease, AHostsOwnBrokerCannotSubstituteTheResultKey) {
    const Bytes host_key = key_of(66);
    const std::string csv = "group,value\na,1\nb,2\na,3\n";
    Begun d = begin(0), r = begin(1);
    ASSERT_EQ(finish(0, make_jwe(d.point, data_key_, jwe_kid("sales/3")), "sales").first, CCBOX_OK);
    ASSERT_EQ(finish(1, make_jwe(r.point, host_key, jwe_kid("results/1")), "results").first, CCBOX_OK);
    TestHost host;
    host.input = seal_committed(result_key_, data_key_, text(csv), 256, "sales");
    JobResult job = run_job(enclave_->e, host, "results");
    EXPECT_EQ(job.status, CCBOX_VERIFY_FAILED) << job.error;
    EXPECT_NE(job.error.find("result key"), std::string::npos) << job.error;
    EXPECT_EQ(host.writes, 0u) << "the enclave wrote a result under the host's key";
    Opened stolen = open(host_key, host.output);
    EXPECT_NE(stolen.error, ccbox::box::Error::ok)
        << "the host decrypted the result: " << std::string(stolen.plain.begin(), stolen.plain.end());
}

TEST_P(KeyRelease, RefusesEveryJweAHostileHostCouldSubstitute) {
    struct Case {
        const char* name;
        JweOptions options;
        const char* kid;
        int status;
        const char* reason;
    };
    const Case cases[] = {
        {"alg dir", jwe_alg("dir"), "data", CCBOX_UNSUPPORTED, "alg is not ECDH-ES+A256KW"},
        {"alg none", jwe_alg("none"), "data", CCBOX_UNSUPPORTED, "alg is not ECDH-ES+A256KW"},
        {"enc", jwe_enc("A128GCM"), "data", CCBOX_UNSUPPORTED, "enc is not A256GCM"},
        {"huge header", jwe_kid(std::string(3000, 'k')), "data", CCBOX_INVALID_PARAMETER, "larger than"},
        {"epk off the curve", jwe_off_curve(), "data", CCBOX_INVALID_PARAMETER, "not on the curve"},
        {"kid of another key", jwe_kid("other/1"), "data", CCBOX_VERIFY_FAILED, "kid is not the key id"},
        {"kid prefix", jwe_kid("database/1"), "data", CCBOX_VERIFY_FAILED, "kid is not the key id"},
        {"kid version", jwe_kid("data/2"), "data/1", CCBOX_VERIFY_FAILED, "kid is not the key id"},
        {"tag", jwe_bad_tag(), "data", CCBOX_VERIFY_FAILED, "does not authenticate"},
        {"wrapped key", jwe_bad_wrapped_key(), "data", CCBOX_VERIFY_FAILED, "key unwrap failed"},
        {"extra member", jwe_header("{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"kid\":\"data/1\",\"epk\":EPK,"
                                    "\"zip\":\"DEF\"}"),
         "data", CCBOX_INVALID_PARAMETER, "exactly alg, enc, kid"},
    };
    for (const Case& c : cases) {
        Begun b = begin(0);
        auto [status, error] = finish(0, make_jwe(b.point, data_key_, c.options), c.kid);
        EXPECT_EQ(status, c.status) << c.name << ": " << error;
        EXPECT_NE(error.find(c.reason), std::string::npos) << c.name << ": " << error;
    }
    // A JWE for another enclave key, and a JWE replayed to a new release.
    Begun first = begin(0);
    const std::string jwe = make_jwe(first.point, data_key_);
    Begun second = begin(0);
    auto [status, error] = finish(0, jwe, "data");
    EXPECT_EQ(status, CCBOX_VERIFY_FAILED) << error;
    EXPECT_NE(error.find("key unwrap failed"), std::string::npos) << error;
    // Nothing was released: the job refuses to run.
    TestHost host;
    host.input = seal_committed(result_key_, data_key_, text("group,value\na,1\n"), 256);
    EXPECT_NE(run_job(enclave_->e, host).status, CCBOX_OK);
    EXPECT_EQ(host.reads, 0u);
}

TEST_P(KeyRelease, AContextUnwrapsOnceAndFinishNeedsABegin) {
    Begun b = begin(0);
    const std::string jwe = make_jwe(b.point, data_key_);
    EXPECT_EQ(finish(0, jwe, "data").first, CCBOX_OK);
    auto [status, error] = finish(0, jwe, "data");
    EXPECT_EQ(status, CCBOX_INVALID_PARAMETER);
    EXPECT_NE(error.find("no key release in progress"), std::string::npos) << error;
    // A failed finish also ends the context: no second guess with the same ephemeral key.
    Begun c = begin(1);
    EXPECT_NE(finish(1, make_jwe(c.point, result_key_, jwe_bad_tag()), "data").first, CCBOX_OK);
    EXPECT_EQ(finish(1, make_jwe(c.point, result_key_), "data").first, CCBOX_INVALID_PARAMETER);
    // No key id: the enclave insists on checking the kid.
    Begun d = begin(0);
    char error2[256] = {};
    const std::string jwe2 = make_jwe(d.point, data_key_);
    EXPECT_EQ(ca_release_finish(enclave_->e, &status, 0, jwe2.data(), jwe2.size(), nullptr, error2), CCBOX_OK);
    EXPECT_EQ(status, CCBOX_INVALID_PARAMETER);
    EXPECT_NE(std::string(error2).find("no key id"), std::string::npos) << error2;
    // Bad slots.
    uint8_t nonce[32] = {}, point[65];
    uint8_t evidence[16];
    size_t size = 0;
    int s = -1;
    EXPECT_EQ(ca_release_begin(enclave_->e, &s, 2, nonce, evidence, sizeof evidence, &size, point), CCBOX_OK);
    EXPECT_EQ(s, CCBOX_INVALID_PARAMETER);
}

INSTANTIATE_TEST_SUITE_P(Backends, KeyRelease, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

}  // namespace
