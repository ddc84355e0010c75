// Quote + collateral + trusted roots + time → verdict (docs/attestation.md).
//
// Collateral is verified once (VerifiedCollateral::verify: issuer chains to a trusted root, the
// Root CA and PCK CA CRLs, the TCB Info and QE Identity signatures and validity windows) and
// then reused: verify_quote pays only for what depends on the quote — the PCK leaf signature,
// the QE report signature and the quote signature, three ECDSA P-256 verifications — plus
// comparisons. Checks run in the order of Intel's QVL: PCK chain and CRLs → FMSPC/PCE-ID
// against TCB Info → QE report signature → QE report data binding → QE Identity → quote
// signature → TCB level. Only libcrypto and the C++ library are used (no files, no clock), so
// this core can be built for enclaves.
#pragma once

#include "attestation/collateral.hpp"
#include "attestation/ossl.hpp"
#include "attestation/quote.hpp"
#include "attestation/sgx_extension.hpp"
#include "attestation/verify_failure.hpp"
#include "platform/platform_mode.hpp"
#include "support/sha256.hpp"

#include <array>
#include <map>
#include <mutex>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ccbox::attestation {

// What a root vouches for. A hardware vendor's root (Intel's) certifies real SGX CPUs, whose
// isolation is the hardware's: the platform mode is production. A ccbox production root
// certifies ccbox platforms, whose mode is the isolation SVN in CPUSVN component 15. A ccbox
// development root (made by a platform on first use) never certifies a production platform.
enum class RootKind { kHardware, kCcboxProduction, kCcboxDevelopment };
std::string_view root_kind_name(RootKind kind);
// Intel's SGX Root CA is a hardware root; a ccbox root says which it is in its subject (O).
RootKind infer_root_kind(X509* root);

struct TrustedRoot {
    Cert cert;
    RootKind kind = RootKind::kCcboxProduction;
};

// The validity window of one collateral item, for expiry messages.
struct ValidityItem {
    std::string name;  // "TCB Info", "PCK CRL", "TCB signing certificate", ...
    Failure expiry;    // the failure that reports this item out of its window
    int64_t not_before = 0;
    int64_t not_after = 0;  // exclusive
};

// A PCK certificate that verified under a collateral's PCK CA (cached per collateral).
struct VerifiedPck {
    Pkey key;
    SgxExtension ext;
    ValidityItem window;
    std::unique_ptr<ASN1_INTEGER, void (*)(ASN1_INTEGER*)> serial{nullptr, ASN1_INTEGER_free};
};

class VerifiedCollateral {
public:
    // Verifies `bundle` against `roots` at time `now` (seconds since the epoch, UTC).
    static std::shared_ptr<const VerifiedCollateral> verify(const CollateralBundle& bundle,
                                                            std::span<const TrustedRoot> roots, int64_t now,
                                                            VerifyError* error);
    // The first item whose window excludes `now` (nullopt when all are valid).
    std::optional<VerifyError> check_time(int64_t now) const;

    const TcbInfo& tcb_info() const { return tcb_info_; }
    const QeIdentity& qe_identity() const { return qe_identity_; }
    RootKind root_kind() const { return root_kind_; }
    int64_t valid_from() const { return valid_from_; }
    int64_t valid_until() const { return valid_until_; }

    // Step 1 of a quote's verification: its PCK chain (certification data, PEM) against the
    // root, the PCK CA and the CRLs. A PCK certificate verified once is remembered (by its
    // DER), so later quotes from the same platform pay only for the revocation and time checks.
    std::shared_ptr<const VerifiedPck> verify_pck_chain(const std::string& pem, int64_t now, VerifyError* error) const;

private:
    friend class QuoteVerifier;
    std::shared_ptr<const VerifiedPck> verify_pck_slow(const std::string& pem, int64_t now, VerifyError* error) const;
    std::vector<uint8_t> root_der_;
    mutable std::mutex pck_cache_mutex_;
    // Keyed by the SHA-256 of the leaf certificate's DER.
    mutable std::map<Digest256, std::shared_ptr<const VerifiedPck>> pck_cache_;
    Cert root_;
    RootKind root_kind_ = RootKind::kCcboxProduction;
    Crl root_crl_;
    Crl pck_crl_;
    Cert pck_ca_;  // the PCK CRL's issuer, verified against the root and the root CRL
    std::vector<uint8_t> pck_ca_der_;
    TcbInfo tcb_info_;
    QeIdentity qe_identity_;
    std::vector<ValidityItem> windows_;
    int64_t valid_from_ = 0, valid_until_ = 0;
};

struct Verdict {
    TcbStatus tcb_status = TcbStatus::kUpToDate;
    std::vector<std::string> advisory_ids;
    std::string tcb_date;
    PlatformMode platform_mode = PlatformMode::kDevelopment;
    RootKind root_kind = RootKind::kCcboxProduction;
    bool debug = false;
    sgx::Reportbody report{};  // the ISV enclave's report body
    QuoteHeader header{};
    SgxExtension pck{};
    int64_t validity_from = 0, validity_until = 0;
};

struct QuoteVerification {
    VerifyError error;  // failure == kNone on success
    Verdict verdict;
    bool ok() const { return error.failure == Failure::kNone; }
};

// Verifies one quote against verified collateral at time `now`.
QuoteVerification verify_quote(std::span<const uint8_t> quote, const VerifiedCollateral& collateral, int64_t now);

// Convenience: verify the collateral, then the quote.
QuoteVerification verify_quote(std::span<const uint8_t> quote, const CollateralBundle& bundle,
                               std::span<const TrustedRoot> roots, int64_t now);

// What a relying party demands beyond a valid quote.
struct Policy {
    bool require_production = false;  // refuse development platforms
    bool allow_debug = true;          // refuse debug enclaves when false
    std::vector<TcbStatus> accepted_statuses;  // empty: any status
};
// kNone, kPolicyDevelopmentPlatform, kPolicyDebugEnclave or kPolicyTcbStatus.
VerifyError check_policy(const Verdict& verdict, const Policy& policy);

// Open Enclave's claims (oe_claim_t names) for a verified quote; values are OE's encodings.
struct Claim {
    std::string name;
    std::vector<uint8_t> value;
};
std::vector<Claim> verdict_claims(const Verdict& verdict);

}  // namespace ccbox::attestation
