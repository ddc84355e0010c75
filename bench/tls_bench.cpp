// Attested TLS (docs/attested-tls.md, docs/performance.md), ratios in the same run:
//  - handshake latency: a host client ← the attested-tls sample's enclave server (TLS 1.3,
//    the client verifying the enclave's evidence with collateral), ÷ the same handshake between
//    two host threads with the same OpenSSL and an ordinary self-signed P-256 certificate that
//    the client trusts directly. Each connection: handshake, one line each way, close.
//  - bulk throughput: 256 MiB over loopback from the enclave server (16 KiB records) ÷ the same
//    from a host server, same library and cipher (TLS_AES_256_GCM_SHA384).
#include "attestedtls_u.h"
#include "ratio_reporter.hpp"

#include "attestation/collateral.hpp"
#include "attestation/pki_store.hpp"

#include <ccbox/host.h>
#include <ccbox/tls.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

namespace {

constexpr uint64_t kBulk = 256ull << 20;

int connect_loopback(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        std::perror("connect");
        std::exit(1);
    }
    return fd;
}

// One connection: handshake, `request` out, everything back until close. Returns bytes read.
uint64_t converse(SSL_CTX* ctx, int port, const std::string& request) {
    const int fd = connect_loopback(port);
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    uint64_t total = 0;
    if (SSL_connect(ssl) == 1 && SSL_write(ssl, request.data(), static_cast<int>(request.size())) > 0) {
        static char buf[1 << 16];
        int n;
        while ((n = SSL_read(ssl, buf, sizeof buf)) > 0)
            total += static_cast<uint64_t>(n);
    }
    SSL_free(ssl);
    ::close(fd);
    return total;
}

// ---- the baseline: a host server with an ordinary certificate ----
struct HostServer {
    SSL_CTX* ctx = nullptr;
    X509* cert = nullptr;
    int listen_fd = -1, port = 0;
    std::thread thread;

    HostServer() {
        EVP_PKEY* key = EVP_EC_gen("P-256");
        cert = X509_new();
        X509_set_version(cert, X509_VERSION_3);
        ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
        X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("bench"), -1, -1, 0);
        X509_set_issuer_name(cert, X509_get_subject_name(cert));
        X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
        X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
        X509_set_pubkey(cert, key);
        X509_sign(cert, key, EVP_sha256());
        ctx = SSL_CTX_new(TLS_server_method());
        SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
        SSL_CTX_use_certificate(ctx, cert);
        SSL_CTX_use_PrivateKey(ctx, key);
        EVP_PKEY_free(key);
        listen_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listen_fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(listen_fd, 16);
        socklen_t len = sizeof a;
        ::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
        thread = std::thread([this] { run(); });
    }
    ~HostServer() {
        SSL_CTX* client = SSL_CTX_new(TLS_client_method());
        converse(client, port, "quit");
        SSL_CTX_free(client);
        thread.join();
        ::close(listen_fd);
        SSL_CTX_free(ctx);
        X509_free(cert);
    }
    // The same protocol as the enclave server's (samples/attested-tls/enclave/enc.cpp).
    void run() {
        static char block[16384];
        for (;;) {
            const int fd = ::accept(listen_fd, nullptr, nullptr);
            SSL* ssl = SSL_new(ctx);
            SSL_set_fd(ssl, fd);
            bool quit = false;
            if (SSL_accept(ssl) == 1) {
                char line[1024];
                const int n = SSL_read(ssl, line, sizeof line - 1);
                if (n > 0) {
                    line[n] = 0;
                    unsigned long long bulk = 0;
                    if (std::string(line) == "quit") {
                        quit = true;
                    } else if (std::sscanf(line, "send %llu", &bulk) == 1) {
                        while (bulk > 0) {
                            const int chunk = static_cast<int>(bulk < sizeof block ? bulk : sizeof block);
                            if (SSL_write(ssl, block, chunk) != chunk)
                                break;
                            bulk -= static_cast<unsigned long long>(chunk);
                        }
                    } else {
                        const std::string reply = "hello from the host, " + std::string(line);
                        SSL_write(ssl, reply.data(), static_cast<int>(reply.size()));
                    }
                }
                SSL_shutdown(ssl);
            }
            SSL_free(ssl);
            ::close(fd);
            if (quit)
                return;
        }
    }
    // A client that trusts this server's certificate (ordinary X.509 path verification).
    SSL_CTX* client() const {
        SSL_CTX* c = SSL_CTX_new(TLS_client_method());
        SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION);
        X509_STORE_add_cert(SSL_CTX_get_cert_store(c), cert);
        SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
        return c;
    }
};

