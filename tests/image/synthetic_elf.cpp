#include "synthetic_elf.hpp"

#include <cstring>
#include <elf.h>
#include <string>

namespace ccbox::test {

SyntheticElf make_synthetic_elf() {
    SyntheticElf elf;
    const std::string names = std::string("\0.ccbox.sig\0.shstrtab\0", 22);
    const uint64_t strtab_offset = SyntheticElf::kSigOffset + 4096;
    elf.shoff = (strtab_offset + names.size() + 7) & ~uint64_t(7);
    auto& b = elf.bytes;
    b.assign(elf.shoff + 3 * sizeof(Elf64_Shdr), 0);

    Elf64_Ehdr eh{};
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_DYN;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = SyntheticElf::kCodeOffset;
    eh.e_phoff = SyntheticElf::kPhoff;
    eh.e_shoff = elf.shoff;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = 2;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = 3;
    eh.e_shstrndx = 2;
    std::memcpy(b.data(), &eh, sizeof eh);

    Elf64_Phdr text{PT_LOAD, PF_R | PF_X, 0, 0, 0, 0x1000, 0x1000, 0x1000};
    Elf64_Phdr data{PT_LOAD, PF_R | PF_W, SyntheticElf::kDataOffset, 0x1000, 0x1000, 0x800, 0x2000, 0x1000};
    std::memcpy(b.data() + SyntheticElf::kPhoff, &text, sizeof text);
    std::memcpy(b.data() + SyntheticElf::kPhoff + sizeof text, &data, sizeof data);

    for (uint64_t i = 0; i < 0x100; ++i)  // "code": a recognisable pattern ending in ret
        b[SyntheticElf::kCodeOffset + i] = static_cast<uint8_t>(0x90 ^ i);
    b[SyntheticElf::kCodeOffset + 0x100] = 0xc3;
    for (uint64_t i = 0; i < 0x800; ++i)
        b[SyntheticElf::kDataOffset + i] = static_cast<uint8_t>(i * 13 + 1);
    std::memcpy(b.data() + strtab_offset, names.data(), names.size());

    Elf64_Shdr sections[3]{};
    sections[1].sh_name = 1;  // .ccbox.sig
    sections[1].sh_type = SHT_PROGBITS;
    sections[1].sh_offset = SyntheticElf::kSigOffset;
    sections[1].sh_size = 4096;
    sections[1].sh_addralign = 8;
    sections[2].sh_name = 12;  // .shstrtab
    sections[2].sh_type = SHT_STRTAB;
    sections[2].sh_offset = strtab_offset;
    sections[2].sh_size = names.size();
    sections[2].sh_addralign = 1;
    std::memcpy(b.data() + elf.shoff, sections, sizeof sections);
    return elf;
}

}  // namespace ccbox::test
