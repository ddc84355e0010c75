#include "platform/loader.hpp"

#include "platform/enclave_config.hpp"
#include "platform/sigstruct.hpp"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>

namespace ccbox {
namespace {

constexpr uint64_t kPage = sgx::kPageSize;

int protection_of(const PageRange& range) {
    if ((range.secinfo_flags & sgx::secinfo_flags::kPageTypeMask) >> sgx::secinfo_flags::kPageTypeShift ==
        static_cast<uint64_t>(sgx::PageType::kTcs))
        return PROT_READ;  // enclave code never touches its TCS; the platform reads it
    int prot = 0;
    if (range.secinfo_flags & sgx::secinfo_flags::kR)
        prot |= PROT_READ;
    if (range.secinfo_flags & sgx::secinfo_flags::kW)
        prot |= PROT_WRITE;
    if (range.secinfo_flags & sgx::secinfo_flags::kX)
        prot |= PROT_EXEC;
    return prot;
}

Error load_error(const EnclaveImage& image, ccbox_result_t code, const std::string& what) {
    return Error(code, image.origin() + ": " + what);
}

}  // namespace

LoadedEnclave::~LoadedEnclave() {
    if (reservation_)
        ::munmap(reinterpret_cast<void*>(reservation_), reservation_size_);
}

Result<void> check_launch(const EnclaveImage& image, const LoadOptions& options) {
    const auto& signature = image.signature();
    if (signature) {
        if (options.debug && !(signature->sigstruct.attributes.flags & sgx::attr::kDebug))
            return load_error(image, CCBOX_DEBUG_DOWNGRADE,
                              "the enclave is signed for production (Debug=0) and cannot be launched in debug mode");
    } else if (!options.debug) {
        return load_error(image, CCBOX_NOT_SIGNED,
                          "the image is not signed; sign it with `ccbox sign` (unsigned images run only in debug "
                          "mode, CCBOX_ENCLAVE_FLAG_DEBUG, when their properties allow debug)");
    } else if (!config_allows_debug(image.effective_config())) {
        // The usual cause: a .conf that says Debug=1, which an unsigned image never saw.
        return load_error(image, CCBOX_NOT_SIGNED,
                          "the image is not signed, and the properties built into it do not allow debug. A .conf "
                          "file's settings (Debug=1 included) reach an image only when `ccbox sign -c FILE` "
                          "signs it; sign the image (unsigned images run only in debug mode, when their "
                          "properties allow debug)");
    }
    return ok_result();
}

// EINIT: the SIGSTRUCT checks against the measured MRENCLAVE, and the identity committed to.
Result<EnclaveIdentity> einit_identity(const EnclaveImage& image, const LoadOptions& options,
                                       const Digest256& mrenclave) {
    const ccbox_enclave_config_t config = image.effective_config();
    EnclaveIdentity id;
    id.mrenclave = mrenclave;
    id.attributes = secs_attributes_for(config, options.debug);
    id.miscselect = kSecsMiscselect;
    if (const auto& signature = image.signature()) {
        const sgx::Sigstruct& sig = signature->sigstruct;
        auto einit = einit_verify(sig, EinitTarget{id.attributes, id.miscselect, mrenclave});
        if (!einit.ok())
            return load_error(image, einit.error().code(), einit.error().message());
        id.mrsigner = mrsigner_of(sig);
        id.isvprodid = sig.isvprodid;
        id.isvsvn = sig.isvsvn;
        std::memcpy(id.isvfamilyid, sig.isvfamilyid, 16);
        std::memcpy(id.isvextprodid, sig.isvextprodid, 16);
        id.signed_image = true;
    } else {
        id.isvprodid = config.product_id;
        id.isvsvn = config.security_version;
    }
    id.attributes.flags |= sgx::attr::kInit;
    return id;
}

Result<EnclaveIdentity> expected_identity(const EnclaveImage& image, const EnclaveLayout& layout,
                                          const LoadOptions& options) {
    CCBOX_TRY(check_launch(image, options));
    return einit_identity(image, options, layout.mrenclave());
}

Result<std::unique_ptr<LoadedEnclave>> load_enclave(const EnclaveImage& image, const LoadOptions& options) {
    CCBOX_TRY(check_launch(image, options));
    const ccbox_enclave_config_t config = image.effective_config();
    CCBOX_ASSIGN_OR_RETURN(EnclaveLayout layout, image.layout());

    std::unique_ptr<LoadedEnclave> enclave(new LoadedEnclave());
    enclave->size_ = layout.enclave_size();
    enclave->config_ = config;
    enclave->entry_offset_ = image.elf().entry();
    enclave->epc_pages_ = layout.epc_pages();
    enclave->has_tls_ = image.elf().tls().has_value();

    // ECREATE: reserve twice the size so that an aligned ELRANGE fits, then trim.
    const uint64_t size = enclave->size_;
    void* reserved = ::mmap(nullptr, size * 2, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (reserved == MAP_FAILED)
        return load_error(image, CCBOX_OUT_OF_MEMORY,
                          "cannot reserve " + std::to_string(size >> 20) + " MiB of address space: " +
                              std::strerror(errno));
    const auto start = reinterpret_cast<uintptr_t>(reserved);
    const uintptr_t base = (start + size - 1) & ~(size - 1);
    if (base > start)
        ::munmap(reserved, base - start);
    if (start + 2 * size > base + size)
        ::munmap(reinterpret_cast<void*>(base + size), start + 2 * size - (base + size));
    enclave->base_ = enclave->reservation_ = base;
    enclave->reservation_size_ = size;
    if (options.epc_memfd >= 0) {
        // The platform's memory for this enclave replaces the reservation (it stays unmapped
        // outside the pages the layout adds, as below).
        void* mapped = ::mmap(reinterpret_cast<void*>(base), size, PROT_NONE, MAP_SHARED | MAP_FIXED, options.epc_memfd, 0);
        if (mapped != reinterpret_cast<void*>(base))
            return load_error(image, CCBOX_OUT_OF_MEMORY, std::string("cannot map the enclave's EPC: ") + std::strerror(errno));
    }
    if (options.on_mapped)
        CCBOX_TRY(options.on_mapped(base, size));

    // EADD/EEXTEND: copy and measure each page as the SDM orders it.
    MeasurementBuilder measurement;
    measurement.ecreate(layout.ssa_frame_size(), size);
    alignas(64) uint8_t scratch[kPage];
    for (const PageRange& range : layout.ranges()) {
        auto* dest = reinterpret_cast<uint8_t*>(base + range.offset);
        const uint64_t bytes = range.count * kPage;
        if (::mprotect(dest, bytes, PROT_READ | PROT_WRITE) != 0)
            return load_error(image, CCBOX_OUT_OF_MEMORY, std::string("cannot map enclave pages: ") + std::strerror(errno));
        for (uint64_t i = 0; i < range.count; ++i) {
            const uint64_t offset = range.offset + i * kPage;
            if (range.content == PageContent::kZero && !range.measured) {
                measurement.eadd(offset, range.secinfo_flags);  // fresh anonymous memory is zero
                continue;
            }
            const uint8_t* content = layout.page_content(range, i, scratch);
            std::memcpy(dest + i * kPage, content, kPage);
            measurement.add_page(offset, range.secinfo_flags, dest + i * kPage, range.measured);
        }
    }
    const Digest256 mrenclave = measurement.finish();

    CCBOX_ASSIGN_OR_RETURN(enclave->identity_, einit_identity(image, options, mrenclave));
    // Page permissions as the EPCM would enforce them. Guard pages stay unmapped.
    for (const PageRange& range : layout.ranges())
        if (::mprotect(reinterpret_cast<void*>(base + range.offset), range.count * kPage, protection_of(range)) != 0)
            return load_error(image, CCBOX_UNEXPECTED, std::string("cannot protect enclave pages: ") + std::strerror(errno));
    for (const ThreadLayout& thread : layout.threads())
        enclave->thread_data_.push_back(base + thread.td_offset);
    return enclave;
}

}  // namespace ccbox
