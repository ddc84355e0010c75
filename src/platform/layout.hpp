// EnclaveLayout: where every page of an enclave goes, with what permissions and content,
// and whether it is measured. Computed from an ELF image and a configuration without
// loading anything; the measurement (`ccbox measure`, `ccbox sign`) and the loaders of every
// backend all walk the same page list, so offline and loaded MRENCLAVE cannot disagree.
// Trust domain: platform.
#pragma once

#include <ccbox/bits/properties.h>

#include "common/enclave_layout_abi.h"
#include "common/sgx/arch.h"
#include "platform/elf_image.hpp"
#include "platform/measurement.hpp"

#include <cstdint>
#include <vector>

namespace ccbox {

enum class PageContent : uint8_t {
    kImage,       // bytes of the ELF image's segments (zero where no segment has file data)
    kZero,        // zero-filled
    kStackFill,   // kStackFillByte
    kTcs,         // the TCS of `thread`
    kThreadData,  // the TD page of `thread`
};

// A run of consecutive pages added the same way.
struct PageRange {
    uint64_t offset = 0;  // from the enclave base
    uint64_t count = 0;   // pages
    uint64_t secinfo_flags = 0;
    bool measured = false;
    PageContent content = PageContent::kZero;
    uint32_t thread = 0;
    const char* what = "";  // "image", "heap", "stack", "tcs", "ssa", "tls", "td"
};

struct ThreadLayout {
    uint64_t region_offset;
    uint64_t stack_offset;
    uint64_t stack_top;
    uint64_t tcs_offset;
    uint64_t ssa_offset;
    uint64_t tls_offset;
    uint64_t td_offset;
};

class EnclaveLayout {
public:
    // REQUIRES: `config` was validated (validate_enclave_config); `image` outlives the layout.
    static Result<EnclaveLayout> compute(const ElfImage& image, const ccbox_enclave_config_t& config);

    const ElfImage& image() const { return *image_; }
    const ccbox_enclave_config_t& config() const { return config_; }
    uint64_t enclave_size() const { return enclave_size_; }
    uint32_t ssa_frame_size() const { return abi::kSsaFrameSizePages; }
    const std::vector<PageRange>& ranges() const { return ranges_; }
    const std::vector<ThreadLayout>& threads() const { return threads_; }
    uint64_t heap_offset() const { return heap_offset_; }
    uint64_t heap_size() const { return heap_size_; }
    // Pages of EPC the enclave occupies: every added page plus the SECS.
    uint64_t epc_pages() const { return added_pages_ + 1; }
    uint64_t measured_pages() const { return measured_pages_; }

    // The 4096 bytes of page `index` of `range`. Returns a pointer into the image where the
    // page is a whole page of file data; otherwise fills and returns `scratch`.
    const uint8_t* page_content(const PageRange& range, uint64_t index, uint8_t* scratch) const;

    // Replays ECREATE and every EADD/EEXTEND into `builder`.
    void measure(MeasurementBuilder& builder) const;
    Digest256 mrenclave() const;

private:
    void add_range(uint64_t offset, uint64_t count, uint64_t secinfo_flags, bool measured, PageContent content,
                   uint32_t thread, const char* what);
    void add_image_ranges();
    abi::LayoutInfo layout_info(uint32_t thread) const;

    const ElfImage* image_ = nullptr;
    ccbox_enclave_config_t config_{};
    uint64_t enclave_size_ = 0;
    uint64_t heap_offset_ = 0;
    uint64_t heap_size_ = 0;
    uint64_t threads_offset_ = 0;
    uint64_t thread_span_ = 0;
    uint64_t tls_block_size_ = 0;
    uint64_t tls_pages_ = 0;
    uint64_t added_pages_ = 0;
    uint64_t measured_pages_ = 0;
    std::vector<PageRange> ranges_;
    std::vector<ThreadLayout> threads_;
};

// The power of two ELRANGE must have to hold `bytes` (at least two pages).
uint64_t elrange_size_for(uint64_t bytes);

}  // namespace ccbox
