// ccbox's provisioning PKI, with the X.509 profiles of Intel's SGX PKI under our own names
// (docs/attestation.md, "The provisioning PKI"): ECDSA P-256 throughout; a self-signed root CA
// (CA, pathlen 1, keyCertSign|cRLSign), a PCK Platform CA (pathlen 0), a TCB signing
// certificate (digitalSignature|nonRepudiation, not a CA) and PCK certificates carrying the SGX
// extension. Each has Intel's AKI, SKI and CRL distribution point, and a 20-byte serial.
#pragma once

#include "attestation/ossl.hpp"
#include "attestation/sgx_extension.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ccbox::attestation {

// Subject naming, Intel's pattern CN, O, L, ST, C. A development PKI's O is "ccbox
// Development", which infer_root_kind() reads.
struct PkiNames {
    bool development = false;
    std::string organization() const { return development ? "ccbox Development" : "ccbox"; }
    std::string locality = "Internet";
    std::string state = "NA";
    std::string country = "ZZ";
    std::string crl_base_url = "https://localhost:8081/sgx/certification/v4";
};

enum class CertRole { kRootCa, kPckPlatformCa, kTcbSigning, kPck };

struct IssueRequest {
    CertRole role = CertRole::kPck;
    EVP_PKEY* subject_key = nullptr;  // public part used
    X509* issuer = nullptr;           // null for the self-signed root
    EVP_PKEY* issuer_key = nullptr;
    int64_t not_before = 0;
    int64_t not_after = 0;
    const SgxExtension* sgx = nullptr;  // PCK certificates only
};

// The subject CN Intel's profile gives each role, under our name ("ccbox SGX Root CA", ...).
std::string role_common_name(CertRole role);
Result<Cert> issue_certificate(const PkiNames& names, const IssueRequest& request);

struct RevokedEntry {
    std::vector<uint8_t> serial;  // big-endian
    int64_t revoked_at = 0;
};
// A v2 CRL with CRL number and AKI, as Intel's, signed ECDSA-SHA256.
Result<std::vector<uint8_t>> make_crl(X509* issuer, EVP_PKEY* issuer_key, const std::vector<RevokedEntry>& revoked,
                                      int64_t this_update, int64_t next_update, uint64_t crl_number);

// A PKCS#10 request for a PCK certificate signed by the platform's PCK key (proof of
// possession); the CA reads the SGX fields from the platform's own statement, not the CSR.
Result<std::vector<uint8_t>> make_csr(EVP_PKEY* key, const std::string& common_name);
// Parses a DER CSR and checks its self-signature; returns its public key.
Result<Pkey> verify_csr(std::span<const uint8_t> der);

std::vector<uint8_t> certificate_serial(X509* cert);
std::string private_key_pem(EVP_PKEY* key);
Result<Pkey> parse_private_key_pem(std::string_view pem, std::string_view what);

}  // namespace ccbox::attestation
