// `serve --pccs URL --root ROOT`: collateral fetched from a PCCS (`ccbox pccs serve`) for the
// FMSPC of the quote at hand. The PCCS is untrusted: collateral signed under another root
// makes the broker refuse, never accept.
#include "keybroker_fixture.hpp"
#include "services/collateral/pccs_server.hpp"

namespace kbtest {
namespace {

class PccsBroker {
public:
    PccsBroker(const World& served, const World& trusted) {
        test::write_bytes(dir.file("collateral.json"), Bytes(served.collateral_json.begin(), served.collateral_json.end()));
        auto tls = keybroker::make_tls_identity(1);
        EXPECT_TRUE(tls.ok());
        test::write_bytes(dir.file("pccs.pem"), Bytes(tls->cert_pem.begin(), tls->cert_pem.end()));
        test::write_bytes(dir.file("pccs.key"), Bytes(tls->key_pem.begin(), tls->key_pem.end()));
        services::PccsOptions po;
        po.collateral_path = dir.file("collateral.json");
        po.tls_cert = dir.file("pccs.pem");
        po.tls_key = dir.file("pccs.key");
        po.port = 0;
        auto p = services::PccsServer::create(po);
        EXPECT_TRUE(p.ok()) << p.error().message();
        pccs = std::move(*p);
        pccs_thread = std::thread([this] { pccs->run(); });

        paths = keybroker::state_paths(dir.file("state"));
        EXPECT_TRUE(keybroker::init_state(paths).ok());
        keybroker::BrokerOptions o;
        o.paths = paths;
        o.port = 0;
        o.collateral = keybroker::CollateralSource::from_pccs("https://127.0.0.1:" + std::to_string(pccs->port()),
                                                              dir.file("pccs.pem"), trusted.roots());
        auto b = keybroker::Broker::create(std::move(o));
        EXPECT_TRUE(b.ok()) << b.error().message();
        broker = std::move(*b);
        broker_thread = std::thread([this] { broker->run(); });
        while (!broker->running())
            std::this_thread::yield();
        url = "https://127.0.0.1:" + std::to_string(broker->port());
        Client admin(url, paths.cert, *keybroker::read_admin_token(paths.token));
        admin.admin("POST", "/keys", {{"key_id", "k"}});
        admin.admin("POST", "/keys/k/policy", {{"policy", standard_policy()}});
    }
    ~PccsBroker() {
        broker->stop();
        broker_thread.join();
        pccs->stop();
        pccs_thread.join();
    }
    test::TempDir dir;
    keybroker::StatePaths paths;
    std::unique_ptr<services::PccsServer> pccs;
    std::unique_ptr<keybroker::Broker> broker;
    std::thread pccs_thread, broker_thread;
    std::string url;
};

TEST(PccsCollateral, FetchedForTheQuotesFmspcAndUsed) {
    World world;
    PccsBroker b(world, world);
    Client c(b.url, b.paths.cert);
    for (int i = 0; i < 3; ++i) {  // the first fetches, the others reuse
        const Attempt a = attempt(c, world, "k");
        EXPECT_EQ(a.status, 200) << a.error << ": " << a.reason;
    }
}

TEST(PccsCollateral, CollateralUnderAnotherRootIsRefused) {
    World trusted, impostor;
    PccsBroker b(impostor, trusted);  // the PCCS serves the impostor PKI's collateral
    Client c(b.url, b.paths.cert);
    Attempt a = attempt(c, trusted, "k");
    EXPECT_EQ(a.status, 503) << a.error << ": " << a.reason;
    EXPECT_EQ(a.error, "collateral_unavailable");
    EXPECT_NE(a.reason.find("root_untrusted"), std::string::npos) << a.reason;
    a = attempt(c, impostor, "k");  // nor do the impostor's own quotes pass
    EXPECT_NE(a.status, 200);
}

}  // namespace
}  // namespace kbtest
