// Issue 13, acceptance 5 and the broker's own attack surface: 50 concurrent releases; a nonce
// raced by many requests; malformed, oversized, mistyped and half-sent requests, after each of
// which the broker keeps serving; admin authentication; key ids that try SQL or paths; and
// key material that must never reach the audit log, the broker's output or an error body.
#include "keybroker_fixture.hpp"
#include "services/keybroker/base64url.hpp"

#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <latch>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

namespace kbtest {
namespace {

using ccbox::keybroker::b64url_encode;

class Hostile : public ::testing::Test {
protected:
    static void SetUpTestSuite() { world_ = new World(); }
    static void TearDownTestSuite() { delete world_; }
    void SetUp() override {
        broker_ = std::make_unique<TestBroker>(*world_);
        key_ = broker_->create_key("k");
        client_ = broker_->client();
    }
    void expect_serving() {
        const Attempt a = attempt(*client_, *world_, "k");
        EXPECT_EQ(a.status, 200) << a.error << ": " << a.reason;
        EXPECT_EQ(a.key, key_);
    }
    // A well-formed release body for a fresh nonce, as JSON to be mangled.
    nlohmann::json good_body() {
        EnclaveKey ek;
        const Bytes nonce = client_->challenge();
        const Bytes ev = world_->evidence(good(), ek.claims(nonce));
        return {{"nonce", b64url_encode(nonce)},
                {"evidence", b64url_encode(ev)},
                {"public_key",
                 {{"kty", "EC"},
                  {"crv", "P-256"},
                  {"x", b64url_encode(std::span(ek.point).subspan(1, 32))},
                  {"y", b64url_encode(std::span(ek.point).subspan(33, 32))}}}};
    }
    static World* world_;
    std::unique_ptr<TestBroker> broker_;
    Bytes key_;
    std::unique_ptr<Client> client_;
};
World* Hostile::world_ = nullptr;

TEST_F(Hostile, FiftyConcurrentReleasesAllGetTheirKeys) {
    std::vector<Bytes> keys = {key_};
    for (int i = 1; i < 5; ++i)
        keys.push_back(broker_->create_key("k" + std::to_string(i)));
    constexpr int kClients = 50;
    std::vector<Attempt> results(kClients);
    std::latch start(kClients);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i)
        threads.emplace_back([&, i] {
            auto c = broker_->client();
            start.arrive_and_wait();
            results[i] = attempt(*c, *world_, i % 5 ? "k" + std::to_string(i % 5) : "k");
        });
    for (auto& t : threads)
        t.join();
    for (int i = 0; i < kClients; ++i) {
        EXPECT_EQ(results[i].status, 200) << i << ": " << results[i].error << " " << results[i].reason;
        EXPECT_EQ(results[i].key, keys[i % 5]) << i;
    }
    size_t granted = 0;
    for (const auto& e : broker_->audit())
        granted += e["verdict"] == "granted";
    EXPECT_EQ(granted, size_t{kClients});
}

TEST_F(Hostile, OneNonceRacedByManyRequestsIsGrantedOnce) {
    EnclaveKey ek;
    const Bytes nonce = client_->challenge();
    const Bytes ev = world_->evidence(good(), ek.claims(nonce));
    constexpr int kRacers = 24;
    std::atomic<int> granted{0}, used{0};
    std::latch start(kRacers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRacers; ++i)
        threads.emplace_back([&] {
            auto c = broker_->client();
            start.arrive_and_wait();
            try {
                c->release("k", nonce, ev, ek.point);
                ++granted;
            } catch (const ReleaseRefused& e) {
                used += e.error == "nonce_unknown_or_used";
            }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(granted.load(), 1);
    EXPECT_EQ(used.load(), kRacers - 1);
}

TEST_F(Hostile, MalformedRequestsAreRefusedAndTheBrokerKeepsServing) {
    struct Case {
        const char* name;
        std::function<std::string(nlohmann::json&)> body;  // mangles a good body, returns the text to send
        int status;
        const char* error;
    };
    const Case cases[] = {
        {"bad JSON", [](nlohmann::json&) { return std::string("{\"nonce\": "); }, 400, "bad_json"},
        {"not an object", [](nlohmann::json&) { return std::string("[1,2,3]"); }, 400, "request_malformed"},
        {"nonce a number", [](nlohmann::json& b) { b["nonce"] = 12345; return b.dump(); }, 400, "request_malformed"},
        {"nonce short", [](nlohmann::json& b) { b["nonce"] = "AAAA"; return b.dump(); }, 400, "request_malformed"},
        {"nonce padded", [](nlohmann::json& b) { b["nonce"] = b["nonce"].get<std::string>() + "="; return b.dump(); },
         400, "request_malformed"},
        {"evidence an object", [](nlohmann::json& b) { b["evidence"] = nlohmann::json::object(); return b.dump(); }, 400,
         "request_malformed"},
        {"evidence not base64url", [](nlohmann::json& b) { b["evidence"] = "!!!!"; return b.dump(); }, 400,
         "request_malformed"},
        {"public_key a string", [](nlohmann::json& b) { b["public_key"] = "04abcd"; return b.dump(); }, 400,
         "request_malformed"},
        {"kty RSA", [](nlohmann::json& b) { b["public_key"]["kty"] = "RSA"; return b.dump(); }, 400, "request_malformed"},
        {"x 31 bytes", [](nlohmann::json& b) { b["public_key"]["x"] = b64url_encode(Bytes(31, 1)); return b.dump(); },
         400, "request_malformed"},
        {"point off the curve", [](nlohmann::json& b) { b["public_key"]["y"] = b64url_encode(Bytes(32, 1)); return b.dump(); },
         400, "request_malformed"},
        {"garbage evidence", [](nlohmann::json& b) { b["evidence"] = b64url_encode(Bytes(3000, 0x42)); return b.dump(); },
         403, "evidence_invalid"},
        {"tiny evidence", [](nlohmann::json& b) { b["evidence"] = b64url_encode(Bytes(10, 0)); return b.dump(); }, 403,
         "evidence_invalid"},
        {"huge signature length", [](nlohmann::json& b) {
             Bytes ev = *unb64(b["evidence"].get<std::string>());
             ev[432] = ev[433] = ev[434] = ev[435] = 0xff;
             b["evidence"] = b64url_encode(ev);
             return b.dump();
         }, 403, "evidence_invalid"},
    };
    for (const auto& c : cases) {
        nlohmann::json body = good_body();
        const auto r = client_->post("/v1/keys/k/release", c.body(body), "application/json");
        EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
        auto j = nlohmann::json::parse(r.body, nullptr, false);
        EXPECT_EQ(j.value("error", ""), c.error) << c.name << ": " << r.body;
        EXPECT_EQ(broker_->audit().back()["error"], c.error) << c.name;  // audited
    }
    expect_serving();
}

TEST_F(Hostile, OversizedBodiesAndWrongContentTypesAreRefused) {
    const std::string big(2 << 20, 'a');
    auto r = client_->post("/v1/keys/k/release", "{\"nonce\":\"" + big + "\"}", "application/json");
    EXPECT_EQ(r.status, 413) << r.body;
    expect_serving();
    for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "application/jsonx", ""}) {
        r = client_->post("/v1/keys/k/release", good_body().dump(), type);
        EXPECT_EQ(r.status, 415) << type;
        EXPECT_EQ(nlohmann::json::parse(r.body).value("error", ""), "unsupported_media_type");
        EXPECT_EQ(broker_->audit().back()["error"], "unsupported_media_type");  // audited
        r = client_->post("/v1/challenge", "{}", type);
        EXPECT_EQ(r.status, 415) << type;
    }
    EXPECT_EQ(client_->post("/v1/keys/k/release", good_body().dump(), "application/json; charset=utf-8").status, 200);
    expect_serving();
}

TEST_F(Hostile, KeyIdsCarryingSqlOrPathsAreRefused) {
    for (const char* path : {"/v1/keys/k'%3B%20DROP%20TABLE%20keys%3B--/release", "/v1/keys/..%2F..%2Fetc%2Fpasswd/release",
                             "/v1/keys/../release", "/v1/keys/%00k/release", "/v1/keys//release",
                             "/v1/keys/k%20OR%201%3D1/release"}) {
        const auto r = client_->post(path, good_body().dump(), "application/json");
        EXPECT_TRUE(r.status == 400 || r.status == 404) << path << ": " << r.status;
        EXPECT_NE(r.status, 200) << path;
    }
    auto admin = broker_->client(true);
    EXPECT_THROW(admin->admin("POST", "/keys", {{"key_id", "x'); DROP TABLE keys;--"}}), ReleaseRefused);
    EXPECT_THROW(admin->admin("POST", "/keys", {{"key_id", "../../etc"}}), ReleaseRefused);
    EXPECT_THROW(admin->admin("POST", "/keys", {{"key_id", 5}}), ReleaseRefused);
    EXPECT_EQ(admin->admin("GET", "/keys")["keys"].size(), 1u);
    expect_serving();
}

TEST_F(Hostile, AdminCallsNeedTheToken) {
    const std::string& token = broker_->token;
    for (const std::string& auth : std::vector<std::string>{std::string(), "Bearer wrong", "Bearer " + token.substr(0, token.size() - 1),
                                   "Bearer " + token + "0", "bearer " + token, "Basic " + token, token,
                                   "Bearer  " + token}) {
        EXPECT_EQ(client_->get("/v1/admin/keys", auth).status, 401) << auth;
        EXPECT_EQ(client_->get("/v1/admin/keys/k/export", auth).status, 401) << auth;
        EXPECT_EQ(client_->get("/v1/admin/audit", auth).status, 401) << auth;
        EXPECT_EQ(client_->post("/v1/admin/keys", "{\"key_id\":\"x\"}", "application/json", auth).status, 401) << auth;
        EXPECT_EQ(client_->post("/v1/admin/keys/k/revoke", "{}", "application/json", auth).status, 401) << auth;
        EXPECT_EQ(client_->post("/v1/admin/keys/k/policy", "{\"policy\":{\"claim\":\"svn\",\"equals\":0}}",
                                "application/json", auth)
                      .status,
                  401)
            << auth;
    }
    EXPECT_EQ(client_->get("/v1/admin/keys", "Bearer " + token).status, 200);
    expect_serving();  // nothing above changed the key or its policy
}

TEST_F(Hostile, AdminPathVariantsNeverBypassTheToken) {
    for (const char* path : {"/v1/admin/keys/", "/v1//admin/keys", "/V1/admin/keys", "/v1/admin/keys?x=1",
                             "/v1/admin/../admin/keys", "/v1/admin/%6beys", "/v1/admin/keys/k/export/",
                             "/v1/admin/keys/k%2Fexport", "/v1/keys/../admin/keys", "/v1/admin/audit#x"}) {
        const int get = client_->get(path).status;
        EXPECT_TRUE(get == 401 || get == 404 || get == 400) << path << ": " << get;
        const int post = client_->post(path, "{\"key_id\":\"x\"}", "application/json").status;
        EXPECT_TRUE(post == 401 || post == 404 || post == 400) << path << ": " << post;
    }
    EXPECT_EQ(broker_->client(true)->admin("GET", "/keys")["keys"].size(), 1u);  // nothing was created
}

TEST_F(Hostile, AdminBodiesWithTheWrongTypesAreRefused) {
    const std::string auth = "Bearer " + broker_->token;
    for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
             {"/v1/admin/keys", "{\"key_id\":\"n\",\"key\":5}"},
             {"/v1/admin/keys", "{\"key_id\":\"n\",\"key\":\"" + b64url_encode(Bytes(8, 1)) + "\"}"},  // too short
             {"/v1/admin/keys", "[\"n\"]"},
             {"/v1/admin/keys/k/revoke", "{\"version\":\"1\"}"},
             {"/v1/admin/keys/k/revoke", "{\"version\":1e30}"},
             {"/v1/admin/keys/k/revoke", "{\"version\":-1}"},
             {"/v1/admin/keys/k/revoke", "{\"version\":9223372036854775807}"},
             {"/v1/admin/keys/k/policy", "{\"policy\":{\"claim\":\"svn\",\"equals\":1},\"immutable\":\"true\"}"},
             {"/v1/admin/keys/k/policy", "{\"policy\":\"svn >= 1\"}"},
             {"/v1/admin/keys/k/policy", "{}"},
         }) {
        const auto r = client_->post(path, body, "application/json", auth);
        EXPECT_TRUE(r.status == 400 || r.status == 404) << path << " " << body << ": " << r.status << " " << r.body;
    }
    EXPECT_EQ(client_->get("/v1/admin/keys/k/export?version=99999999999", auth).status, 400);
    EXPECT_EQ(client_->get("/v1/admin/keys/k/export?version=2", auth).status, 404);
    expect_serving();  // the key is neither revoked nor re-policied
}

