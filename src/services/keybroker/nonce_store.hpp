// Challenge nonces: 32 random bytes, single use, with a TTL. Kept in memory (a restart voids
// outstanding challenges, which only costs a client one more round trip); consume() removes
// the nonce under the same lock that finds it, so of any number of concurrent requests
// presenting one nonce exactly one gets kOk.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace ccbox::keybroker {

class NonceStore {
public:
    using Clock = std::chrono::steady_clock;
    enum class Use { kOk, kUnknownOrUsed, kExpired };

    NonceStore(std::chrono::milliseconds ttl, size_t max_outstanding) : ttl_(ttl), max_(max_outstanding) {}

    // Remembers `nonce` (raw bytes); false when too many challenges are outstanding.
    bool add(const std::string& nonce) {
        std::lock_guard lock(mutex_);
        const auto now = Clock::now();
        if (nonces_.size() >= max_)
            std::erase_if(nonces_, [&](const auto& kv) { return kv.second <= now; });
        if (nonces_.size() >= max_)
            return false;
        nonces_[nonce] = now + ttl_;
        return true;
    }

    Use consume(const std::string& nonce) {
        std::lock_guard lock(mutex_);
        auto it = nonces_.find(nonce);
        if (it == nonces_.end())
            return Use::kUnknownOrUsed;
        const bool expired = it->second <= Clock::now();
        nonces_.erase(it);
        return expired ? Use::kExpired : Use::kOk;
    }

    std::chrono::milliseconds ttl() const { return ttl_; }

private:
    std::mutex mutex_;
    std::unordered_map<std::string, Clock::time_point> nonces_;
    std::chrono::milliseconds ttl_;
    size_t max_;
};

}  // namespace ccbox::keybroker
