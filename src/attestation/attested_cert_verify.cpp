// ccbox_verify_attestation_certificate_with_evidence (docs/attested-tls.md): the certificate's
// self-signature, its evidence through the one evidence verifier (evidence_verify.cpp), the key
// binding, then the caller's decision. Built for the host and for enclaves.
#include <ccbox/verifier.h>

#include "attestation/attested_cert.hpp"
#include "attestation/evidence_verify.hpp"
#include "attestation/verify_failure.hpp"

#include <openssl/x509.h>

#include <cstring>

using namespace ccbox;
using namespace ccbox::attestation;

namespace {

ccbox_result_t fail(Failure f, const std::string& message) {
    set_verifier_last_error(std::string(failure_id(f)) + ": " + message);
    return failure_result(f);
}

Failure parse_failure(ccbox_result_t code) {
    switch (code) {
    case CCBOX_NOT_FOUND: return Failure::kEvidenceExtensionMissing;
    case CCBOX_INVALID_SGX_CERTIFICATE_EXTENSIONS:
    case CCBOX_UNSUPPORTED: return Failure::kEvidenceExtensionMalformed;
    default: return Failure::kAttestationCertificateMalformed;
    }
}

}  // namespace

extern "C" ccbox_result_t ccbox_verify_attestation_certificate_with_evidence(
    const uint8_t* der, size_t der_size, const uint8_t* endorsements, size_t endorsements_size,
    const ccbox_policy_t* policies, size_t policies_size, ccbox_verify_claims_callback_t callback, void* arg) {
    set_verifier_last_error("");
    if (!der || !der_size || (policies_size && !policies) || (endorsements_size && !endorsements)) {
        set_verifier_last_error("ccbox_verify_attestation_certificate_with_evidence: a required argument is NULL");
        return CCBOX_INVALID_PARAMETER;
    }
    auto parsed = parse_attestation_certificate(std::span(der, der_size));
    if (!parsed) {
        const Failure f = parse_failure(parsed.error().code());
        return fail(f, parsed.error().message());
    }
    AttestationCertificate& cert = *parsed;
    // The certificate is signed by its own key: whoever made it holds the private key.
    if (X509_verify(cert.cert.get(), X509_get0_pubkey(cert.cert.get())) != 1)
        return fail(Failure::kCertificateSignatureInvalid,
                    "attestation certificate: its signature does not verify with its own public key");

    // Evidence = quote ‖ what REPORTDATA must bind. Open Enclave's form carries that (the key)
    // as custom claims; the TCG DICE form binds the SPKI DER directly.
    const EvidenceExtension& ev = cert.evidence;
    std::vector<uint8_t> evidence = ev.quote;
    const std::vector<uint8_t>& bound = ev.encoding == EvidenceEncoding::kTcgDice ? cert.spki : ev.custom_claims;
    evidence.insert(evidence.end(), bound.begin(), bound.end());
    auto v = verify_evidence(ev.format, evidence, std::span(endorsements, endorsements ? endorsements_size : 0),
                             std::span(policies, policies_size));
    if (v.code != CCBOX_OK) {
        if (v.binding_mismatch)
            return fail(Failure::kKeyNotBound, "evidence under " + ev.oid +
                                                   ": REPORTDATA[0..32) is not the SHA-256 of the key it binds");
        set_verifier_last_error(v.error);
        return v.code;
    }
    if (ev.encoding == EvidenceEncoding::kOeEvidence && !custom_claims_bind_key(ev.custom_claims, cert.spki))
        return fail(Failure::kKeyNotBound,
                    "the evidence under " + ev.oid +
                        " binds another key: its custom claims are not the certificate's SubjectPublicKeyInfo");

    if (!callback)
        return CCBOX_OK;
    ccbox_claim_t* claims = c_claims(v.claims);
    if (!claims) {
        set_verifier_last_error("out of memory");
        return CCBOX_OUT_OF_MEMORY;
    }
    const ccbox_result_t decision = callback(claims, v.claims.size(), arg);
    ccbox_free_claims(claims, v.claims.size());
    if (decision != CCBOX_OK) {
        set_verifier_last_error(std::string(failure_id(Failure::kClaimsRefused)) +
                                ": the claims callback refused the peer (" + ccbox_result_str(decision) + ")");
        return decision;
    }
    return CCBOX_OK;
}
