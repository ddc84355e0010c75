// What the key broker tests share. A World is a ccbox PKI, a platform provisioned under it and
// collateral issued now: its quotes are real DCAP quotes signed by the platform's quoting
// code, made in-process for any enclave identity (MRENCLAVE, MRSIGNER, SVN, debug) and any
// REPORTDATA, and verified by the broker with the project's verifier. A TestBroker is a broker
// in this process on a free loopback port with a fresh state directory.
#pragma once

#include "attestation/pki_store.hpp"
#include "attestation/verifier.hpp"
#include "jwe_unwrap.hpp"
#include "platform/platform_mode.hpp"
#include "platform/quoting/provisioning.hpp"
#include "platform/quoting/qe_model.hpp"
#include "platform/quoting/quoting_enclave.hpp"
#include "platform/report.hpp"
#include "services/keybroker/broker.hpp"
#include "services/keybroker/client.hpp"
#include "services/keybroker/state.hpp"
#include "support/hex.hpp"
#include "support/sha256.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <ctime>
#include <memory>
#include <thread>

namespace kbtest {

using namespace ccbox;
using namespace ccbox::attestation;
using ccbox::keybroker::Client;
using ccbox::keybroker::ReleaseRefused;
using Bytes = std::vector<uint8_t>;

inline int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }

struct World {
    enum Kind { kProduction, kDevelopment, kOutOfDate };
    PlatformSecrets secrets;
    std::unique_ptr<Pki> pki;
    std::string chain;
    std::string collateral_json;
    std::string root_pem;

    explicit World(Kind kind = kProduction) {
        const PlatformMode mode = kind == kDevelopment ? PlatformMode::kDevelopment : PlatformMode::kProduction;
        auto s = generate_platform_secrets(cpusvn_for_mode(kDefaultCpusvn, mode));
        EXPECT_TRUE(s.ok());
        secrets = *s;
        auto fields = quoting::platform_sgx_fields(secrets);
        EXPECT_TRUE(fields.ok());
        auto p = Pki::create(kind == kDevelopment, now() - 30 * 86400, 10, *fields, quoting::model_qe_identity());
        EXPECT_TRUE(p.ok()) << p.error().message();
        pki = std::make_unique<Pki>(std::move(*p));
        auto csr = quoting::pck_certificate_request(secrets);
        EXPECT_TRUE(csr.ok());
        auto cert = pki->issue_pck(*csr, *fields, now() - 10 * 86400);
        EXPECT_TRUE(cert.ok()) << cert.error().message();
        chain = pki->pck_chain_pem(cert->get());
        if (kind == kOutOfDate) {
            // A TCB recovery above this platform: its level becomes OutOfDate.
            std::array<uint8_t, 16> higher = secrets.cpusvn;
            higher[0] = static_cast<uint8_t>(higher[0] + 1);
            pki->tcb_recovery(higher, fields->pcesvn, "2026-01-01T00:00:00Z");
        }
        auto bundle = pki->collateral(now() - 86400, now() + 29 * 86400);
        EXPECT_TRUE(bundle.ok()) << bundle.error().message();
        collateral_json = collateral_bundle_json(*bundle);
        root_pem = certificate_pem(pki->root());
    }

    std::vector<TrustedRoot> roots() const {
        std::vector<TrustedRoot> r;
        r.push_back({Cert(X509_dup(pki->root())), infer_root_kind(pki->root())});
        return r;
    }

    // quote(REPORTDATA = SHA-256(custom)) ‖ custom, as ccbox_get_evidence makes it.
    Bytes evidence(const EnclaveKeyIdentity& id, const Bytes& custom) const {
        uint8_t rd[64] = {};
        const Digest256 h = sha256(custom);
        std::memcpy(rd, h.data(), 32);
        auto report = make_report(secrets, id, quoting::qe_target_info(), std::span(rd));
        EXPECT_TRUE(report.ok());
        auto q = quoting::make_quote(secrets, *report, chain);
        EXPECT_TRUE(q.ok()) << q.error().message();
        Bytes out = *q;
        out.insert(out.end(), custom.begin(), custom.end());
        return out;
    }
};

// The enclave identities the tests use; `good()` satisfies standard_policy().
inline EnclaveKeyIdentity identity(uint8_t code = 0x5e, uint8_t signer = 0x51, uint16_t svn = 3, bool debug = false) {
    EnclaveKeyIdentity id;
    id.mrenclave.fill(code);
    id.mrsigner.fill(signer);
    id.isvprodid = 7;
    id.isvsvn = svn;
    id.attributes.flags = sgx::attr::kInit | sgx::attr::kMode64Bit | (debug ? sgx::attr::kDebug : 0);
    id.attributes.xfrm = 3;
    return id;
}
inline EnclaveKeyIdentity good() { return identity(); }

