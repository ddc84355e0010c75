// Malformed enclave images: every refusal names the file and what was wrong, and nothing
// crashes.
#include "platform/elf_image.hpp"
#include "platform/enclave_image.hpp"
#include "synthetic_elf.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <elf.h>
#include <functional>

namespace ccbox {
namespace {

using test::SyntheticElf;

template <typename T>
void patch(std::vector<uint8_t>& b, uint64_t offset, T value) {
    std::memcpy(b.data() + offset, &value, sizeof value);
}

Elf64_Phdr phdr(const std::vector<uint8_t>& b, int i) {
    Elf64_Phdr p;
    std::memcpy(&p, b.data() + SyntheticElf::kPhoff + i * SyntheticElf::kPhentsize, sizeof p);
    return p;
}

void set_phdr(std::vector<uint8_t>& b, int i, const Elf64_Phdr& p) {
    std::memcpy(b.data() + SyntheticElf::kPhoff + i * SyntheticElf::kPhentsize, &p, sizeof p);
}

TEST(ElfImage, TheSyntheticImageIsValid) {
    auto elf = ElfImage::parse(test::make_synthetic_elf().bytes, "synthetic.elf");
    ASSERT_TRUE(elf.ok()) << elf.error().message();
    EXPECT_EQ(elf->segments().size(), 2u);
    EXPECT_EQ(elf->entry(), SyntheticElf::kCodeOffset);
    EXPECT_EQ(elf->image_size(), 0x3000u);
    auto image = EnclaveImage::from_elf(std::move(elf).value());
    ASSERT_TRUE(image.ok()) << image.error().message();
    EXPECT_TRUE(image->has_signature_section());
    EXPECT_FALSE(image->signature().has_value());
}

struct Corruption {
    const char* name;
    std::function<void(std::vector<uint8_t>&)> corrupt;
    const char* message;
};

TEST(ElfImage, MalformedImagesAreRefusedWithTheirReason) {
    const std::vector<Corruption> cases = {
        {"empty", [](auto& b) { b.clear(); }, "file is too small to be an ELF image (0 bytes)"},
        {"truncated header", [](auto& b) { b.resize(40); }, "too small to be an ELF image (40 bytes)"},
        {"not elf", [](auto& b) { b[1] = 'X'; }, "not an ELF file"},
        {"32-bit", [](auto& b) { b[EI_CLASS] = ELFCLASS32; }, "not a 64-bit ELF image"},
        {"big endian", [](auto& b) { b[EI_DATA] = ELFDATA2MSB; }, "not a little-endian ELF image"},
        {"arm", [](auto& b) { patch<uint16_t>(b, 18, EM_AARCH64); }, "not an x86-64 image (e_machine 183)"},
        {"exec", [](auto& b) { patch<uint16_t>(b, 16, ET_EXEC); }, "fixed-address executable (ET_EXEC), not a static PIE"},
        {"object", [](auto& b) { patch<uint16_t>(b, 16, ET_REL); }, "relocatable object"},
        {"phdrs outside", [](auto& b) { patch<uint64_t>(b, 32, 1u << 30); }, "program header table lies outside the file"},
        {"no phdrs", [](auto& b) { patch<uint16_t>(b, 56, 0); }, "has no program headers"},
        {"segment outside file",
         [](auto& b) {
             auto p = phdr(b, 1);
             p.p_filesz = 1u << 24;
             p.p_memsz = 1u << 24;
             set_phdr(b, 1, p);
         },
         "segment 1: file range [0x1000, 0x1001000) lies outside the file"},
        {"filesz above memsz",
         [](auto& b) {
             auto p = phdr(b, 1);
             p.p_memsz = 0x100;
             p.p_filesz = 0x101;
             set_phdr(b, 1, p);
         },
         "segment 1: p_filesz exceeds p_memsz"},
        {"overlap",
         [](auto& b) {
             auto p = phdr(b, 1);
             p.p_vaddr = 0x800;
             set_phdr(b, 1, p);
         },
         "loadable segments at 0x0 and 0x800 overlap"},
        {"beyond 64 GiB",
         [](auto& b) {
             auto p = phdr(b, 1);
             p.p_vaddr = uint64_t(1) << 36;
             set_phdr(b, 1, p);
         },
         "extend beyond the 64 GiB enclave limit"},
        {"wrapping address",
         [](auto& b) {
             auto p = phdr(b, 1);
             p.p_vaddr = ~uint64_t(0) - 0x10;
             set_phdr(b, 1, p);
         },
         "extend beyond the 64 GiB enclave limit"},
        {"write and execute",
         [](auto& b) {
             auto p = phdr(b, 0);
             p.p_flags = PF_R | PF_W | PF_X;
             set_phdr(b, 0, p);
         },
         "segment 0 is both writable and executable"},
        {"interpreter",
         [](auto& b) {
             auto p = phdr(b, 1);
             p.p_type = PT_INTERP;
             set_phdr(b, 1, p);
         },
         "has a program interpreter (PT_INTERP)"},
        {"no loadable segment",
         [](auto& b) {
             for (int i = 0; i < 2; ++i) {
                 auto p = phdr(b, i);
                 p.p_type = PT_NOTE;
                 set_phdr(b, i, p);
             }
         },
         "has no loadable segments"},
        {"entry in data", [](auto& b) { patch<uint64_t>(b, 24, 0x1010); }, "entry point 0x1010 is not inside an executable segment"},
        {"section table outside", [](auto& b) { patch<uint64_t>(b, 40, 1u << 30); }, "section header table lies outside the file"},
        {"bad shstrndx", [](auto& b) { patch<uint16_t>(b, 62, 9); }, "section name table index is out of range"},
    };
    for (const auto& c : cases) {
        auto bytes = test::make_synthetic_elf().bytes;
        c.corrupt(bytes);
        auto elf = ElfImage::parse(bytes, "bad.elf");
        ASSERT_FALSE(elf.ok()) << c.name;
        EXPECT_EQ(elf.error().code(), CCBOX_INVALID_IMAGE) << c.name;
        EXPECT_EQ(elf.error().message().rfind("bad.elf: ", 0), 0u) << c.name << ": " << elf.error().message();
        EXPECT_NE(elf.error().message().find(c.message), std::string::npos) << c.name << ": " << elf.error().message();
    }
}

TEST(ElfImage, DynamicDependenciesAndForeignRelocationsAreRefused) {
    // Append a PT_DYNAMIC segment pointing at a small dynamic table placed in the RW data.
    auto make = [](std::vector<Elf64_Dyn> entries, std::vector<Elf64_Rela> relas) {
        auto b = test::make_synthetic_elf().bytes;
        const uint64_t dyn_off = SyntheticElf::kDataOffset + 0x100, rela_off = SyntheticElf::kDataOffset + 0x400;
        for (auto& e : entries)
            if (e.d_tag == DT_RELA)
                e.d_un.d_ptr = 0x1400;
        entries.push_back({DT_NULL, {0}});
        std::memcpy(b.data() + dyn_off, entries.data(), entries.size() * sizeof(Elf64_Dyn));
        if (!relas.empty())
            std::memcpy(b.data() + rela_off, relas.data(), relas.size() * sizeof(Elf64_Rela));
        // Turn the (unused) phdr slot after the two segments into PT_DYNAMIC.
        Elf64_Phdr dyn{PT_DYNAMIC, PF_R | PF_W, dyn_off, 0x1100, 0x1100, entries.size() * sizeof(Elf64_Dyn),
                       entries.size() * sizeof(Elf64_Dyn), 8};
        // Move the code away from the third phdr slot: the synthetic code starts at 0x100.
        std::memcpy(b.data() + SyntheticElf::kPhoff + 2 * SyntheticElf::kPhentsize, &dyn, sizeof dyn);
        patch<uint16_t>(b, 56, 3);
        return b;
    };
    struct Case {
        std::vector<Elf64_Dyn> dyn;
        std::vector<Elf64_Rela> rela;
        const char* message;
    };
    const std::vector<Case> cases = {
        {{{DT_NEEDED, {1}}}, {}, "depends on shared libraries (DT_NEEDED)"},
        // PLT relocations: only IRELATIVE (calls to GNU indirect functions, libm.a's).
        {{{DT_JMPREL, {0x1400}}, {DT_PLTRELSZ, {24}}}, {{0x1800, ELF64_R_INFO(1, R_X86_64_JUMP_SLOT), 0}},
         "has relocation type 7 in its PLT relocation table"},
        {{{DT_JMPREL, {0x1400}}, {DT_PLTRELSZ, {24}}}, {{0x1800, ELF64_R_INFO(0, R_X86_64_RELATIVE), 0x100}},
         "has relocation type 8 in its PLT relocation table"},
        {{{DT_JMPREL, {0x1400}}, {DT_PLTRELSZ, {24}}, {DT_PLTREL, {DT_REL}}}, {}, "has REL PLT relocations"},
        // An IRELATIVE resolver is called inside the enclave: it must be the image's code.
        {{{DT_RELA, {0}}, {DT_RELASZ, {24}}}, {{0x1800, ELF64_R_INFO(0, R_X86_64_IRELATIVE), 0x1810}},
         "IRELATIVE relocation at 0x1800 has its resolver at 0x1810, outside the image's executable segments"},
        {{{DT_JMPREL, {0x1400}}, {DT_PLTRELSZ, {24}}}, {{0x1800, ELF64_R_INFO(0, R_X86_64_IRELATIVE), 1ull << 40}},
         "outside the image's executable segments"},
        {{{DT_RELA, {0}}, {DT_RELASZ, {24}}}, {{0x1800, ELF64_R_INFO(0, R_X86_64_GLOB_DAT), 0}}, "has relocation type 6"},
        {{{DT_RELA, {0}}, {DT_RELASZ, {24}}}, {{0x10, ELF64_R_INFO(0, R_X86_64_RELATIVE), 0}},
         "relocation at 0x10 does not target a writable segment"},
    };
    for (const auto& c : cases) {
        auto elf = ElfImage::parse(make(c.dyn, c.rela), "dyn.elf");
        ASSERT_FALSE(elf.ok()) << c.message;
        EXPECT_NE(elf.error().message().find(c.message), std::string::npos) << elf.error().message();
    }
    auto ok = ElfImage::parse(make({{DT_RELA, {0}}, {DT_RELASZ, {24}}},
                                   {{0x1800, ELF64_R_INFO(0, R_X86_64_RELATIVE), 0x100}}),
                              "good.elf");
    EXPECT_TRUE(ok.ok()) << ok.error().message();
    auto ifunc = ElfImage::parse(make({{DT_JMPREL, {0x1400}}, {DT_PLTRELSZ, {24}}},
                                      {{0x1800, ELF64_R_INFO(0, R_X86_64_IRELATIVE), 0x100}}),
                                 "ifunc.elf");
    EXPECT_TRUE(ifunc.ok()) << ifunc.error().message();
}

TEST(ElfImage, CcboxSectionsAreValidated) {
    auto bytes = test::make_synthetic_elf().bytes;
    // A signature section claiming to be signed, with garbage after the magic.
    uint64_t magic = 0x3147495358424343ull;
    std::memcpy(bytes.data() + SyntheticElf::kSigOffset, &magic, 8);
    auto image = EnclaveImage::from_elf(ElfImage::parse(bytes, "sig.elf").value());
    ASSERT_FALSE(image.ok());
    EXPECT_NE(image.error().message().find("sig.elf: section .ccbox.sig has a wrong magic, version or size"),
              std::string::npos);
}

// 20,000 corrupted headers and tables. A memory error here is only visible under the sanitizers:
// the ASan + UBSan job runs this test (docs/testing.md), which is where "never crashes" is
// checked. Everywhere, each outcome must be a clean one: an accepted image, or an
// CCBOX_INVALID_IMAGE error that names the file; the same bytes always give the same answer;
// and the corruptions do reach both outcomes (the test is not vacuous).
TEST(ElfImage, RandomCorruptionNeverCrashes) {
    const auto original = test::make_synthetic_elf().bytes;
    uint64_t state = 12345;
    int accepted = 0, refused = 0;
    for (int round = 0; round < 20000; ++round) {
        auto bytes = original;
        for (int flips = 0; flips < 4; ++flips) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            size_t at = (state >> 33) % 0x200;  // headers and program/section tables
            if ((state >> 20) & 1)
                at = SyntheticElf::kPhoff + (state >> 40) % (2 * SyntheticElf::kPhentsize);
            bytes[at] ^= static_cast<uint8_t>(state >> 56 | 1);
        }
        if ((state >> 13) % 7 == 0)
            bytes.resize((state >> 17) % bytes.size());
        auto elf = ElfImage::parse(bytes, "fuzz.elf");
        auto again = ElfImage::parse(bytes, "fuzz.elf");
        ASSERT_EQ(elf.ok(), again.ok()) << "round " << round << ": not deterministic";
        if (!elf.ok()) {
            ++refused;
            ASSERT_EQ(elf.error().code(), CCBOX_INVALID_IMAGE) << "round " << round;
            ASSERT_EQ(elf.error().message().rfind("fuzz.elf: ", 0), 0u) << elf.error().message();
            ASSERT_EQ(elf.error().message(), again.error().message());
            continue;
        }
        ++accepted;
        auto image = EnclaveImage::from_elf(std::move(elf).value());
        if (!image.ok()) {
            ASSERT_NE(image.error().message().find("fuzz.elf"), std::string::npos) << image.error().message();
        }
    }
    EXPECT_GT(refused, 10000) << "most corruptions of the headers must be refused";
    EXPECT_GT(accepted, 0) << "some corruptions hit bytes that do not matter";
}

}  // namespace
}  // namespace ccbox
