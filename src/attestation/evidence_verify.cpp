// ccbox_verify_evidence: Open Enclave's oe_verify_evidence over the verifier of this folder.
// Evidence = [format id] ‖ quote ‖ custom claims; REPORTDATA[0..32) must be the custom claims'
// SHA-256, as OE binds them. Trust domain: the relying party (host).
#include <ccbox/verifier.h>

#include "attestation/evidence_format.hpp"
#include "attestation/evidence_verify.hpp"
#include "attestation/verifier.hpp"
#include "support/sha256.hpp"

#include <cstdlib>
#include <mutex>
#include <utility>
#include <cstring>
#include <ctime>
#include <string>

namespace ccbox::attestation {
namespace {

thread_local std::string last_error;

EvidenceVerification fail(Failure f, const std::string& message) {
    EvidenceVerification v;
    v.code = failure_result(f);
    v.error = std::string(failure_id(f)) + ": " + message;
    return v;
}

EvidenceVerification fail(ccbox_result_t code, const std::string& message) {
    EvidenceVerification v;
    v.code = code;
    v.error = message;
    return v;
}

// Verified collateral, remembered by the SHA-256 of the endorsements and the trusted roots'
// DER: a relying party that verifies many peers against the same collateral (a TLS server, the
// key broker) pays for the collateral once. Only successes are kept; the validity windows are
// checked again at each use (verify_quote calls check_time), so an entry never outlives them.
class CollateralCache {
public:
    std::shared_ptr<const VerifiedCollateral> get(std::span<const uint8_t> endorsements,
                                                  std::span<const TrustedRoot> roots, int64_t now, VerifyError* error) {
        Sha256 h;
        const uint64_t n = endorsements.size();
        h.update(&n, sizeof n);
        h.update(endorsements);
        for (const auto& r : roots) {
            const auto der = certificate_der(r.cert.get());
            const uint64_t len = der.size();
            h.update(&len, sizeof len);
            h.update(der);
            h.update(&r.kind, sizeof r.kind);
        }
        const Digest256 key = h.finish();
        {
            std::lock_guard lock(mutex_);
            for (const auto& [k, v] : entries_)
                if (k == key)
                    return v;
        }
        auto bundle = parse_collateral_bundle(
            std::string_view(reinterpret_cast<const char*>(endorsements.data()), endorsements.size()));
        if (!bundle) {
            error->failure = Failure::kCollateralMalformed;
            error->message = bundle.error().message();
            return nullptr;
        }
        auto verified = VerifiedCollateral::verify(*bundle, roots, now, error);
        if (!verified)
            return nullptr;
        std::lock_guard lock(mutex_);
        if (entries_.size() >= kEntries)
            entries_.erase(entries_.begin());
        entries_.emplace_back(key, verified);
        return verified;
    }

private:
    static constexpr size_t kEntries = 16;
    std::mutex mutex_;
    std::vector<std::pair<Digest256, std::shared_ptr<const VerifiedCollateral>>> entries_;
};

CollateralCache& collateral_cache() {
    static CollateralCache cache;
    return cache;
}

}  // namespace

void set_verifier_last_error(std::string text) { last_error = std::move(text); }

EvidenceVerification verify_evidence(const std::array<uint8_t, 16>& format, std::span<const uint8_t> rest,
                                     std::span<const uint8_t> endorsements, std::span<const ccbox_policy_t> policies) {
    if (format != kFormatSgxEcdsa)
        return fail(CCBOX_UNSUPPORTED, "evidence: only CCBOX_FORMAT_UUID_SGX_ECDSA is verified here (local "
                                       "evidence is verified by its target enclave)");
    if (endorsements.empty())
        return fail(Failure::kCollateralMalformed, "evidence: no endorsements (collateral JSON) given");

    std::vector<TrustedRoot> roots;
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    Policy policy;
    for (const ccbox_policy_t& p : policies) {
        switch (p.type) {
        case CCBOX_POLICY_TRUSTED_ROOTS: {
            if (!p.policy)
                return fail(CCBOX_INVALID_PARAMETER, "trusted roots policy: NULL");
            auto certs = parse_pem_certificates(std::string_view(static_cast<const char*>(p.policy), p.policy_size),
                                                "trusted roots policy");
            if (!certs)
                return fail(CCBOX_INVALID_PARAMETER, certs.error().message());
            for (auto& c : *certs) {
                RootKind kind = infer_root_kind(c.get());
                roots.push_back({std::move(c), kind});
            }
            break;
        }
        case CCBOX_POLICY_VERIFICATION_TIME:
            if (p.policy_size != sizeof(int64_t) || !p.policy)
                return fail(CCBOX_INVALID_PARAMETER, "verification time policy: expected an int64_t");
            std::memcpy(&now, p.policy, sizeof now);
            break;
        case CCBOX_POLICY_REQUIRE_PRODUCTION: policy.require_production = true; break;
        case CCBOX_POLICY_REFUSE_DEBUG: policy.allow_debug = false; break;
        default: return fail(CCBOX_INVALID_PARAMETER, "unknown policy type " + std::to_string(p.type));
        }
    }
    // The quote's length is in it: 436 + signature_data_len.
    if (rest.size() < kQuoteSignedSize + 4)
        return fail(Failure::kQuoteMalformed, "evidence: shorter than a quote header and report");
    uint32_t sig_len = 0;
    std::memcpy(&sig_len, rest.data() + kQuoteSignedSize, 4);
    if (sig_len > rest.size() - kQuoteSignedSize - 4)
        return fail(Failure::kQuoteMalformed, "evidence: signature_data_len runs past the end (truncated quote)");
    const auto quote = rest.first(kQuoteSignedSize + 4 + sig_len);
    const auto custom = rest.subspan(quote.size());

    VerifyError collateral_error;
    auto collateral = collateral_cache().get(endorsements, roots, now, &collateral_error);
    if (!collateral)
        return fail(collateral_error.failure, collateral_error.message);
    auto result = verify_quote(quote, *collateral, now);
    if (!result.ok())
        return fail(result.error.failure, result.error.message);
    uint8_t expected[32] = {};
    if (!custom.empty()) {
        const Digest256 h = sha256(custom);
        std::memcpy(expected, h.data(), 32);
    }
    if (std::memcmp(result.verdict.report.reportdata, expected, 32) != 0) {
        auto v = fail(CCBOX_QUOTE_HASH_MISMATCH, "evidence: REPORTDATA does not bind the custom claims");
        v.binding_mismatch = true;
        return v;
    }
    if (auto e = check_policy(result.verdict, policy); e.failure != Failure::kNone)
        return fail(e.failure, e.message);

    EvidenceVerification v;
    v.claims = verdict_claims(result.verdict);
    if (!custom.empty())
        v.claims.push_back({CCBOX_CLAIM_CUSTOM_CLAIMS_BUFFER, std::vector<uint8_t>(custom.begin(), custom.end())});
    return v;
}

ccbox_claim_t* c_claims(const std::vector<Claim>& claims) {
    auto* out = static_cast<ccbox_claim_t*>(std::calloc(claims.size() ? claims.size() : 1, sizeof(ccbox_claim_t)));
    if (!out)
        return nullptr;
    for (size_t i = 0; i < claims.size(); ++i) {
        out[i].name = static_cast<char*>(std::malloc(claims[i].name.size() + 1));
        out[i].value = static_cast<uint8_t*>(std::malloc(claims[i].value.size() ? claims[i].value.size() : 1));
        if (!out[i].name || !out[i].value) {
            ccbox_free_claims(out, i + 1);
            return nullptr;
        }
        std::memcpy(out[i].name, claims[i].name.c_str(), claims[i].name.size() + 1);
        std::memcpy(out[i].value, claims[i].value.data(), claims[i].value.size());
        out[i].value_size = claims[i].value.size();
    }
    return out;
}

}  // namespace ccbox::attestation

