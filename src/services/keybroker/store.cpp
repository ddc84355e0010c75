#include "services/keybroker/store.hpp"

#include <openssl/crypto.h>
#include <sqlite3.h>

#include <chrono>
#include <map>

namespace ccbox::keybroker {

SecretBytes::~SecretBytes() {
    if (!bytes.empty())
        OPENSSL_cleanse(bytes.data(), bytes.size());
}

bool valid_key_id(const std::string& id) {
    if (id.empty() || id.size() > 64 || id[0] == '.' || id[0] == '-')
        return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return false;
    return true;
}

namespace {

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A prepared statement with bound parameters; never string-built SQL.
class Stmt {
public:
    Stmt(sqlite3* db, const char* sql) : db_(db) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
    ~Stmt() { sqlite3_finalize(s_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    Stmt& bind(int i, const std::string& v) {
        sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind(int i, int64_t v) {
        sqlite3_bind_int64(s_, i, v);
        return *this;
    }
    Stmt& bind_blob(int i, const std::vector<uint8_t>& v) {
        sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind_null(int i) {
        sqlite3_bind_null(s_, i);
        return *this;
    }
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return rc_ == SQLITE_OK ? sqlite3_step(s_) : rc_; }
    int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
    bool is_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
    std::string text(int c) const {
        const auto* p = sqlite3_column_text(s_, c);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, c))) : "";
    }
    std::vector<uint8_t> blob(int c) const {
        const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(s_, c));
        return p ? std::vector<uint8_t>(p, p + sqlite3_column_bytes(s_, c)) : std::vector<uint8_t>{};
    }
    Error error(const std::string& what) const {
        return Error(CCBOX_IO_ERROR, "keybroker db: " + what + ": " + sqlite3_errmsg(db_));
    }

private:
    sqlite3* db_;
    sqlite3_stmt* s_ = nullptr;
    int rc_;
};

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS keys(key_id TEXT NOT NULL, version INTEGER NOT NULL, material BLOB NOT NULL,
                                created INTEGER NOT NULL, PRIMARY KEY(key_id, version));
CREATE TABLE IF NOT EXISTS revocations(key_id TEXT NOT NULL, version INTEGER, time INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS policies(key_id TEXT PRIMARY KEY, policy TEXT NOT NULL, immutable INTEGER NOT NULL,
                                    updated INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit(seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, key_id TEXT NOT NULL,
                                 version INTEGER NOT NULL, verdict TEXT NOT NULL, error TEXT NOT NULL,
                                 reason TEXT NOT NULL, evidence_sha256 TEXT NOT NULL,
                                 collateral_sha256 TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
)sql";

}  // namespace

Result<void> Store::exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        Error e(CCBOX_IO_ERROR, std::string("keybroker db: ") + (msg ? msg : "error"));
        sqlite3_free(msg);
        return e;
    }
    return ok_result();
}

template <typename F>
Result<void> Store::transaction(F&& body) {
    CCBOX_TRY(exec("BEGIN IMMEDIATE"));
    Result<void> r = body();
    if (r.ok())
        r = exec("COMMIT");
    if (!r.ok())
        (void)exec("ROLLBACK");
    return r;
}

Result<std::unique_ptr<Store>> Store::open(const std::string& path, bool read_only) {
    std::unique_ptr<Store> s(new Store());
    const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path.c_str(), &s->db_, flags | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK)
        return Error(CCBOX_IO_ERROR, path + ": cannot open the key broker database: " +
                                         (s->db_ ? sqlite3_errmsg(s->db_) : "out of memory"));
    sqlite3_busy_timeout(s->db_, 5000);
    if (read_only) {
        // Fails cleanly on a file that is not a broker database.
        Stmt st(s->db_, "SELECT count(*) FROM audit");
        if (st.step() != SQLITE_ROW)
            return st.error(path + ": not a key broker database");
        return s;
    }
    CCBOX_TRY(s->exec("PRAGMA journal_mode=WAL"));
    CCBOX_TRY(s->exec("PRAGMA synchronous=FULL"));
    CCBOX_TRY(s->exec(kSchema));
    return s;
}

Store::~Store() { sqlite3_close(db_); }

