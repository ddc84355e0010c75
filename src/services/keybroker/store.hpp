// The broker's state in SQLite (docs/keybroker.md, "Storage"): WAL, synchronous=FULL, one
// connection serialised by a mutex, bound parameters only. Tables: keys (every version kept),
// revocations, policies (with the immutable flag) and the hash-chained audit log. Each
// decision runs in one transaction (BEGIN IMMEDIATE … COMMIT) that also appends its audit
// entry, so a decision is durable before it is answered and nothing is half-written.
#pragma once

#include "services/keybroker/audit.hpp"
#include "support/result.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace ccbox::keybroker {

// Key material, wiped when dropped.
struct SecretBytes {
    std::vector<uint8_t> bytes;
    SecretBytes() = default;
    explicit SecretBytes(std::vector<uint8_t> b) : bytes(std::move(b)) {}
    SecretBytes(const SecretBytes&) = default;
    SecretBytes& operator=(const SecretBytes&) = default;
    ~SecretBytes();
};

struct KeyState {
    std::string key_id;
    int64_t version = 0;  // the newest
    SecretBytes material;
    bool revoked = false;  // the key, or its newest version
    std::optional<std::string> policy;
    bool policy_immutable = false;
};

struct KeyListing {
    std::string key_id;
    int64_t versions = 0;
    std::vector<int64_t> revoked_versions;
    bool revoked = false;  // every version
    bool has_policy = false, policy_immutable = false;
    int64_t created = 0;
};

// A key id: 1..64 of [A-Za-z0-9._-], not starting with '.' or '-'. Anything else (path
// separators, NUL, "..", spaces, quotes) is refused before it reaches storage or a URL.
bool valid_key_id(const std::string& id);

class Store {
public:
    // Opens (read_only: never creates or writes) or creates `path`.
    static Result<std::unique_ptr<Store>> open(const std::string& path, bool read_only = false);
    ~Store();

    // Admin actions; each also appends an audit entry (verdict "admin").
    Result<int64_t> create_key(const std::string& key_id, const SecretBytes& material);
    Result<int64_t> rotate_key(const std::string& key_id, const SecretBytes& material);
    Result<void> revoke(const std::string& key_id, std::optional<int64_t> version);
    // CCBOX_CONSTRAINT_FAILED when the stored policy is immutable.
    Result<void> set_policy(const std::string& key_id, const std::string& canonical, bool immutable);
    Result<std::vector<KeyListing>> list_keys();
    Result<std::optional<KeyState>> key_state(const std::string& key_id);
    Result<SecretBytes> key_material(const std::string& key_id, int64_t version);

    // A release decision in one transaction: `decide` sees the key's state (nullopt: unknown)
    // and fills the audit record; the record is appended and committed before this returns.
    // Errors from the database roll everything back.
    Result<AuditEntry> decide(const std::string& key_id,
                              const std::function<void(const std::optional<KeyState>&, AuditRecord*)>& decide);
    // An audit entry without a key lookup (for requests refused before one).
    Result<AuditEntry> append(const AuditRecord& record);

    Result<std::vector<AuditEntry>> audit_entries();

private:
    Store() = default;
    Result<AuditEntry> append_locked(const AuditRecord& record);
    Result<std::optional<KeyState>> key_state_locked(const std::string& key_id);
    Result<void> exec(const char* sql);
    template <typename F>
    Result<void> transaction(F&& body);

    std::mutex mutex_;
    sqlite3* db_ = nullptr;
};

}  // namespace ccbox::keybroker
