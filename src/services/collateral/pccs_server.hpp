// `ccbox pccs serve`: the collateral of a ccbox PKI over HTTPS on the paths of Intel's PCS/PCCS
// v4 API, so DCAP clients configured with its URL fetch it (docs/attestation.md, "Serving"):
//   GET /sgx/certification/v4/tcb?fmspc=HEX          {"tcbInfo":…,"signature":…} + SGX-TCB-Info-Issuer-Chain
//   GET /sgx/certification/v4/qe/identity            {"enclaveIdentity":…,"signature":…} + SGX-Enclave-Identity-Issuer-Chain
//   GET /sgx/certification/v4/pckcrl?ca=platform|processor[&encoding=der]   CRL + SGX-PCK-CRL-Issuer-Chain
//   GET /sgx/certification/v4/rootcacrl              the root CA CRL, hex (as PCCS serves it)
//   GET /sgx/certification/v4/pckcert?encrypted_ppid=PPID&…   PCK certificate + SGX-PCK-Certificate-Issuer-Chain,
//       SGX-TCBm, SGX-FMSPC (ccbox has no encrypted PPID: the parameter is the plain PPID in hex)
// Trust domain: a service of the PKI owner; requests are untrusted, responses public.
#pragma once

#include "attestation/collateral.hpp"
#include "support/result.hpp"

#include <memory>
#include <string>

namespace ccbox::services {

struct PccsOptions {
    std::string collateral_path;  // from `ccbox collateral`
    std::string pck_dir;          // issued PCK certificates, PPIDHEX.pem (optional)
    std::string tls_cert, tls_key;
    std::string listen = "127.0.0.1";
    int port = 8081;  // 0: any free port
};

class PccsServer {
public:
    static Result<std::unique_ptr<PccsServer>> create(const PccsOptions& options);
    ~PccsServer();
    int port() const;
    // Serves until stop() (from another thread or a signal handler's thread).
    void run();
    void stop();

private:
    PccsServer() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ccbox::services
