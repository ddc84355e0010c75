// The release decision (docs/keybroker.md, "Release protocol"), independent of HTTP: a
// challenge makes a nonce; a release request is parsed, its nonce consumed, its evidence
// verified against the collateral, its binding (REPORTDATA = SHA-256(nonce ‖ point)) and the
// key's state and policy checked, and the decision appended to the audit log before the
// answer is returned. Refusal ids: bad_json, request_malformed, key_id_invalid,
// nonce_unknown_or_used, nonce_expired, evidence_invalid, evidence_not_bound_to_nonce,
// evidence_not_bound_to_key, key_unknown, key_revoked, policy_missing, policy_denied,
// collateral_unavailable, audit_failed.
#pragma once

#include "services/keybroker/collateral_source.hpp"
#include "services/keybroker/nonce_store.hpp"
#include "services/keybroker/policy.hpp"
#include "services/keybroker/store.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace ccbox::keybroker {

struct Answer {
    int status = 200;
    nlohmann::json body;
    static Answer refusal(int status, const std::string& error, const std::string& reason) {
        return {status, {{"error", error}, {"reason", reason}}};
    }
};

class Releaser {
public:
    Releaser(Store& store, CollateralSource& collateral, NonceStore& nonces)
        : store_(store), collateral_(collateral), nonces_(nonces) {}

    Answer challenge();
    // `key_id` as taken from the path; `body` the request body (already size-limited).
    Answer release(const std::string& key_id, const std::string& body);

private:
    Store& store_;
    CollateralSource& collateral_;
    NonceStore& nonces_;
};

// The claims the policy language sees, from a verified quote.
Claims claims_of(const attestation::Verdict& verdict);

}  // namespace ccbox::keybroker
