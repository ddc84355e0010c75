// Challenge nonces: single use, expiry, and the cap on outstanding challenges (a client that
// asks for challenges without using them cannot grow the broker's memory without bound).
#include "services/keybroker/nonce_store.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace ccbox::keybroker {
namespace {

using namespace std::chrono_literals;

TEST(NonceStore, SingleUse) {
    NonceStore s(30s, 10);
    ASSERT_TRUE(s.add("a"));
    EXPECT_EQ(s.consume("a"), NonceStore::Use::kOk);
    EXPECT_EQ(s.consume("a"), NonceStore::Use::kUnknownOrUsed);
    EXPECT_EQ(s.consume("b"), NonceStore::Use::kUnknownOrUsed);
}

TEST(NonceStore, ExpiredIsReportedOnceThenGone) {
    NonceStore s(1ms, 10);
    ASSERT_TRUE(s.add("a"));
    std::this_thread::sleep_for(5ms);
    EXPECT_EQ(s.consume("a"), NonceStore::Use::kExpired);
    EXPECT_EQ(s.consume("a"), NonceStore::Use::kUnknownOrUsed);
}

TEST(NonceStore, OutstandingChallengesAreCapped) {
    NonceStore s(30s, 3);
    EXPECT_TRUE(s.add("a"));
    EXPECT_TRUE(s.add("b"));
    EXPECT_TRUE(s.add("c"));
    EXPECT_FALSE(s.add("d"));
    EXPECT_EQ(s.consume("a"), NonceStore::Use::kOk);  // using one frees its place
    EXPECT_TRUE(s.add("d"));
}

TEST(NonceStore, ExpiredChallengesMakeRoom) {
    NonceStore s(1ms, 2);
    EXPECT_TRUE(s.add("a"));
    EXPECT_TRUE(s.add("b"));
    std::this_thread::sleep_for(5ms);
    EXPECT_TRUE(s.add("c"));  // the expired ones are purged when the cap is reached
    EXPECT_EQ(s.consume("a"), NonceStore::Use::kUnknownOrUsed);
}

}  // namespace
}  // namespace ccbox::keybroker
