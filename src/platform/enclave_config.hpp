// The enclave configuration (Open Enclave's .conf keys): defaults, validation, and the SECS
// attributes it implies. Trust domain: platform. Configurations come from images and files
// that may be hostile, so every loader validates before use.
#pragma once

#include <ccbox/bits/properties.h>

#include "common/sgx/arch.h"
#include "support/result.hpp"

#include <string>

namespace ccbox {

// Used when neither the image nor a configuration file sets a value (docs/configuration.md).
inline constexpr uint64_t kDefaultHeapPages = 1024;  // 4 MiB
inline constexpr uint64_t kDefaultStackPages = 64;   // 256 KiB per TCS
inline constexpr uint32_t kDefaultTcsCount = 4;

ccbox_enclave_config_t default_enclave_config();

// Checks every field's range; `origin` prefixes the message. Whether the whole enclave fits
// the 64 GiB ELRANGE is checked when the layout is computed.
Result<void> validate_enclave_config(const ccbox_enclave_config_t& config, const std::string& origin);

bool config_allows_debug(const ccbox_enclave_config_t& config);
bool config_uses_kss(const ccbox_enclave_config_t& config);

// The SECS attributes ECREATE gives an enclave of this configuration.
sgx::Attributes secs_attributes_for(const ccbox_enclave_config_t& config, bool debug_launch);
inline constexpr uint32_t kSecsMiscselect = 0;

}  // namespace ccbox