using namespace ccbox;
using namespace ccbox::attestation;

extern "C" ccbox_result_t ccbox_verify_evidence(const ccbox_uuid_t* format_id, const uint8_t* evidence,
                                                size_t evidence_size, const uint8_t* endorsements,
                                                size_t endorsements_size, const ccbox_policy_t* policies,
                                                size_t policies_size, ccbox_claim_t** claims_out,
                                                size_t* claims_length) {
    last_error.clear();
    if (!evidence || !claims_out || !claims_length || (policies_size && !policies)) {
        last_error = "ccbox_verify_evidence: a required argument is NULL";
        return CCBOX_INVALID_PARAMETER;
    }
    *claims_out = nullptr;
    *claims_length = 0;
    std::span<const uint8_t> rest(evidence, evidence_size);
    std::array<uint8_t, 16> format{};
    if (format_id) {
        std::memcpy(format.data(), format_id->b, 16);
    } else {
        if (rest.size() < 16) {
            last_error = std::string(failure_id(Failure::kQuoteMalformed)) +
                         ": evidence: too short for an embedded format id";
            return failure_result(Failure::kQuoteMalformed);
        }
        std::memcpy(format.data(), rest.data(), 16);
        rest = rest.subspan(16);
    }
    auto v = verify_evidence(format, rest,
                             std::span<const uint8_t>(endorsements, endorsements ? endorsements_size : 0),
                             std::span<const ccbox_policy_t>(policies, policies_size));
    if (v.code != CCBOX_OK) {
        last_error = v.error;
        return v.code;
    }
    ccbox_claim_t* out = c_claims(v.claims);
    if (!out) {
        last_error = "out of memory";
        return CCBOX_OUT_OF_MEMORY;
    }
    *claims_out = out;
    *claims_length = v.claims.size();
    return CCBOX_OK;
}

extern "C" ccbox_result_t ccbox_free_claims(ccbox_claim_t* claims, size_t length) {
    if (!claims)
        return CCBOX_OK;
    for (size_t i = 0; i < length; ++i) {
        std::free(claims[i].name);
        std::free(claims[i].value);
    }
    std::free(claims);
    return CCBOX_OK;
}

extern "C" const char* ccbox_verifier_last_error(void) { return last_error.c_str(); }
