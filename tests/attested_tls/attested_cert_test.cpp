// Attestation certificates: what verifies, every refusal of issue 12's scope 4 with its named
// reason, certificates altered outside the enclave (acceptance 4), and malformed certificates
// and extensions (acceptance 5).
#include "atls_fixture.hpp"

#include <openssl/x509v3.h>

namespace ccbox::attestation {
namespace {

using namespace testing;

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

struct Seen {
    std::vector<uint8_t> unique_id, signer_id, custom;
    uint8_t expect_mrenclave = 0x5e, expect_mrsigner = 0x51;
};

ccbox_result_t remember(ccbox_claim_t* claims, size_t n, void* arg) {
    auto* s = static_cast<Seen*>(arg);
    for (size_t i = 0; i < n; ++i) {
        const std::vector<uint8_t> v(claims[i].value, claims[i].value + claims[i].value_size);
        const std::string name = claims[i].name;
        if (name == CCBOX_CLAIM_UNIQUE_ID)
            s->unique_id = v;
        if (name == CCBOX_CLAIM_SIGNER_ID)
            s->signer_id = v;
        if (name == CCBOX_CLAIM_CUSTOM_CLAIMS_BUFFER)
            s->custom = v;
    }
    if (s->unique_id != std::vector<uint8_t>(32, s->expect_mrenclave))
        return CCBOX_QUOTE_ENCLAVE_IDENTITY_UNIQUEID_MISMATCH;
    if (s->signer_id != std::vector<uint8_t>(32, s->expect_mrsigner))
        return CCBOX_QUOTE_ENCLAVE_IDENTITY_VERIFICATION_FAILED;
    return CCBOX_OK;
}

class AttestedCert : public ::testing::Test {
protected:
    AtlsWorld world;
    Pkey key = new_key();
};

TEST_F(AttestedCert, VerifiesAndHandsTheClaimsToTheCallback) {
    const auto der = world.good_cert(key.get());
    Seen seen;
    auto out = world.verify(der, {}, remember, &seen);
    ASSERT_EQ(out.result, CCBOX_OK) << out.error;
    EXPECT_EQ(seen.unique_id, std::vector<uint8_t>(32, 0x5e));
    EXPECT_EQ(seen.custom, spki_of(key.get()));  // the bound key is the SPKI DER
    EXPECT_EQ(world.verify(der).result, CCBOX_OK);  // no callback: any identity
}

TEST_F(AttestedCert, MismatchedMrenclaveIsRefusedByTheCallback) {
    const auto der = world.good_cert(key.get(), {.mrenclave = 0x77});
    Seen seen;
    auto out = world.verify(der, {}, remember, &seen);
    EXPECT_EQ(out.result, CCBOX_QUOTE_ENCLAVE_IDENTITY_UNIQUEID_MISMATCH);
    EXPECT_TRUE(has(out.error, "claims_refused")) << out.error;
}

TEST_F(AttestedCert, MismatchedMrsignerIsRefusedByTheCallback) {
    const auto der = world.good_cert(key.get(), {.mrsigner = 0x99});
    Seen seen;
    auto out = world.verify(der, {}, remember, &seen);
    EXPECT_EQ(out.result, CCBOX_QUOTE_ENCLAVE_IDENTITY_VERIFICATION_FAILED);
    EXPECT_TRUE(has(out.error, "claims_refused")) << out.error;
}

TEST_F(AttestedCert, DebugEnclaveUnderAProductionPolicy) {
    const auto der = world.good_cert(key.get(), {.debug = true});
    EXPECT_EQ(world.verify(der).result, CCBOX_OK);
    auto out = world.verify(der, {{CCBOX_POLICY_REFUSE_DEBUG, nullptr, 0}});
    EXPECT_EQ(out.result, CCBOX_DEBUG_DOWNGRADE);
    EXPECT_TRUE(has(out.error, "policy_debug_enclave")) << out.error;
}

TEST_F(AttestedCert, DevelopmentPlatformUnderAProductionPolicy) {
    AtlsWorld dev(PlatformMode::kDevelopment);
    const auto der = dev.good_cert(key.get());
    EXPECT_EQ(dev.verify(der).result, CCBOX_OK);
    auto out = dev.verify(der, {{CCBOX_POLICY_REQUIRE_PRODUCTION, nullptr, 0}});
    EXPECT_EQ(out.result, CCBOX_CONSTRAINT_FAILED);
    EXPECT_TRUE(has(out.error, "policy_development_platform")) << out.error;
}

TEST_F(AttestedCert, ExpiredCollateral) {
    const auto der = world.good_cert(key.get());
    auto out = world.verify(der, {}, nullptr, nullptr, kNow + 60 * kDay);
    EXPECT_NE(out.result, CCBOX_OK);
    EXPECT_TRUE(has(out.error, "expired")) << out.error;
}

TEST_F(AttestedCert, AnotherRootIsRefused) {
    const auto der = world.good_cert(key.get());
    AtlsWorld other;
    world.root = other.root;
    auto out = world.verify(der);
    EXPECT_NE(out.result, CCBOX_OK);
    EXPECT_TRUE(has(out.error, "root_untrusted") || has(out.error, "certificate_chain_invalid")) << out.error;
}

// The evidence binds one key, the certificate carries another (both made "by the enclave").
TEST_F(AttestedCert, KeyNotBoundByTheEvidence) {
    Pkey other = new_key();
    const auto other_spki = spki_of(other.get());
    const auto der = cert_with(key.get(), kOidOeEvidence,
                               oe_evidence(quote_binding(world.platform, other_spki), other_spki));
    auto out = world.verify(der);
    EXPECT_EQ(out.result, CCBOX_QUOTE_HASH_MISMATCH);
    EXPECT_TRUE(has(out.error, "key_not_bound")) << out.error;
}

// Custom claims claim the certificate's key, but REPORTDATA was made for another.
TEST_F(AttestedCert, ReportDataNotBindingTheClaimedKey) {
    Pkey other = new_key();
    const auto spki = spki_of(key.get());
    const auto der = cert_with(key.get(), kOidOeEvidence,
                               oe_evidence(quote_binding(world.platform, spki_of(other.get())), spki));
    auto out = world.verify(der);
    EXPECT_EQ(out.result, CCBOX_QUOTE_HASH_MISMATCH);
    EXPECT_TRUE(has(out.error, "key_not_bound")) << out.error;
}

// ---- acceptance 4: a certificate the enclave made, altered outside it ----

std::vector<uint8_t> extension_value(std::span<const uint8_t> der, std::string_view oid) {
    auto cert = parse_der_certificate(der, "cert");
    EXPECT_TRUE(cert.ok());
    for (int i = 0; i < X509_get_ext_count(cert->get()); ++i) {
        X509_EXTENSION* ext = X509_get_ext(cert->get(), i);
        char text[80];
        OBJ_obj2txt(text, sizeof text, X509_EXTENSION_get_object(ext), 1);
        if (oid == text) {
            const ASN1_OCTET_STRING* d = X509_EXTENSION_get_data(ext);
            return {ASN1_STRING_get0_data(d), ASN1_STRING_get0_data(d) + ASN1_STRING_length(d)};
        }
    }
    return {};
}

TEST_F(AttestedCert, NewKeyWithTheOldExtensionIsRefused) {
    const auto good = world.good_cert(key.get());
    const auto ext = extension_value(good, kOidOeEvidence);
    ASSERT_FALSE(ext.empty());
    Pkey attacker = new_key();
    const auto forged = cert_with(attacker.get(), kOidOeEvidence, ext);
    auto out = world.verify(forged);
    EXPECT_EQ(out.result, CCBOX_QUOTE_HASH_MISMATCH);
    EXPECT_TRUE(has(out.error, "key_not_bound")) << out.error;
}

TEST_F(AttestedCert, ExtensionMovedToAnotherCertificateIsRefused) {
    const auto good = world.good_cert(key.get());
    const auto ext = extension_value(good, kOidOeEvidence);
    Pkey other = new_key();
    // Another certificate, its own subject and key, under the legacy OID and the current one.
    for (std::string_view oid : {kOidOeEvidence, kOidOeEvidenceLegacy}) {
        const auto moved = cert_with(other.get(), oid, ext, "CN=www.example.com,O=someone else,C=US");
        auto out = world.verify(moved);
        EXPECT_EQ(out.result, CCBOX_QUOTE_HASH_MISMATCH) << oid;
        EXPECT_TRUE(has(out.error, "key_not_bound")) << out.error;
    }
}

TEST_F(AttestedCert, KeySwappedWithoutTheEnclavesSignatureIsRefused) {
    // Replace the subject key's bytes in the signed certificate (P-256 SPKIs have one length).
    auto der = world.good_cert(key.get());
    const auto spki = spki_of(key.get());
    Pkey attacker = new_key();
    const auto attacker_spki = spki_of(attacker.get());
    ASSERT_EQ(spki.size(), attacker_spki.size());
    auto at = std::search(der.begin(), der.end(), spki.begin(), spki.end());
    ASSERT_NE(at, der.end());
    std::copy(attacker_spki.begin(), attacker_spki.end(), at);
    auto out = world.verify(der);
    EXPECT_EQ(out.result, CCBOX_INVALID_SIGNATURE);
    EXPECT_TRUE(has(out.error, "certificate_signature_invalid")) << out.error;
}

TEST_F(AttestedCert, ChangedEvidenceByteBreaksTheSelfSignature) {
    auto der = world.good_cert(key.get());
    const auto ext = extension_value(der, kOidOeEvidence);
    // Find the quote's MRENCLAVE inside the DER and change it.
    const std::vector<uint8_t> mr(32, 0x5e);
    auto at = std::search(der.begin(), der.end(), mr.begin(), mr.end());
    ASSERT_NE(at, der.end());
    *at ^= 1;
    auto out = world.verify(der);
    EXPECT_EQ(out.result, CCBOX_INVALID_SIGNATURE);
    EXPECT_TRUE(has(out.error, "certificate_signature_invalid")) << out.error;
}

// ---- other encodings of the binding ----

TEST_F(AttestedCert, OpenEnclavesPemBindingVerifies) {
    // OE binds the PEM text of the key, with its NUL, as its callers pass it.
    std::string pem = pem_public(key.get());
    std::vector<uint8_t> claims(pem.begin(), pem.end());
    claims.push_back(0);
    const auto der = cert_with(key.get(), kOidOeEvidenceLegacy, oe_evidence(quote_binding(world.platform, claims), claims));
    auto out = world.verify(der);
    EXPECT_EQ(out.result, CCBOX_OK) << out.error;
    // ... and the PEM of another key does not.
    Pkey other = new_key();
    pem = pem_public(other.get());
    claims.assign(pem.begin(), pem.end());
    const auto bad = cert_with(key.get(), kOidOeEvidence, oe_evidence(quote_binding(world.platform, claims), claims));
    EXPECT_TRUE(has(world.verify(bad).error, "key_not_bound"));
}

std::vector<uint8_t> dice(const std::vector<uint8_t>& quote, uint64_t tag = kCborTagIntelTeeQuote, long extra = 0) {
    std::vector<uint8_t> v = {0xda, static_cast<uint8_t>(tag >> 24), static_cast<uint8_t>(tag >> 16),
                              static_cast<uint8_t>(tag >> 8), static_cast<uint8_t>(tag)};
    const uint32_t n = static_cast<uint32_t>(static_cast<long>(quote.size()) + extra);
    v.push_back(0x5a);  // (one byte at a time: gcc 12 -O2 misreads an initializer-list insert here)
    for (int shift = 24; shift >= 0; shift -= 8)
        v.push_back(static_cast<uint8_t>(n >> shift));
    v.insert(v.end(), quote.begin(), quote.end());
    return v;
}

TEST_F(AttestedCert, TcgDiceTaggedEvidenceVerifies) {
    const auto spki = spki_of(key.get());
    const auto q = quote_binding(world.platform, spki);
    auto out = world.verify(cert_with(key.get(), kOidTcgDiceTaggedEvidence, dice(q)));
    EXPECT_EQ(out.result, CCBOX_OK) << out.error;
    Pkey other = new_key();
    out = world.verify(cert_with(other.get(), kOidTcgDiceTaggedEvidence, dice(q)));
    EXPECT_TRUE(has(out.error, "key_not_bound")) << out.error;
}

// ---- acceptance 5: malformed certificates and extensions ----

TEST_F(AttestedCert, MalformedCertificatesAreRefusedWithClearErrors) {
    auto good = world.good_cert(key.get());
    auto out = world.verify(std::vector<uint8_t>{0x30, 0x03, 0x02, 0x01, 0x01});
    EXPECT_TRUE(has(out.error, "attestation_certificate_malformed: attestation certificate: not a DER X.509"))
        << out.error;
    auto trailing = good;
    trailing.push_back(0);
    EXPECT_TRUE(has(world.verify(trailing).error, "not a DER X.509 certificate"));
    auto truncated = std::vector<uint8_t>(good.begin(), good.end() - 10);
    EXPECT_TRUE(has(world.verify(truncated).error, "attestation_certificate_malformed"));
    EXPECT_EQ(ccbox_verify_attestation_certificate_with_evidence(nullptr, 0, nullptr, 0, nullptr, 0, nullptr, nullptr),
              CCBOX_INVALID_PARAMETER);

    // An ordinary self-signed certificate: no evidence.
    std::vector<uint8_t> plain = cert_with(key.get(), "1.2.3.4", std::vector<uint8_t>{1, 2, 3});
    out = world.verify(plain);
    EXPECT_EQ(out.result, CCBOX_NOT_FOUND);
    EXPECT_TRUE(has(out.error, "evidence_extension_missing")) << out.error;
}

TEST_F(AttestedCert, TwoEvidenceExtensionsAreRefused) {
    const auto spki = spki_of(key.get());
    const auto ev = oe_evidence(quote_binding(world.platform, spki), spki);
    auto cert = parse_der_certificate(cert_with(key.get(), kOidOeEvidence, ev), "cert");
    ASSERT_TRUE(cert.ok());
    ASN1_OBJECT* obj = OBJ_txt2obj(std::string(kOidOeEvidenceLegacy).c_str(), 1);
    ASN1_OCTET_STRING* data = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(data, ev.data(), static_cast<int>(ev.size()));
    X509_EXTENSION* ext = X509_EXTENSION_create_by_OBJ(nullptr, obj, 0, data);
    X509_add_ext(cert->get(), ext, -1);
    X509_sign(cert->get(), key.get(), EVP_sha256());
    X509_EXTENSION_free(ext);
    ASN1_OCTET_STRING_free(data);
    ASN1_OBJECT_free(obj);
    auto out = world.verify(certificate_der(cert->get()));
    EXPECT_TRUE(has(out.error, "more than one evidence extension")) << out.error;
}

struct BadExtension {
    std::string_view oid;
    std::vector<uint8_t> value;
    std::string expect;
};

TEST_F(AttestedCert, MalformedExtensionsAreRefusedWithClearErrors) {
    const auto spki = spki_of(key.get());
    const auto q = quote_binding(world.platform, spki);
    auto wrong_format = oe_evidence(q, spki);
    wrong_format[0] ^= 1;
    auto local = oe_evidence(q, spki);
    std::copy(kFormatSgxLocalAttestation.begin(), kFormatSgxLocalAttestation.end(), local.begin());
    auto long_sig = oe_evidence(q, spki);
    long_sig[16 + kQuoteSignedSize] = 0xff;  // signature_data_len runs past the end
    long_sig[16 + kQuoteSignedSize + 1] = 0xff;
    const std::vector<BadExtension> cases = {
        {kOidOeEvidence, {1, 2, 3}, "too short for the embedded 16-byte format id"},
        {kOidOeEvidence, wrong_format, "format id is not CCBOX_FORMAT_UUID_SGX_ECDSA"},
        {kOidOeEvidence, local, "local-attestation evidence"},
        {kOidOeEvidence, oe_evidence(std::vector<uint8_t>(q.begin(), q.begin() + 100), {}), "shorter than a quote"},
        {kOidOeEvidence, long_sig, "signature_data_len"},
        {kOidOeEvidence, oe_evidence(q, {}), "no custom claims after the quote"},
        {kOidOeReport, q, "an Open Enclave report"},
        {kOidOeReportLegacy, q, "an Open Enclave report"},
        {kOidTcgDiceTaggedEvidence, dice(q, 1234), "is not an Intel TEE quote"},
        {kOidTcgDiceTaggedEvidence, dice(q, kCborTagIntelTeeQuote, 5), "byte string of"},
        {kOidTcgDiceTaggedEvidence, {0x5a, 0, 0, 0, 1, 0}, "expected a tag"},
        {kOidTcgDiceTaggedEvidence, {0xdf}, "indefinite or reserved"},
        {kOidTcgDiceTaggedEvidence, {0xda, 0x00}, "CBOR: truncated"},
    };
    for (const auto& c : cases) {
        const auto der = cert_with(key.get(), c.oid, c.value);
        auto out = world.verify(der);
        EXPECT_NE(out.result, CCBOX_OK) << c.expect;
        EXPECT_TRUE(has(out.error, "evidence_extension_malformed")) << out.error;
        EXPECT_TRUE(has(out.error, c.expect)) << out.error;
        EXPECT_TRUE(has(out.error, std::string(c.oid))) << out.error;  // the error names the OID
    }
    // A quote with trailing bytes under DICE.
    auto trailing = q;
    trailing.push_back(0);
    auto out = world.verify(cert_with(key.get(), kOidTcgDiceTaggedEvidence, dice(trailing)));
    EXPECT_TRUE(has(out.error, "trailing bytes")) << out.error;
}

TEST_F(AttestedCert, CertificateBuilderRefusesBadSubjects) {
    for (const char* s : {"", "CN", "=x", "CN=", "NOPE=x"}) {
        auto der = make_attestation_certificate(s, key.get(), kOidOeEvidence, std::vector<uint8_t>{1});
        EXPECT_FALSE(der.ok()) << s;
        if (!der.ok()) {
            EXPECT_TRUE(has(der.error().message(), "subject")) << der.error().message();
        }
    }
}

}  // namespace
}  // namespace ccbox::attestation
