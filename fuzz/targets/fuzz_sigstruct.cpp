// Fuzzes `ccbox inspect` on everything that is not an ELF image (fuzz_elf_image covers those):
// the file-type decision for inputs of any size (truncated, oversized), the SIGSTRUCT checks of
// EINIT on 1808-byte inputs, and both report formats.
#include "tools/ccbox/inspect.hpp"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size >= 4 && std::memcmp(data, "\x7f" "ELF", 4) == 0)
        return 0;
    auto report = ccbox::inspect_bytes(ccbox::Bytes(data, data + size), "fuzz");
    if (!report.ok())
        return 0;
    (void)ccbox::format_report_text(*report);
    (void)ccbox::report_json(*report).dump();
    return 0;
}
