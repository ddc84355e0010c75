// Enclave configuration files (Open Enclave's .conf format: KEY=VALUE lines, '#' comments).
// Every error names the file, the line and the key.
#pragma once

#include <ccbox/bits/properties.h>

#include "support/result.hpp"

#include <map>
#include <string>
#include <string_view>

namespace ccbox {

struct ConfigFile {
    std::string path;
    // The keys the file sets, with the line that set each (for later messages).
    std::map<std::string, int> lines;
    // Applies the file's values on top of `base`.
    ccbox_enclave_config_t apply(const ccbox_enclave_config_t& base) const;
    // "PATH:LINE: KEY" for a key the file sets, or PATH alone.
    std::string where(const std::string& key) const;

    // Parsed values (only meaningful for keys present in `lines`).
    ccbox_enclave_config_t values{};
};

Result<ConfigFile> parse_config_text(std::string_view text, const std::string& path);
Result<ConfigFile> load_config_file(const std::string& path);

}  // namespace ccbox
