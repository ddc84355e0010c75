#include "platform/enclave_image.hpp"

#include "platform/enclave_config.hpp"

#include <cstring>
#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ccbox {

Result<EnclaveImage> EnclaveImage::load(const std::string& path) {
    CCBOX_ASSIGN_OR_RETURN(ElfImage elf, ElfImage::load(path));
    return from_elf(std::move(elf));
}

Result<EnclaveImage> EnclaveImage::from_fd(int fd, const std::string& name) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<uint64_t>(st.st_size) > kMaxEnclaveSize)
        return Error(CCBOX_INVALID_IMAGE, name + ": not a regular file of a sane size");
    Bytes bytes(static_cast<size_t>(st.st_size));
    if (::pread(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size()))
        return Error(CCBOX_READ_FAILED, name + ": cannot read");
    CCBOX_ASSIGN_OR_RETURN(ElfImage elf, ElfImage::parse(std::move(bytes), name));
    return from_elf(std::move(elf));
}

Result<EnclaveLayout> EnclaveImage::layout() const {
    const ccbox_enclave_config_t config = effective_config();
    CCBOX_TRY(validate_enclave_config(config, origin()));
    return EnclaveLayout::compute(elf_, config);
}

Result<EnclaveImage> EnclaveImage::from_elf(ElfImage elf) {
    EnclaveImage image;
    image.elf_ = std::move(elf);
    CCBOX_TRY(image.read_properties());
    CCBOX_TRY(image.read_signature());
    return image;
}

ccbox_enclave_config_t EnclaveImage::base_config() const {
    return properties_ ? *properties_ : default_enclave_config();
}

Result<void> EnclaveImage::read_properties() {
    const ElfSection* section = elf_.find_section(kPropertiesSectionName);
    if (!section)
        return ok_result();
    auto bytes = elf_.section_bytes(*section);
    const std::string where = origin() + ": section " + kPropertiesSectionName;
    if (bytes.size() != sizeof(ccbox_enclave_properties_t))
        return Error(CCBOX_INVALID_IMAGE, where + " is " + std::to_string(bytes.size()) + " bytes, expected " +
                                              std::to_string(sizeof(ccbox_enclave_properties_t)) +
                                              " (is CCBOX_SET_ENCLAVE_PROPERTIES used more than once?)");
    ccbox_enclave_properties_t props;
    std::memcpy(&props, bytes.data(), sizeof props);
    if (props.magic != CCBOX_PROPERTIES_MAGIC || props.version != CCBOX_PROPERTIES_VERSION ||
        props.size != sizeof props)
        return Error(CCBOX_INVALID_IMAGE, where + " has a wrong magic, version or size");
    CCBOX_TRY(validate_enclave_config(props.config, where));
    properties_ = props.config;
    return ok_result();
}

Result<void> EnclaveImage::read_signature() {
    const ElfSection* section = elf_.find_section(kSignatureSectionName);
    if (!section)
        return ok_result();
    const std::string where = origin() + ": section " + kSignatureSectionName;
    if (section->type == SHT_NOBITS || section->size != kSignatureSectionSize || (section->flags & SHF_ALLOC))
        return Error(CCBOX_INVALID_IMAGE, where + " must be a non-allocated section of " +
                                              std::to_string(kSignatureSectionSize) + " bytes");
    if (elf_.file_range_is_loaded(section->offset, section->size))
        return Error(CCBOX_INVALID_IMAGE, where + " overlaps a loaded segment");
    signature_offset_ = section->offset;
    SignatureSection sig;
    std::memcpy(&sig, elf_.section_bytes(*section).data(), sizeof sig);
    if (sig.magic == 0)
        return ok_result();  // reserved by the runtime, not signed yet
    if (sig.magic != kSignatureMagic || sig.version != kSignatureVersion || sig.size != sizeof sig)
        return Error(CCBOX_INVALID_IMAGE, where + " has a wrong magic, version or size");
    CCBOX_TRY(validate_enclave_config(sig.config, where));
    signature_ = sig;
    return ok_result();
}

}  // namespace ccbox