inline nlohmann::json standard_policy() {
    return {{"allOf",
             {{{"claim", "mrenclave"}, {"equals", to_hex(std::vector<uint8_t>(32, 0x5e))}},
              {{"claim", "mrsigner"}, {"equals", to_hex(std::vector<uint8_t>(32, 0x51))}},
              {{"claim", "product_id"}, {"equals", 7}},
              {{"claim", "svn"}, {"greaterOrEquals", 3}},
              {{"claim", "debug"}, {"equals", false}},
              {{"claim", "tcb_status"}, {"in", {"UpToDate", "SWHardeningNeeded"}}},
              {{"anyOf", {{{"claim", "platform_mode"}, {"equals", "production"}}}}}}}};
}

// The enclave's side of one release: a fresh P-256 key, and evidence binding nonce ‖ point.
struct EnclaveKey {
    Pkey key;
    Bytes point;  // 0x04 ‖ X ‖ Y
    EnclaveKey() {
        auto k = p256_generate();
        EXPECT_TRUE(k.ok());
        key = std::move(*k);
        auto xy = p256_raw_public_key(key.get());
        point = {0x04};
        point.insert(point.end(), xy->begin(), xy->end());
    }
    Bytes claims(const Bytes& nonce) const {
        Bytes c = nonce;
        c.insert(c.end(), point.begin(), point.end());
        return c;
    }
};

class TestBroker {
public:
    explicit TestBroker(const World& world, int nonce_ttl_ms = 30000, size_t threads = 128) {
        std::signal(SIGPIPE, SIG_IGN);  // as `ccbox keybroker serve` does: a client may vanish mid-answer
        paths = keybroker::state_paths(dir.path().string());
        auto init = keybroker::init_state(paths);
        EXPECT_TRUE(init.ok()) << init.error().message();
        auto token_r = keybroker::read_admin_token(paths.token);
        EXPECT_TRUE(token_r.ok());
        token = *token_r;
        keybroker::BrokerOptions o;
        o.paths = paths;
        o.port = 0;
        o.nonce_ttl_ms = nonce_ttl_ms;
        o.threads = threads;
        o.read_timeout_s = 2;
        auto c = keybroker::CollateralSource::from_bundle(world.collateral_json, world.roots());
        EXPECT_TRUE(c.ok()) << c.error().message();
        o.collateral = std::move(*c);
        auto b = keybroker::Broker::create(std::move(o));
        EXPECT_TRUE(b.ok()) << b.error().message();
        broker = std::move(*b);
        thread = std::thread([this] { broker->run(); });
        while (!broker->running())
            std::this_thread::yield();
    }
    ~TestBroker() {
        broker->stop();
        thread.join();
    }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(broker->port()); }
    std::unique_ptr<Client> client(bool admin = false) const {
        return std::make_unique<Client>(url(), paths.cert, admin ? token : "");
    }
    // Creates `key_id` with `policy`; returns its key material (exported as the owner would).
    Bytes create_key(const std::string& key_id, const nlohmann::json& policy = standard_policy()) const {
        auto a = client(true);
        a->admin("POST", "/keys", {{"key_id", key_id}});
        if (!policy.is_null())
            a->admin("POST", "/keys/" + key_id + "/policy", {{"policy", policy}});
        return exported(key_id);
    }
    Bytes exported(const std::string& key_id) const {
        auto r = client(true)->admin("GET", "/keys/" + key_id + "/export");
        return *unb64(r["key"].get<std::string>());
    }
    std::vector<nlohmann::json> audit() const {
        auto text = client(true)->admin("GET", "/audit").get<std::string>();
        std::vector<nlohmann::json> out;
        size_t start = 0;
        for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
            out.push_back(nlohmann::json::parse(text.substr(start, nl - start)));
        return out;
    }

    test::TempDir dir;
    keybroker::StatePaths paths;
    std::string token;
    std::unique_ptr<keybroker::Broker> broker;
    std::thread thread;
};

// One full release as a host would ferry it: challenge, evidence, release, unwrap.
struct Attempt {
    int status = 0;
    std::string error, reason;
    std::optional<Bytes> key;  // the unwrapped plaintext on success
    std::string kid;
};

inline Attempt attempt(Client& c, const World& w, const std::string& key_id, const EnclaveKeyIdentity& id = good()) {
    EnclaveKey ek;
    const Bytes nonce = c.challenge();
    Attempt a;
    try {
        auto r = c.release(key_id, nonce, w.evidence(id, ek.claims(nonce)), ek.point);
        auto u = jwe_unwrap(r.jwe, ek.key.get());
        a.status = 200;
        if (u) {
            a.key = u->plaintext;
            a.kid = u->header.value("kid", "");
        }
    } catch (const ReleaseRefused& e) {
        a = {e.status, e.error, e.reason, std::nullopt, ""};
    }
    return a;
}

}  // namespace kbtest
