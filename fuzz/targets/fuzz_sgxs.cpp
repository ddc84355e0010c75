// Fuzzes the SGXS stream replay.
#include "platform/measurement.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    (void)ccbox::replay_sgxs(std::span<const uint8_t>(data, size), "fuzz");
    return 0;
}
