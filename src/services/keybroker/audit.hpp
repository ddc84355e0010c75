// The audit log's hash chain (docs/keybroker.md, "Audit log"). Entry n stores
// hash_n = SHA-256(hash_{n-1} ‖ canonical_n) with hash_0 = 32 zero bytes, where canonical_n is
// the JSON array [seq, time_ms, key_id, version, verdict, error, reason, evidence_sha256,
// collateral_sha256]. Sequence numbers start at 1 and have no gaps, so a removed, altered,
// inserted or reordered entry breaks the chain at the first entry it touches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ccbox::keybroker {

// What a decision records (the store adds seq, time and the chain).
struct AuditRecord {
    std::string key_id;
    int64_t version = 0;  // 0: none (unknown key, refused before a version was chosen)
    std::string verdict;  // "granted", "refused" or "admin"
    std::string error;    // the refusal's id ("policy_denied"), or the admin action ("key_create")
    std::string reason;   // human text; never key material
    std::string evidence_sha256;    // hex, "" without evidence
    std::string collateral_sha256;  // hex, "" without collateral
};

struct AuditEntry : AuditRecord {
    int64_t seq = 0;
    int64_t time_ms = 0;
    std::string prev_hash;  // hex
    std::string hash;       // hex
};

inline constexpr const char* kAuditGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

std::string audit_canonical(const AuditEntry& entry);
// hex(SHA-256(raw(prev_hash) ‖ canonical(entry))).
std::string audit_hash(const std::string& prev_hash_hex, const AuditEntry& entry);

struct AuditVerification {
    size_t entries = 0;
    std::string head = kAuditGenesis;  // the last good hash
    std::optional<int64_t> first_bad;  // the seq (or position) of the first bad entry
    std::string problem;               // what is wrong with it
    bool ok() const { return !first_bad; }
};
// `entries` in the order the database returns them (ORDER BY seq).
AuditVerification verify_audit_chain(const std::vector<AuditEntry>& entries);

}  // namespace ccbox::keybroker
