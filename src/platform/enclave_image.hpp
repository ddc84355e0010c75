// EnclaveImage: an ELF image together with its ccbox sections: the developer's properties
// (.ccbox.props) and, once signed, the effective configuration and SIGSTRUCT (.ccbox.sig).
// Trust domain: platform. Both sections are untrusted input and are validated here.
#pragma once

#include "common/image_sections.h"
#include "platform/elf_image.hpp"
#include "platform/layout.hpp"

#include <optional>

namespace ccbox {

class EnclaveImage {
public:
    static Result<EnclaveImage> load(const std::string& path);
    // The image behind an open descriptor (the platform gets images as descriptors); `name`
    // names it in messages.
    static Result<EnclaveImage> from_fd(int fd, const std::string& name);
    static Result<EnclaveImage> from_elf(ElfImage elf);

    const ElfImage& elf() const { return elf_; }
    const std::string& origin() const { return elf_.origin(); }

    // The developer's defaults from .ccbox.props, if the image has them.
    const std::optional<ccbox_enclave_config_t>& embedded_properties() const { return properties_; }
    // Defaults overridden by .ccbox.props.
    ccbox_enclave_config_t base_config() const;
    // The configuration the enclave is laid out with: the signed one, else base_config().
    ccbox_enclave_config_t effective_config() const { return signature_ ? signature_->config : base_config(); }
    // The layout of effective_config(), once it is validated.
    Result<EnclaveLayout> layout() const;

    bool has_signature_section() const { return signature_offset_ != 0; }
    uint64_t signature_section_offset() const { return signature_offset_; }
    // The signed configuration and SIGSTRUCT, if `ccbox sign` filled the section.
    const std::optional<SignatureSection>& signature() const { return signature_; }

private:
    Result<void> read_properties();
    Result<void> read_signature();

    ElfImage elf_;
    std::optional<ccbox_enclave_config_t> properties_;
    std::optional<SignatureSection> signature_;
    uint64_t signature_offset_ = 0;
};

}  // namespace ccbox
