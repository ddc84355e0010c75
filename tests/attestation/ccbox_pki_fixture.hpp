// A ccbox platform, its PKI and collateral, in process: what `ccbox pki init`, `ccbox platform
// provision` and `ccbox collateral` do, for tests that attack each verification step.
#pragma once

#include "attestation/pki_store.hpp"
#include "attestation/verifier.hpp"
#include "platform/platform_mode.hpp"
#include "platform/quoting/provisioning.hpp"
#include "platform/quoting/qe_model.hpp"
#include "platform/quoting/quoting_enclave.hpp"
#include "platform/report.hpp"
#include "support/file_io.hpp"
#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <algorithm>
#include <set>

namespace ccbox::attestation::testing {

inline constexpr int64_t kNow = 1780000000;  // 2026-05-28, a fixed time: tests never read the clock
inline constexpr int64_t kDay = 86400;

inline QeIdentitySettings default_qe_settings() { return quoting::model_qe_identity(); }

struct Platform {
    PlatformSecrets secrets;
    Cert pck;
    std::string chain;
};

inline PlatformSecrets make_secrets(PlatformMode mode) {
    auto s = generate_platform_secrets(cpusvn_for_mode(kDefaultCpusvn, mode));
    EXPECT_TRUE(s.ok());
    return *s;
}

inline Pki make_pki(bool development, const PlatformSecrets& model_secrets) {
    auto fields = quoting::platform_sgx_fields(model_secrets);
    EXPECT_TRUE(fields.ok());
    auto pki = Pki::create(development, kNow - 30 * kDay, 10, *fields, default_qe_settings());
    EXPECT_TRUE(pki.ok()) << pki.error().message();
    return std::move(*pki);
}

inline Platform provision(const Pki& pki, PlatformSecrets secrets) {
    Platform p{std::move(secrets), nullptr, {}};
    auto csr = quoting::pck_certificate_request(p.secrets);
    EXPECT_TRUE(csr.ok());
    auto fields = quoting::platform_sgx_fields(p.secrets);
    EXPECT_TRUE(fields.ok());
    auto cert = pki.issue_pck(*csr, *fields, kNow - 10 * kDay);
    EXPECT_TRUE(cert.ok()) << cert.error().message();
    p.pck = std::move(*cert);
    p.chain = pki.pck_chain_pem(p.pck.get());
    return p;
}

// An enclave's REPORT targeted at the QE, as EREPORT would make it.
inline sgx::Report isv_report(const PlatformSecrets& secrets, bool debug = false) {
    EnclaveKeyIdentity enclave;
    enclave.mrenclave.fill(0x5e);
    enclave.mrsigner.fill(0x51);
    enclave.isvprodid = 7;
    enclave.isvsvn = 3;
    enclave.attributes.flags = sgx::attr::kInit | sgx::attr::kMode64Bit | (debug ? sgx::attr::kDebug : 0);
    enclave.attributes.xfrm = 3;
    uint8_t data[64] = {};
    std::memcpy(data, "ccbox quote test", 16);
    auto report = make_report(secrets, enclave, quoting::qe_target_info(), std::span(data));
    EXPECT_TRUE(report.ok());
    return *report;
}

inline std::vector<uint8_t> quote_of(const Platform& p, bool debug = false) {
    auto q = quoting::make_quote(p.secrets, isv_report(p.secrets, debug), p.chain);
    EXPECT_TRUE(q.ok()) << q.error().message();
    return *q;
}

inline std::vector<TrustedRoot> roots_of(const Pki& pki) {
    std::vector<TrustedRoot> roots;
    roots.push_back({Cert(X509_dup(pki.root())), infer_root_kind(pki.root())});
    return roots;
}

inline CollateralBundle collateral_of(Pki& pki) {
    auto b = pki.collateral(kNow - kDay, kNow + 29 * kDay);
    EXPECT_TRUE(b.ok()) << b.error().message();
    return *b;
}

}  // namespace ccbox::attestation::testing
