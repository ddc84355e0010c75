// Host memory that carries callee-allocated [out] data between the generated code of the two
// sides (docs/edl.md, "Deep copy"): it is the enclave's ccbox_host_malloc bookkeeping, so the
// enclave frees only what it was given and the host takes only what the enclave allocated.
// Trust domain: host (untrusted).
#include "host/enclave.hpp"

#include <cstring>

extern "C" ccbox_result_t ccbox_receive_enclave_memory(ccbox_enclave_t* enclave, uint64_t address, size_t size,
                                                       void* destination) {
    if (!enclave || enclave->magic != ccbox::host::kEnclaveMagic || !address || (size && !destination))
        return CCBOX_INVALID_PARAMETER;
    void* p = reinterpret_cast<void*>(static_cast<uintptr_t>(address));
    std::lock_guard lock(enclave->allocations_mutex);
    auto it = enclave->allocations.find(p);
    if (it == enclave->allocations.end() || it->second < size)
        return CCBOX_INVALID_PARAMETER;  // not memory this enclave was given, or too small
    if (size)
        std::memcpy(destination, p, size);
    enclave->allocations.erase(it);
    enclave->backend->free_shared(p);
    return CCBOX_OK;
}

extern "C" void* ccbox_allocate_enclave_memory(size_t size) {
    ccbox_enclave* enclave = ccbox::host::current_ocall_enclave();
    if (!enclave)
        return nullptr;
    void* p = enclave->backend->allocate_shared(size);
    if (p) {
        std::lock_guard lock(enclave->allocations_mutex);
        enclave->allocations[p] = size;
    }
    return p;
}

extern "C" void ccbox_free_enclave_memory(void* memory) {
    ccbox_enclave* enclave = ccbox::host::current_ocall_enclave();
    if (!enclave || !memory)
        return;
    std::lock_guard lock(enclave->allocations_mutex);
    if (enclave->allocations.erase(memory))
        enclave->backend->free_shared(memory);
}
