// The core of ccbox_verify_evidence, for the C API and for attestation certificates
// (attested_cert_verify.cpp): one verification path for evidence, on the host and in enclaves.
#pragma once

#include <ccbox/bits/evidence.h>

#include "attestation/verifier.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ccbox::attestation {

struct EvidenceVerification {
    ccbox_result_t code = CCBOX_OK;
    std::string error;          // "identifier: message" on failure
    bool binding_mismatch = false;  // REPORTDATA[0..32) is not SHA-256 of the custom claims
    std::vector<Claim> claims;
};

// `evidence` = quote ‖ custom claims of format `format` (CCBOX_FORMAT_UUID_SGX_ECDSA).
EvidenceVerification verify_evidence(const std::array<uint8_t, 16>& format, std::span<const uint8_t> evidence,
                                     std::span<const uint8_t> endorsements, std::span<const ccbox_policy_t> policies);

// Claims in the C API's layout (free with ccbox_free_claims); nullptr when out of memory.
ccbox_claim_t* c_claims(const std::vector<Claim>& claims);

// What ccbox_verifier_last_error() returns on this thread.
void set_verifier_last_error(std::string text);

}  // namespace ccbox::attestation
