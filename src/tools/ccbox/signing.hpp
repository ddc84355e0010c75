// Offline image operations of the `ccbox` tool: resolve an image's configuration, measure it,
// and write a signed copy. Everything goes through the platform's layout and measurement,
// the same code the loaders use.
#pragma once

#include "platform/enclave_image.hpp"
#include "platform/layout.hpp"
#include "platform/sigstruct.hpp"
#include "support/rsa_key.hpp"
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

// What `ccbox sign` and Open Enclave's `oesign sign` do: resolve, measure, sign (one step with
// `key_path`, or two step with `public_key` and the signature in `signature_path`), write.
struct SignRequest {
    std::string image, config, out, date;  // out: default IMAGE.signed; date: YYYYMMDD, default today
    std::string key_path;
    std::optional<RsaKey> public_key;
    std::string public_key_origin;  // names the public key in messages
    std::string signature_path;
};
Result<void> sign_image(const SignRequest& request);

// The 32-byte digest a key kept offline signs in two-step signing, written to `out`.
Result<void> write_signing_digest(const std::string& image, const std::string& config, const std::string& date,
                                  const std::string& out);

// Writes a copy of the image with .ccbox.sig filled in, atomically.
Result<void> write_signed_image(const ResolvedEnclave& enclave, const sgx::Sigstruct& sigstruct,
                                const std::string& out_path);

}  // namespace ccbox
