// A real enclave's evidence (ccbox_get_evidence with custom claims nonce ‖ point, quoted by the
// test platform) released against by a broker that takes its collateral from the default
// source: the platform's own development PKI. Its identity (debug, SVN 2, a development
// platform) meets or fails policies as each clause says.
#include "enclave_test_support.hpp"
#include "keybroker_fixture.hpp"
#include "keybroker_test_u.h"

namespace kbtest {
namespace {

using ccbox::test::Backend;

class EnclaveRelease : public ::testing::TestWithParam<Backend> {};

TEST_P(EnclaveRelease, RealEvidenceIsReleasedToAndRefusedByPolicy) {
    // The same image launched without and with debug mode.
    ccbox_enclave_t* enclave = nullptr;
    ccbox_enclave_t* debug_enclave = nullptr;
    const std::string image = test::built_file("services/keybroker/release_enclave.signed");
    ASSERT_EQ(ccbox_create_keybroker_test_enclave(image.c_str(), test::create_flags(GetParam()), test::platform_settings(),
                                                  1, &enclave),
              CCBOX_OK);
    ASSERT_EQ(ccbox_create_keybroker_test_enclave(image.c_str(), test::create_flags(GetParam()) | CCBOX_ENCLAVE_FLAG_DEBUG,
                                                  test::platform_settings(), 1, &debug_enclave),
              CCBOX_OK);
    ccbox_enclave_t* current = enclave;
    auto evidence_for = [&](const Bytes& claims) {
        Bytes ev(64 * 1024);
        size_t size = 0;
        int r = -1;
        EXPECT_EQ(kb_get_evidence(current, &r, claims.data(), claims.size(), ev.data(), ev.size(), &size), CCBOX_OK);
        EXPECT_EQ(r, CCBOX_OK);
        ev.resize(size);
        return ev;
    };
    // The platform makes its development PKI on its first quote; the broker finds it there.
    const Bytes warm = evidence_for(Bytes(97, 0));
    ASSERT_FALSE(warm.empty());

    test::TempDir dir;
    auto paths = keybroker::state_paths(dir.path().string());
    ASSERT_TRUE(keybroker::init_state(paths).ok());
    keybroker::BrokerOptions o;
    o.paths = paths;
    o.port = 0;
    o.collateral = keybroker::CollateralSource::from_pki(test::platform_state_dir() + "/" + quoting::kDevelopmentPkiDir);
    auto broker = keybroker::Broker::create(std::move(o));
    ASSERT_TRUE(broker.ok()) << broker.error().message();
    std::thread serving([&] { (*broker)->run(); });
    while (!(*broker)->running())
        std::this_thread::yield();
    const std::string url = "https://127.0.0.1:" + std::to_string((*broker)->port());
    Client admin(url, paths.cert, *keybroker::read_admin_token(paths.token));
    Client host(url, paths.cert);
    admin.admin("POST", "/keys", {{"key_id", "k"}});
    const Bytes key = *unb64(admin.admin("GET", "/keys/k/export")["key"].get<std::string>());

    auto release_with = [&](const nlohmann::json& policy) {
        admin.admin("POST", "/keys/k/policy", {{"policy", policy}});
        EnclaveKey ek;
        const Bytes nonce = host.challenge();
        Attempt a;
        try {
            auto r = host.release("k", nonce, evidence_for(ek.claims(nonce)), ek.point);
            auto u = jwe_unwrap(r.jwe, ek.key.get());
            a.status = 200;
            if (u)
                a.key = u->plaintext;
        } catch (const ReleaseRefused& e) {
            a = {e.status, e.error, e.reason, std::nullopt, ""};
        }
        return a;
    };
    const nlohmann::json svn2 = {{"claim", "svn"}, {"greaterOrEquals", 2}};
    const nlohmann::json dev = {{"claim", "platform_mode"}, {"equals", "development"}};
    const nlohmann::json prod_id = {{"claim", "product_id"}, {"equals", 7}};
    Attempt a = release_with({{"allOf", {svn2, dev, prod_id}}});
    EXPECT_EQ(a.status, 200) << a.error << ": " << a.reason;
    EXPECT_EQ(a.key, key);
    a = release_with({{"allOf", {dev, {{"claim", "svn"}, {"greaterOrEquals", 3}}}}});
    EXPECT_EQ(a.error, "policy_denied");
    EXPECT_NE(a.reason.find("$.allOf[1] (svn greaterOrEquals 3)"), std::string::npos) << a.reason;
    current = debug_enclave;
    a = release_with({{"allOf", {svn2, {{"claim", "debug"}, {"equals", true}}}}});
    EXPECT_EQ(a.status, 200) << a.error << ": " << a.reason;
    a = release_with({{"allOf", {svn2, {{"claim", "debug"}, {"equals", false}}}}});
    EXPECT_NE(a.reason.find("$.allOf[1] (debug equals false)"), std::string::npos) << a.reason;
    a = release_with({{"claim", "platform_mode"}, {"equals", "production"}});
    EXPECT_NE(a.reason.find("platform_mode equals \"production\""), std::string::npos) << a.reason;

    (*broker)->stop();
    serving.join();
    ccbox_terminate_enclave(debug_enclave);
    ccbox_terminate_enclave(enclave);
}

INSTANTIATE_TEST_SUITE_P(Backends, EnclaveRelease, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

}  // namespace
}  // namespace kbtest
