// Attestation certificates (docs/attested-tls.md): a self-signed X.509 certificate whose
// extension carries the enclave's evidence, the certificate's key bound through REPORTDATA.
// Only libcrypto and the C++ library: this is built for the host (ccbox::attestation) and for
// enclaves (ccbox_enclave_attestation), one piece of code on both sides.
#pragma once

#include "attestation/ossl.hpp"
#include "support/result.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ccbox::attestation {

// Open Enclave's evidence OIDs (include/openenclave/internal/evidence.h): the content is OE
// evidence with its format id embedded (oe_get_attestation_certificate_with_evidence_v2).
inline constexpr std::string_view kOidOeEvidence = "1.3.6.1.4.1.311.105.2";        // emitted
inline constexpr std::string_view kOidOeEvidenceLegacy = "1.2.840.113556.10.1.2";  // accepted
// Open Enclave's quote OIDs: the content is an OE report (oe_generate_attestation_certificate,
// the pre-evidence API), which is not a ccbox format; recognised so that the error says so.
inline constexpr std::string_view kOidOeReport = "1.3.6.1.4.1.311.105.1";
inline constexpr std::string_view kOidOeReportLegacy = "1.2.840.113556.10.1.1";
// TCG DICE conceptual-message-wrapper (tagged evidence), as RA-TLS uses it: a CBOR tag naming
// the evidence type over the evidence. Accepted: tag 0x1a7501 (Intel TEE quote) over a byte
// string holding a DCAP quote, REPORTDATA[0..32) = SHA-256(SubjectPublicKeyInfo DER).
inline constexpr std::string_view kOidTcgDiceTaggedEvidence = "2.23.133.5.4.9";
inline constexpr uint64_t kCborTagIntelTeeQuote = 0x1a7501;

inline constexpr size_t kMaxEvidenceExtension = 64 * 1024;

enum class EvidenceEncoding {
    kOeEvidence,  // format id ‖ quote ‖ custom claims; custom claims = the key (SPKI DER or PEM)
    kTcgDice,     // the quote alone; REPORTDATA binds SHA-256 of the SPKI DER
};

struct EvidenceExtension {
    std::string oid;
    EvidenceEncoding encoding = EvidenceEncoding::kOeEvidence;
    std::array<uint8_t, 16> format{};     // kOeEvidence: the embedded format id
    std::vector<uint8_t> quote;           // the DCAP quote, exactly its own length
    std::vector<uint8_t> custom_claims;   // kOeEvidence: what follows the quote
};

// Parses the content of an evidence extension (the bytes inside extnValue) found under `oid`.
// Every length is checked against what is left; errors name the OID and the field.
Result<EvidenceExtension> parse_evidence_extension(std::string_view oid, std::span<const uint8_t> value);

// A parsed attestation certificate: the certificate, its key's SubjectPublicKeyInfo (DER) and
// the one evidence extension it carries. Refuses DER with trailing bytes, a certificate that is
// not self-issued, no evidence extension, or more than one.
struct AttestationCertificate {
    Cert cert;
    std::vector<uint8_t> spki;
    EvidenceExtension evidence;
};
Result<AttestationCertificate> parse_attestation_certificate(std::span<const uint8_t> der);

// Does the key the evidence binds (custom claims: SPKI DER, or a PEM public key as Open Enclave
// binds it, NUL-terminated or not) equal `spki`?
bool custom_claims_bind_key(std::span<const uint8_t> custom_claims, std::span<const uint8_t> spki);

// The SubjectPublicKeyInfo DER of a key.
Result<std::vector<uint8_t>> spki_der(EVP_PKEY* key);
// A key from PEM text (a public key, or a private key when `private_key`); `what` names it.
Result<Pkey> parse_pem_key(std::span<const uint8_t> pem, bool private_key, std::string_view what);

// A self-signed v3 certificate for `subject` ("CN=...,O=...,C=..."), key `key` (signs it and is
// its subject key), carrying `evidence` under `oid` (not critical: TLS libraries refuse unknown
// critical extensions, as the RA-TLS interoperability note observes). Fixed validity
// 2019-05-01 to 2050-12-31 as Open Enclave's: freshness is the evidence's, not the clock's.
Result<std::vector<uint8_t>> make_attestation_certificate(std::string_view subject, EVP_PKEY* key,
                                                          std::string_view oid, std::span<const uint8_t> evidence);

}  // namespace ccbox::attestation
