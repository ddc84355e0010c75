// Every distinct way a quote or its collateral can fail verification, each with a stable
// identifier (the CLI prints it, tests assert on it) and the ccbox_result_t the C API returns.
// Ordered as Intel's QVL checks them (docs/attestation.md).
#pragma once

#include <ccbox/result.h>

#include <string>
#include <string_view>

namespace ccbox::attestation {

#define CCBOX_VERIFY_FAILURE_LIST(X)                                                       \
    X(kNone, "ok", CCBOX_OK)                                                               \
    /* parsing */                                                                          \
    X(kQuoteMalformed, "quote_malformed", CCBOX_REPORT_PARSE_ERROR)                        \
    X(kUnsupportedQuoteVersion, "unsupported_quote_version", CCBOX_UNSUPPORTED)            \
    X(kUnsupportedKeyType, "unsupported_attestation_key_type", CCBOX_UNSUPPORTED)          \
    X(kUnsupportedCertificationDataType, "unsupported_certification_data_type",            \
      CCBOX_MISSING_CERTIFICATE_CHAIN)                                                     \
    X(kCollateralMalformed, "collateral_malformed", CCBOX_JSON_INFO_PARSE_ERROR)           \
    /* collateral: chains, signatures, CRLs, validity */                                   \
    X(kRootUntrusted, "root_untrusted", CCBOX_VERIFY_FAILED)                               \
    X(kCertificateChainInvalid, "certificate_chain_invalid", CCBOX_VERIFY_FAILED)          \
    X(kCertificateExpired, "certificate_expired", CCBOX_VERIFY_FAILED_TO_FIND_VALIDITY_PERIOD) \
    X(kCrlSignatureInvalid, "crl_signature_invalid", CCBOX_INVALID_REVOCATION_INFO)        \
    X(kCrlExpired, "crl_expired", CCBOX_VERIFY_CRL_EXPIRED)                                \
    X(kCrlMissing, "crl_missing", CCBOX_VERIFY_CRL_MISSING)                                \
    X(kCertificateRevoked, "certificate_revoked", CCBOX_VERIFY_REVOKED)                    \
    X(kTcbInfoSignatureInvalid, "tcb_info_signature_invalid", CCBOX_INVALID_ENDORSEMENT)   \
    X(kTcbInfoExpired, "tcb_info_expired", CCBOX_VERIFY_FAILED_TO_FIND_VALIDITY_PERIOD)    \
    X(kQeIdentitySignatureInvalid, "qe_identity_signature_invalid", CCBOX_INVALID_QE_IDENTITY_INFO) \
    X(kQeIdentityExpired, "qe_identity_expired", CCBOX_VERIFY_FAILED_TO_FIND_VALIDITY_PERIOD) \
    /* the quote against the collateral */                                                 \
    X(kPckExtensionInvalid, "pck_extension_invalid", CCBOX_INVALID_SGX_CERTIFICATE_EXTENSIONS) \
    X(kFmspcMismatch, "fmspc_mismatch", CCBOX_TCB_LEVEL_INVALID)                           \
    X(kPceIdMismatch, "pce_id_mismatch", CCBOX_TCB_LEVEL_INVALID)                          \
    X(kQeReportSignatureInvalid, "qe_report_signature_invalid", CCBOX_QUOTE_VERIFICATION_ERROR) \
    X(kQeReportDataMismatch, "qe_report_data_mismatch", CCBOX_QUOTE_HASH_MISMATCH)         \
    X(kQeIdentityMismatch, "qe_identity_mismatch", CCBOX_QUOTE_ENCLAVE_IDENTITY_VERIFICATION_FAILED) \
    X(kQeSvnTooLow, "qe_svn_below_identity", CCBOX_QUOTE_ENCLAVE_IDENTITY_VERIFICATION_FAILED) \
    X(kAttestationKeyInvalid, "attestation_key_invalid", CCBOX_QUOTE_VERIFICATION_ERROR)   \
    X(kQuoteSignatureInvalid, "quote_signature_invalid", CCBOX_QUOTE_VERIFICATION_ERROR)   \
    X(kTcbLevelNotFound, "tcb_level_not_found", CCBOX_TCB_LEVEL_INVALID)                   \
    /* policy, after a successful verification */                                          \
    X(kPolicyDebugEnclave, "policy_debug_enclave", CCBOX_DEBUG_DOWNGRADE)                  \
    X(kPolicyDevelopmentPlatform, "policy_development_platform", CCBOX_CONSTRAINT_FAILED)  \
    X(kPolicyTcbStatus, "policy_tcb_status", CCBOX_TCB_LEVEL_INVALID)                      \
    /* attestation certificates (docs/attested-tls.md) */                                  \
    X(kAttestationCertificateMalformed, "attestation_certificate_malformed", CCBOX_INVALID_PARAMETER) \
    X(kCertificateSignatureInvalid, "certificate_signature_invalid", CCBOX_INVALID_SIGNATURE) \
    X(kEvidenceExtensionMissing, "evidence_extension_missing", CCBOX_NOT_FOUND)            \
    X(kEvidenceExtensionMalformed, "evidence_extension_malformed", CCBOX_INVALID_SGX_CERTIFICATE_EXTENSIONS) \
    X(kKeyNotBound, "key_not_bound", CCBOX_QUOTE_HASH_MISMATCH)                            \
    X(kClaimsRefused, "claims_refused", CCBOX_CONSTRAINT_FAILED)

enum class Failure {
#define CCBOX_FAILURE_ENUM_(name, id, code) name,
    CCBOX_VERIFY_FAILURE_LIST(CCBOX_FAILURE_ENUM_)
#undef CCBOX_FAILURE_ENUM_
};

constexpr std::string_view failure_id(Failure f) {
    switch (f) {
#define CCBOX_FAILURE_ID_(name, id, code) case Failure::name: return id;
        CCBOX_VERIFY_FAILURE_LIST(CCBOX_FAILURE_ID_)
#undef CCBOX_FAILURE_ID_
    }
    return "unknown";
}

constexpr ccbox_result_t failure_result(Failure f) {
    switch (f) {
#define CCBOX_FAILURE_CODE_(name, id, code) case Failure::name: return code;
        CCBOX_VERIFY_FAILURE_LIST(CCBOX_FAILURE_CODE_)
#undef CCBOX_FAILURE_CODE_
    }
    return CCBOX_FAILURE;
}

// Collateral that is out of its validity window: "expired" in the CLI's words.
constexpr bool is_expiry(Failure f) {
    return f == Failure::kCertificateExpired || f == Failure::kCrlExpired || f == Failure::kTcbInfoExpired ||
           f == Failure::kQeIdentityExpired;
}

struct VerifyError {
    Failure failure = Failure::kNone;
    std::string message;  // names the item and field: "TCB Info: nextUpdate 2025-07-19T10:56:11Z ..."
};

}  // namespace ccbox::attestation
