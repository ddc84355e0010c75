#include "services/keybroker/broker.hpp"

#include "services/keybroker/base64url.hpp"
#include "services/keybroker/policy.hpp"
#include "services/keybroker/release.hpp"
#include "services/keybroker/store.hpp"
#include "support/sha256.hpp"

#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdio>

namespace ccbox::keybroker {

struct Broker::Impl {
    BrokerOptions options;
    std::string token;
    Digest256 token_hash{};
    std::unique_ptr<Store> store;
    std::unique_ptr<NonceStore> nonces;
    std::unique_ptr<Releaser> releaser;
    std::unique_ptr<httplib::SSLServer> server;
    int port = 0;

    void send(httplib::Response& res, const Answer& a) const {
        res.status = a.status;
        res.set_content(a.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
    }
    bool json_content(const httplib::Request& req, httplib::Response& res) const {
        const std::string type = req.get_header_value("Content-Type");
        const std::string media = type.substr(0, type.find(';'));
        if (media == "application/json")
            return true;
        send(res, Answer::refusal(415, "unsupported_media_type", "POST bodies must be Content-Type: application/json"));
        return false;
    }
    // Constant-time comparison of the presented bearer token, through fixed-size digests.
    bool admin(const httplib::Request& req, httplib::Response& res) const {
        const std::string auth = req.get_header_value("Authorization");
        const std::string prefix = "Bearer ";
        const std::string presented = auth.compare(0, prefix.size(), prefix) == 0 ? auth.substr(prefix.size()) : "";
        const Digest256 h = sha256(std::span(reinterpret_cast<const uint8_t*>(presented.data()), presented.size()));
        if (!presented.empty() && CRYPTO_memcmp(h.data(), token_hash.data(), h.size()) == 0)
            return true;
        res.set_header("WWW-Authenticate", "Bearer realm=\"ccbox keybroker\"");
        send(res, Answer::refusal(401, "unauthorized", auth.empty() ? "no admin token" : "the admin token is wrong"));
        return false;
    }
    // A parsed JSON object body, or false with the refusal sent.
    bool object_body(const httplib::Request& req, httplib::Response& res, nlohmann::json* out) const {
        if (!json_content(req, res))
            return false;
        *out = nlohmann::json::parse(req.body, nullptr, false);
        if (out->is_discarded() || !out->is_object()) {
            send(res, Answer::refusal(400, out->is_discarded() ? "bad_json" : "request_malformed",
                                      out->is_discarded() ? "the body is not JSON" : "the body is not a JSON object"));
            return false;
        }
        return true;
    }
    void fail(httplib::Response& res, const Error& e) const {
        const int status = e.code() == CCBOX_NOT_FOUND           ? 404
                           : e.code() == CCBOX_ALREADY_EXISTS    ? 409
                           : e.code() == CCBOX_CONSTRAINT_FAILED ? 403
                           : e.code() == CCBOX_INVALID_PARAMETER ? 400
                                                                 : 500;
        const char* id = status == 404 ? "key_unknown" : status == 409 ? "key_exists" : status == 403 ? "policy_immutable"
                         : status == 400 ? "request_malformed" : "internal";
        send(res, Answer::refusal(status, id, status == 500 ? "internal error" : e.message()));
    }
    static std::optional<SecretBytes> new_material(const nlohmann::json& body, httplib::Response& res, const Impl& self) {
        if (!body.contains("key")) {
            SecretBytes m(std::vector<uint8_t>(32));
            if (RAND_bytes(m.bytes.data(), 32) != 1)
                return std::nullopt;
            return m;
        }
        std::optional<std::vector<uint8_t>> bytes;
        if (body["key"].is_string())
            bytes = b64url_decode(body["key"].get_ref<const std::string&>());
        if (!bytes || bytes->size() < 16 || bytes->size() > 512) {
            if (bytes)
                OPENSSL_cleanse(bytes->data(), bytes->size());
            self.send(res, Answer::refusal(400, "request_malformed", "key: expected base64url of 16..512 bytes"));
            return std::nullopt;
        }
        return SecretBytes(std::move(*bytes));
    }
    void routes();
};

void Broker::Impl::routes() {
    httplib::SSLServer& srv = *server;
    Impl* p = this;
    srv.Post("/v1/challenge", [p](const httplib::Request& req, httplib::Response& res) {
        if (p->json_content(req, res))
            p->send(res, p->releaser->challenge());
    });
    srv.Post(R"(/v1/keys/([^/]*)/release)", [p](const httplib::Request& req, httplib::Response& res) {
        const std::string key_id = req.matches[1];
        if (!p->json_content(req, res))
            return;
        const Answer a = p->releaser->release(key_id, req.body);
        p->send(res, a);
        std::fprintf(stderr, "keybroker: release %s: %d %s\n", valid_key_id(key_id) ? key_id.c_str() : "(invalid id)",
                     a.status, a.status == 200 ? "granted" : a.body.value("error", "").c_str());
    });

    // Admin API: bearer token on every call.
    srv.Post("/v1/admin/keys", [p](const httplib::Request& req, httplib::Response& res) {
        nlohmann::json body;
        if (!p->admin(req, res) || !p->object_body(req, res, &body))
            return;
        const std::string id = body.value("key_id", nlohmann::json()).is_string() ? body["key_id"].get<std::string>() : "";
        if (!valid_key_id(id))
            return p->send(res, Answer::refusal(400, "key_id_invalid", "key_id: 1..64 of A-Z a-z 0-9 . _ -"));
        auto material = new_material(body, res, *p);
        if (!material)
            return;
        auto v = p->store->create_key(id, *material);
        if (!v)
            return p->fail(res, v.error());
        p->send(res, {201, {{"key_id", id}, {"version", *v}}});
    });
    srv.Post(R"(/v1/admin/keys/([^/]*)/(rotate|revoke|policy))", [p](const httplib::Request& req, httplib::Response& res) {
        nlohmann::json body;
        if (!p->admin(req, res) || !p->object_body(req, res, &body))
            return;
        const std::string id = req.matches[1], action = req.matches[2];
        if (!valid_key_id(id))
            return p->send(res, Answer::refusal(400, "key_id_invalid", "key id: 1..64 of A-Z a-z 0-9 . _ -"));
        if (action == "rotate") {
            auto material = new_material(body, res, *p);
            if (!material)
                return;
            auto v = p->store->rotate_key(id, *material);
            return v ? p->send(res, {200, {{"key_id", id}, {"version", *v}}}) : p->fail(res, v.error());
        }
        if (action == "revoke") {
            std::optional<int64_t> version;
            if (body.contains("version")) {
                if (!body["version"].is_number_integer() || body["version"].get<int64_t>() < 1)
                    return p->send(res, Answer::refusal(400, "request_malformed", "version: expected an integer >= 1"));
                version = body["version"].get<int64_t>();
            }
            auto r = p->store->revoke(id, version);
            return r ? p->send(res, {200, {{"key_id", id}, {"revoked", version ? nlohmann::json(*version) : "all"}}})
                     : p->fail(res, r.error());
        }
        if (!body.contains("policy"))
            return p->send(res, Answer::refusal(400, "policy_invalid", "policy: missing"));
        if (body.contains("immutable") && !body["immutable"].is_boolean())
            return p->send(res, Answer::refusal(400, "request_malformed", "immutable: expected true or false"));
        auto policy = Policy::parse(body["policy"]);
        if (!policy)
            return p->send(res, Answer::refusal(400, "policy_invalid", policy.error().message()));
        auto r = p->store->set_policy(id, policy->canonical(), body.value("immutable", false));
        return r ? p->send(res, {200, {{"key_id", id}, {"policy", nlohmann::json::parse(policy->canonical())}}})
                 : p->fail(res, r.error());
    });
    srv.Get("/v1/admin/keys", [p](const httplib::Request& req, httplib::Response& res) {
        if (!p->admin(req, res))
            return;
        auto keys = p->store->list_keys();
        if (!keys)
            return p->fail(res, keys.error());
        nlohmann::json list = nlohmann::json::array();
        for (const auto& k : *keys)
            list.push_back({{"key_id", k.key_id}, {"versions", k.versions}, {"revoked", k.revoked},
                            {"revoked_versions", k.revoked_versions}, {"policy", k.has_policy},
                            {"immutable", k.policy_immutable}, {"created", k.created}});
        p->send(res, {200, {{"keys", list}}});
    });
    srv.Get(R"(/v1/admin/keys/([^/]*)/(policy|export))", [p](const httplib::Request& req, httplib::Response& res) {
        if (!p->admin(req, res))
            return;
        const std::string id = req.matches[1];
        if (!valid_key_id(id))
            return p->send(res, Answer::refusal(400, "key_id_invalid", "key id: 1..64 of A-Z a-z 0-9 . _ -"));
        auto state = p->store->key_state(id);
        if (!state)
            return p->fail(res, state.error());
        if (!*state)
            return p->send(res, Answer::refusal(404, "key_unknown", "no key " + id));
        if (req.matches[2] == "policy") {
            if (!(*state)->policy)
                return p->send(res, Answer::refusal(404, "policy_missing", "key " + id + " has no policy"));
            return p->send(res, {200, {{"key_id", id}, {"policy", nlohmann::json::parse(*(*state)->policy)},
                                       {"immutable", (*state)->policy_immutable}}});
        }
        int64_t version = (*state)->version;
        if (req.has_param("version")) {
            const std::string v = req.get_param_value("version");
            if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
                return p->send(res, Answer::refusal(400, "request_malformed", "version: expected an integer"));
            version = std::stoll(v);
        }
        auto material = p->store->key_material(id, version);
        if (!material)
            return p->fail(res, material.error());
        p->send(res, {200, {{"key_id", id}, {"version", version}, {"key", b64url_encode(material->bytes)}}});
    });
    srv.Get("/v1/admin/audit", [p](const httplib::Request& req, httplib::Response& res) {
        if (!p->admin(req, res))
            return;
        auto entries = p->store->audit_entries();
        if (!entries)
            return p->fail(res, entries.error());
        std::string out;
        for (const auto& e : *entries)
            out += nlohmann::json{{"seq", e.seq}, {"time_ms", e.time_ms}, {"key_id", e.key_id}, {"version", e.version},
                                  {"verdict", e.verdict}, {"error", e.error}, {"reason", e.reason},
                                  {"evidence_sha256", e.evidence_sha256}, {"collateral_sha256", e.collateral_sha256},
                                  {"prev_hash", e.prev_hash}, {"hash", e.hash}}
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                   "\n";
        res.set_content(out, "application/x-ndjson");
    });
    srv.set_exception_handler([p](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        p->send(res, Answer::refusal(500, "internal", "internal error"));
    });
    srv.set_error_handler([p](const httplib::Request&, httplib::Response& res) {
        if (res.body.empty()) {
            const int status = res.status;
            const char* id = status == 413 ? "payload_too_large" : status == 404 ? "not_found" : "bad_request";
            p->send(res, Answer::refusal(status, id, status == 413 ? "the body is larger than the broker accepts"
                                                                   : "no such endpoint or malformed request"));
        }
    });
}

Result<std::unique_ptr<Broker>> Broker::create(BrokerOptions o) {
    if (!o.collateral)
        return Error(CCBOX_INVALID_PARAMETER, "keybroker: no collateral source");
    std::unique_ptr<Broker> b(new Broker());
    b->impl_ = std::make_unique<Impl>();
    Impl& impl = *b->impl_;
    CCBOX_ASSIGN_OR_RETURN(impl.token, read_admin_token(o.paths.token));
    impl.token_hash = sha256(std::span(reinterpret_cast<const uint8_t*>(impl.token.data()), impl.token.size()));
    CCBOX_ASSIGN_OR_RETURN(impl.store, Store::open(o.paths.db));
    impl.nonces = std::make_unique<NonceStore>(std::chrono::milliseconds(o.nonce_ttl_ms), o.max_outstanding_nonces);
    impl.releaser = std::make_unique<Releaser>(*impl.store, *o.collateral, *impl.nonces);
    impl.server = std::make_unique<httplib::SSLServer>(o.paths.cert.c_str(), o.paths.key.c_str());
    if (!impl.server->is_valid())
        return Error(CCBOX_INVALID_PARAMETER, "TLS: " + o.paths.cert + " / " + o.paths.key +
                                                  " is not a certificate and its private key (run `ccbox keybroker init`)");
    const size_t threads = o.threads;
    impl.server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    impl.server->set_read_timeout(o.read_timeout_s, 0);
    impl.server->set_write_timeout(o.read_timeout_s, 0);
    impl.server->set_keep_alive_timeout(2);
    impl.server->set_tcp_nodelay(true);
    impl.server->set_keep_alive_max_count(1000);
    impl.server->set_payload_max_length(o.max_body);
    impl.options = std::move(o);
    impl.routes();
    if (impl.options.port == 0) {
        impl.port = impl.server->bind_to_any_port(impl.options.host.c_str());
        if (impl.port <= 0)
            return Error(CCBOX_IO_ERROR, "keybroker: cannot listen on " + impl.options.host);
    } else {
        if (!impl.server->bind_to_port(impl.options.host.c_str(), impl.options.port))
            return Error(CCBOX_IO_ERROR, "keybroker: cannot listen on " + impl.options.host + ":" +
                                             std::to_string(impl.options.port));
        impl.port = impl.options.port;
    }
    return b;
}

Broker::~Broker() = default;
int Broker::port() const { return impl_->port; }
void Broker::run() { impl_->server->listen_after_bind(); }
void Broker::stop() { impl_->server->stop(); }
bool Broker::running() const { return impl_->server->is_running(); }

}  // namespace ccbox::keybroker