TEST_F(Hostile, ImmutablePolicyCannotBeChanged) {
    auto admin = broker_->client(true);
    admin->admin("POST", "/keys", {{"key_id", "frozen"}});
    admin->admin("POST", "/keys/frozen/policy", {{"policy", standard_policy()}, {"immutable", true}});
    const auto r = client_->post("/v1/admin/keys/frozen/policy",
                                 nlohmann::json{{"policy", {{"claim", "debug"}, {"equals", true}}}}.dump(),
                                 "application/json", "Bearer " + broker_->token);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(nlohmann::json::parse(r.body)["error"], "policy_immutable");
    EXPECT_EQ(admin->admin("GET", "/keys/frozen/policy")["immutable"], true);
    EXPECT_EQ(attempt(*client_, *world_, "frozen").status, 200);  // the original policy still rules
    // Invalid policies are refused at set time, naming what is wrong.
    try {
        admin->admin("POST", "/keys/k/policy", {{"policy", {{"claim", "mrenclave"}, {"greaterOrEquals", 1}}}});
        ADD_FAILURE();
    } catch (const ReleaseRefused& e) {
        EXPECT_EQ(e.status, 400);
        EXPECT_EQ(e.error, "policy_invalid");
        EXPECT_NE(e.reason.find("greaterOrEquals"), std::string::npos) << e.reason;
    }
}

