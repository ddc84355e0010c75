// A small enclave image built byte by byte (no compiler involved), so that tests can mutate
// every field and so that its MRENCLAVE is the same on every machine.
#pragma once

#include <cstdint>
#include <vector>

namespace ccbox::test {

struct SyntheticElf {
    std::vector<uint8_t> bytes;
    // File offsets of the structures, for tests that corrupt them.
    static constexpr uint64_t kPhoff = 64;
    static constexpr uint64_t kPhentsize = 56;
    static constexpr uint64_t kCodeOffset = 0x100;
    static constexpr uint64_t kDataOffset = 0x1000;
    static constexpr uint64_t kSigOffset = 0x1800;
    uint64_t shoff = 0;
};

// Two loadable segments (R+X with the headers and code; RW with data and bss), a
// non-allocated .ccbox.sig section and a section name table.
SyntheticElf make_synthetic_elf();

}  // namespace ccbox::test
