// The untrusted arena of the isolated backend: a memfd the host maps and the platform maps at
// the same address in the enclave process (docs/isolation.md). Trust domain: common layout;
// its contents are untrusted for the enclave and written by both sides.
//
//   [Header: 4 KiB][Doorbell x kMaxDoorbells: 64 KiB][heap managed by the host]
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace ccbox::arena {

inline constexpr uint64_t kMagic = 0x414e455241584243ull;  // "CBXARENA"
inline constexpr uint32_t kVersion = 1;
inline constexpr size_t kHeaderSize = 4096;
inline constexpr size_t kMaxDoorbells = 1024;
inline constexpr size_t kDoorbellsOffset = kHeaderSize;

// Doorbell states; `state` is the futex word both sides wait on.
inline constexpr uint32_t kIdle = 0;
inline constexpr uint32_t kRequest = 1;   // host -> enclave: op/slot are valid
inline constexpr uint32_t kResponse = 2;  // enclave -> host: exit_code/exit_arg are valid

// One per TCS: how the host enters (EENTER) and how the enclave's exit comes back.
struct alignas(64) Doorbell {
    std::atomic<uint32_t> state;
    std::atomic<uint32_t> worker_waiting;  // the enclave's worker sleeps on `state`
    std::atomic<uint32_t> host_waiting;    // the host sleeps on `state`
    uint32_t reserved;
    uint64_t op;
    uint64_t slot;
    uint64_t exit_code;
    uint64_t exit_arg;
};
static_assert(sizeof(Doorbell) == 64);

struct Header {
    uint64_t magic;
    uint32_t version;
    uint32_t tcs_count;
    uint64_t size;
    std::atomic<uint32_t> dead;          // set by the platform once the enclave process is gone
    std::atomic<uint32_t> worker_spin;   // iterations a waiting worker spins before it sleeps
};
static_assert(sizeof(Header) <= kHeaderSize);

inline constexpr size_t kHeapOffset = kDoorbellsOffset + kMaxDoorbells * sizeof(Doorbell);

inline Header* header_of(void* arena) { return static_cast<Header*>(arena); }
inline Doorbell* doorbell_of(void* arena, uint32_t tcs) {
    return reinterpret_cast<Doorbell*>(static_cast<uint8_t*>(arena) + kDoorbellsOffset) + tcs;
}

}  // namespace ccbox::arena
