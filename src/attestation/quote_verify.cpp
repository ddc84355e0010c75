// verify_quote: the per-quote half of the verifier, in Intel QVL's order.
#include "attestation/verifier.hpp"
#include "attestation/x509_checks.hpp"
#include "support/hex.hpp"
#include "support/sha256.hpp"

#include <algorithm>
#include <cstring>

namespace ccbox::attestation {

class QuoteVerifier {
public:
    static QuoteVerification run(std::span<const uint8_t> bytes, const VerifiedCollateral& c, int64_t now);
};

namespace {

using namespace detail;

// QVL's convergence of the platform's TCB status with the QE's.
TcbStatus converge(TcbStatus platform, TcbStatus qe) {
    if (qe == TcbStatus::kRevoked)
        return TcbStatus::kRevoked;
    if (qe == TcbStatus::kOutOfDate || qe == TcbStatus::kOutOfDateConfigurationNeeded) {
        if (platform == TcbStatus::kUpToDate || platform == TcbStatus::kSWHardeningNeeded)
            return TcbStatus::kOutOfDate;
        if (platform == TcbStatus::kConfigurationNeeded || platform == TcbStatus::kConfigurationAndSWHardeningNeeded)
            return TcbStatus::kOutOfDateConfigurationNeeded;
    }
    return platform;
}

bool masked_equal(const uint8_t* a, const uint8_t* b, const uint8_t* mask, size_t n) {
    for (size_t i = 0; i < n; ++i)
        if ((a[i] & mask[i]) != (b[i] & mask[i]))
            return false;
    return true;
}

}  // namespace

QuoteVerification QuoteVerifier::run(std::span<const uint8_t> bytes, const VerifiedCollateral& c, int64_t now) {
    QuoteVerification result;
    auto fail = [&](Failure f, std::string message) {
        result.error = {f, std::move(message)};
        return result;
    };
    auto quote = parse_quote(bytes, &result.error);
    if (!quote)
        return result;
    if (auto e = c.check_time(now)) {
        result.error = *e;
        return result;
    }

    // 1. The PCK chain from the quote, and the CRLs.
    auto pck = c.verify_pck_chain(quote->pck_chain_pem, now, &result.error);
    if (!pck)
        return result;
    EVP_PKEY* pck_key = pck->key.get();
    const SgxExtension* ext = &pck->ext;

    // 2. FMSPC and PCE-ID against the TCB Info.
    const TcbInfo& tcb = c.tcb_info_;
    if (ext->fmspc != tcb.fmspc)
        return fail(Failure::kFmspcMismatch, "quote: the PCK certificate's FMSPC " + to_hex(ext->fmspc) +
                                                 " is not the TCB Info's " + to_hex(tcb.fmspc));
    if (ext->pce_id != tcb.pce_id)
        return fail(Failure::kPceIdMismatch, "quote: the PCK certificate's PCE-ID " + to_hex(ext->pce_id) +
                                                 " is not the TCB Info's " + to_hex(tcb.pce_id));

    // 3. The QE report, signed by the PCK key.
    if (!ecdsa_p256_verify(pck_key, quote->qe_report_bytes, std::span<const uint8_t, 64>(quote->qe_report_signature)))
        return fail(Failure::kQeReportSignatureInvalid,
                    "quote: the QE report signature does not verify with the PCK certificate's key");

    // 4. The QE report data binds the attestation key and the QE auth data.
    Sha256 h;
    h.update(quote->attestation_key, sizeof quote->attestation_key);
    h.update(quote->qe_auth_data);
    const Digest256 binding = h.finish();
    uint8_t expected[64] = {};
    std::memcpy(expected, binding.data(), binding.size());
    if (std::memcmp(quote->qe_report.reportdata, expected, sizeof expected) != 0)
        return fail(Failure::kQeReportDataMismatch,
                    "quote: the QE report data is not SHA-256(attestation key ‖ QE auth data) ‖ 0³²");

    // 5. The QE against the QE Identity.
    const QeIdentity& qe = c.qe_identity_;
    const sgx::Reportbody& qr = quote->qe_report;
    if (std::memcmp(qr.mrsigner, qe.mrsigner.data(), 32) != 0)
        return fail(Failure::kQeIdentityMismatch, "quote: QE MRSIGNER " + to_hex(std::span(qr.mrsigner)) +
                                                      " is not the QE Identity's " + to_hex(qe.mrsigner));
    if (qr.isvprodid != qe.isvprodid)
        return fail(Failure::kQeIdentityMismatch, "quote: QE ISVPRODID " + std::to_string(qr.isvprodid) +
                                                      " is not the QE Identity's " + std::to_string(qe.isvprodid));
    if ((qr.miscselect & qe.miscselect_mask) != (qe.miscselect & qe.miscselect_mask))
        return fail(Failure::kQeIdentityMismatch, "quote: QE MISCSELECT under miscselectMask is not the QE Identity's");
    uint8_t qe_attributes[16];
    std::memcpy(qe_attributes, &qr.attributes, 16);
    if (!masked_equal(qe_attributes, qe.attributes.data(), qe.attributes_mask.data(), 16))
        return fail(Failure::kQeIdentityMismatch, "quote: QE ATTRIBUTES under attributesMask are not the QE Identity's");
    const QeTcbLevel* qe_level = nullptr;
    for (const auto& level : qe.levels)
        if (qr.isvsvn >= level.isvsvn) {
            qe_level = &level;
            break;
        }
    if (!qe_level)
        return fail(Failure::kQeSvnTooLow, "quote: QE ISVSVN " + std::to_string(qr.isvsvn) +
                                               " is below every TCB level of the QE Identity");

    // 6. The quote signature, by the attestation key.
    auto att_key = p256_public_key(std::span<const uint8_t, 64>(quote->attestation_key));
    if (!att_key)
        return fail(Failure::kAttestationKeyInvalid, "quote: the attestation key is not a P-256 point");
    if (!ecdsa_p256_verify(att_key->get(), quote->signed_bytes, std::span<const uint8_t, 64>(quote->signature)))
        return fail(Failure::kQuoteSignatureInvalid,
                    "quote: the signature over the header and ISV report does not verify with the attestation key");

    // 7. The platform's TCB level, from the PCK certificate's TCB.
    const TcbLevel* level = nullptr;
    for (const auto& l : tcb.levels) {
        bool ge = ext->pcesvn >= l.pcesvn;
        for (size_t k = 0; k < 16 && ge; ++k)
            ge = ext->tcb_components[k] >= l.sgx_components[k];
        if (ge) {
            level = &l;
            break;
        }
    }
    if (!level)
        return fail(Failure::kTcbLevelNotFound,
                    "quote: the PCK certificate's TCB (components " + to_hex(ext->tcb_components) + ", PCESVN " +
                        std::to_string(ext->pcesvn) + ") is below every TCB level of the TCB Info");

    Verdict& v = result.verdict;
    v.tcb_status = converge(level->status, qe_level->status);
    v.advisory_ids = level->advisory_ids;
    for (const auto& id : qe_level->advisory_ids)
        if (std::find(v.advisory_ids.begin(), v.advisory_ids.end(), id) == v.advisory_ids.end())
            v.advisory_ids.push_back(id);
    v.tcb_date = level->tcb_date;
    v.root_kind = c.root_kind_;
    switch (c.root_kind_) {
    case RootKind::kHardware: v.platform_mode = PlatformMode::kProduction; break;
    case RootKind::kCcboxDevelopment: v.platform_mode = PlatformMode::kDevelopment; break;
    case RootKind::kCcboxProduction: v.platform_mode = platform_mode_of_cpusvn(quote->isv_report.cpusvn); break;
    }
    v.debug = (quote->isv_report.attributes.flags & sgx::attr::kDebug) != 0;
    v.report = quote->isv_report;
    v.header = quote->header;
    v.pck = *ext;
    v.validity_from = std::max(c.valid_from_, pck->window.not_before);
    v.validity_until = std::min(c.valid_until_, pck->window.not_after);
    return result;
}

QuoteVerification verify_quote(std::span<const uint8_t> quote, const VerifiedCollateral& collateral, int64_t now) {
    return QuoteVerifier::run(quote, collateral, now);
}

QuoteVerification verify_quote(std::span<const uint8_t> quote, const CollateralBundle& bundle,
                               std::span<const TrustedRoot> roots, int64_t now) {
    QuoteVerification result;
    auto collateral = VerifiedCollateral::verify(bundle, roots, now, &result.error);
    if (!collateral)
        return result;
    return verify_quote(quote, *collateral, now);
}

VerifyError check_policy(const Verdict& v, const Policy& policy) {
    if (policy.require_production && v.platform_mode != PlatformMode::kProduction)
        return {Failure::kPolicyDevelopmentPlatform,
                "policy: the quote comes from a development platform and the policy requires production"};
    if (!policy.allow_debug && v.debug)
        return {Failure::kPolicyDebugEnclave, "policy: the enclave is a debug enclave and the policy refuses debug"};
    if (!policy.accepted_statuses.empty() &&
        std::find(policy.accepted_statuses.begin(), policy.accepted_statuses.end(), v.tcb_status) ==
            policy.accepted_statuses.end())
        return {Failure::kPolicyTcbStatus,
                "policy: TCB status " + std::string(tcb_status_name(v.tcb_status)) + " is not accepted"};
    return {};
}

}  // namespace ccbox::attestation
