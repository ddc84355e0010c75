// The attested-tls enclave: a TLS 1.3 server and client (OpenSSL's libssl inside the enclave)
// whose certificate carries the enclave's evidence, and which verifies its peer's. The network
// is the host's (the socket OCALLs of ccbox/edl/socket.edl); the host sees only TLS records.
#include <ccbox/attester.h>
#include <ccbox/tls.h>
#include <ccbox/verifier.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "attestedtls_t.h"

namespace {

constexpr int kAfInet = 2, kSockStream = 1;  // Linux's AF_INET, SOCK_STREAM

struct PeerPolicy {
    std::vector<uint8_t> collateral;
    std::string root;
    uint8_t mrenclave[32] = {};
    uint8_t mrsigner[32] = {};
    std::vector<ccbox_policy_t> policies;
    bool set = false;
};

PeerPolicy g_policy;
EVP_PKEY* g_key = nullptr;
std::vector<uint8_t> g_cert;

std::string hex(const uint8_t* p, size_t n) {
    std::string s;
    char b[3];
    for (size_t i = 0; i < n; ++i) {
        std::snprintf(b, sizeof b, "%02x", p[i]);
        s += b;
    }
    return s;
}

bool all_zero(const uint8_t* p) {
    for (int i = 0; i < 32; ++i)
        if (p[i])
            return false;
    return true;
}

std::string pem_of(EVP_PKEY* key, bool priv) {
    BIO* bio = BIO_new(BIO_s_mem());
    const int ok = priv ? PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr)
                        : PEM_write_bio_PUBKEY(bio, key);
    char* data = nullptr;
    const long n = ok ? BIO_get_mem_data(bio, &data) : 0;
    std::string out(data ? data : "", static_cast<size_t>(n > 0 ? n : 0));
    BIO_free(bio);
    return out;
}

// The TLS key, fresh per enclave instance, and its attestation certificate.
int ensure_certificate() {
    if (!g_cert.empty())
        return CCBOX_OK;
    g_key = EVP_EC_gen("P-256");
    if (!g_key)
        return CCBOX_CRYPTO_ERROR;
    const std::string priv = pem_of(g_key, true), pub = pem_of(g_key, false);
    const ccbox_uuid_t format = CCBOX_FORMAT_UUID_SGX_ECDSA;
    uint8_t* cert = nullptr;
    size_t size = 0;
    ccbox_result_t r = ccbox_get_attestation_certificate_with_evidence(
        &format, "CN=ccbox attested-tls sample,O=ccbox,C=ZZ", reinterpret_cast<const uint8_t*>(priv.data()),
        priv.size(), reinterpret_cast<const uint8_t*>(pub.data()), pub.size(), nullptr, 0, &cert, &size);
    if (r != CCBOX_OK)
        return r;
    g_cert.assign(cert, cert + size);
    ccbox_free_attestation_certificate(cert);
    return CCBOX_OK;
}

// The application's decision about a verified peer: its identity must be the expected one.
struct Decision {
    std::string reason;
};

std::string claim_text(const ccbox_claim_t& c) {
    const std::string name = c.name;
    if (name == CCBOX_CLAIM_PLATFORM_MODE || name == "ccbox_tcb_status")
        return std::string(reinterpret_cast<const char*>(c.value), strnlen(reinterpret_cast<const char*>(c.value),
                                                                           c.value_size));
    return hex(c.value, c.value_size);
}

