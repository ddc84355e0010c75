// `ccbox inspect`: the identity and validity of a signed image or a bare SIGSTRUCT.
#pragma once

#include <ccbox/bits/properties.h>

#include "platform/sigstruct.hpp"
#include "support/file_io.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ccbox {

struct InspectReport {
    std::string path;
    bool is_image = false;
    sgx::Sigstruct sigstruct{};
    Digest256 mrsigner{};
    std::optional<ccbox_enclave_config_t> config;  // images: the signed configuration
    std::optional<Digest256> measured;             // images: what the image measures to now
    uint64_t elrange_bytes = 0;                    // images: the layout's ELRANGE size
    uint64_t epc_pages = 0;                        // images: EPC it takes (pages added + SECS)
    std::vector<SigstructCheck> checks;

    bool signature_valid() const;
    bool measurement_matches() const;
    bool all_checks_passed() const;
};

// A file starting with the ELF magic is an image (it must be signed); a 1808-byte file is a
// SIGSTRUCT; anything else is refused.
Result<InspectReport> inspect_file(const std::string& path);
// The same for contents already read (`path` names them in messages).
Result<InspectReport> inspect_bytes(Bytes bytes, const std::string& path);

std::string attribute_names(uint64_t flags);  // "MODE64BIT|DEBUG"
std::string format_report_text(const InspectReport& report);
nlohmann::json report_json(const InspectReport& report);

}  // namespace ccbox