// A port that was free a moment ago, for the enclave server to listen on.
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

// Waits until the enclave server accepts connections (a plain TCP connect, closed at once,
// which the server sees as one failed handshake).
void wait_listening(int port) {
    for (int i = 0; i < 20000; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        ::close(fd);
        if (ok)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::fprintf(stderr, "the enclave server did not listen on %d\n", port);
    std::exit(1);
}

// ---- the attested-tls sample's enclave as the server ----
struct EnclaveServer {
    ccbox_enclave_t* enclave = nullptr;
    std::thread thread;
    int port = 0;
    std::string collateral, root;
    std::vector<ccbox_policy_t> policies;
    ccbox_tls_verifier_t verifier{};

    EnclaveServer(uint32_t flags, const std::string& image, const ccbox_enclave_setting_t* setting,
                  const std::string& state_dir) {
        if (ccbox_create_attestedtls_enclave(image.c_str(), flags, setting, 1, &enclave) != CCBOX_OK) {
            std::fprintf(stderr, "cannot create %s: %s\n", image.c_str(), ccbox_get_last_error());
            std::exit(1);
        }
        std::vector<uint8_t> der(64 * 1024);
        size_t size = 0;
        int status = -1;
        if (get_certificate(enclave, &status, der.data(), der.size(), &size) != CCBOX_OK || status != 0) {
            std::fprintf(stderr, "get_certificate failed\n");
            std::exit(1);
        }
        // The platform made its development PKI on that first quote: collateral from it.
        auto pki = ccbox::attestation::Pki::load(state_dir + "/development-pki");
        const int64_t now = static_cast<int64_t>(std::time(nullptr));
        auto bundle = pki ? pki->collateral(now - 86400, now + 29 * 86400)
                          : ccbox::Result<ccbox::attestation::CollateralBundle>(pki.error());
        if (!bundle) {
            std::fprintf(stderr, "no collateral: %s\n", bundle.error().message().c_str());
            std::exit(1);
        }
        collateral = ccbox::attestation::collateral_bundle_json(*bundle);
        root = ccbox::attestation::certificate_pem(pki->root());
        policies = {{CCBOX_POLICY_TRUSTED_ROOTS, root.data(), root.size()}};
        verifier.endorsements = reinterpret_cast<const uint8_t*>(collateral.data());
        verifier.endorsements_size = collateral.size();
        verifier.policies = policies.data();
        verifier.policies_size = policies.size();

        port = free_port();
        thread = std::thread([this] {
            int st = 0;
            serve(enclave, &st, static_cast<uint16_t>(port), 1 << 30, 0);
        });
        wait_listening(port);
    }
    ~EnclaveServer() {
        SSL_CTX* c = SSL_CTX_new(TLS_client_method());
        converse(c, port, "quit");
        SSL_CTX_free(c);
        thread.join();
        ccbox_terminate_enclave(enclave);
    }
    SSL_CTX* client() {
        SSL_CTX* c = SSL_CTX_new(TLS_client_method());
        SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION);
        SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
        SSL_CTX_set_cert_verify_callback(c, ccbox_tls_cert_verify_callback, &verifier);
        return c;
    }
};

