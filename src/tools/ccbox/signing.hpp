// Offline image operations of the `ccbox` tool: resolve an image's configuration, measure it,
// and write a signed copy. Everything goes through the platform's layout and measurement,
// the same code the loaders use.
#pragma once

#include "platform/enclave_image.hpp"
#include "platform/layout.hpp"
#include "platform/sigstruct.hpp"
#include "tools/ccbox/config_file.hpp"

#include <optional>
#include <string>

namespace ccbox {

struct ResolvedEnclave {
    EnclaveImage image;
    ccbox_enclave_config_t config{};
    std::optional<ConfigFile> config_file;
};

// Defaults, overridden by the image's .ccbox.props, overridden by the configuration file.
// Checks that the result is valid and that the enclave fits into ELRANGE.
Result<ResolvedEnclave> resolve_enclave(const std::string& image_path, const std::optional<std::string>& config_path);

// MRENCLAVE of the resolved enclave; the stream also goes to `sink` if given.
Result<Digest256> measure_enclave(const ResolvedEnclave& enclave, MeasurementSink sink = {});

// The SIGSTRUCT fields ccbox uses for an enclave configuration (docs/image-format.md).
SigstructFields sigstruct_fields_for(const ccbox_enclave_config_t& config, const Digest256& mrenclave, uint32_t date);

// Writes a copy of the image with .ccbox.sig filled in, atomically.
Result<void> write_signed_image(const ResolvedEnclave& enclave, const sgx::Sigstruct& sigstruct,
                                const std::string& out_path);

}  // namespace ccbox
