// The MRENCLAVE measurement: the SDM's stream of 64-byte ECREATE/EADD/EEXTEND records,
// hashed with SHA-256 (shared/reference/sgx-formats.md §1). The same stream can be written
// out as an SGXS file, and an SGXS file can be replayed to its MRENCLAVE.
// Trust domain: platform.
#pragma once

#include "support/result.hpp"
#include "support/sha256.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ccbox {

inline constexpr size_t kMeasurementRecordSize = 64;
inline constexpr size_t kEextendChunkSize = 256;

// Receives the stream bytes as they are produced (for SGXS output).
using MeasurementSink = std::function<void(std::span<const uint8_t>)>;

class MeasurementBuilder {
public:
    explicit MeasurementBuilder(MeasurementSink sink = {});
    ~MeasurementBuilder();
    MeasurementBuilder(MeasurementBuilder&&) noexcept;

    void ecreate(uint32_t ssa_frame_size_pages, uint64_t enclave_size);
    void eadd(uint64_t offset, uint64_t secinfo_flags);
    void eextend(uint64_t offset, const uint8_t* chunk);  // 256 bytes
    // EADD followed, if `measured`, by the 16 EEXTENDs that cover the 4096-byte page.
    void add_page(uint64_t offset, uint64_t secinfo_flags, const uint8_t* page, bool measured);

    // Hashes what remains and returns MRENCLAVE. The builder is spent afterwards.
    Digest256 finish();

private:
    void hash(const void* data, size_t size);

    // OpenSSL's SHA-256 context, kept opaque here; the per-call overhead of the low-level
    // interface matters because the stream is hashed 64 and 256 bytes at a time, straight
    // from the image without copying it.
    struct Context;
    std::unique_ptr<Context> context_;
    MeasurementSink sink_;
    std::vector<uint8_t> sink_buffer_;
};

struct SgxsReplay {
    Digest256 mrenclave{};
    uint32_t ssa_frame_size = 0;
    uint64_t enclave_size = 0;
    uint64_t ecreate_count = 0;
    uint64_t eadd_count = 0;
    uint64_t eextend_count = 0;
    uint64_t unmeasured_count = 0;
};

// Replays an SGXS (or ESGXS with UNMEASRD records) stream. Structural errors (unknown tag,
// truncated record, EADD before ECREATE, an offset outside the enclave or misaligned, EEXTEND
// of a page that was never added, UNSIZED) are refused with the byte offset of the record.
Result<SgxsReplay> replay_sgxs(std::span<const uint8_t> stream, const std::string& origin);

}  // namespace ccbox
