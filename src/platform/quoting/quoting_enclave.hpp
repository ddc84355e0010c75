// The platform's quoting service (DCAP's QE3 + PCE, modeled): an enclave EREPORTs to the QE's
// TARGETINFO; the platform checks the REPORT's MAC with the QE's REPORT key, has the QE report
// to the PCE with REPORTDATA = SHA-256(attestation key ‖ QE auth data) ‖ 0³², signs that QE
// report with the PCK key and the quote header + ISV body with the attestation key, and
// attaches the PCK chain (certification data type 5). Keys are derived from the platform's
// secrets with EGETKEY, so they are stable across restarts and never stored:
//   attestation key = HKDF-SHA256(QE SEAL key (MRSIGNER policy), "ccbox QE attestation key v1")
//   PCK key         = HKDF-SHA256(PCE PROVISION key at the platform's CPUSVN, "ccbox PCK v1")
// Trust domain: platform.
#pragma once

#include "attestation/ossl.hpp"
#include "attestation/sgx_extension.hpp"
#include "common/sgx/arch.h"
#include "platform/key_derivation.hpp"
#include "platform/platform_secrets.hpp"

#include <string>
#include <vector>

namespace ccbox::quoting {

EnclaveKeyIdentity qe_identity();
EnclaveKeyIdentity pce_identity();
// What an enclave EREPORTs to for a quote.
sgx::Targetinfo qe_target_info();

Result<attestation::Pkey> attestation_key(const PlatformSecrets& secrets);
Result<attestation::Pkey> pck_key(const PlatformSecrets& secrets);

// What the platform states about itself to the CA when provisioned: PPID, TCB (the 16 CPUSVN
// components, PCESVN, CPUSVN), PCE-ID, FMSPC, SGX type, platform instance ID.
Result<attestation::SgxExtension> platform_sgx_fields(const PlatformSecrets& secrets);
// A PKCS#10 request signed with the PCK key (the key never leaves the platform).
Result<std::vector<uint8_t>> pck_certificate_request(const PlatformSecrets& secrets);

// The quote for `isv_report`, which must be targeted at the QE (its MAC is checked:
// CCBOX_VERIFY_FAILED_AES_CMAC_MISMATCH otherwise). `pck_chain_pem` is the platform's PCK
// certificate, its CA and the root, PEM.
Result<std::vector<uint8_t>> make_quote(const PlatformSecrets& secrets, const sgx::Report& isv_report,
                                        const std::string& pck_chain_pem);

}  // namespace ccbox::quoting
