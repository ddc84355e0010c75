#include "platform/measurement.hpp"

#include "common/sgx/arch.h"

// The low-level SHA-256 interface is deprecated in OpenSSL 3 but still its fastest way to
// hash many small pieces (see MeasurementBuilder::Context).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <cstring>
#include <unordered_set>

namespace ccbox {
namespace {

constexpr char kEcreate[9] = "ECREATE\0";
constexpr char kEadd[9] = "EADD\0\0\0\0";
constexpr char kEextend[9] = "EEXTEND\0";
constexpr char kUnmeasured[9] = "UNMEASRD";
constexpr size_t kSinkFlushBytes = 1 << 16;

void put_u64(uint8_t* p, uint64_t v) { std::memcpy(p, &v, 8); }
void put_u32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }
uint64_t get_u64(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}
uint32_t get_u32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

bool is_unsized_tag(const uint8_t* p) { return std::memcmp(p, "UNSIZED\0", 8) == 0; }

uint64_t tag_value(const char (&tag)[9]) {
    uint64_t v;
    std::memcpy(&v, tag, 8);
    return v;
}

}  // namespace

struct MeasurementBuilder::Context {
    SHA256_CTX sha;
};

MeasurementBuilder::MeasurementBuilder(MeasurementSink sink)
    : context_(std::make_unique<Context>()), sink_(std::move(sink)) {
    SHA256_Init(&context_->sha);
}

MeasurementBuilder::~MeasurementBuilder() = default;
MeasurementBuilder::MeasurementBuilder(MeasurementBuilder&&) noexcept = default;

void MeasurementBuilder::hash(const void* data, size_t size) {
    SHA256_Update(&context_->sha, data, size);
    if (sink_) {
        const auto* p = static_cast<const uint8_t*>(data);
        sink_buffer_.insert(sink_buffer_.end(), p, p + size);
        if (sink_buffer_.size() >= kSinkFlushBytes) {
            sink_(sink_buffer_);
            sink_buffer_.clear();
        }
    }
}

void MeasurementBuilder::ecreate(uint32_t ssa_frame_size_pages, uint64_t enclave_size) {
    uint8_t r[kMeasurementRecordSize] = {};
    std::memcpy(r, kEcreate, 8);
    put_u32(r + 8, ssa_frame_size_pages);
    put_u64(r + 12, enclave_size);
    hash(r, sizeof r);
}

void MeasurementBuilder::eadd(uint64_t offset, uint64_t secinfo_flags) {
    uint8_t r[kMeasurementRecordSize] = {};
    std::memcpy(r, kEadd, 8);
    put_u64(r + 8, offset);
    put_u64(r + 16, secinfo_flags);  // SECINFO[0:48): FLAGS then 40 reserved zero bytes
    hash(r, sizeof r);
}

void MeasurementBuilder::eextend(uint64_t offset, const uint8_t* chunk) {
    uint8_t r[kMeasurementRecordSize] = {};
    std::memcpy(r, kEextend, 8);
    put_u64(r + 8, offset);
    hash(r, sizeof r);
    hash(chunk, kEextendChunkSize);
}

void MeasurementBuilder::add_page(uint64_t offset, uint64_t secinfo_flags, const uint8_t* page, bool measured) {
    eadd(offset, secinfo_flags);
    if (!measured)
        return;
    for (size_t chunk = 0; chunk < sgx::kPageSize; chunk += kEextendChunkSize)
        eextend(offset + chunk, page + chunk);
}

Digest256 MeasurementBuilder::finish() {
    if (sink_ && !sink_buffer_.empty()) {
        sink_(sink_buffer_);
        sink_buffer_.clear();
    }
    Digest256 out{};
    SHA256_Final(out.data(), &context_->sha);
    SHA256_Init(&context_->sha);
    return out;
}

Result<SgxsReplay> replay_sgxs(std::span<const uint8_t> stream, const std::string& origin) {
    const uint64_t kTagEcreate = tag_value(kEcreate), kTagEadd = tag_value(kEadd), kTagEextend = tag_value(kEextend),
                   kTagUnmeasured = tag_value(kUnmeasured);
    SgxsReplay out;
    Sha256 hash;
    std::unordered_set<uint64_t> added_pages;
    auto fail = [&](uint64_t at, const std::string& what) {
        return Error(CCBOX_INVALID_IMAGE, origin + ": record at byte " + std::to_string(at) + ": " + what);
    };
    uint64_t pos = 0;
    while (pos < stream.size()) {
        if (stream.size() - pos < kMeasurementRecordSize)
            return fail(pos, "truncated record header (" + std::to_string(stream.size() - pos) + " bytes left)");
        const uint8_t* r = stream.data() + pos;
        uint64_t tag = get_u64(r);
        size_t length = kMeasurementRecordSize;
        if (tag == kTagEextend || tag == kTagUnmeasured)
            length += kEextendChunkSize;
        if (stream.size() - pos < length)
            return fail(pos, "truncated EEXTEND data");
        if (is_unsized_tag(r))
            return fail(pos, "UNSIZED record: the enclave size is not final, so the stream cannot be measured");
        if (tag != kTagEcreate && out.ecreate_count == 0)
            return fail(pos, "the stream must begin with ECREATE");
        if (tag == kTagEcreate) {
            if (out.ecreate_count++ != 0)
                return fail(pos, "a second ECREATE");
            out.ssa_frame_size = get_u32(r + 8);
            out.enclave_size = get_u64(r + 12);
            if (out.ssa_frame_size == 0)
                return fail(pos, "ECREATE with SSAFRAMESIZE 0");
            if (out.enclave_size < 2 * sgx::kPageSize || (out.enclave_size & (out.enclave_size - 1)) != 0)
                return fail(pos, "ECREATE size " + std::to_string(out.enclave_size) + " is not a power of two");
        } else if (tag == kTagEadd) {
            uint64_t offset = get_u64(r + 8);
            if (offset % sgx::kPageSize != 0 || offset >= out.enclave_size)
                return fail(pos, "EADD offset " + std::to_string(offset) + " is misaligned or outside the enclave");
            if (!added_pages.insert(offset).second)
                return fail(pos, "EADD of a page that was already added");
            ++out.eadd_count;
        } else if (tag == kTagEextend || tag == kTagUnmeasured) {
            uint64_t offset = get_u64(r + 8);
            if (offset % kEextendChunkSize != 0 || !added_pages.count(offset & ~(sgx::kPageSize - 1)))
                return fail(pos, "EEXTEND of offset " + std::to_string(offset) +
                                     ", which is misaligned or in a page that was never added");
            ++(tag == kTagEextend ? out.eextend_count : out.unmeasured_count);
        } else {
            char printable[9] = {};
            for (int i = 0; i < 8; ++i)
                printable[i] = (r[i] >= 0x20 && r[i] < 0x7f) ? static_cast<char>(r[i]) : '.';
            return fail(pos, std::string("unknown record tag '") + printable + "'");
        }
        if (tag != kTagUnmeasured)
            hash.update(r, length);
        pos += length;
    }
    if (out.ecreate_count == 0)
        return Error(CCBOX_INVALID_IMAGE, origin + ": empty stream (no ECREATE record)");
    out.mrenclave = hash.finish();
    return out;
}

}  // namespace ccbox
