#include "platform/layout.hpp"

#include <algorithm>
#include <cstring>

namespace ccbox {
namespace {

constexpr uint64_t kPage = sgx::kPageSize;

uint64_t round_up(uint64_t v, uint64_t align) { return (v + align - 1) / align * align; }

uint64_t permissions_of(uint32_t segment_flags_value) {
    uint64_t p = 0;
    if (segment_flags_value & segment_flags::kR)
        p |= sgx::secinfo_flags::kR;
    if (segment_flags_value & segment_flags::kW)
        p |= sgx::secinfo_flags::kW;
    if (segment_flags_value & segment_flags::kX)
        p |= sgx::secinfo_flags::kX;
    return p;
}

}  // namespace

uint64_t elrange_size_for(uint64_t bytes) {
    uint64_t size = 2 * kPage;
    while (size < bytes)
        size <<= 1;
    return size;
}

void EnclaveLayout::add_range(uint64_t offset, uint64_t count, uint64_t secinfo_flags, bool measured,
                              PageContent content, uint32_t thread, const char* what) {
    if (count == 0)
        return;
    ranges_.push_back({offset, count, secinfo_flags, measured, content, thread, what});
    added_pages_ += count;
    if (measured)
        measured_pages_ += count;
}

void EnclaveLayout::add_image_ranges() {
    const auto& segments = image_->segments();
    uint64_t run_start = 0, run_count = 0, run_flags = 0;
    auto close_run = [&] {
        add_range(run_start, run_count, run_flags, true, PageContent::kImage, 0, "image");
        run_count = 0;
    };
    size_t first_segment = 0;
    for (uint64_t page = 0; page < image_->image_size(); page += kPage) {
        uint64_t perms = 0;
        bool covered = false;
        while (first_segment < segments.size() &&
               segments[first_segment].vaddr + segments[first_segment].memsz <= page)
            ++first_segment;
        for (size_t i = first_segment; i < segments.size() && segments[i].vaddr < page + kPage; ++i) {
            covered = true;
            perms |= permissions_of(segments[i].flags);
        }
        uint64_t flags = sgx::secinfo_flags_for(sgx::PageType::kReg, perms);
        if (!covered || (run_count != 0 && flags != run_flags))
            close_run();
        if (!covered)
            continue;
        if (run_count == 0) {
            run_start = page;
            run_flags = flags;
        }
        ++run_count;
    }
    close_run();
}

Result<EnclaveLayout> EnclaveLayout::compute(const ElfImage& image, const ccbox_enclave_config_t& config) {
    EnclaveLayout layout;
    layout.image_ = &image;
    layout.config_ = config;

    if (const auto& tls = image.tls()) {
        layout.tls_block_size_ = round_up(tls->memsz, tls->align);
        layout.tls_pages_ = round_up(layout.tls_block_size_, kPage) / kPage;
    }
    const uint64_t guard = abi::kGuardPages * kPage;
    const uint64_t stack = config.num_stack_pages * kPage;
    const uint64_t ssa = uint64_t(abi::kNssa) * abi::kSsaFrameSizePages * kPage;
    layout.heap_offset_ = image.image_size();
    layout.heap_size_ = config.num_heap_pages * kPage;
    layout.threads_offset_ = layout.heap_offset_ + layout.heap_size_;
    layout.thread_span_ = guard + stack + guard + kPage + ssa + guard + layout.tls_pages_ * kPage + kPage;
    uint64_t end = layout.threads_offset_ + uint64_t(config.num_tcs) * layout.thread_span_;
    if (config.num_heap_pages > kMaxEnclaveSize / kPage || config.num_stack_pages > kMaxEnclaveSize / kPage ||
        end > kMaxEnclaveSize)
        return Error(CCBOX_INVALID_CONFIG,
                     image.origin() + ": the enclave needs " + std::to_string(end >> 20) +
                         " MiB of address space (image, NumHeapPages, NumTCS x NumStackPages), more than the 64 GiB "
                         "limit of ELRANGE");
    layout.enclave_size_ = elrange_size_for(end);

    layout.add_image_ranges();
    const uint64_t rw = sgx::secinfo_flags_for(sgx::PageType::kReg, sgx::secinfo_flags::kR | sgx::secinfo_flags::kW);
    layout.add_range(layout.heap_offset_, config.num_heap_pages, rw, false, PageContent::kZero, 0, "heap");
    for (uint32_t t = 0; t < config.num_tcs; ++t) {
        ThreadLayout th{};
        th.region_offset = layout.threads_offset_ + uint64_t(t) * layout.thread_span_;
        th.stack_offset = th.region_offset + guard;
        th.stack_top = th.stack_offset + stack;
        th.tcs_offset = th.stack_top + guard;
        th.ssa_offset = th.tcs_offset + kPage;
        th.tls_offset = th.ssa_offset + ssa + guard;
        th.td_offset = th.tls_offset + layout.tls_pages_ * kPage;
        layout.threads_.push_back(th);

        layout.add_range(th.stack_offset, config.num_stack_pages, rw, true, PageContent::kStackFill, t, "stack");
        layout.add_range(th.tcs_offset, 1, sgx::secinfo_flags_for(sgx::PageType::kTcs, 0), true, PageContent::kTcs, t,
                         "tcs");
        layout.add_range(th.ssa_offset, ssa / kPage, rw, true, PageContent::kZero, t, "ssa");
        layout.add_range(th.tls_offset, layout.tls_pages_, rw, true, PageContent::kZero, t, "tls");
        layout.add_range(th.td_offset, 1, rw, true, PageContent::kThreadData, t, "td");
    }
    return layout;
}

abi::LayoutInfo EnclaveLayout::layout_info(uint32_t thread) const {
    const ThreadLayout& th = threads_[thread];
    abi::LayoutInfo info{};
    info.magic = abi::kThreadDataMagic;
    info.version = abi::kThreadDataVersion;
    info.thread_index = thread;
    info.thread_count = config_.num_tcs;
    info.ssa_frame_size = abi::kSsaFrameSizePages;
    info.enclave_size = enclave_size_;
    info.image_size = image_->image_size();
    info.heap_offset = heap_offset_;
    info.heap_size = heap_size_;
    info.threads_offset = threads_offset_;
    info.thread_span = thread_span_;
    info.stack_offset_in_span = th.stack_offset - th.region_offset;
    info.stack_size = th.stack_top - th.stack_offset;
    info.tcs_offset_in_span = th.tcs_offset - th.region_offset;
    info.ssa_offset_in_span = th.ssa_offset - th.region_offset;
    info.tls_offset_in_span = th.tls_offset - th.region_offset;
    info.tls_block_size = tls_block_size_;
    info.td_offset_in_span = th.td_offset - th.region_offset;
    if (const auto& tls = image_->tls()) {
        info.tls_template_offset = tls->vaddr;
        info.tls_template_filesz = tls->filesz;
        info.tls_template_memsz = tls->memsz;
    }
    return info;
}

const uint8_t* EnclaveLayout::page_content(const PageRange& range, uint64_t index, uint8_t* scratch) const {
    const uint64_t offset = range.offset + index * kPage;
    switch (range.content) {
        case PageContent::kImage: {
            auto bytes = image_->bytes();
            for (const auto& s : image_->segments())
                if (s.vaddr <= offset && offset + kPage <= s.vaddr + s.filesz)
                    return bytes.data() + s.offset + (offset - s.vaddr);
            std::memset(scratch, 0, kPage);
            for (const auto& s : image_->segments()) {
                uint64_t begin = std::max(offset, s.vaddr);
                uint64_t end = std::min(offset + kPage, s.vaddr + s.filesz);
                if (begin < end)
                    std::memcpy(scratch + (begin - offset), bytes.data() + s.offset + (begin - s.vaddr), end - begin);
            }
            return scratch;
        }
        case PageContent::kZero:
            std::memset(scratch, 0, kPage);
            return scratch;
        case PageContent::kStackFill:
            std::memset(scratch, abi::kStackFillByte, kPage);
            return scratch;
        case PageContent::kTcs: {
            const ThreadLayout& th = threads_[range.thread];
            sgx::Tcs tcs{};
            tcs.ossa = th.ssa_offset;
            tcs.nssa = abi::kNssa;
            tcs.oentry = image_->entry();
            tcs.ofsbase = th.td_offset;
            tcs.ogsbase = th.td_offset;
            tcs.fslimit = 0xffffffff;
            tcs.gslimit = 0xffffffff;
            std::memcpy(scratch, &tcs, sizeof tcs);
            return scratch;
        }
        case PageContent::kThreadData: {
            std::memset(scratch, 0, kPage);
            abi::LayoutInfo info = layout_info(range.thread);
            std::memcpy(scratch + abi::kLayoutInfoOffset, &info, sizeof info);
            return scratch;
        }
    }
    return scratch;
}

void EnclaveLayout::measure(MeasurementBuilder& builder) const {
    builder.ecreate(abi::kSsaFrameSizePages, enclave_size_);
    alignas(64) uint8_t scratch[kPage];
    for (const auto& range : ranges_)
        for (uint64_t i = 0; i < range.count; ++i) {
            const uint8_t* content = range.measured ? page_content(range, i, scratch) : nullptr;
            builder.add_page(range.offset + i * kPage, range.secinfo_flags, content, range.measured);
        }
}

Digest256 EnclaveLayout::mrenclave() const {
    MeasurementBuilder builder;
    measure(builder);
    return builder.finish();
}

}  // namespace ccbox
