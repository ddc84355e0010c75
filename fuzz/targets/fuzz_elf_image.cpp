// Fuzzes the enclave image parsers: ELF, the ccbox sections, and the layout of what parses.
#include "platform/enclave_config.hpp"
#include "platform/enclave_image.hpp"
#include "platform/layout.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto elf = ccbox::ElfImage::parse(ccbox::Bytes(data, data + size), "fuzz");
    if (!elf.ok())
        return 0;
    auto image = ccbox::EnclaveImage::from_elf(std::move(elf).value());
    if (!image.ok())
        return 0;
    ccbox_enclave_config_t config = image->base_config();
    // Keep the layout small enough to measure quickly; its arithmetic is what matters here.
    config.num_heap_pages = config.num_heap_pages % 64 + 1;
    config.num_stack_pages = config.num_stack_pages % 8 + 1;
    config.num_tcs = config.num_tcs % 4 + 1;
    if (!ccbox::validate_enclave_config(config, "fuzz").ok() || image->elf().image_size() > (64u << 20))
        return 0;
    auto layout = ccbox::EnclaveLayout::compute(image->elf(), config);
    if (layout.ok())
        (void)layout->mrenclave();
    return 0;
}
