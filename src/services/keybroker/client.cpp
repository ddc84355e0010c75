#include "services/keybroker/client.hpp"

#include "services/keybroker/base64url.hpp"

#include <httplib.h>

#include <csignal>
#include <ctime>
#include <pthread.h>

namespace ccbox::keybroker {

struct Client::Impl {
    std::unique_ptr<httplib::SSLClient> http;
    std::string token;
};

namespace {

ReleaseRefused refused(const Client::Raw& r) {
    if (r.status == 0)
        return ReleaseRefused(0, "transport", r.body);
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_object() && j.contains("error") && j["error"].is_string())
        return ReleaseRefused(r.status, j["error"].get<std::string>(),
                              j.value("reason", nlohmann::json("")).is_string() ? j.value("reason", "") : "");
    return ReleaseRefused(r.status, "http_" + std::to_string(r.status), "unexpected answer from the broker");
}

// A write to a connection the broker closed (it restarted, or was killed) raises SIGPIPE
// through OpenSSL's socket writes; a library must not kill its host for that. SIGPIPE is
// blocked on this thread for the request and a SIGPIPE it raised is consumed.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    }
    ~SigpipeGuard() {
        sigset_t pending;
        sigpending(&pending);
        if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
            const timespec zero{0, 0};
            sigtimedwait(&pipe_, nullptr, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

private:
    sigset_t pipe_, old_;
    bool was_pending_ = false;
};

}  // namespace

Client::Client(const std::string& url, const std::string& ca_file, const std::string& admin_token)
    : impl_(std::make_unique<Impl>()) {
    const std::string scheme = "https://";
    if (url.compare(0, scheme.size(), scheme) != 0)
        throw ReleaseRefused(0, "transport", "the broker URL must be https://HOST:PORT, got " + url);
    std::string rest = url.substr(scheme.size());
    if (!rest.empty() && rest.back() == '/')
        rest.pop_back();
    const size_t colon = rest.rfind(':');
    int port = 443;
    std::string host = rest;
    if (colon != std::string::npos) {
        host = rest.substr(0, colon);
        const std::string p = rest.substr(colon + 1);
        if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
            throw ReleaseRefused(0, "transport", "the broker URL has a bad port: " + url);
        port = std::stoi(p);
    }
    impl_->http = std::make_unique<httplib::SSLClient>(host, port);
    impl_->http->set_ca_cert_path(ca_file.c_str());
    impl_->http->enable_server_certificate_verification(true);
    impl_->http->set_keep_alive(true);
    impl_->http->set_tcp_nodelay(true);
    impl_->http->set_connection_timeout(5, 0);
    impl_->http->set_read_timeout(30, 0);
    impl_->token = admin_token;
}

Client::~Client() = default;

Client::Raw Client::post(const std::string& path, const std::string& body, const std::string& content_type,
                         const std::string& authorization) {
    httplib::Headers headers;
    if (!authorization.empty())
        headers.emplace("Authorization", authorization);
    SigpipeGuard guard;
    auto r = impl_->http->Post(path.c_str(), headers, body, content_type.c_str());
    if (!r)
        return {0, "cannot reach the broker: " + httplib::to_string(r.error())};
    return {r->status, r->body};
}

Client::Raw Client::get(const std::string& path, const std::string& authorization) {
    httplib::Headers headers;
    if (!authorization.empty())
        headers.emplace("Authorization", authorization);
    SigpipeGuard guard;
    auto r = impl_->http->Get(path.c_str(), headers);
    if (!r)
        return {0, "cannot reach the broker: " + httplib::to_string(r.error())};
    return {r->status, r->body};
}

std::vector<uint8_t> Client::challenge(const std::string& key_id) {
    const nlohmann::json body = key_id.empty() ? nlohmann::json::object() : nlohmann::json{{"key_id", key_id}};
    const Raw r = post("/v1/challenge", body.dump(), "application/json");
    if (r.status != 200)
        throw refused(r);
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    std::optional<std::vector<uint8_t>> nonce;
    if (j.is_object() && j.contains("nonce") && j["nonce"].is_string())
        nonce = b64url_decode(j["nonce"].get<std::string>());
    if (!nonce || nonce->size() != 32)
        throw ReleaseRefused(r.status, "bad_answer", "the challenge is not a 32-byte base64url nonce");
    return *nonce;
}

Released Client::release(const std::string& key_id, std::span<const uint8_t> nonce, std::span<const uint8_t> evidence,
                         std::span<const uint8_t> point) {
    if (point.size() != 65 || point[0] != 0x04)
        throw ReleaseRefused(0, "bad_request", "the public point must be 65 bytes 0x04 ‖ X ‖ Y");
    const nlohmann::json body = {{"nonce", b64url_encode(nonce)},
                                 {"evidence", b64url_encode(evidence)},
                                 {"public_key",
                                  {{"kty", "EC"},
                                   {"crv", "P-256"},
                                   {"x", b64url_encode(point.subspan(1, 32))},
                                   {"y", b64url_encode(point.subspan(33, 32))}}}};
    // Key ids are checked by the broker too; one that is not a safe path segment never leaves here.
    for (char c : key_id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            throw ReleaseRefused(0, "key_id_invalid", "a key id is 1..64 of A-Z a-z 0-9 . _ -");
    const Raw r = post("/v1/keys/" + key_id + "/release", body.dump(), "application/json");
    if (r.status != 200)
        throw refused(r);
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_object() || !j.contains("jwe") || !j["jwe"].is_string() || !j.contains("version") ||
        !j["version"].is_number_integer() || j.value("key_id", nlohmann::json()) != key_id)
        throw ReleaseRefused(r.status, "bad_answer", "the broker's answer is not {key_id, version, jwe}");
    return {j["jwe"].get<std::string>(), key_id, j["version"].get<int64_t>()};
}

nlohmann::json Client::admin(const std::string& method, const std::string& path, const nlohmann::json& body) {
    const std::string auth = "Bearer " + impl_->token;
    const Raw r = method == "GET" ? get("/v1/admin" + path, auth)
                                  : post("/v1/admin" + path, body.is_null() ? "{}" : body.dump(), "application/json", auth);
    if (r.status < 200 || r.status > 299)
        throw refused(r);
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded())
        return r.body;
    return j;
}

}  // namespace ccbox::keybroker