ccbox_result_t decide(ccbox_claim_t* claims, size_t n, void* arg) {
    auto* d = static_cast<Decision*>(arg);
    const ccbox_claim_t* unique = nullptr;
    const ccbox_claim_t* signer = nullptr;
    std::printf("enclave: peer claims:\n");
    for (size_t i = 0; i < n; ++i) {
        const std::string name = claims[i].name;
        if (name == CCBOX_CLAIM_UNIQUE_ID)
            unique = &claims[i];
        if (name == CCBOX_CLAIM_SIGNER_ID)
            signer = &claims[i];
        if (name == CCBOX_CLAIM_UNIQUE_ID || name == CCBOX_CLAIM_SIGNER_ID || name == CCBOX_CLAIM_PRODUCT_ID ||
            name == CCBOX_CLAIM_SECURITY_VERSION || name == CCBOX_CLAIM_ATTRIBUTES || name == "ccbox_tcb_status" ||
            name == CCBOX_CLAIM_PLATFORM_MODE)
            std::printf("  %s: %s\n", claims[i].name, claim_text(claims[i]).c_str());
    }
    if (!all_zero(g_policy.mrenclave) &&
        (!unique || unique->value_size != 32 || std::memcmp(unique->value, g_policy.mrenclave, 32) != 0)) {
        d->reason = "MRENCLAVE " + (unique ? hex(unique->value, unique->value_size) : std::string("(none)")) +
                    " is not the expected " + hex(g_policy.mrenclave, 32);
        return CCBOX_QUOTE_ENCLAVE_IDENTITY_UNIQUEID_MISMATCH;
    }
    if (!all_zero(g_policy.mrsigner) &&
        (!signer || signer->value_size != 32 || std::memcmp(signer->value, g_policy.mrsigner, 32) != 0)) {
        d->reason = "MRSIGNER " + (signer ? hex(signer->value, signer->value_size) : std::string("(none)")) +
                    " is not the expected " + hex(g_policy.mrsigner, 32);
        return CCBOX_QUOTE_ENCLAVE_IDENTITY_VERIFICATION_FAILED;
    }
    return CCBOX_OK;
}

struct Verifier {
    Decision decision;
    ccbox_tls_verifier_t v{};
    Verifier() {
        v.endorsements = g_policy.collateral.data();
        v.endorsements_size = g_policy.collateral.size();
        v.policies = g_policy.policies.data();
        v.policies_size = g_policy.policies.size();
        v.callback = decide;
        v.arg = &decision;
    }
    // Why the handshake failed, at the verifying side.
    std::string why() const {
        if (v.result == CCBOX_OK)
            return "";
        return std::string(v.error) + (decision.reason.empty() ? "" : " (" + decision.reason + ")");
    }
};

// The first TLS error, with its detail (the socket BIO names a host that lied).
std::string ssl_error() {
    char buf[256] = "unknown TLS error";
    const char* data = nullptr;
    int flags = 0;
    if (unsigned long e = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags))
        ERR_error_string_n(e, buf, sizeof buf);
    std::string out = buf;
    if (data && *data && (flags & ERR_TXT_STRING))
        out += std::string(": ") + data;
    ERR_clear_error();
    return out;
}

SSL_CTX* make_context(bool server, bool verify_peer, Verifier* verifier) {
    SSL_CTX* ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (!ctx)
        return nullptr;
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    const unsigned char* p = g_cert.data();
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(g_cert.size()));
    if (!cert || SSL_CTX_use_certificate(ctx, cert) != 1 || SSL_CTX_use_PrivateKey(ctx, g_key) != 1) {
        X509_free(cert);
        SSL_CTX_free(ctx);
        return nullptr;
    }
    X509_free(cert);
    if (verify_peer) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
        SSL_CTX_set_cert_verify_callback(ctx, ccbox_tls_cert_verify_callback, &verifier->v);
    }
    return ctx;
}

std::vector<uint8_t> ipv4_loopback(uint16_t port) {
    std::vector<uint8_t> a(16, 0);
    a[0] = kAfInet & 0xff;
    a[1] = kAfInet >> 8;
    a[2] = static_cast<uint8_t>(port >> 8);
    a[3] = static_cast<uint8_t>(port);
    a[4] = 127;
    a[7] = 1;
    return a;
}

}  // namespace

int get_certificate(uint8_t* cert, size_t capacity, size_t* size) {
    if (int r = ensure_certificate(); r != CCBOX_OK)
        return r;
    *size = g_cert.size();
    if (g_cert.size() > capacity)
        return CCBOX_BUFFER_TOO_SMALL;
    std::memcpy(cert, g_cert.data(), g_cert.size());
    return CCBOX_OK;
}

