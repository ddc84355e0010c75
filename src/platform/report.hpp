// EREPORT and the target's check of a REPORT's MAC, over the platform's REPORT keys
// (docs/key-derivation.md, "REPORT"). Trust domain: platform.
#pragma once

#include "common/sgx/arch.h"
#include "platform/key_derivation.hpp"
#include "platform/platform_secrets.hpp"
#include "support/result.hpp"

#include <cstdint>
#include <span>

namespace ccbox {

// The TARGETINFO another enclave uses to make reports for `enclave` (EREPORT with TARGETINFO
// all zero and taking the result's identity, as the SDK's sgx_self_target does).
sgx::Targetinfo target_info_of(const EnclaveKeyIdentity& enclave);

// EREPORT: a REPORT of `reporter` for `target`, MAC'd with the REPORT key `target` gets from
// derive_key() for KEYID = the platform's report_keyid. Rejects (CCBOX_INVALID_PARAMETER) a
// TARGETINFO with reserved bytes or CET_ATTRIBUTES set (ccbox models no CET).
Result<sgx::Report> make_report(const PlatformSecrets& secrets, const EnclaveKeyIdentity& reporter,
                                const sgx::Targetinfo& target,
                                std::span<const uint8_t, sgx::kReportDataSize> report_data);

// The target's side: recomputes the MAC with derive_key(REPORT, KEYID = report.keyid) for
// `verifier` and compares in constant time. False for any failure.
bool verify_report_mac(const PlatformSecrets& secrets, const EnclaveKeyIdentity& verifier, const sgx::Report& report);

// AES-128-CMAC of `data` (OpenSSL EVP_MAC).
Result<std::array<uint8_t, 16>> aes128_cmac(const std::array<uint8_t, 16>& key, std::span<const uint8_t> data);

}  // namespace ccbox
