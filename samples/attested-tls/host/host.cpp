// The attested-tls host.
//   attestedtls_host ENCLAVE cert OUT.pem
//       writes the enclave's attestation certificate (try `ccbox tls inspect-cert OUT.pem`)
//   attestedtls_host ENCLAVE serve PORT N [--mutual POLICY...]
//       the enclave serves N TLS connections on 127.0.0.1:PORT (0: any port, printed)
//   attestedtls_host ENCLAVE connect PORT POLICY...
//       an enclave client: mutual attestation with an enclave server
//   attestedtls_host client PORT POLICY...
//       a host client (not an enclave) that verifies the enclave server with the host API
// POLICY: COLLATERAL.json ROOT.pem [--mrenclave HEX] [--mrsigner HEX] [--production] [--no-debug]
#include "attestedtls_u.h"

#include <ccbox/host.hpp>
#include <ccbox/tls.h>
#include <ccbox/verifier.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

std::vector<uint8_t> read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<uint8_t> unhex(const std::string& s) {
    if (s.size() != 64)
        throw std::runtime_error("expected 64 hex digits, got '" + s + "'");
    std::vector<uint8_t> out(32);
    for (size_t i = 0; i < 32; ++i)
        out[i] = static_cast<uint8_t>(std::stoul(s.substr(2 * i, 2), nullptr, 16));
    return out;
}

std::string hex(const uint8_t* p, size_t n) {
    std::string s;
    char b[3];
    for (size_t i = 0; i < n; ++i) {
        std::snprintf(b, sizeof b, "%02x", p[i]);
        s += b;
    }
    return s;
}

struct Policy {
    std::vector<uint8_t> collateral, root;
    std::vector<uint8_t> mrenclave = std::vector<uint8_t>(32), mrsigner = std::vector<uint8_t>(32);
    bool production = false, no_debug = false;
    std::vector<ccbox_policy_t> policies;
    std::string reason;
};

Policy parse_policy(const std::vector<std::string>& a, size_t i) {
    if (a.size() < i + 2)
        throw std::runtime_error("expected COLLATERAL.json ROOT.pem");
    Policy p;
    p.collateral = read_all(a[i]);
    p.root = read_all(a[i + 1]);
    for (i += 2; i < a.size(); ++i) {
        if (a[i] == "--mrenclave" && i + 1 < a.size())
            p.mrenclave = unhex(a[++i]);
        else if (a[i] == "--mrsigner" && i + 1 < a.size())
            p.mrsigner = unhex(a[++i]);
        else if (a[i] == "--production")
            p.production = true;
        else if (a[i] == "--no-debug")
            p.no_debug = true;
        else
            throw std::runtime_error("unknown option " + a[i]);
    }
    p.policies.push_back({CCBOX_POLICY_TRUSTED_ROOTS, p.root.data(), p.root.size()});
    if (p.production)
        p.policies.push_back({CCBOX_POLICY_REQUIRE_PRODUCTION, nullptr, 0});
    if (p.no_debug)
        p.policies.push_back({CCBOX_POLICY_REFUSE_DEBUG, nullptr, 0});
    return p;
}

void set_policy(const ccbox::Enclave& enclave, const Policy& p) {
    const int status = enclave.call_returning<int>(set_peer_policy, p.collateral.data(), p.collateral.size(),
                                                   p.root.data(), p.root.size(), p.mrenclave.data(),
                                                   p.mrsigner.data(), p.production ? 1 : 0, p.no_debug ? 1 : 0);
    ccbox::check(static_cast<ccbox_result_t>(status), "set_peer_policy");
}

bool zero(const std::vector<uint8_t>& v) {
    for (uint8_t b : v)
        if (b)
            return false;
    return true;
}

// The host client's decision: print the claims, demand the expected identity.
ccbox_result_t decide(ccbox_claim_t* claims, size_t n, void* arg) {
    auto* p = static_cast<Policy*>(arg);
    std::cout << "host client: peer claims:\n";
    for (size_t i = 0; i < n; ++i) {
        const std::string name = claims[i].name;
        const bool text = name == CCBOX_CLAIM_PLATFORM_MODE || name == "ccbox_tcb_status";
        if (name == CCBOX_CLAIM_CUSTOM_CLAIMS_BUFFER || name == CCBOX_CLAIM_SGX_REPORT_DATA)
            continue;
        std::cout << "  " << name << ": "
                  << (text ? std::string(reinterpret_cast<char*>(claims[i].value),
                                         strnlen(reinterpret_cast<char*>(claims[i].value), claims[i].value_size))
                           : hex(claims[i].value, claims[i].value_size))
                  << "\n";
        const std::vector<uint8_t> value(claims[i].value, claims[i].value + claims[i].value_size);
        if (name == CCBOX_CLAIM_UNIQUE_ID && !zero(p->mrenclave) && value != p->mrenclave) {
            p->reason = "MRENCLAVE " + hex(value.data(), value.size()) + " is not the expected " +
                        hex(p->mrenclave.data(), 32);
            return CCBOX_QUOTE_ENCLAVE_IDENTITY_UNIQUEID_MISMATCH;
        }
        if (name == CCBOX_CLAIM_SIGNER_ID && !zero(p->mrsigner) && value != p->mrsigner) {
            p->reason = "MRSIGNER " + hex(value.data(), value.size()) + " is not the expected " +
                        hex(p->mrsigner.data(), 32);
            return CCBOX_QUOTE_ENCLAVE_IDENTITY_VERIFICATION_FAILED;
        }
    }
    return CCBOX_OK;
}