int set_peer_policy(const uint8_t* collateral, size_t collateral_size, const uint8_t* root, size_t root_size,
                    const uint8_t* mrenclave, const uint8_t* mrsigner, int require_production, int refuse_debug) {
    // The root decides what the enclave trusts, so the host must not choose it: when the build
    // compiled one in (ATLS_TRUSTED_ROOT_SHA256), the root given must be that one.
#ifdef ATLS_TRUSTED_ROOT_SHA256
    uint8_t digest[32];
    SHA256(root, root_size, digest);
    if (hex(digest, 32) != ATLS_TRUSTED_ROOT_SHA256) {
        std::printf("enclave: refused the trusted root: its SHA-256 %s is not the compiled-in %s\n",
                    hex(digest, 32).c_str(), ATLS_TRUSTED_ROOT_SHA256);
        return CCBOX_VERIFY_FAILED;
    }
#else
    if (require_production) {
        std::printf("enclave: a production policy needs a compiled-in root (build with -DATLS_TRUSTED_ROOT=PEM)\n");
        return CCBOX_INVALID_PARAMETER;
    }
    std::printf("enclave: development build: trusting the root the host gave (no compiled-in root)\n");
#endif
    g_policy.collateral.assign(collateral, collateral + collateral_size);
    g_policy.root.assign(reinterpret_cast<const char*>(root), root_size);
    std::memcpy(g_policy.mrenclave, mrenclave, 32);
    std::memcpy(g_policy.mrsigner, mrsigner, 32);
    g_policy.policies.clear();
    g_policy.policies.push_back({CCBOX_POLICY_TRUSTED_ROOTS, g_policy.root.data(), g_policy.root.size()});
    if (require_production)
        g_policy.policies.push_back({CCBOX_POLICY_REQUIRE_PRODUCTION, nullptr, 0});
    if (refuse_debug)
        g_policy.policies.push_back({CCBOX_POLICY_REFUSE_DEBUG, nullptr, 0});
    g_policy.set = true;
    return CCBOX_OK;
}

int serve(uint16_t port, int connections, int mutual) {
    if (int r = ensure_certificate(); r != CCBOX_OK)
        return r;
    if (mutual && !g_policy.set)
        return CCBOX_INVALID_PARAMETER;
    int64_t fd = -1, r = -1;
    if (sock_socket(&fd, kAfInet, kSockStream, 0) != CCBOX_OK || fd < 0 || fd > INT32_MAX)
        return CCBOX_FAILURE;
    const auto addr = ipv4_loopback(port);
    if (sock_bind(&r, static_cast<int>(fd), addr.data(), 16) != CCBOX_OK || r != 0 ||
        sock_listen(&r, static_cast<int>(fd), 16) != CCBOX_OK || r != 0) {
        std::printf("enclave: cannot listen on 127.0.0.1:%u (%lld)\n", port, static_cast<long long>(r));
        sock_close(&r, static_cast<int>(fd));
        return CCBOX_FAILURE;
    }
    uint8_t bound[16] = {};
    if (sock_getsockname(&r, static_cast<int>(fd), bound, sizeof bound) != CCBOX_OK || r < 4 || r > 16) {
        sock_close(&r, static_cast<int>(fd));
        return CCBOX_FAILURE;
    }
    std::printf("enclave: listening on 127.0.0.1:%u\n", (bound[2] << 8) | bound[3]);
    std::fflush(stdout);

    // One context for all connections; the verifier's outcome is per handshake.
    Verifier verifier;
    SSL_CTX* ctx = make_context(true, mutual != 0, &verifier);
    if (!ctx) {
        sock_close(&r, static_cast<int>(fd));
        return CCBOX_CRYPTO_ERROR;
    }
    int served = 0, failures = 0;
    bool quit = false;
    for (int i = 0; i < connections && !quit; ++i) {
        int64_t client = -1;
        if (sock_accept(&client, static_cast<int>(fd)) != CCBOX_OK || client < 0 || client > INT32_MAX)
            break;
        verifier.decision.reason.clear();
        verifier.v.result = CCBOX_OK;
        verifier.v.error[0] = 0;
        SSL* ssl = SSL_new(ctx);
        BIO* bio = ccbox_tls_socket_bio(static_cast<int>(client));
        if (!ssl || !bio) {
            BIO_free(bio);
            SSL_free(ssl);
            break;
        }
        SSL_set_bio(ssl, bio, bio);
        // Writes coalesced for the whole connection: a handshake flight, the reply and the
        // close_notify each go out in one OCALL. It delays nothing here: OpenSSL flushes after
        // each flight, the BIO before each read, and the connection ends with SSL_free, which
        // sends what is left (include/ccbox/tls.h).
        ccbox_tls_socket_bio_coalesce(bio, 1);
        if (SSL_accept(ssl) != 1) {
            const std::string why = verifier.why();
            std::printf("enclave: handshake failed: %s\n", why.empty() ? ssl_error().c_str() : why.c_str());
            ++failures;
        } else {
            char line[1024];
            const int n = SSL_read(ssl, line, sizeof line - 1);
            if (n > 0) {
                line[n] = 0;
                unsigned long long bulk = 0;
                if (std::strcmp(line, "quit") == 0) {
                    quit = true;
                } else if (std::sscanf(line, "send %llu", &bulk) == 1) {
                    // "send N": N bytes in 16 KiB records (the throughput benchmark's request).
                    // Coalesced into OCALLs of up to 256 KiB (above).
                    static char block[16384];
                    while (bulk > 0) {
                        const int chunk = static_cast<int>(bulk < sizeof block ? bulk : sizeof block);
                        if (SSL_write(ssl, block, chunk) != chunk)
                            break;
                        bulk -= static_cast<unsigned long long>(chunk);
                    }
                } else {
                    const std::string reply = "hello from the enclave, " + std::string(line);
                    SSL_write(ssl, reply.data(), static_cast<int>(reply.size()));
                }
                ++served;
            }
            SSL_shutdown(ssl);
        }
        std::fflush(stdout);
        SSL_free(ssl);  // frees the BIO, which closes the connection
    }
    SSL_CTX_free(ctx);
    sock_close(&r, static_cast<int>(fd));
    std::printf("enclave: served %d, refused %d\n", served, failures);
    return failures ? CCBOX_VERIFY_FAILED : CCBOX_OK;
}