// A TCP connection that sends `bytes` and then nothing: a slowloris client.
int half_open(int port, const std::string& bytes) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    if (!bytes.empty()) {
        EXPECT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), ssize_t(bytes.size()));
    }
    return fd;
}

// A TLS connection that sends half an HTTP request and then nothing.
struct HalfRequest {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL* ssl = nullptr;
    int fd = -1;
    explicit HalfRequest(int port) {
        fd = half_open(port, "");
        ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        EXPECT_EQ(SSL_connect(ssl), 1);
        const std::string partial = "POST /v1/challenge HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    "Content-Length: 100\r\n\r\n{";
        EXPECT_GT(SSL_write(ssl, partial.data(), int(partial.size())), 0);
    }
    ~HalfRequest() {
        SSL_free(ssl);
        SSL_CTX_free(ctx);
        ::close(fd);
    }
};

TEST_F(Hostile, HalfSentRequestsDoNotBlockOthers) {
    std::vector<int> raw;
    std::vector<std::unique_ptr<HalfRequest>> tls;
    for (int i = 0; i < 10; ++i) {
        raw.push_back(half_open(broker_->broker->port(), std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)));
        tls.push_back(std::make_unique<HalfRequest>(broker_->broker->port()));
    }
    expect_serving();  // with 20 half-sent connections open
    for (int fd : raw)
        ::close(fd);
}

