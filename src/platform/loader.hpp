// The loader: ECREATE, EADD/EEXTEND and EINIT in this process. It reserves ELRANGE (aligned
// to its power-of-two size), copies and measures every page of the layout with the same
// code as `ccbox measure`, applies page permissions and checks the SIGSTRUCT. Every backend
// loads through here: the sim backend in the host process, the isolated backend in the
// enclave process the platform forks. Trust domain: platform.
#pragma once

#include "platform/enclave_image.hpp"
#include "platform/layout.hpp"
#include "support/sha256.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace ccbox {

struct LoadOptions {
    bool debug = false;  // launch in debug mode (SECS.ATTRIBUTES.DEBUG)
    // The isolated backend's paged EPC (docs/paging.md): ELRANGE is this memfd, mapped shared,
    // and `on_mapped(base, size)` runs once it is mapped, before any enclave page is written.
    int epc_memfd = -1;
    std::function<Result<void>(uintptr_t base, uint64_t size)> on_mapped;
};

// Identity the platform committed to at EINIT.
struct EnclaveIdentity {
    Digest256 mrenclave{};
    Digest256 mrsigner{};
    uint16_t isvprodid = 0;
    uint16_t isvsvn = 0;
    sgx::Attributes attributes{};  // SECS.ATTRIBUTES after EINIT (INIT set)
    uint32_t miscselect = 0;
    uint8_t isvfamilyid[16] = {};
    uint8_t isvextprodid[16] = {};
    bool signed_image = false;     // false: an unsigned debug image (MRSIGNER all zero)
};

// An initialised enclave's memory. Unmaps ELRANGE when destroyed.
class LoadedEnclave {
public:
    LoadedEnclave(const LoadedEnclave&) = delete;
    LoadedEnclave& operator=(const LoadedEnclave&) = delete;
    ~LoadedEnclave();

    uintptr_t base() const { return base_; }
    uint64_t size() const { return size_; }
    uintptr_t entry() const { return base_ + entry_offset_; }
    const EnclaveIdentity& identity() const { return identity_; }
    const ccbox_enclave_config_t& config() const { return config_; }
    uint64_t epc_pages() const { return epc_pages_; }
    bool has_tls() const { return has_tls_; }
    // Address of the TD page (TCS.OFSBASE) of each TCS.
    const std::vector<uintptr_t>& thread_data() const { return thread_data_; }

    bool contains(uintptr_t address, uint64_t length) const {
        return address >= base_ && length <= size_ && address - base_ <= size_ - length;
    }

private:
    friend Result<std::unique_ptr<LoadedEnclave>> load_enclave(const EnclaveImage&, const LoadOptions&);
    LoadedEnclave() = default;

    uintptr_t base_ = 0;
    uint64_t size_ = 0;
    uintptr_t reservation_ = 0;
    uint64_t reservation_size_ = 0;
    uint64_t entry_offset_ = 0;
    uint64_t epc_pages_ = 0;
    bool has_tls_ = false;
    EnclaveIdentity identity_{};
    ccbox_enclave_config_t config_{};
    std::vector<uintptr_t> thread_data_;
};

// The configuration and SIGSTRUCT a load would use, and the refusals that need no memory:
// an unsigned image (allowed only in debug mode for an image whose properties allow debug),
// a debug launch of a production-signed image.
Result<std::unique_ptr<LoadedEnclave>> load_enclave(const EnclaveImage& image, const LoadOptions& options);

// The refusals that need no memory (above), on their own.
Result<void> check_launch(const EnclaveImage& image, const LoadOptions& options);
// EINIT for an image measured as `mrenclave`: the SIGSTRUCT checks and the identity committed to.
Result<EnclaveIdentity> einit_identity(const EnclaveImage& image, const LoadOptions& options,
                                       const Digest256& mrenclave);
// What load_enclave() would commit to, computed from `layout` (the image's) without loading
// anything: the platform's own computation, which an enclave process's report must match.
Result<EnclaveIdentity> expected_identity(const EnclaveImage& image, const EnclaveLayout& layout,
                                          const LoadOptions& options);

}  // namespace ccbox