int connect_to(uint16_t port, const char* message, char* reply, size_t capacity) {
    if (int r = ensure_certificate(); r != CCBOX_OK)
        return r;
    if (!g_policy.set || capacity == 0)
        return CCBOX_INVALID_PARAMETER;
    reply[0] = 0;
    int64_t fd = -1, r = -1;
    if (sock_socket(&fd, kAfInet, kSockStream, 0) != CCBOX_OK || fd < 0 || fd > INT32_MAX)
        return CCBOX_FAILURE;
    const auto addr = ipv4_loopback(port);
    if (sock_connect(&r, static_cast<int>(fd), addr.data(), 16) != CCBOX_OK || r != 0) {
        sock_close(&r, static_cast<int>(fd));
        return CCBOX_FAILURE;
    }
    Verifier verifier;
    SSL_CTX* ctx = make_context(false, true, &verifier);
    SSL* ssl = ctx ? SSL_new(ctx) : nullptr;
    BIO* bio = ccbox_tls_socket_bio(static_cast<int>(fd));
    if (!ssl || !bio) {
        BIO_free(bio);
        SSL_free(ssl);
        SSL_CTX_free(ctx);
        return CCBOX_OUT_OF_MEMORY;
    }
    SSL_set_bio(ssl, bio, bio);
    int result = CCBOX_OK;
    ccbox_tls_socket_bio_coalesce(bio, 1);  // as in serve()
    const int connected = SSL_connect(ssl);
    ccbox_tls_socket_bio_coalesce(bio, 0);
    if (connected != 1) {
        const std::string why = verifier.why();
        std::printf("enclave client: handshake failed: %s\n", why.empty() ? ssl_error().c_str() : why.c_str());
        result = verifier.v.result != CCBOX_OK ? verifier.v.result : CCBOX_FAILURE;
    } else {
        // TLS 1.3: the server's verdict on our certificate arrives after our Finished; a write
        // can fail first (the server closed), the alert is still there to read.
        SSL_write(ssl, message, static_cast<int>(std::strlen(message)));
        ERR_clear_error();
        const int n = SSL_read(ssl, reply, static_cast<int>(capacity - 1));
        if (n <= 0) {
            std::printf("enclave client: the server closed the connection: %s\n", ssl_error().c_str());
            result = CCBOX_FAILURE;
        } else {
            reply[n] = 0;
        }
        SSL_shutdown(ssl);
    }
    std::fflush(stdout);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    return result;
}
