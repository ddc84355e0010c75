// Allocation of untrusted memory inside the arena (host side): call buffers, ECALL staging
// and ccbox_host_malloc. Its bookkeeping lives in host memory, never in the arena, so the
// enclave cannot corrupt it. Trust domain: host.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <unordered_map>

namespace ccbox::host {

class ArenaHeap {
public:
    ArenaHeap(uint8_t* base, size_t size);

    void* allocate(size_t size);  // 16-byte aligned; nullptr when full
    void free(void* pointer);      // ignores pointers it did not hand out
    void* reallocate(void* pointer, size_t size);

private:
    void insert_free(uintptr_t start, size_t size);  // REQUIRES: mutex_ held

    uintptr_t base_;
    size_t size_;
    std::mutex mutex_;
    std::map<uintptr_t, size_t> free_;             // start -> size, coalesced
    std::unordered_map<uintptr_t, size_t> used_;  // start -> size
};

}  // namespace ccbox::host