int host_client(uint16_t port, Policy policy) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    ccbox_tls_verifier_t v{};
    v.endorsements = policy.collateral.data();
    v.endorsements_size = policy.collateral.size();
    v.policies = policy.policies.data();
    v.policies_size = policy.policies.size();
    v.callback = decide;
    v.arg = &policy;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    SSL_CTX_set_cert_verify_callback(ctx, ccbox_tls_cert_verify_callback, &v);

    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    int rc = 0;
    if (SSL_connect(ssl) != 1) {
        std::cerr << "host client: handshake failed: " << (v.result != CCBOX_OK ? v.error : "TLS error")
                  << (policy.reason.empty() ? "" : " (" + policy.reason + ")") << "\n";
        rc = 1;
    } else {
        std::cout << "host client: " << SSL_get_version(ssl) << " " << SSL_get_cipher(ssl)
                  << ", the server is the attested enclave\n";
        const std::string msg = "host client";
        char reply[1024];
        int n = 0;
        SSL_write(ssl, msg.data(), static_cast<int>(msg.size()));
        ERR_clear_error();
        if ((n = SSL_read(ssl, reply, sizeof reply - 1)) <= 0) {
            char why[256] = "closed";
            if (unsigned long e = ERR_get_error())
                ERR_error_string_n(e, why, sizeof why);
            std::cerr << "host client: the server closed the connection: " << why << "\n";
            rc = 1;
        } else {
            std::cout << "host client: reply: " << std::string(reply, static_cast<size_t>(n)) << "\n";
        }
        SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    ::close(fd);
    SSL_CTX_free(ctx);
    return rc;
}

}  // namespace

int main(int argc, const char* argv[]) {
    const std::vector<std::string> a(argv, argv + argc);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // the enclave's lines too, as they come
    std::signal(SIGPIPE, SIG_IGN);              // a peer that refuses us closes: an error, not a signal
    try {
        if (argc >= 3 && a[1] == "client")
            return host_client(static_cast<uint16_t>(std::stoul(a[2])), parse_policy(a, 3));
        if (argc >= 3) {
            const ccbox::Enclave enclave(ccbox_create_attestedtls_enclave, a[1], CCBOX_ENCLAVE_FLAG_DEBUG_AUTO);
            if (a[2] == "cert" && argc == 4) {
                std::vector<uint8_t> der(64 * 1024);
                size_t size = 0;
                const int status = enclave.call_returning<int>(get_certificate, der.data(), der.size(), &size);
                ccbox::check(static_cast<ccbox_result_t>(status), "get_certificate");
                const unsigned char* p = der.data();
                X509* cert = d2i_X509(nullptr, &p, static_cast<long>(size));
                FILE* f = cert ? std::fopen(a[3].c_str(), "w") : nullptr;
                if (!f || PEM_write_X509(f, cert) != 1)
                    throw std::runtime_error("cannot write " + a[3]);
                std::fclose(f);
                X509_free(cert);
                std::cout << "wrote the enclave's attestation certificate to " << a[3] << "\n";
                return 0;
            }
            if (a[2] == "serve" && argc >= 5) {
                const bool mutual = argc > 5 && a[5] == "--mutual";
                if (mutual)
                    set_policy(enclave, parse_policy(a, 6));
                const int status = enclave.call_returning<int>(serve, static_cast<uint16_t>(std::stoul(a[3])),
                                                               std::stoi(a[4]), mutual ? 1 : 0);
                return status == CCBOX_OK ? 0 : 1;
            }
            if (a[2] == "connect" && argc >= 4) {
                set_policy(enclave, parse_policy(a, 4));
                char reply[1024] = {};
                const int status = enclave.call_returning<int>(connect_to, static_cast<uint16_t>(std::stoul(a[3])),
                                                               "enclave client", reply, sizeof reply);
                if (status != CCBOX_OK)
                    return 1;
                std::cout << "enclave client: reply: " << reply << "\n";
                return 0;
            }
        }
    } catch (const std::exception& e) {
        std::cerr << a[0] << ": " << e.what() << "\n";
        return 1;
    }
    std::cerr << "usage: " << a[0] << " ENCLAVE cert OUT.pem | ENCLAVE serve PORT N [--mutual POLICY]\n"
              << "       " << a[0] << " ENCLAVE connect PORT POLICY | client PORT POLICY\n"
              << "POLICY: COLLATERAL.json ROOT.pem [--mrenclave HEX] [--mrsigner HEX] [--production] [--no-debug]\n";
    return 2;
}