TEST_F(Hostile, ReadTimeoutsFreeWorkersHeldByHalfSentRequests) {
    // Fewer workers than slow clients: only the read timeout lets a normal request through.
    TestBroker small(*world_, 30000, /*threads=*/4);
    small.create_key("k");
    auto c = small.client();
    // One TLS connection with half a request (the HTTP read timeout) and five with half a
    // ClientHello (the handshake's timeout): six slow clients for four workers.
    HalfRequest half(small.broker->port());
    std::vector<int> raw;
    for (int i = 0; i < 5; ++i)
        raw.push_back(half_open(small.broker->port(), std::string("\x16\x03\x01\x02\x00\x01", 6)));
    const Attempt a = attempt(*c, *world_, "k");
    EXPECT_EQ(a.status, 200) << a.error << ": " << a.reason;
    for (int fd : raw)
        ::close(fd);
}

TEST_F(Hostile, KeyMaterialNeverInAuditLogOutputOrErrors) {
    ::testing::internal::CaptureStderr();
    std::vector<Bytes> keys = {key_, broker_->create_key("other")};
    auto admin = broker_->client(true);
    admin->admin("POST", "/keys/other/rotate", nlohmann::json::object());
    keys.push_back(broker_->exported("other"));
    admin->admin("POST", "/keys", {{"key_id", "imported"}, {"key", b64url_encode(Bytes(32, 0x3c))}});
    admin->admin("POST", "/keys/imported/policy", {{"policy", standard_policy()}});
    keys.push_back(Bytes(32, 0x3c));
    std::string bodies;
    for (const char* id : {"k", "other", "imported"}) {
        bodies += attempt(*client_, *world_, id, identity(0x01)).reason;  // refused
        EXPECT_EQ(attempt(*client_, *world_, id).status, 200);
    }
    for (const char* bad : {"{\"key_id\":\"k\"}", "{\"key_id\":\"k\",\"key\":\"AAAA\"}"})
        bodies += client_->post("/v1/admin/keys", bad, "application/json", "Bearer " + broker_->token).body;
    bodies += client_->post("/v1/keys/k/release", "{", "application/json").body;
    const std::string err = ::testing::internal::GetCapturedStderr();
    std::string audit;
    for (const auto& e : broker_->audit())
        audit += e.dump() + "\n";
    for (const auto& k : keys) {
        const std::string hex = to_hex(k), b64 = b64url_encode(k), raw(k.begin(), k.end());
        std::string upper = hex;
        for (char& ch : upper)
            ch = char(std::toupper(uint8_t(ch)));
        for (const std::string& needle : {hex, upper, b64, raw, hex.substr(0, 16), b64.substr(0, 12)}) {
            EXPECT_EQ(audit.find(needle), std::string::npos);
            EXPECT_EQ(err.find(needle), std::string::npos);
            EXPECT_EQ(bodies.find(needle), std::string::npos);
        }
    }
    EXPECT_NE(err.find("keybroker: release k: 200 granted"), std::string::npos);  // the log did see the releases
}

}  // namespace
}  // namespace kbtest
