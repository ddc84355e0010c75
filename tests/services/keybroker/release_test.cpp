// Issue 13, acceptance 2: every refusal has its own reason and is audited; a grant unwraps to
// the owner's key. Real quotes, the project's verifier, the broker over HTTPS.
#include "keybroker_fixture.hpp"

#include <chrono>
#include <set>

namespace kbtest {
namespace {

class ReleaseTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { world_ = new World(World::kProduction); }
    static void TearDownTestSuite() { delete world_; }
    void SetUp() override {
        broker_ = std::make_unique<TestBroker>(*world_);
        key_ = broker_->create_key("data-key");
        client_ = broker_->client();
    }
    // The last audit entry must record this refusal.
    void expect_audited(const std::string& error, const std::string& key_id = "data-key") {
        auto log = broker_->audit();
        ASSERT_FALSE(log.empty());
        EXPECT_EQ(log.back()["verdict"], "refused");
        EXPECT_EQ(log.back()["error"], error);
        EXPECT_EQ(log.back()["key_id"], key_id);
    }
    // A release with `evidence` made by the caller for the given nonce/point.
    Attempt release(const Bytes& nonce, const Bytes& evidence, const Bytes& point, const std::string& key_id = "data-key") {
        try {
            auto r = client_->release(key_id, nonce, evidence, point);
            return {200, "", "", Bytes{}, r.jwe};
        } catch (const ReleaseRefused& e) {
            return {e.status, e.error, e.reason, std::nullopt, ""};
        }
    }
    static World* world_;
    std::unique_ptr<TestBroker> broker_;
    Bytes key_;
    std::unique_ptr<Client> client_;
};
World* ReleaseTest::world_ = nullptr;

TEST_F(ReleaseTest, GrantUnwrapsToTheOwnersKeyAndIsAudited) {
    const Attempt a = attempt(*client_, *world_, "data-key");
    ASSERT_EQ(a.status, 200) << a.error << ": " << a.reason;
    ASSERT_TRUE(a.key);
    EXPECT_EQ(*a.key, key_);
    EXPECT_EQ(a.kid, "data-key/1");
    auto log = broker_->audit();
    EXPECT_EQ(log.back()["verdict"], "granted");
    EXPECT_EQ(log.back()["version"], 1);
    EXPECT_EQ(log.back()["evidence_sha256"].get<std::string>().size(), 64u);
    EXPECT_EQ(log.back()["collateral_sha256"].get<std::string>().size(), 64u);
}

TEST_F(ReleaseTest, RotationReleasesTheNewVersion) {
    broker_->client(true)->admin("POST", "/keys/data-key/rotate", nlohmann::json::object());
    const Attempt a = attempt(*client_, *world_, "data-key");
    ASSERT_EQ(a.status, 200);
    EXPECT_EQ(a.kid, "data-key/2");
    EXPECT_NE(*a.key, key_);
    EXPECT_EQ(*a.key, broker_->exported("data-key"));
    auto v1 = broker_->client(true)->admin("GET", "/keys/data-key/export?version=1");
    EXPECT_EQ(*unb64(v1["key"].get<std::string>()), key_);  // versions are kept
}

struct PolicyRefusal {
    const char* name;
    EnclaveKeyIdentity id;
    const char* clause;  // what the reason must name
};

TEST_F(ReleaseTest, PolicyRefusalsNameTheFailingClause) {
    const PolicyRefusal cases[] = {
        {"another MRENCLAVE", identity(0x77), "$.allOf[0] (mrenclave equals"},
        {"another MRSIGNER", identity(0x5e, 0x99), "$.allOf[1] (mrsigner equals"},
        {"a lower SVN", identity(0x5e, 0x51, 2), "$.allOf[3] (svn greaterOrEquals 3)"},
        {"a debug enclave", identity(0x5e, 0x51, 3, true), "$.allOf[4] (debug equals false)"},
    };
    for (const auto& c : cases) {
        const Attempt a = attempt(*client_, *world_, "data-key", c.id);
        EXPECT_EQ(a.status, 403) << c.name;
        EXPECT_EQ(a.error, "policy_denied") << c.name;
        EXPECT_NE(a.reason.find(c.clause), std::string::npos) << c.name << ": " << a.reason;
        EXPECT_FALSE(a.key) << c.name;
        expect_audited("policy_denied");
        EXPECT_NE(broker_->audit().back()["reason"].get<std::string>().find(c.clause), std::string::npos);
    }
}

TEST_F(ReleaseTest, DevelopmentPlatformRefusedWhenThePolicyForbidsIt) {
    World dev(World::kDevelopment);
    TestBroker broker(dev);
    broker.create_key("data-key");
    auto c = broker.client();
    const Attempt a = attempt(*c, dev, "data-key");
    EXPECT_EQ(a.status, 403);
    EXPECT_EQ(a.error, "policy_denied");
    EXPECT_NE(a.reason.find("$.allOf[6].anyOf"), std::string::npos) << a.reason;
    EXPECT_EQ(broker.audit().back()["error"], "policy_denied");
    // The same platform is accepted by a policy that allows development.
    broker.client(true)->admin("POST", "/keys/data-key/policy",
                               {{"policy", {{"claim", "platform_mode"}, {"in", {"development", "production"}}}}});
    EXPECT_EQ(attempt(*c, dev, "data-key").status, 200);
}

TEST_F(ReleaseTest, TcbStatusNotAcceptedIsRefused) {
    World outdated(World::kOutOfDate);
    TestBroker broker(outdated);
    broker.create_key("data-key");
    auto c = broker.client();
    const Attempt a = attempt(*c, outdated, "data-key");
    EXPECT_EQ(a.status, 403);
    EXPECT_EQ(a.error, "policy_denied");
    EXPECT_NE(a.reason.find("$.allOf[5] (tcb_status in"), std::string::npos) << a.reason;
    EXPECT_EQ(broker.audit().back()["error"], "policy_denied");
}

TEST_F(ReleaseTest, EvidenceBoundToAnotherKeyIsRefused) {
    EnclaveKey mine, other;
    const Bytes nonce = client_->challenge();
    const Attempt a = release(nonce, world_->evidence(good(), other.claims(nonce)), mine.point);
    EXPECT_EQ(a.status, 403);
    EXPECT_EQ(a.error, "evidence_not_bound_to_key");
    expect_audited("evidence_not_bound_to_key");
}

TEST_F(ReleaseTest, EvidenceBoundToAnotherNonceIsRefused) {
    EnclaveKey ek;
    const Bytes old_nonce = client_->challenge();
    const Bytes fresh = client_->challenge();
    const Attempt a = release(fresh, world_->evidence(good(), ek.claims(old_nonce)), ek.point);
    EXPECT_EQ(a.status, 403);
    EXPECT_EQ(a.error, "evidence_not_bound_to_nonce");
    expect_audited("evidence_not_bound_to_nonce");
}

TEST_F(ReleaseTest, ReplayedNonceIsRefused) {
    EnclaveKey ek;
    const Bytes nonce = client_->challenge();
    const Bytes evidence = world_->evidence(good(), ek.claims(nonce));
    EXPECT_EQ(release(nonce, evidence, ek.point).status, 200);
    const Attempt again = release(nonce, evidence, ek.point);
    EXPECT_EQ(again.status, 403);
    EXPECT_EQ(again.error, "nonce_unknown_or_used");
    expect_audited("nonce_unknown_or_used");
    // A nonce the broker never issued.
    const Attempt forged = release(Bytes(32, 0xab), world_->evidence(good(), ek.claims(Bytes(32, 0xab))), ek.point);
    EXPECT_EQ(forged.error, "nonce_unknown_or_used");
}

TEST_F(ReleaseTest, ExpiredNonceIsRefused) {
    TestBroker broker(*world_, /*nonce_ttl_ms=*/1);
    broker.create_key("data-key");
    auto c = broker.client();
    EnclaveKey ek;
    const Bytes nonce = c->challenge();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    try {
        c->release("data-key", nonce, world_->evidence(good(), ek.claims(nonce)), ek.point);
        ADD_FAILURE() << "released with an expired nonce";
    } catch (const ReleaseRefused& e) {
        EXPECT_EQ(e.status, 403);
        EXPECT_EQ(e.error, "nonce_expired");
    }
    EXPECT_EQ(broker.audit().back()["error"], "nonce_expired");
}

TEST_F(ReleaseTest, TamperedEvidenceIsRefused) {
    EnclaveKey ek;
    struct Tamper {
        const char* name;
        size_t offset;  // from the start of the evidence
    } cases[] = {{"a REPORTDATA byte", 48 + 320}, {"an MRENCLAVE byte", 48 + 64}, {"the quote signature", 436 + 10},
                 {"a custom-claims byte", 0}};
    for (const auto& t : cases) {
        const Bytes nonce = client_->challenge();
        Bytes ev = world_->evidence(good(), ek.claims(nonce));
        const size_t at = t.offset ? t.offset : ev.size() - 1;  // 0: the last custom-claims byte
        ev[at] ^= 0x01;
        const Attempt a = release(nonce, ev, ek.point);
        EXPECT_EQ(a.status, 403) << t.name;
        EXPECT_EQ(a.error, "evidence_invalid") << t.name << ": " << a.reason;
        expect_audited("evidence_invalid");
    }
    // Evidence from a platform under another PKI.
    World stranger;
    const Bytes nonce = client_->challenge();
    const Attempt a = release(nonce, stranger.evidence(good(), ek.claims(nonce)), ek.point);
    EXPECT_EQ(a.error, "evidence_invalid");
    EXPECT_NE(a.reason.find("root"), std::string::npos) << a.reason;
}

TEST_F(ReleaseTest, RevokedKeyIsRefused) {
    broker_->client(true)->admin("POST", "/keys/data-key/revoke", nlohmann::json::object());
    const Attempt a = attempt(*client_, *world_, "data-key");
    EXPECT_EQ(a.status, 403);
    EXPECT_EQ(a.error, "key_revoked");
    expect_audited("key_revoked");
}

TEST_F(ReleaseTest, RevokingTheNewestVersionRefusesAndRotationRestores) {
    auto admin = broker_->client(true);
    admin->admin("POST", "/keys/data-key/revoke", {{"version", 1}});
    EXPECT_EQ(attempt(*client_, *world_, "data-key").error, "key_revoked");
    admin->admin("POST", "/keys/data-key/rotate", nlohmann::json::object());
    const Attempt a = attempt(*client_, *world_, "data-key");
    EXPECT_EQ(a.status, 200);
    EXPECT_EQ(a.kid, "data-key/2");
}

TEST_F(ReleaseTest, UnknownKeyAndKeyWithoutPolicyAreRefused) {
    Attempt a = attempt(*client_, *world_, "no-such-key");
    EXPECT_EQ(a.status, 404);
    EXPECT_EQ(a.error, "key_unknown");
    expect_audited("key_unknown", "no-such-key");
    broker_->create_key("bare", nullptr);
    a = attempt(*client_, *world_, "bare");
    EXPECT_EQ(a.status, 403);
    EXPECT_EQ(a.error, "policy_missing");
}

}  // namespace
}  // namespace kbtest
