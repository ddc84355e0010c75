// TLS 1.3 handshakes over a socket pair with ccbox_tls_cert_verify_callback: each refusal of
// issue 12's scope 4 fails the handshake at the verifying side with the named reason, and the
// other side gets an alert, not a hang (both sockets time out after 10 s, which fails the test).
#include "atls_fixture.hpp"

#include <ccbox/tls.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <csignal>

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <thread>

namespace ccbox::attestation {
namespace {

using namespace testing;

// A peer that refuses closes its socket: a write to it must be an error, not SIGPIPE.
const bool kNoSigpipe = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();

struct Side {
    bool ok = false;
    std::string error;  // OpenSSL's, for the side that did not verify
    std::string reply;
};

std::string ssl_errors() {
    std::string all;
    char buf[256];
    while (unsigned long e = ERR_get_error()) {
        ERR_error_string_n(e, buf, sizeof buf);
        all += buf;
        all += ";";
    }
    return all;
}

void timeouts(int fd) {
    timeval tv{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

SSL_CTX* context(bool server, std::span<const uint8_t> cert_der, EVP_PKEY* key, ccbox_tls_verifier_t* verifier) {
    SSL_CTX* ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    if (!cert_der.empty()) {
        const unsigned char* p = cert_der.data();
        X509* cert = d2i_X509(nullptr, &p, static_cast<long>(cert_der.size()));
        SSL_CTX_use_certificate(ctx, cert);
        SSL_CTX_use_PrivateKey(ctx, key);
        X509_free(cert);
    }
    if (verifier) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
        SSL_CTX_set_cert_verify_callback(ctx, ccbox_tls_cert_verify_callback, verifier);
    }
    return ctx;
}

// One connection: the server presents `server_cert`; the client verifies it with `client_v`;
// with `server_v` the server also demands and verifies the client's `client_cert`.
std::pair<Side, Side> handshake(std::span<const uint8_t> server_cert, EVP_PKEY* server_key,
                                ccbox_tls_verifier_t* client_v, std::span<const uint8_t> client_cert = {},
                                EVP_PKEY* client_key = nullptr, ccbox_tls_verifier_t* server_v = nullptr) {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    timeouts(fds[0]);
    timeouts(fds[1]);
    Side server, client;
    std::thread t([&] {
        SSL_CTX* ctx = context(true, server_cert, server_key, server_v);
        SSL* ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fds[0]);
        if (SSL_accept(ssl) == 1) {
            char buf[64];
            const int n = SSL_read(ssl, buf, sizeof buf);
            if (n > 0) {
                SSL_write(ssl, buf, n);
                server.ok = true;
            } else {
                server.error = ssl_errors();
            }
            SSL_shutdown(ssl);
        } else {
            server.error = ssl_errors();
        }
        SSL_free(ssl);
        SSL_CTX_free(ctx);
        ::close(fds[0]);
    });
    SSL_CTX* ctx = context(false, client_cert, client_key, client_v);
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fds[1]);
    if (SSL_connect(ssl) == 1) {
        char buf[64];
        int n = 0;
        if (SSL_write(ssl, "ping", 4) == 4 && (n = SSL_read(ssl, buf, sizeof buf)) > 0) {
            client.ok = true;
            client.reply.assign(buf, static_cast<size_t>(n));
        } else {
            // A refused client may fail its write (the server closed) before it reads the
            // alert that is waiting for it: read it, as a careful client does.
            client.error = ssl_errors();
            (void)SSL_read(ssl, buf, sizeof buf);
            client.error += ssl_errors();
        }
    } else {
        client.error = ssl_errors();
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    ::close(fds[1]);
    t.join();
    return {server, client};
}

ccbox_result_t expect_mrenclave_5e(ccbox_claim_t* claims, size_t n, void*) {
    for (size_t i = 0; i < n; ++i)
        if (std::string(claims[i].name) == CCBOX_CLAIM_UNIQUE_ID)
            return std::vector<uint8_t>(claims[i].value, claims[i].value + claims[i].value_size) ==
                           std::vector<uint8_t>(32, 0x5e)
                       ? CCBOX_OK
                       : CCBOX_QUOTE_ENCLAVE_IDENTITY_UNIQUEID_MISMATCH;
    return CCBOX_NOT_FOUND;
}

class Handshake : public ::testing::Test {
protected:
    ccbox_tls_verifier_t verifier(AtlsWorld& w, std::vector<ccbox_policy_t> extra = {}) {
        policies_ = {{CCBOX_POLICY_TRUSTED_ROOTS, w.root.data(), w.root.size()},
                     {CCBOX_POLICY_VERIFICATION_TIME, &at_, sizeof at_}};
        policies_.insert(policies_.end(), extra.begin(), extra.end());
        ccbox_tls_verifier_t v{};
        v.endorsements = reinterpret_cast<const uint8_t*>(w.collateral.data());
        v.endorsements_size = w.collateral.size();
        v.policies = policies_.data();
        v.policies_size = policies_.size();
        v.callback = expect_mrenclave_5e;
        return v;
    }
    // The client refuses the server: its error names `reason`; the server got an alert.
    void expect_refused(const std::vector<uint8_t>& cert, ccbox_tls_verifier_t v, const std::string& reason) {
        auto [server, client] = handshake(cert, key.get(), &v);
        EXPECT_FALSE(client.ok);
        EXPECT_FALSE(server.ok);
        EXPECT_NE(v.result, CCBOX_OK);
        EXPECT_NE(std::string(v.error).find(reason), std::string::npos) << v.error;
        EXPECT_NE(server.error.find("alert"), std::string::npos) << server.error;
    }

