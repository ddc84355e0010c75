// ccbox_verify_evidence: Open Enclave's oe_verify_evidence over the verifier of this folder.
// Evidence = [format id] ‖ quote ‖ custom claims; REPORTDATA[0..32) must be the custom claims'
// SHA-256, as OE binds them. Trust domain: the relying party (host).
#include <ccbox/verifier.h>

#include "attestation/evidence_format.hpp"
#include "attestation/verifier.hpp"
#include "support/sha256.hpp"

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

namespace {

using namespace ccbox;
using namespace ccbox::attestation;

thread_local std::string last_error;

ccbox_result_t fail(Failure f, const std::string& message) {
    last_error = std::string(failure_id(f)) + ": " + message;
    return failure_result(f);
}

ccbox_result_t fail(ccbox_result_t code, const std::string& message) {
    last_error = message;
    return code;
}

}  // namespace

extern "C" ccbox_result_t ccbox_verify_evidence(const ccbox_uuid_t* format_id, const uint8_t* evidence,
                                                size_t evidence_size, const uint8_t* endorsements,
                                                size_t endorsements_size, const ccbox_policy_t* policies,
                                                size_t policies_size, ccbox_claim_t** claims_out,
                                                size_t* claims_length) {
    last_error.clear();
    if (!evidence || !claims_out || !claims_length || (policies_size && !policies))
        return fail(CCBOX_INVALID_PARAMETER, "ccbox_verify_evidence: a required argument is NULL");
    *claims_out = nullptr;
    *claims_length = 0;
    std::span<const uint8_t> rest(evidence, evidence_size);
    std::array<uint8_t, 16> format{};
    if (format_id) {
        std::memcpy(format.data(), format_id->b, 16);
    } else {
        if (rest.size() < 16)
            return fail(Failure::kQuoteMalformed, "evidence: too short for an embedded format id");
        std::memcpy(format.data(), rest.data(), 16);
        rest = rest.subspan(16);
    }
    if (format != kFormatSgxEcdsa)
        return fail(CCBOX_UNSUPPORTED, "evidence: only CCBOX_FORMAT_UUID_SGX_ECDSA is verified on the host (local "
                                       "evidence is verified by its target enclave)");
    if (!endorsements || !endorsements_size)
        return fail(Failure::kCollateralMalformed, "evidence: no endorsements (collateral JSON) given");

    std::vector<TrustedRoot> roots;
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    Policy policy;
    for (size_t i = 0; i < policies_size; ++i) {
        const ccbox_policy_t& p = policies[i];
        switch (p.type) {
        case CCBOX_POLICY_TRUSTED_ROOTS: {
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

    auto bundle = parse_collateral_bundle(
        std::string_view(reinterpret_cast<const char*>(endorsements), endorsements_size));
    if (!bundle)
        return fail(Failure::kCollateralMalformed, bundle.error().message());
    auto result = verify_quote(quote, *bundle, roots, now);
    if (!result.ok())
        return fail(result.error.failure, result.error.message);
    uint8_t expected[32] = {};
    if (!custom.empty()) {
        const Digest256 h = sha256(custom);
        std::memcpy(expected, h.data(), 32);
    }
    if (std::memcmp(result.verdict.report.reportdata, expected, 32) != 0)
        return fail(CCBOX_QUOTE_HASH_MISMATCH, "evidence: REPORTDATA does not bind the custom claims");
    if (auto e = check_policy(result.verdict, policy); e.failure != Failure::kNone)
        return fail(e.failure, e.message);

    auto claims = verdict_claims(result.verdict);
    if (!custom.empty())
        claims.push_back({CCBOX_CLAIM_CUSTOM_CLAIMS_BUFFER, std::vector<uint8_t>(custom.begin(), custom.end())});
    auto* out = static_cast<ccbox_claim_t*>(std::calloc(claims.size(), sizeof(ccbox_claim_t)));
    if (!out)
        return fail(CCBOX_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < claims.size(); ++i) {
        out[i].name = static_cast<char*>(std::malloc(claims[i].name.size() + 1));
        out[i].value = static_cast<uint8_t*>(std::malloc(claims[i].value.size() ? claims[i].value.size() : 1));
        if (!out[i].name || !out[i].value) {
            ccbox_free_claims(out, i + 1);
            return fail(CCBOX_OUT_OF_MEMORY, "out of memory");
        }
        std::memcpy(out[i].name, claims[i].name.c_str(), claims[i].name.size() + 1);
        std::memcpy(out[i].value, claims[i].value.data(), claims[i].value.size());
        out[i].value_size = claims[i].value.size();
    }
    *claims_out = out;
    *claims_length = claims.size();
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
