// ElfImage: a validated view of an enclave image (an x86-64 static PIE ELF file).
// Trust domain: platform. The image is untrusted input: every offset, size and count is
// checked before use, and every refusal names the file and what was wrong.
#pragma once

#include "support/file_io.hpp"
#include "support/result.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ccbox {

// Largest enclave (ELRANGE) ccbox creates; also bounds every image address.
inline constexpr uint64_t kMaxEnclaveSize = uint64_t(64) << 30;

namespace segment_flags {
inline constexpr uint32_t kX = 0x1;  // PF_X
inline constexpr uint32_t kW = 0x2;  // PF_W
inline constexpr uint32_t kR = 0x4;  // PF_R
}  // namespace segment_flags

struct ElfSegment {
    uint64_t vaddr = 0;
    uint64_t memsz = 0;
    uint64_t offset = 0;
    uint64_t filesz = 0;
    uint32_t flags = 0;  // segment_flags
};

struct ElfSection {
    std::string name;
    uint32_t type = 0;
    uint64_t flags = 0;
    uint64_t addr = 0;
    uint64_t offset = 0;
    uint64_t size = 0;
};

struct ElfTls {
    uint64_t vaddr = 0;
    uint64_t filesz = 0;
    uint64_t memsz = 0;
    uint64_t align = 1;
};

class ElfImage {
public:
    // Parses and validates `bytes`; `origin` (normally the path) prefixes every error.
    static Result<ElfImage> parse(Bytes bytes, std::string origin);
    static Result<ElfImage> load(const std::string& path);

    const std::string& origin() const { return origin_; }
    std::span<const uint8_t> bytes() const { return bytes_; }
    // PT_LOAD segments, sorted by address, not overlapping.
    const std::vector<ElfSegment>& segments() const { return segments_; }
    const std::vector<ElfSection>& sections() const { return sections_; }
    const std::optional<ElfTls>& tls() const { return tls_; }
    uint64_t entry() const { return entry_; }
    // End of the highest segment, rounded up to a page.
    uint64_t image_size() const { return image_size_; }

    const ElfSection* find_section(std::string_view name) const;
    // The file bytes of a section (empty for SHT_NOBITS).
    std::span<const uint8_t> section_bytes(const ElfSection& section) const;
    // Whether the file range [offset, offset+size) overlaps any loaded (measured) segment data.
    bool file_range_is_loaded(uint64_t offset, uint64_t size) const;

private:
    Result<void> parse_program_headers();
    Result<void> parse_section_headers();
    Result<void> check_dynamic_section(uint64_t offset, uint64_t size);
    Result<void> check_relocation_table(uint64_t table, uint64_t size, bool relative_allowed);
    Error invalid(const std::string& what) const;

    Bytes bytes_;
    std::string origin_;
    std::vector<ElfSegment> segments_;
    std::vector<ElfSection> sections_;
    std::optional<ElfTls> tls_;
    uint64_t entry_ = 0;
    uint64_t image_size_ = 0;
};

}  // namespace ccbox
