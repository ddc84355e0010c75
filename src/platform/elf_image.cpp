#include "platform/elf_image.hpp"

#include "common/sgx/arch.h"

#include <algorithm>
#include <cstring>
#include <elf.h>

namespace ccbox {
namespace {

// Reads a trivially copyable T at `offset` of `bytes`; the caller has bounds-checked.
template <typename T>
T read_at(std::span<const uint8_t> bytes, uint64_t offset) {
    T value;
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return value;
}

// Whether [offset, offset+size) lies within a buffer of `total` bytes, without overflow.
bool range_fits(uint64_t offset, uint64_t size, uint64_t total) {
    return offset <= total && size <= total - offset;
}

std::string hex64(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

const char* elf_type_name(uint16_t type) {
    switch (type) {
        case ET_REL: return "a relocatable object (ET_REL)";
        case ET_EXEC: return "a fixed-address executable (ET_EXEC)";
        case ET_CORE: return "a core file (ET_CORE)";
        default: return "not an executable";
    }
}

}  // namespace

Error ElfImage::invalid(const std::string& what) const {
    return Error(CCBOX_INVALID_IMAGE, origin_ + ": " + what);
}

Result<ElfImage> ElfImage::load(const std::string& path) {
    CCBOX_ASSIGN_OR_RETURN(Bytes bytes, read_file(path, kMaxEnclaveSize));
    return parse(std::move(bytes), path);
}

Result<ElfImage> ElfImage::parse(Bytes bytes, std::string origin) {
    ElfImage image;
    image.bytes_ = std::move(bytes);
    image.origin_ = std::move(origin);
    const auto& b = image.bytes_;

    if (b.size() < sizeof(Elf64_Ehdr))
        return image.invalid("file is too small to be an ELF image (" + std::to_string(b.size()) + " bytes)");
    if (std::memcmp(b.data(), ELFMAG, SELFMAG) != 0)
        return image.invalid("not an ELF file (bad magic)");
    auto eh = read_at<Elf64_Ehdr>(b, 0);
    if (eh.e_ident[EI_CLASS] != ELFCLASS64)
        return image.invalid("not a 64-bit ELF image");
    if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
        return image.invalid("not a little-endian ELF image");
    if (eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT)
        return image.invalid("unsupported ELF version");
    if (eh.e_machine != EM_X86_64)
        return image.invalid("not an x86-64 image (e_machine " + std::to_string(eh.e_machine) + ")");
    if (eh.e_type != ET_DYN)
        return image.invalid(std::string("is ") + elf_type_name(eh.e_type) +
                             ", not a static PIE; link enclaves with -static-pie");
    image.entry_ = eh.e_entry;

    CCBOX_TRY(image.parse_program_headers());
    CCBOX_TRY(image.parse_section_headers());
    return image;
}

Result<void> ElfImage::parse_program_headers() {
    const auto& b = bytes_;
    auto eh = read_at<Elf64_Ehdr>(b, 0);
    if (eh.e_phnum == 0)
        return invalid("has no program headers");
    if (eh.e_phentsize != sizeof(Elf64_Phdr))
        return invalid("unexpected program header size " + std::to_string(eh.e_phentsize));
    if (!range_fits(eh.e_phoff, uint64_t(eh.e_phnum) * sizeof(Elf64_Phdr), b.size()))
        return invalid("program header table lies outside the file");

    std::optional<std::pair<uint64_t, uint64_t>> dynamic;
    for (uint16_t i = 0; i < eh.e_phnum; ++i) {
        auto ph = read_at<Elf64_Phdr>(b, eh.e_phoff + uint64_t(i) * sizeof(Elf64_Phdr));
        std::string name = "segment " + std::to_string(i);
        switch (ph.p_type) {
            case PT_INTERP:
                return invalid("has a program interpreter (PT_INTERP); enclaves must be static PIE images");
            case PT_DYNAMIC:
                if (!range_fits(ph.p_offset, ph.p_filesz, b.size()))
                    return invalid("dynamic section lies outside the file");
                dynamic = {ph.p_offset, ph.p_filesz};
                break;
            case PT_TLS:
                if (ph.p_filesz > ph.p_memsz)
                    return invalid("TLS segment: p_filesz exceeds p_memsz");
                if (ph.p_align == 0 || (ph.p_align & (ph.p_align - 1)) != 0 || ph.p_align > sgx::kPageSize)
                    return invalid("TLS segment: alignment " + std::to_string(ph.p_align) +
                                   " is not a power of two up to 4096");
                if (!range_fits(ph.p_offset, ph.p_filesz, b.size()))
                    return invalid("TLS segment lies outside the file");
                if (ph.p_memsz > kMaxEnclaveSize)
                    return invalid("TLS segment is larger than an enclave");
                tls_ = ElfTls{ph.p_vaddr, ph.p_filesz, ph.p_memsz, ph.p_align};
                break;
            case PT_LOAD: {
                if (ph.p_memsz == 0)
                    break;
                if (!range_fits(ph.p_offset, ph.p_filesz, b.size()))
                    return invalid(name + ": file range [" + hex64(ph.p_offset) + ", " +
                                   hex64(ph.p_offset + ph.p_filesz) + ") lies outside the file (" +
                                   std::to_string(b.size()) + " bytes)");
                if (ph.p_filesz > ph.p_memsz)
                    return invalid(name + ": p_filesz exceeds p_memsz");
                if (!range_fits(ph.p_vaddr, ph.p_memsz, kMaxEnclaveSize))
                    return invalid(name + ": addresses [" + hex64(ph.p_vaddr) + ", +" + hex64(ph.p_memsz) +
                                   ") extend beyond the 64 GiB enclave limit");
                uint32_t flags = ph.p_flags & (PF_R | PF_W | PF_X);
                if ((flags & PF_W) && (flags & PF_X))
                    return invalid(name + " is both writable and executable; enclaves keep W^X");
                segments_.push_back({ph.p_vaddr, ph.p_memsz, ph.p_offset, ph.p_filesz, flags});
                break;
            }
            default:
                break;
        }
    }
    if (segments_.empty())
        return invalid("has no loadable segments");
    std::sort(segments_.begin(), segments_.end(),
              [](const ElfSegment& a, const ElfSegment& c) { return a.vaddr < c.vaddr; });
    for (size_t i = 1; i < segments_.size(); ++i) {
        const auto& prev = segments_[i - 1];
        if (segments_[i].vaddr < prev.vaddr + prev.memsz)
            return invalid("loadable segments at " + hex64(prev.vaddr) + " and " + hex64(segments_[i].vaddr) +
                           " overlap");
    }
    const auto& last = segments_.back();
    image_size_ = (last.vaddr + last.memsz + sgx::kPageSize - 1) & ~(sgx::kPageSize - 1);

    bool entry_ok = std::any_of(segments_.begin(), segments_.end(), [&](const ElfSegment& s) {
        return (s.flags & PF_X) && entry_ >= s.vaddr && entry_ < s.vaddr + s.memsz;
    });
    if (!entry_ok)
        return invalid("entry point " + hex64(entry_) + " is not inside an executable segment");
    if (tls_) {
        bool tls_ok = std::any_of(segments_.begin(), segments_.end(), [&](const ElfSegment& s) {
            return tls_->vaddr >= s.vaddr && tls_->filesz <= s.filesz &&
                   tls_->vaddr - s.vaddr <= s.filesz - tls_->filesz;
        });
        if (!tls_ok)
            return invalid("TLS initialization image is not inside a loadable segment");
    }
    if (dynamic)
        CCBOX_TRY(check_dynamic_section(dynamic->first, dynamic->second));
    return ok_result();
}

Result<void> ElfImage::check_dynamic_section(uint64_t offset, uint64_t size) {
    uint64_t count = size / sizeof(Elf64_Dyn);
    uint64_t rela = 0, relasz = 0, relaent = sizeof(Elf64_Rela), jmprel = 0, pltrelsz = 0, pltrel = DT_RELA;
    bool have_rela = false, have_jmprel = false;
    for (uint64_t i = 0; i < count; ++i) {
        auto dyn = read_at<Elf64_Dyn>(bytes_, offset + i * sizeof(Elf64_Dyn));
        if (dyn.d_tag == DT_NULL)
            break;
        switch (dyn.d_tag) {
            case DT_NEEDED:
                return invalid("depends on shared libraries (DT_NEEDED); enclaves must be linked statically");
            // A static PIE has PLT relocations only for calls to GNU indirect functions
            // (R_X86_64_IRELATIVE, e.g. Debian's libm.a); anything else there is refused below.
            case DT_JMPREL: jmprel = dyn.d_un.d_ptr; have_jmprel = true; break;
            case DT_PLTRELSZ: pltrelsz = dyn.d_un.d_val; break;
            case DT_PLTREL: pltrel = dyn.d_un.d_val; break;
            case DT_REL:
            case DT_RELSZ:
                if (dyn.d_un.d_val != 0)
                    return invalid("has REL relocations; x86-64 enclaves use RELA only");
                break;
            case DT_RELA: rela = dyn.d_un.d_ptr; have_rela = true; break;
            case DT_RELASZ: relasz = dyn.d_un.d_val; break;
            case DT_RELAENT: relaent = dyn.d_un.d_val; break;
            default: break;
        }
    }
    if (have_rela && relasz != 0 && relaent != sizeof(Elf64_Rela))
        return invalid("unexpected relocation entry size " + std::to_string(relaent));
    if (have_jmprel && pltrelsz != 0 && pltrel != DT_RELA)
        return invalid("has REL PLT relocations; x86-64 enclaves use RELA only");
    if (have_rela && relasz != 0)
        CCBOX_TRY(check_relocation_table(rela, relasz, true));
    if (have_jmprel && pltrelsz != 0)
        CCBOX_TRY(check_relocation_table(jmprel, pltrelsz, false));
    return ok_result();
}

// The enclave runtime applies R_X86_64_RELATIVE (core/enclave_state.cpp) and R_X86_64_IRELATIVE
// (libc/ifunc.c: it calls the resolver at the addend, which must therefore be code of the image).
Result<void> ElfImage::check_relocation_table(uint64_t table, uint64_t size, bool relative_allowed) {
    const char* what = relative_allowed ? "relocation table" : "PLT relocation table";
    // Locate the relocation table in the file through the segment that maps it.
    for (const auto& s : segments_) {
        if (table < s.vaddr || table - s.vaddr >= s.filesz)
            continue;
        uint64_t file_offset = s.offset + (table - s.vaddr);
        if (size > s.filesz - (table - s.vaddr))
            return invalid(std::string(what) + " extends past its segment");
        for (uint64_t r = 0; r < size / sizeof(Elf64_Rela); ++r) {
            auto rel = read_at<Elf64_Rela>(bytes_, file_offset + r * sizeof(Elf64_Rela));
            const auto type = ELF64_R_TYPE(rel.r_info);
            const bool relative = type == R_X86_64_RELATIVE && relative_allowed;
            if (!relative && type != R_X86_64_IRELATIVE)
                return invalid("has relocation type " + std::to_string(type) + " in its " + what +
                               "; the enclave runtime applies only R_X86_64_RELATIVE and R_X86_64_IRELATIVE"
                               " (the latter also in the PLT)");
            bool target_ok = std::any_of(segments_.begin(), segments_.end(), [&](const ElfSegment& t) {
                return (t.flags & PF_W) && t.memsz >= 8 && rel.r_offset >= t.vaddr &&
                       rel.r_offset - t.vaddr <= t.memsz - 8;
            });
            if (!target_ok)
                return invalid("relocation at " + hex64(rel.r_offset) + " does not target a writable segment");
            if (type == R_X86_64_IRELATIVE) {
                const auto resolver = static_cast<uint64_t>(rel.r_addend);
                bool code = std::any_of(segments_.begin(), segments_.end(), [&](const ElfSegment& t) {
                    return (t.flags & PF_X) && resolver >= t.vaddr && resolver - t.vaddr < t.memsz;
                });
                if (!code)
                    return invalid("IRELATIVE relocation at " + hex64(rel.r_offset) + " has its resolver at " +
                                   hex64(resolver) + ", outside the image's executable segments");
            }
        }
        return ok_result();
    }
    return invalid(std::string(what) + " at " + hex64(table) + " is not inside a loadable segment");
}

Result<void> ElfImage::parse_section_headers() {
    const auto& b = bytes_;
    auto eh = read_at<Elf64_Ehdr>(b, 0);
    if (eh.e_shoff == 0 || eh.e_shnum == 0)
        return ok_result();
    if (eh.e_shentsize != sizeof(Elf64_Shdr))
        return invalid("unexpected section header size " + std::to_string(eh.e_shentsize));
    if (!range_fits(eh.e_shoff, uint64_t(eh.e_shnum) * sizeof(Elf64_Shdr), b.size()))
        return invalid("section header table lies outside the file");
    if (eh.e_shstrndx >= eh.e_shnum)
        return invalid("section name table index is out of range");
    auto strtab = read_at<Elf64_Shdr>(b, eh.e_shoff + uint64_t(eh.e_shstrndx) * sizeof(Elf64_Shdr));
    if (!range_fits(strtab.sh_offset, strtab.sh_size, b.size()))
        return invalid("section name table lies outside the file");

    for (uint16_t i = 0; i < eh.e_shnum; ++i) {
        auto sh = read_at<Elf64_Shdr>(b, eh.e_shoff + uint64_t(i) * sizeof(Elf64_Shdr));
        if (sh.sh_type == SHT_NULL)
            continue;
        if (sh.sh_name >= strtab.sh_size)
            return invalid("section " + std::to_string(i) + " has a name outside the name table");
        const char* name_begin = reinterpret_cast<const char*>(b.data() + strtab.sh_offset + sh.sh_name);
        size_t max_len = strtab.sh_size - sh.sh_name;
        size_t len = strnlen(name_begin, max_len);
        if (len == max_len)
            return invalid("section " + std::to_string(i) + " has an unterminated name");
        if (sh.sh_type != SHT_NOBITS && !range_fits(sh.sh_offset, sh.sh_size, b.size()))
            return invalid("section '" + std::string(name_begin, len) + "' lies outside the file");
        sections_.push_back({std::string(name_begin, len), sh.sh_type, sh.sh_flags, sh.sh_addr, sh.sh_offset,
                             sh.sh_size});
    }
    return ok_result();
}

const ElfSection* ElfImage::find_section(std::string_view name) const {
    for (const auto& s : sections_)
        if (s.name == name)
            return &s;
    return nullptr;
}

std::span<const uint8_t> ElfImage::section_bytes(const ElfSection& section) const {
    if (section.type == SHT_NOBITS)
        return {};
    return std::span<const uint8_t>(bytes_).subspan(section.offset, section.size);
}

bool ElfImage::file_range_is_loaded(uint64_t offset, uint64_t size) const {
    return std::any_of(segments_.begin(), segments_.end(), [&](const ElfSegment& s) {
        return offset < s.offset + s.filesz && s.offset < offset + size;
    });
}

}  // namespace ccbox
