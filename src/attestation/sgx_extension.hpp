// The SGX extension of PCK certificates, OID 1.2.840.113741.1.13.1, in exactly Intel's ASN.1
// structure (sgx-formats.md §7): a SEQUENCE of {OID, value} for PPID, TCB (16 component SVNs,
// PCESVN, CPUSVN), PCE-ID, FMSPC, SGX type and, on Platform-CA certificates, the platform
// instance ID and configuration. Parsed with OpenSSL's generic DER types, written the same way,
// so a certificate we issue parses in Intel's code and an Intel certificate parses in ours.
#pragma once

#include "support/result.hpp"

#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ccbox::attestation {

inline constexpr const char* kSgxExtensionOid = "1.2.840.113741.1.13.1";

enum class SgxType : uint8_t { kStandard = 0, kScalable = 1, kScalableWithIntegrity = 2 };

struct SgxConfiguration {
    std::optional<bool> dynamic_platform;
    std::optional<bool> cached_keys;
    std::optional<bool> smt_enabled;
};

struct SgxExtension {
    std::array<uint8_t, 16> ppid{};
    std::array<uint8_t, 16> tcb_components{};  // .2.1 … .2.16
    uint16_t pcesvn = 0;                       // .2.17
    std::array<uint8_t, 16> cpusvn{};          // .2.18
    std::array<uint8_t, 2> pce_id{};
    std::array<uint8_t, 6> fmspc{};
    SgxType sgx_type = SgxType::kStandard;
    std::optional<std::array<uint8_t, 16>> platform_instance_id;
    std::optional<SgxConfiguration> configuration;
};

// Parses the extension's value (the DER inside the extension's OCTET STRING).
// Errors are CCBOX_INVALID_SGX_CERTIFICATE_EXTENSIONS and name the field.
Result<SgxExtension> parse_sgx_extension(std::span<const uint8_t> der);
// Finds and parses the extension of `cert`.
Result<SgxExtension> sgx_extension_of(X509* cert);
// The DER value, in Intel's order and types.
Result<std::vector<uint8_t>> encode_sgx_extension(const SgxExtension& ext);

}  // namespace ccbox::attestation
