// Fixed-layout payloads of the platform protocol (docs/platform-protocol.md).
// Trust domain: platform. Receivers check sizes and every field before use.
#pragma once

#include "platform/loader.hpp"

#include <cstdint>
#include <cstring>

namespace ccbox::wire {

inline constexpr uint32_t kLoadDebug = 0x1;

// kCreateEnclave (host -> platform) and kLoad (platform -> enclave process).
// Descriptors: the image file, the arena memfd.
struct LoadRequest {
    uint32_t flags;          // kLoadDebug
    uint32_t reserved;
    uint64_t arena_address;  // where the host mapped the arena; the enclave process maps it there too
    uint64_t arena_size;
    char image_name[256];    // for messages only
};
static_assert(sizeof(LoadRequest) == 280);

// What the enclave process reports once the enclave is loaded and locked down. The platform
// compares it with its own computation; the identity it keeps and answers for is its own.
struct LoadedReply {
    uint8_t mrenclave[32];
    uint8_t mrsigner[32];
    uint8_t isvfamilyid[16];
    uint8_t isvextprodid[16];
    uint64_t attributes_flags;
    uint64_t attributes_xfrm;
    uint16_t isvprodid;
    uint16_t isvsvn;
    uint32_t miscselect;
    uint64_t base;
    uint64_t size;
    uint32_t tcs_count;
    uint32_t signed_image;
    uint64_t epc_pages;
};
static_assert(sizeof(LoadedReply) == 152);

// kEnclaveCreated (platform -> host). Descriptor: a pidfd of the enclave process.
struct CreatedReply {
    uint64_t enclave_id;
    int32_t pid;
    uint32_t reserved;
    LoadedReply loaded;
};
static_assert(sizeof(CreatedReply) == 168);

// kPaging (enclave process -> platform): where ELRANGE is mapped. Descriptor: its userfaultfd.
struct PagingReady {
    uint64_t base;
    uint64_t size;
};
static_assert(sizeof(PagingReady) == 16);

// kBackingStoreReply (platform -> host, test hook only): where the pieces of an enclave's
// untrusted backing memory are (docs/paging.md). Descriptor: the backing memfd.
struct BackingStoreReply {
    uint64_t base;            // ELRANGE base: page i's linear address is base + 4096 i
    uint64_t pages;           // enclave pages
    uint64_t data_offset;     // ciphertext of page i at data_offset + 4096 i
    uint64_t pcmd_offset;     // its PCMD (128 B) at pcmd_offset + 128 i; all zero unless evicted
    uint64_t va_pages;
    uint64_t va_data_offset;  // version-array pages, likewise
    uint64_t va_pcmd_offset;
    uint64_t size;            // of the memfd
};
static_assert(sizeof(BackingStoreReply) == 64);

inline LoadedReply loaded_reply_of(const EnclaveIdentity& id, uint64_t base, uint64_t size, uint32_t tcs_count,
                                   uint64_t epc_pages) {
    LoadedReply r;
    std::memset(&r, 0, sizeof r);
    std::memcpy(r.mrenclave, id.mrenclave.data(), 32);
    std::memcpy(r.mrsigner, id.mrsigner.data(), 32);
    std::memcpy(r.isvfamilyid, id.isvfamilyid, 16);
    std::memcpy(r.isvextprodid, id.isvextprodid, 16);
    r.attributes_flags = id.attributes.flags;
    r.attributes_xfrm = id.attributes.xfrm;
    r.isvprodid = id.isvprodid;
    r.isvsvn = id.isvsvn;
    r.miscselect = id.miscselect;
    r.base = base;
    r.size = size;
    r.tcs_count = tcs_count;
    r.signed_image = id.signed_image ? 1 : 0;
    r.epc_pages = epc_pages;
    return r;
}

inline LoadedReply loaded_reply_of(const LoadedEnclave& e) {
    return loaded_reply_of(e.identity(), e.base(), e.size(), static_cast<uint32_t>(e.thread_data().size()),
                           e.epc_pages());
}

inline EnclaveIdentity identity_of(const LoadedReply& r) {
    EnclaveIdentity id{};
    std::memcpy(id.mrenclave.data(), r.mrenclave, 32);
    std::memcpy(id.mrsigner.data(), r.mrsigner, 32);
    std::memcpy(id.isvfamilyid, r.isvfamilyid, 16);
    std::memcpy(id.isvextprodid, r.isvextprodid, 16);
    id.attributes = {r.attributes_flags, r.attributes_xfrm};
    id.isvprodid = r.isvprodid;
    id.isvsvn = r.isvsvn;
    id.miscselect = r.miscselect;
    id.signed_image = r.signed_image != 0;
    return id;
}

}  // namespace ccbox::wire