    AtlsWorld world;
    Pkey key = new_key();
    int64_t at_ = kNow;
    std::vector<ccbox_policy_t> policies_;
};

TEST_F(Handshake, AnAttestedServerIsAccepted) {
    auto v = verifier(world);
    auto [server, client] = handshake(world.good_cert(key.get()), key.get(), &v);
    EXPECT_TRUE(client.ok) << client.error << v.error;
    EXPECT_TRUE(server.ok) << server.error;
    EXPECT_EQ(client.reply, "ping");
}

TEST_F(Handshake, MismatchedMrenclave) {
    expect_refused(world.good_cert(key.get(), {.mrenclave = 0x66}), verifier(world), "claims_refused");
}

TEST_F(Handshake, DebugEnclaveUnderAProductionPolicy) {
    expect_refused(world.good_cert(key.get(), {.debug = true}), verifier(world, {{CCBOX_POLICY_REFUSE_DEBUG, nullptr, 0}}),
                   "policy_debug_enclave");
}

TEST_F(Handshake, KeyNotBound) {
    Pkey other = new_key();
    const auto ext_cert = world.good_cert(other.get());
    // The server's key with evidence bound to another key.
    const auto spki = spki_of(other.get());
    const auto cert = cert_with(key.get(), kOidOeEvidence, oe_evidence(quote_binding(world.platform, spki), spki));
    expect_refused(cert, verifier(world), "key_not_bound");
}

TEST_F(Handshake, ExpiredCollateral) {
    at_ = kNow + 90 * kDay;
    expect_refused(world.good_cert(key.get()), verifier(world), "expired");
}

TEST_F(Handshake, DevelopmentPlatformUnderAProductionPolicy) {
    AtlsWorld dev(PlatformMode::kDevelopment);
    expect_refused(dev.good_cert(key.get()), verifier(dev, {{CCBOX_POLICY_REQUIRE_PRODUCTION, nullptr, 0}}),
                   "policy_development_platform");
}

TEST_F(Handshake, AnOrdinaryCertificateIsRefused) {
    const auto plain = cert_with(key.get(), "1.2.3.4", std::vector<uint8_t>{1});
    expect_refused(plain, verifier(world), "evidence_extension_missing");
}

// Mutual: the server refuses the client; in TLS 1.3 the client learns it from the alert that
// follows its Finished, on its first read.
TEST_F(Handshake, TheServerRefusesAClientWithAnUnexpectedIdentity) {
    auto client_v = verifier(world);
    std::vector<ccbox_policy_t> server_policies = {{CCBOX_POLICY_TRUSTED_ROOTS, world.root.data(), world.root.size()},
                                                   {CCBOX_POLICY_VERIFICATION_TIME, &at_, sizeof at_}};
    ccbox_tls_verifier_t server_v = client_v;
    server_v.policies = server_policies.data();
    Pkey client_key = new_key();
    auto [server, client] = handshake(world.good_cert(key.get()), key.get(), &client_v,
                                      world.good_cert(client_key.get(), {.mrenclave = 0x42}), client_key.get(),
                                      &server_v);
    EXPECT_FALSE(server.ok);
    EXPECT_FALSE(client.ok);
    EXPECT_NE(std::string(server_v.error).find("claims_refused"), std::string::npos) << server_v.error;
    EXPECT_NE(client.error.find("alert"), std::string::npos) << client.error;

    // And with the expected identity, both sides accept.
    auto [s2, c2] = handshake(world.good_cert(key.get()), key.get(), &client_v, world.good_cert(client_key.get()),
                              client_key.get(), &server_v);
    EXPECT_TRUE(s2.ok) << s2.error << server_v.error;
    EXPECT_TRUE(c2.ok) << c2.error << client_v.error;
}

}  // namespace
}  // namespace ccbox::attestation
