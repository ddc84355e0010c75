// Backend: how the host runtime reaches an enclave. The host runtime (enclave.cpp, calls.cpp)
// is the same for every backend; a backend only creates the enclave and enters a TCS.
// Trust domain: host (untrusted).
#pragma once

#include "common/call_abi.h"
#include "platform/loader.hpp"

#include <cstdint>
#include <vector>

namespace ccbox::host {

class Backend {
public:
    virtual ~Backend() = default;

    virtual uint32_t backend_id() const = 0;  // CCBOX_BACKEND_*
    virtual uint32_t tcs_count() const = 0;
    virtual const EnclaveIdentity& identity() const = 0;
    virtual uintptr_t enclave_base() const = 0;
    virtual int process_id() const { return 0; }
    virtual uint64_t enclave_size() const = 0;

    // EENTER on TCS `tcs` with `op` and the call slot `slot`, until the enclave exits
    // (returns, asks for an OCALL, or aborts). `slot` lies in memory the enclave can read.
    virtual ccbox_exit_t enter(uint32_t tcs, uint64_t op, ccbox_call_slot_t* slot) = 0;

    // Untrusted memory the enclave can reach (the arena in the isolated backend, any host
    // memory in the sim backend), for call slots, buffers and ccbox_host_malloc.
    virtual void* allocate_shared(size_t size) = 0;
    virtual void free_shared(void* pointer) = 0;
    virtual void* reallocate_shared(void* pointer, size_t size) = 0;

    // Whether [address, address+size) overlaps enclave memory as the host sees it.
    virtual bool overlaps_enclave(uintptr_t address, size_t size) const = 0;
    // Whether the enclave can read host memory at [pointer, pointer+size) directly; if not,
    // call buffers are staged through allocate_shared().
    virtual bool reachable(const void* /*pointer*/, size_t /*size*/) const { return true; }

    // The platform's quoting enclave (docs/attestation.md): its TARGETINFO, and a quote for a
    // REPORT an enclave made for it. The platform checks the REPORT's MAC.
    virtual ccbox_result_t qe_target_info(void* /*targetinfo 512 B*/) { return CCBOX_UNSUPPORTED; }
    virtual ccbox_result_t quote(const void* /*report 432 B*/, std::vector<uint8_t>* /*quote*/) {
        return CCBOX_UNSUPPORTED;
    }
};

}  // namespace ccbox::host
