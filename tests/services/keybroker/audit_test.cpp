// The audit log's hash chain: a removed, altered or reordered entry is found, and the first
// bad entry is named. The store uses bound parameters only: key ids with SQL in them are data.
#include "services/keybroker/store.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace ccbox::keybroker {
namespace {

// A log of six entries, written through the store.
void make_log(const std::string& path) {
    auto s = Store::open(path);
    ASSERT_TRUE(s.ok()) << s.error().message();
    for (int i = 0; i < 6; ++i) {
        AuditRecord r;
        r.key_id = "k" + std::to_string(i);
        r.verdict = i % 2 ? "granted" : "refused";
        r.error = i % 2 ? "" : "policy_denied";
        r.reason = "entry " + std::to_string(i + 1);
        ASSERT_TRUE((*s)->append(r).ok());
    }
}

// Runs SQL on the database behind the store's back, as an attacker with the file would.
void tamper(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* msg = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg), SQLITE_OK) << (msg ? msg : "");
    sqlite3_free(msg);
    sqlite3_close(db);
}

AuditVerification verify_file(const std::string& path) {
    auto s = Store::open(path, /*read_only=*/true);
    EXPECT_TRUE(s.ok());
    auto entries = (*s)->audit_entries();
    EXPECT_TRUE(entries.ok());
    return verify_audit_chain(*entries);
}

class AuditChain : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = dir_.file("broker.db");
        make_log(path_);
    }
    void tamper(const std::string& sql) { ::ccbox::keybroker::tamper(path_, sql); }
    AuditVerification verify() { return verify_file(path_); }
    test::TempDir dir_;
    std::string path_;
};

TEST_F(AuditChain, IntactChainVerifies) {
    const auto v = verify();
    EXPECT_TRUE(v.ok()) << v.problem;
    EXPECT_EQ(v.entries, 6u);
}

TEST_F(AuditChain, RemovedEntryIsFound) {
    tamper("DELETE FROM audit WHERE seq = 3");
    const auto v = verify();
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(*v.first_bad, 4);
    EXPECT_NE(v.problem.find("entry 3 is missing"), std::string::npos) << v.problem;
}

TEST_F(AuditChain, RemovedEntryWithRenumberingIsFound) {
    // Delete entry 3 and renumber the rest so the sequence has no gap: the chain still breaks.
    tamper("DELETE FROM audit WHERE seq = 3; UPDATE audit SET seq = seq - 1 WHERE seq > 3");
    const auto v = verify();
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(*v.first_bad, 3);
}

TEST(AuditChainAltered, AlteredEntryIsFound) {
    for (const char* sql : {"UPDATE audit SET verdict = 'granted' WHERE seq = 3",
                            "UPDATE audit SET reason = 'nothing happened' WHERE seq = 3",
                            "UPDATE audit SET key_id = 'other' WHERE seq = 3",
                            "UPDATE audit SET version = 9 WHERE seq = 3",
                            "UPDATE audit SET time_ms = time_ms + 1 WHERE seq = 3",
                            "UPDATE audit SET evidence_sha256 = 'ab' WHERE seq = 3"}) {
        test::TempDir dir;
        const std::string path = dir.file("broker.db");
        make_log(path);
        tamper(path, sql);
        const auto v = verify_file(path);
        ASSERT_FALSE(v.ok()) << sql;
        EXPECT_EQ(*v.first_bad, 3) << sql;
        EXPECT_EQ(v.entries, 2u) << sql;
        EXPECT_NE(v.problem.find("altered"), std::string::npos) << v.problem;
    }
}

TEST_F(AuditChain, ReorderedEntriesAreFound) {
    // Swap the contents of entries 4 and 5 (hashes and all), keeping the sequence numbers.
    tamper("UPDATE audit SET seq = -4 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = 5; "
           "UPDATE audit SET seq = 5 WHERE seq = -4");
    const auto v = verify();
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(*v.first_bad, 4);
}

TEST_F(AuditChain, RemovedFirstEntryIsFound) {
    tamper("DELETE FROM audit WHERE seq = 1");
    const auto v = verify();
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(*v.first_bad, 2);
}

TEST_F(AuditChain, ForgedEntryAppendedWithoutTheChainIsFound) {
    tamper("INSERT INTO audit SELECT 7, time_ms, key_id, version, 'granted', '', 'forged', evidence_sha256, "
           "collateral_sha256, hash, hash FROM audit WHERE seq = 6");
    const auto v = verify();
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(*v.first_bad, 7);
}

TEST_F(AuditChain, ReadOnlyOpenNeverWrites) {
    auto s = Store::open(dir_.file("absent.db"), /*read_only=*/true);
    EXPECT_FALSE(s.ok());
    EXPECT_FALSE(std::filesystem::exists(dir_.file("absent.db")));
}

TEST(StoreSql, KeyIdsAreBoundNeverSpliced) {
    test::TempDir dir;
    auto s = Store::open(dir.file("broker.db"));
    ASSERT_TRUE(s.ok());
    const std::string evil = "x'); DROP TABLE keys; --";
    SecretBytes m(std::vector<uint8_t>(32, 1));
    ASSERT_TRUE((*s)->create_key(evil, m).ok());
    ASSERT_TRUE((*s)->create_key("y' OR '1'='1", m).ok());
    auto keys = (*s)->list_keys();
    ASSERT_TRUE(keys.ok());
    ASSERT_EQ(keys->size(), 2u);
    auto state = (*s)->key_state("' OR 1=1 --");
    ASSERT_TRUE(state.ok());
    EXPECT_FALSE(*state);
    auto found = (*s)->key_state(evil);
    ASSERT_TRUE(found.ok() && *found);
    EXPECT_EQ((*found)->key_id, evil);
    EXPECT_FALSE(valid_key_id(evil));  // and the broker never lets such an id in
}

TEST(StoreSql, KeyIdValidation) {
    for (const std::string& ok : {std::string("k"), std::string("data-key"), std::string("a.b_c-1"), std::string(64, 'a')})
        EXPECT_TRUE(valid_key_id(ok)) << ok;
    for (std::string bad : {std::string(""), std::string(65, 'a'), std::string(".."), std::string("../etc"),
                            std::string("a/b"), std::string("-x"), std::string("a b"), std::string("a\0b", 3),
                            std::string("k%2F"), std::string("ké")})
        EXPECT_FALSE(valid_key_id(bad)) << bad;
}

}  // namespace
}  // namespace ccbox::keybroker
