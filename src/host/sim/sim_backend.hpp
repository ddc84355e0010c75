// The sim backend: the enclave is loaded into the host process (no isolation), as the Intel
// SGX SDK's and Open Enclave's simulation modes do: same image, same MRENCLAVE, same APIs,
// and gdb works. Faults inside the enclave abort only the enclave (fault_handler.cpp).
// Trust domain: host (untrusted).
#pragma once

#include "host/backend.hpp"
#include "platform/key_derivation.hpp"
#include "platform/platform_secrets.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace ccbox::host {

class SimBackend final : public Backend {
public:
    // `state_dir` holds the platform's root secrets (shared with ccboxd), read at the first
    // EGETKEY/EREPORT.
    static Result<std::unique_ptr<SimBackend>> create(const EnclaveImage& image, const LoadOptions& options,
                                                      const std::string& path, const std::string& state_dir);
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
    ccbox_result_t qe_target_info(void* targetinfo) override;                      // sim_quoting.cpp
    ccbox_result_t quote(const void* report, std::vector<uint8_t>* out) override;  // sim_quoting.cpp

    const LoadedEnclave& loaded() const { return *loaded_; }

private:
    SimBackend() = default;
    static uint32_t egetkey(void* platform, const void* keyrequest, uint8_t key[16]);
    static uint32_t ereport(void* platform, const void* targetinfo, const uint8_t reportdata[64], void* report);
    const PlatformSecrets* secrets();

    std::unique_ptr<LoadedEnclave> loaded_;
    EnclaveKeyIdentity key_identity_;  // what EGETKEY and EREPORT read of the SECS
    ccbox_enclu_t enclu_{};
    std::string path_;
    std::string state_dir_;
    bool debug_ = false;
    std::once_flag secrets_once_;
    std::optional<PlatformSecrets> secrets_;
};

}  // namespace ccbox::host
