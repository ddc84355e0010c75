// The host side of include/ccbox/sgx/sgx_tstdc.edl and sgx_pthread.edl, the Intel SGX SDK's
// system OCALLs under their own names (docs/edl-dialects.md, "System EDLs"). The enclave trusts none of
// these answers: CPUID from the host is what it is on SGX hardware, a hint; an event wake-up
// only says "look again".
#include <cerrno>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include <cpuid.h>

namespace {

// Untrusted events: a counting wake-up per key (the address an enclave thread names itself
// by). A wake-up that comes before the wait is kept, so none is lost between an enclave
// releasing a lock and its waiter going to sleep.
class Events {
public:
    void wait(uintptr_t key) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return pending_[key] > 0; });
        if (--pending_[key] == 0)
            pending_.erase(key);
    }
    void set(uintptr_t key) {
        {
            std::lock_guard lock(mutex_);
            ++pending_[key];
        }
        changed_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::unordered_map<uintptr_t, uint64_t> pending_;
};

Events& events() {
    static Events instance;
    return instance;
}

uintptr_t key(const void* p) { return reinterpret_cast<uintptr_t>(p); }

}  // namespace

extern "C" {

void sgx_oc_cpuidex(int cpuinfo[4], int leaf, int subleaf) {
    unsigned a = 0, b = 0, c = 0, d = 0;
    __cpuid_count(static_cast<unsigned>(leaf), static_cast<unsigned>(subleaf), a, b, c, d);
    cpuinfo[0] = static_cast<int>(a);
    cpuinfo[1] = static_cast<int>(b);
    cpuinfo[2] = static_cast<int>(c);
    cpuinfo[3] = static_cast<int>(d);
}

int sgx_thread_wait_untrusted_event_ocall(const void* self) {
    if (!self)
        return EINVAL;
    events().wait(key(self));
    return 0;
}

int sgx_thread_set_untrusted_event_ocall(const void* waiter) {
    if (!waiter)
        return EINVAL;
    events().set(key(waiter));
    return 0;
}

int sgx_thread_setwait_untrusted_events_ocall(const void* waiter, const void* self) {
    if (!waiter || !self)
        return EINVAL;
    events().set(key(waiter));
    events().wait(key(self));
    return 0;
}

int sgx_thread_set_multiple_untrusted_events_ocall(const void** waiters, size_t total) {
    if (!waiters && total)
        return EINVAL;
    for (size_t i = 0; i < total; ++i)
        if (!waiters[i])
            return EINVAL;
    for (size_t i = 0; i < total; ++i)
        events().set(key(waiters[i]));
    return 0;
}

// Intel's trusted pthread library has no counterpart in ccbox (sgx_pthread.edl).
int pthread_wait_timeout_ocall(unsigned long long, unsigned long long) { return ENOSYS; }
int pthread_create_ocall(unsigned long long) { return ENOSYS; }
int pthread_wakeup_ocall(unsigned long long) { return ENOSYS; }

}  // extern "C"