Result<AuditEntry> Store::append_locked(const AuditRecord& record) {
    AuditEntry e;
    static_cast<AuditRecord&>(e) = record;
    e.seq = 1;
    e.prev_hash = kAuditGenesis;
    {
        Stmt last(db_, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
        const int rc = last.step();
        if (rc == SQLITE_ROW) {
            e.seq = last.i64(0) + 1;
            e.prev_hash = last.text(1);
        } else if (rc != SQLITE_DONE) {
            return last.error("audit");
        }
    }
    e.time_ms = now_ms();
    e.hash = audit_hash(e.prev_hash, e);
    Stmt ins(db_, "INSERT INTO audit(seq, time_ms, key_id, version, verdict, error, reason, evidence_sha256, "
                  "collateral_sha256, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    ins.bind(1, e.seq).bind(2, e.time_ms).bind(3, e.key_id).bind(4, e.version).bind(5, e.verdict).bind(6, e.error);
    ins.bind(7, e.reason).bind(8, e.evidence_sha256).bind(9, e.collateral_sha256).bind(10, e.prev_hash).bind(11, e.hash);
    if (ins.step() != SQLITE_DONE)
        return ins.error("audit append");
    return e;
}

Result<std::optional<KeyState>> Store::key_state_locked(const std::string& key_id) {
    Stmt k(db_, "SELECT version, material FROM keys WHERE key_id = ? ORDER BY version DESC LIMIT 1");
    k.bind(1, key_id);
    const int rc = k.step();
    if (rc == SQLITE_DONE)
        return std::optional<KeyState>();
    if (rc != SQLITE_ROW)
        return k.error("keys");
    KeyState s;
    s.key_id = key_id;
    s.version = k.i64(0);
    s.material = SecretBytes(k.blob(1));
    Stmt r(db_, "SELECT count(*) FROM revocations WHERE key_id = ? AND (version IS NULL OR version = ?)");
    r.bind(1, key_id).bind(2, s.version);
    if (r.step() != SQLITE_ROW)
        return r.error("revocations");
    s.revoked = r.i64(0) > 0;
    Stmt p(db_, "SELECT policy, immutable FROM policies WHERE key_id = ?");
    p.bind(1, key_id);
    if (p.step() == SQLITE_ROW) {
        s.policy = p.text(0);
        s.policy_immutable = p.i64(1) != 0;
    }
    return std::optional<KeyState>(std::move(s));
}

Result<std::optional<KeyState>> Store::key_state(const std::string& key_id) {
    std::lock_guard lock(mutex_);
    return key_state_locked(key_id);
}

namespace {
AuditRecord admin_record(const std::string& key_id, int64_t version, const char* action, std::string reason) {
    AuditRecord r;
    r.key_id = key_id;
    r.version = version;
    r.verdict = "admin";
    r.error = action;
    r.reason = std::move(reason);
    return r;
}
}  // namespace

Result<int64_t> Store::create_key(const std::string& key_id, const SecretBytes& material) {
    std::lock_guard lock(mutex_);
    CCBOX_TRY(transaction([&]() -> Result<void> {
        CCBOX_ASSIGN_OR_RETURN(auto existing, key_state_locked(key_id));
        if (existing)
            return Error(CCBOX_ALREADY_EXISTS, "key " + key_id + " already exists (rotate it instead)");
        Stmt ins(db_, "INSERT INTO keys(key_id, version, material, created) VALUES(?, 1, ?, ?)");
        ins.bind(1, key_id).bind_blob(2, material.bytes).bind(3, now_ms() / 1000);
        if (ins.step() != SQLITE_DONE)
            return ins.error("key create");
        CCBOX_TRY(append_locked(admin_record(key_id, 1, "key_create",
                                             std::to_string(material.bytes.size()) + "-byte key, version 1")));
        return ok_result();
    }));
    return int64_t{1};
}

Result<int64_t> Store::rotate_key(const std::string& key_id, const SecretBytes& material) {
    std::lock_guard lock(mutex_);
    int64_t version = 0;
    CCBOX_TRY(transaction([&]() -> Result<void> {
        CCBOX_ASSIGN_OR_RETURN(auto existing, key_state_locked(key_id));
        if (!existing)
            return Error(CCBOX_NOT_FOUND, "no key " + key_id);
        version = existing->version + 1;
        Stmt ins(db_, "INSERT INTO keys(key_id, version, material, created) VALUES(?, ?, ?, ?)");
        ins.bind(1, key_id).bind(2, version).bind_blob(3, material.bytes).bind(4, now_ms() / 1000);
        if (ins.step() != SQLITE_DONE)
            return ins.error("key rotate");
        CCBOX_TRY(append_locked(admin_record(key_id, version, "key_rotate", "version " + std::to_string(version))));
        return ok_result();
    }));
    return version;
}

Result<void> Store::revoke(const std::string& key_id, std::optional<int64_t> version) {
    std::lock_guard lock(mutex_);
    return transaction([&]() -> Result<void> {
        CCBOX_ASSIGN_OR_RETURN(auto existing, key_state_locked(key_id));
        if (!existing)
            return Error(CCBOX_NOT_FOUND, "no key " + key_id);
        if (version && (*version < 1 || *version > existing->version))
            return Error(CCBOX_NOT_FOUND, "key " + key_id + " has no version " + std::to_string(*version));
        Stmt ins(db_, "INSERT INTO revocations(key_id, version, time) VALUES(?, ?, ?)");
        ins.bind(1, key_id).bind(3, now_ms() / 1000);
        if (version)
            ins.bind(2, *version);
        else
            ins.bind_null(2);
        if (ins.step() != SQLITE_DONE)
            return ins.error("revoke");
        CCBOX_TRY(append_locked(admin_record(key_id, version.value_or(0), "key_revoke",
                                             version ? "version " + std::to_string(*version) : "every version")));
        return ok_result();
    });
}

Result<void> Store::set_policy(const std::string& key_id, const std::string& canonical, bool immutable) {
    std::lock_guard lock(mutex_);
    return transaction([&]() -> Result<void> {
        CCBOX_ASSIGN_OR_RETURN(auto existing, key_state_locked(key_id));
        if (!existing)
            return Error(CCBOX_NOT_FOUND, "no key " + key_id);
        if (existing->policy_immutable)
            return Error(CCBOX_CONSTRAINT_FAILED, "the policy of key " + key_id + " is immutable");
        Stmt up(db_, "INSERT INTO policies(key_id, policy, immutable, updated) VALUES(?, ?, ?, ?) "
                     "ON CONFLICT(key_id) DO UPDATE SET policy = excluded.policy, immutable = excluded.immutable, "
                     "updated = excluded.updated");
        up.bind(1, key_id).bind(2, canonical).bind(3, int64_t{immutable}).bind(4, now_ms() / 1000);
        if (up.step() != SQLITE_DONE)
            return up.error("policy set");
        CCBOX_TRY(append_locked(admin_record(key_id, existing->version, "policy_set",
                                             std::string(immutable ? "immutable " : "") + "policy " + canonical)));
        return ok_result();
    });
}

Result<std::vector<KeyListing>> Store::list_keys() {
    std::lock_guard lock(mutex_);
    std::map<std::string, KeyListing> keys;
    Stmt k(db_, "SELECT key_id, max(version), min(created) FROM keys GROUP BY key_id ORDER BY key_id");
    int rc;
    while ((rc = k.step()) == SQLITE_ROW) {
        KeyListing& l = keys[k.text(0)];
        l.key_id = k.text(0);
        l.versions = k.i64(1);
        l.created = k.i64(2);
    }
    if (rc != SQLITE_DONE)
        return k.error("keys");
    Stmt r(db_, "SELECT key_id, version FROM revocations ORDER BY key_id, version");
    while (r.step() == SQLITE_ROW) {
        auto it = keys.find(r.text(0));
        if (it == keys.end())
            continue;
        if (r.is_null(1))
            it->second.revoked = true;
        else
            it->second.revoked_versions.push_back(r.i64(1));
    }
    Stmt p(db_, "SELECT key_id, immutable FROM policies");
    while (p.step() == SQLITE_ROW)
        if (auto it = keys.find(p.text(0)); it != keys.end()) {
            it->second.has_policy = true;
            it->second.policy_immutable = p.i64(1) != 0;
        }
    std::vector<KeyListing> out;
    for (auto& [id, l] : keys)
        out.push_back(std::move(l));
    return out;
}

Result<SecretBytes> Store::key_material(const std::string& key_id, int64_t version) {
    std::lock_guard lock(mutex_);
    Stmt k(db_, "SELECT material FROM keys WHERE key_id = ? AND version = ?");
    k.bind(1, key_id).bind(2, version);
    const int rc = k.step();
    if (rc == SQLITE_DONE)
        return Error(CCBOX_NOT_FOUND, "key " + key_id + " has no version " + std::to_string(version));
    if (rc != SQLITE_ROW)
        return k.error("keys");
    return SecretBytes(k.blob(0));
}

Result<AuditEntry> Store::decide(const std::string& key_id,
                                 const std::function<void(const std::optional<KeyState>&, AuditRecord*)>& decide) {
    std::lock_guard lock(mutex_);
    AuditEntry out;
    CCBOX_TRY(transaction([&]() -> Result<void> {
        CCBOX_ASSIGN_OR_RETURN(auto state, key_state_locked(key_id));
        AuditRecord record;
        record.key_id = key_id;
        decide(state, &record);
        CCBOX_ASSIGN_OR_RETURN(out, append_locked(record));
        return ok_result();
    }));
    return out;
}

Result<AuditEntry> Store::append(const AuditRecord& record) {
    std::lock_guard lock(mutex_);
    AuditEntry out;
    CCBOX_TRY(transaction([&]() -> Result<void> {
        CCBOX_ASSIGN_OR_RETURN(out, append_locked(record));
        return ok_result();
    }));
    return out;
}

Result<std::vector<AuditEntry>> Store::audit_entries() {
    std::lock_guard lock(mutex_);
    std::vector<AuditEntry> out;
    Stmt s(db_, "SELECT seq, time_ms, key_id, version, verdict, error, reason, evidence_sha256, collateral_sha256, "
                "prev_hash, hash FROM audit ORDER BY seq");
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        AuditEntry e;
        e.seq = s.i64(0);
        e.time_ms = s.i64(1);
        e.key_id = s.text(2);
        e.version = s.i64(3);
        e.verdict = s.text(4);
        e.error = s.text(5);
        e.reason = s.text(6);
        e.evidence_sha256 = s.text(7);
        e.collateral_sha256 = s.text(8);
        e.prev_hash = s.text(9);
        e.hash = s.text(10);
        out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE)
        return s.error("audit");
    return out;
}

}  // namespace ccbox::keybroker