void handshakes(benchmark::State& state, SSL_CTX* ctx, int port) {
    for (auto _ : state)
        if (converse(ctx, port, "bench") == 0)
            state.SkipWithError("handshake failed");
}

void bulk(benchmark::State& state, SSL_CTX* ctx, int port) {
    for (auto _ : state)
        if (converse(ctx, port, "send " + std::to_string(kBulk)) != kBulk)
            state.SkipWithError("short transfer");
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBulk));
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    const std::string dir = std::filesystem::path(argv[0]).parent_path().string();
    const std::string image = dir + "/../samples/attested-tls/attestedtls_enc.signed";
    char tmpl[] = "/tmp/ccbox-tls-bench-XXXXXX";
    const std::string state_dir = ::mkdtemp(tmpl);
    ::setenv("CCBOX_PLATFORM_IDLE_EXIT", "5", 1);
    ccbox_enclave_setting_platform_t platform{};
    platform.state_dir = state_dir.c_str();
    ccbox_enclave_setting_t setting{};
    setting.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
    setting.u.platform = &platform;

    HostServer host;
    EnclaveServer sim(CCBOX_ENCLAVE_FLAG_SIMULATE | CCBOX_ENCLAVE_FLAG_DEBUG, image, &setting, state_dir);
    EnclaveServer isolated(CCBOX_ENCLAVE_FLAG_ISOLATED | CCBOX_ENCLAVE_FLAG_DEBUG, image, &setting, state_dir);
    SSL_CTX* host_client = host.client();
    SSL_CTX* sim_client = sim.client();
    SSL_CTX* iso_client = isolated.client();
    benchmark::RegisterBenchmark("handshake/host-host", handshakes, host_client, host.port)
        ->Unit(benchmark::kMicrosecond)->MinTime(1.0);
    benchmark::RegisterBenchmark("handshake/sim-enclave-server", handshakes, sim_client, sim.port)
        ->Unit(benchmark::kMicrosecond)->MinTime(1.0);
    benchmark::RegisterBenchmark("handshake/isolated-enclave-server", handshakes, iso_client, isolated.port)
        ->Unit(benchmark::kMicrosecond)->MinTime(1.0);
    benchmark::RegisterBenchmark("bulk256MiB/host-host", bulk, host_client, host.port)
        ->Unit(benchmark::kMillisecond)->Iterations(3);
    benchmark::RegisterBenchmark("bulk256MiB/sim-enclave-server", bulk, sim_client, sim.port)
        ->Unit(benchmark::kMillisecond)->Iterations(3);
    benchmark::RegisterBenchmark("bulk256MiB/isolated-enclave-server", bulk, iso_client, isolated.port)
        ->Unit(benchmark::kMillisecond)->Iterations(3);

    ccbox::bench::RatioReporter reporter;
    reporter.add_time_ratio("handshake: sim enclave server (attested) / host-host (target <= 3)",
                            "handshake/sim-enclave-server/min_time:1.000", "handshake/host-host/min_time:1.000");
    reporter.add_time_ratio("handshake: isolated enclave server (attested) / host-host (target <= 3)",
                            "handshake/isolated-enclave-server/min_time:1.000", "handshake/host-host/min_time:1.000");
    reporter.add_speed_ratio("bulk 256 MiB: sim enclave server / host-host", "bulk256MiB/sim-enclave-server/iterations:3",
                             "bulk256MiB/host-host/iterations:3");
    reporter.add_speed_ratio("bulk 256 MiB: isolated enclave server / host-host (target >= 0.5)",
                             "bulk256MiB/isolated-enclave-server/iterations:3", "bulk256MiB/host-host/iterations:3");
    const int rc = ccbox::bench::run_benchmarks(argc, argv, reporter);
    SSL_CTX_free(host_client);
    SSL_CTX_free(sim_client);
    SSL_CTX_free(iso_client);
    std::error_code ec;
    std::filesystem::remove_all(state_dir, ec);
    return rc;
}
