// Fuzzes the SIGSTRUCT checks (EINIT) on arbitrary 1808-byte inputs.
#include "platform/sigstruct.hpp"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ccbox::sgx::Sigstruct sig{};
    std::memcpy(&sig, data, std::min(size, sizeof sig));
    ccbox::EinitTarget target;
    target.attributes = {ccbox::sgx::attr::kMode64Bit, 3};
    auto checks = ccbox::check_sigstruct_for_einit(sig, target);
    (void)ccbox::mrsigner_of(sig);
    return checks.empty() ? 1 : 0;
}
