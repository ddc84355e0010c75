// Attestation certificates made in process (the fixture's platform and PKI, quotes with any
// REPORTDATA and identity), for tests that attack ccbox_verify_attestation_certificate_with_evidence.
#pragma once

#include "../attestation/ccbox_pki_fixture.hpp"

#include "attestation/attested_cert.hpp"
#include "attestation/evidence_format.hpp"
#include "support/sha256.hpp"

#include <ccbox/verifier.h>

#include <openssl/pem.h>

#include <string>
#include <vector>

namespace ccbox::attestation::testing {

struct Identity {
    uint8_t mrenclave = 0x5e;  // every byte
    uint8_t mrsigner = 0x51;
    bool debug = false;
};

inline std::vector<uint8_t> quote_binding(const Platform& p, std::span<const uint8_t> bound, Identity id = {}) {
    EnclaveKeyIdentity enclave;
    enclave.mrenclave.fill(id.mrenclave);
    enclave.mrsigner.fill(id.mrsigner);
    enclave.isvprodid = 9;
    enclave.isvsvn = 1;
    enclave.attributes.flags = sgx::attr::kInit | sgx::attr::kMode64Bit | (id.debug ? sgx::attr::kDebug : 0);
    enclave.attributes.xfrm = 3;
    uint8_t data[64] = {};
    const Digest256 h = sha256(bound);
    std::memcpy(data, h.data(), 32);
    auto report = make_report(p.secrets, enclave, quoting::qe_target_info(), std::span(data));
    EXPECT_TRUE(report.ok());
    auto q = quoting::make_quote(p.secrets, *report, p.chain);
    EXPECT_TRUE(q.ok());
    return *q;
}

inline Pkey new_key() {
    auto k = p256_generate();
    EXPECT_TRUE(k.ok());
    return std::move(*k);
}

inline std::vector<uint8_t> spki_of(EVP_PKEY* key) {
    auto d = spki_der(key);
    EXPECT_TRUE(d.ok());
    return *d;
}

// OE-form evidence: format id ‖ quote ‖ custom claims.
inline std::vector<uint8_t> oe_evidence(const std::vector<uint8_t>& quote, std::span<const uint8_t> claims) {
    std::vector<uint8_t> e(kFormatSgxEcdsa.begin(), kFormatSgxEcdsa.end());
    e.insert(e.end(), quote.begin(), quote.end());
    e.insert(e.end(), claims.begin(), claims.end());
    return e;
}

inline std::vector<uint8_t> cert_with(EVP_PKEY* key, std::string_view oid, std::span<const uint8_t> evidence,
                                      std::string_view subject = "CN=enclave,O=ccbox test,C=ZZ") {
    auto der = make_attestation_certificate(subject, key, oid, evidence);
    EXPECT_TRUE(der.ok()) << der.error().message();
    return *der;
}

// A platform, its PKI, collateral (JSON) and root (PEM), production or development.
struct AtlsWorld {
    explicit AtlsWorld(PlatformMode mode = PlatformMode::kProduction)
        : pki(make_pki(mode == PlatformMode::kDevelopment, make_secrets(mode))), platform(provision(pki, make_secrets(mode))),
          collateral(collateral_bundle_json(collateral_of(pki))), root(certificate_pem(pki.root())) {}

    // The certificate an enclave with `id` makes for `key`.
    std::vector<uint8_t> good_cert(EVP_PKEY* key, Identity id = {}) {
        const auto spki = spki_of(key);
        return cert_with(key, kOidOeEvidence, oe_evidence(quote_binding(platform, spki, id), spki));
    }

    struct Outcome {
        ccbox_result_t result;
        std::string error;
    };
    Outcome verify(std::span<const uint8_t> der, std::vector<ccbox_policy_t> extra = {},
                   ccbox_verify_claims_callback_t cb = nullptr, void* arg = nullptr, int64_t at = kNow) {
        std::vector<ccbox_policy_t> policies = {{CCBOX_POLICY_TRUSTED_ROOTS, root.data(), root.size()},
                                                {CCBOX_POLICY_VERIFICATION_TIME, &at_, sizeof at_}};
        at_ = at;
        policies.insert(policies.end(), extra.begin(), extra.end());
        const ccbox_result_t r = ccbox_verify_attestation_certificate_with_evidence(
            der.data(), der.size(), reinterpret_cast<const uint8_t*>(collateral.data()), collateral.size(),
            policies.data(), policies.size(), cb, arg);
        return {r, ccbox_verifier_last_error()};
    }

    Pki pki;
    Platform platform;
    std::string collateral;
    std::string root;
    int64_t at_ = kNow;
};

inline std::string pem_public(EVP_PKEY* key) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PUBKEY(bio.get(), key);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
}

}  // namespace ccbox::attestation::testing
