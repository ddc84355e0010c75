// The isolated backend: the enclave runs in its own process, created, measured and locked
// down by the platform service; the host shares only the arena with it and enters a TCS by
// ringing its doorbell (docs/isolation.md). Trust domain: host (untrusted).
#pragma once

#include "host/backend.hpp"
#include "host/isolated/arena_heap.hpp"
#include "platform/service/state_dir.hpp"

#include <memory>
#include <mutex>
#include <string>

namespace ccbox::host {

namespace testing {
// Called with the fresh arena before the create request is sent, and told when the reply is
// in: the platform tests play a host that writes there what it likes.
struct ArenaHook {
    void (*before_create)(void* context, void* arena, size_t size, uint32_t tcs_count) = nullptr;
    void (*after_create)(void* context) = nullptr;
    void* context = nullptr;
};
void set_arena_hook(const ArenaHook& hook);
}  // namespace testing

struct IsolatedOptions {
    PlatformPaths platform;
    bool debug = false;
    uint32_t tcs_count = 0;  // from the image's configuration: sizes the arena
};

class IsolatedBackend final : public Backend {
public:
    static Result<std::unique_ptr<IsolatedBackend>> create(const std::string& image_path,
                                                           const IsolatedOptions& options);
    ~IsolatedBackend() override;

    uint32_t backend_id() const override;
    uint32_t tcs_count() const override { return tcs_count_; }
    const EnclaveIdentity& identity() const override { return identity_; }
    uintptr_t enclave_base() const override { return base_; }
    uint64_t enclave_size() const override { return size_; }
    ccbox_exit_t enter(uint32_t tcs, uint64_t op, ccbox_call_slot_t* slot) override;
    void* allocate_shared(size_t size) override;
    void free_shared(void* pointer) override;
    void* reallocate_shared(void* pointer, size_t size) override;
    bool overlaps_enclave(uintptr_t address, size_t size) const override;
    bool reachable(const void* pointer, size_t size) const override;

    int process_id() const override { return pid_; }
    ccbox_result_t qe_target_info(void* targetinfo) override;                      // isolated_quoting.cpp
    ccbox_result_t quote(const void* report, std::vector<uint8_t>* out) override;  // isolated_quoting.cpp

private:
    IsolatedBackend() = default;
    Result<void> map_arena(size_t size);
    bool process_gone();

    int connection_ = -1;
    std::mutex connection_mutex_;  // quoting requests come from any TCS thread
    int pidfd_ = -1;
    pid_t pid_ = -1;
    uint64_t enclave_id_ = 0;
    int arena_fd_ = -1;
    uint8_t* arena_ = nullptr;
    size_t arena_size_ = 0;
    std::unique_ptr<ArenaHeap> heap_;
    EnclaveIdentity identity_{};
    uintptr_t base_ = 0;
    uint64_t size_ = 0;
    uint32_t tcs_count_ = 0;
    uint32_t host_spin_ = 0;
    bool dead_ = false;
};

}  // namespace ccbox::host
