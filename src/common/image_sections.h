// Layouts of the ccbox sections of an enclave image (docs/image-format.md).
// Trust domain: common. Tools and the platform read and write them; enclave code never does.
//
//   .ccbox.props  allocated, measured: the developer's defaults (CCBOX_SET_ENCLAVE_PROPERTIES).
//   .ccbox.sig    not allocated, not measured: reserved by the trusted runtime, filled by
//                 `ccbox sign` with the effective configuration and the SIGSTRUCT.
#pragma once

#include <ccbox/bits/properties.h>

#include "common/sgx/arch.h"

#include <cstddef>
#include <cstdint>

namespace ccbox {

static_assert(sizeof(ccbox_enclave_config_t) == 64);
static_assert(offsetof(ccbox_enclave_config_t, num_heap_pages) == 8);
static_assert(offsetof(ccbox_enclave_config_t, product_id) == 24);
static_assert(offsetof(ccbox_enclave_config_t, family_id) == 32);
static_assert(offsetof(ccbox_enclave_config_t, extended_product_id) == 48);
static_assert(sizeof(ccbox_enclave_properties_t) == 80);

inline constexpr const char* kPropertiesSectionName = CCBOX_PROPERTIES_SECTION;
inline constexpr const char* kSignatureSectionName = ".ccbox.sig";
inline constexpr uint64_t kSignatureMagic = 0x3147495358424343ull;  // "CCBXSIG1"
inline constexpr uint32_t kSignatureVersion = 1;
inline constexpr std::size_t kSignatureSectionSize = 4096;

struct SignatureSection {
    uint64_t magic;                 // kSignatureMagic once signed; zero in an unsigned image
    uint32_t version;               // kSignatureVersion
    uint32_t size;                  // sizeof(SignatureSection)
    ccbox_enclave_config_t config;  // the configuration the SIGSTRUCT was made for
    sgx::Sigstruct sigstruct;
    uint8_t reserved[kSignatureSectionSize - 16 - sizeof(ccbox_enclave_config_t) - sizeof(sgx::Sigstruct)];
};
static_assert(sizeof(SignatureSection) == kSignatureSectionSize);
static_assert(offsetof(SignatureSection, config) == 16);
static_assert(offsetof(SignatureSection, sigstruct) == 80);
static_assert(std::is_standard_layout_v<SignatureSection> && std::is_trivially_copyable_v<SignatureSection>);

}  // namespace ccbox
