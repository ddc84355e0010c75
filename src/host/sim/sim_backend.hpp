// The sim backend: the enclave is loaded into the host process (no isolation), as the Intel
// SGX SDK's and Open Enclave's simulation modes do: same image, same MRENCLAVE, same APIs,
// and gdb works. Faults inside the enclave abort only the enclave (fault_handler.cpp).
// Trust domain: host (untrusted).
#pragma once

#include "host/backend.hpp"

#include <memory>
#include <string>

namespace ccbox::host {

class SimBackend final : public Backend {
public:
    static Result<std::unique_ptr<SimBackend>> create(const EnclaveImage& image, const LoadOptions& options,
                                                      const std::string& path);
    ~SimBackend() override;

    uint32_t backend_id() const override;
    uint32_t tcs_count() const override;
    const EnclaveIdentity& identity() const override { return loaded_->identity(); }
    uintptr_t enclave_base() const override { return loaded_->base(); }
    uint64_t enclave_size() const override { return loaded_->size(); }
    ccbox_exit_t enter(uint32_t tcs, uint64_t op, ccbox_call_slot_t* slot) override;
    void* allocate_shared(size_t size) override;
    void free_shared(void* pointer) override;
    void* reallocate_shared(void* pointer, size_t size) override;
    bool overlaps_enclave(uintptr_t address, size_t size) const override;

    const LoadedEnclave& loaded() const { return *loaded_; }

private:
    SimBackend() = default;

    std::unique_ptr<LoadedEnclave> loaded_;
    ccbox_enclu_t enclu_{};
    std::string path_;
    bool debug_ = false;
};

}  // namespace ccbox::host
