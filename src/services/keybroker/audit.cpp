#include "services/keybroker/audit.hpp"

#include "support/hex.hpp"
#include "support/sha256.hpp"

#include <nlohmann/json.hpp>

namespace ccbox::keybroker {

std::string audit_canonical(const AuditEntry& e) {
    return nlohmann::json::array({e.seq, e.time_ms, e.key_id, e.version, e.verdict, e.error, e.reason,
                                  e.evidence_sha256, e.collateral_sha256})
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string audit_hash(const std::string& prev_hash_hex, const AuditEntry& entry) {
    Sha256 h;
    auto prev = from_hex(prev_hash_hex, 32, "prev_hash");
    if (prev)
        h.update(*prev);
    else
        h.update(prev_hash_hex.data(), prev_hash_hex.size());  // a malformed link still hashes deterministically
    const std::string c = audit_canonical(entry);
    h.update(c.data(), c.size());
    const Digest256 d = h.finish();
    return to_hex(d);
}

AuditVerification verify_audit_chain(const std::vector<AuditEntry>& entries) {
    AuditVerification v;
    int64_t expected_seq = 1;
    for (const AuditEntry& e : entries) {
        auto fail = [&](const std::string& what) {
            v.first_bad = e.seq;
            v.problem = what;
            return v;
        };
        if (e.seq != expected_seq)
            return fail(e.seq > expected_seq ? "entry " + std::to_string(expected_seq) + (e.seq == expected_seq + 1 ? " is" : " onwards are") +
                                                   " missing before entry " + std::to_string(e.seq)
                                             : "entry out of order (expected " + std::to_string(expected_seq) + ")");
        if (e.prev_hash != v.head)
            return fail("prev_hash does not match the previous entry's hash (an entry before it was removed, "
                        "reordered or altered)");
        if (audit_hash(e.prev_hash, e) != e.hash)
            return fail("hash does not match the entry's contents (the entry was altered)");
        v.head = e.hash;
        ++v.entries;
        ++expected_seq;
    }
    return v;
}

}  // namespace ccbox::keybroker
