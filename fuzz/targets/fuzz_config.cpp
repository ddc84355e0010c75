// Fuzzes the enclave configuration file parser and the validation of its result.
#include "platform/enclave_config.hpp"
#include "tools/ccbox/config_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto file = ccbox::parse_config_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.conf");
    if (file.ok())
        (void)ccbox::validate_enclave_config(file->apply(ccbox::default_enclave_config()), "fuzz.conf");
    return 0;
}
