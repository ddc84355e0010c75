#include "attestation/x509_checks.hpp"

#include "attestation/collateral.hpp"

#include <algorithm>
#include <openssl/x509v3.h>

namespace ccbox::attestation::detail {

std::optional<VerifyError> check_issued_by(X509* cert, X509* issuer, const std::string& cert_name,
                                           const std::string& issuer_name) {
    if (X509_NAME_cmp(X509_get_issuer_name(cert), X509_get_subject_name(issuer)) != 0)
        return VerifyError{Failure::kCertificateChainInvalid,
                           cert_name + ": issuer \"" + name_line(X509_get_issuer_name(cert)) + "\" is not the " +
                               issuer_name + " \"" + name_line(X509_get_subject_name(issuer)) + "\""};
    if (!is_ca(issuer))
        return VerifyError{Failure::kCertificateChainInvalid, issuer_name + " is not a CA certificate"};
    EVP_PKEY* key = X509_get0_pubkey(issuer);
    if (!key || X509_verify(cert, key) != 1)
        return VerifyError{Failure::kCertificateChainInvalid,
                           cert_name + ": signature does not verify with the " + issuer_name + "'s key"};
    return std::nullopt;
}

std::optional<ValidityItem> certificate_window(X509* cert, const std::string& name) {
    auto from = asn1_time_seconds(X509_get0_notBefore(cert), name + " notBefore");
    auto until = asn1_time_seconds(X509_get0_notAfter(cert), name + " notAfter");
    if (!from || !until)
        return std::nullopt;
    return ValidityItem{name, Failure::kCertificateExpired, *from, *until + 1};
}

std::optional<ValidityItem> crl_window(X509_CRL* crl, const std::string& name) {
    auto from = asn1_time_seconds(X509_CRL_get0_lastUpdate(crl), name + " thisUpdate");
    const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl);
    if (!from || !next)
        return std::nullopt;
    auto until = asn1_time_seconds(next, name + " nextUpdate");
    if (!until)
        return std::nullopt;
    return ValidityItem{name, Failure::kCrlExpired, *from, *until};
}

std::optional<VerifyError> check_window(const ValidityItem& item, int64_t now) {
    if (now < item.not_before)
        return VerifyError{item.expiry, item.name + " is not valid before " + format_utc_time(item.not_before) +
                                            " (verification time " + format_utc_time(now) + ")"};
    if (now >= item.not_after)
        return VerifyError{item.expiry, item.name + " expired at " + format_utc_time(item.not_after) +
                                            " (verification time " + format_utc_time(now) + ")"};
    return std::nullopt;
}

std::optional<VerifyError> check_crl_signed_by(X509_CRL* crl, X509* issuer, const std::string& crl_name,
                                               const std::string& issuer_name) {
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)) != 0)
        return VerifyError{Failure::kCrlMissing, crl_name + ": issuer \"" + name_line(X509_CRL_get_issuer(crl)) +
                                                     "\" is not the " + issuer_name + " \"" +
                                                     name_line(X509_get_subject_name(issuer)) + "\""};
    EVP_PKEY* key = X509_get0_pubkey(issuer);
    if (!key || X509_CRL_verify(crl, key) != 1)
        return VerifyError{Failure::kCrlSignatureInvalid,
                           crl_name + ": signature does not verify with the " + issuer_name + "'s key"};
    return std::nullopt;
}

std::optional<VerifyError> check_not_revoked(X509* cert, X509_CRL* crl, const std::string& cert_name,
                                             const std::string& crl_name) {
    X509_REVOKED* entry = nullptr;
    if (X509_CRL_get0_by_cert(crl, &entry, cert) == 1)
        return VerifyError{Failure::kCertificateRevoked, cert_name + " is revoked by the " + crl_name};
    return std::nullopt;
}

bool same_certificate(X509* a, X509* b) { return X509_cmp(a, b) == 0; }

bool is_ca(X509* cert) { return X509_check_ca(cert) >= 1; }

bool is_p256(EVP_PKEY* key) { return key && p256_raw_public_key(key).ok(); }

}  // namespace ccbox::attestation::detail
