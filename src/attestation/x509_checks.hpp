// The X.509 steps the verifier shares between collateral and quote checks: issued-by,
// validity windows, CRL signatures and revocation. Internal to src/attestation.
#pragma once

#include "attestation/ossl.hpp"
#include "attestation/verifier.hpp"

#include <optional>
#include <string>

namespace ccbox::attestation::detail {

std::optional<VerifyError> check_issued_by(X509* cert, X509* issuer, const std::string& cert_name,
                                           const std::string& issuer_name);
// [notBefore, notAfter + 1s) of a certificate, [thisUpdate, nextUpdate) of a CRL.
std::optional<ValidityItem> certificate_window(X509* cert, const std::string& name);
std::optional<ValidityItem> crl_window(X509_CRL* crl, const std::string& name);
std::optional<VerifyError> check_window(const ValidityItem& item, int64_t now);
std::optional<VerifyError> check_crl_signed_by(X509_CRL* crl, X509* issuer, const std::string& crl_name,
                                               const std::string& issuer_name);
std::optional<VerifyError> check_not_revoked(X509* cert, X509_CRL* crl, const std::string& cert_name,
                                             const std::string& crl_name);
bool same_certificate(X509* a, X509* b);
bool is_ca(X509* cert);
bool is_p256(EVP_PKEY* key);

}  // namespace ccbox::attestation::detail
