// SIGSTRUCT: building, signing (one step or two), and every EINIT check on it.
// Trust domain: platform (the checks are what EINIT does); the tools use the builders.
#pragma once

#include "common/sgx/arch.h"
#include "support/result.hpp"
#include "support/rsa_key.hpp"
#include "support/sha256.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ccbox {

// The fields of a SIGSTRUCT that a signer chooses (everything but the constants, the key
// material and Q1/Q2). Defaults are those of the Intel SGX SDK's signing tool.
struct SigstructFields {
    uint32_t vendor = 0;
    uint32_t date = 0;  // BCD 0xYYYYMMDD
    uint32_t swdefined = 0;
    uint32_t miscselect = 0;
    uint32_t miscmask = 0xffffffff;
    sgx::Attributes attributes{sgx::attr::kMode64Bit, sgx::xfrm::kLegacy};
    sgx::Attributes attributemask{~sgx::attr::kDebug, 0xffffffffffffff1bull};
    uint8_t isvfamilyid[16] = {};
    uint8_t isvextprodid[16] = {};
    uint16_t isvprodid = 0;
    uint16_t isvsvn = 0;
    Digest256 enclavehash{};
};

// A SIGSTRUCT with the constants and `fields` filled in and no key material.
sgx::Sigstruct make_unsigned_sigstruct(const SigstructFields& fields);

// SHA-256 of the signed part (bytes [0,128) ‖ [900,1028)): what `ccbox digest` writes.
Digest256 sigstruct_signing_digest(const sgx::Sigstruct& sigstruct);

// Fills MODULUS, EXPONENT, SIGNATURE, Q1 and Q2 from a private key.
Result<sgx::Sigstruct> sign_sigstruct(const sgx::Sigstruct& unsigned_sigstruct, const RsaKey& key);

// Fills the key material from a public key and a detached big-endian PKCS#1 v1.5 signature
// of sigstruct_signing_digest(); refuses a signature that does not verify.
Result<sgx::Sigstruct> attach_signature(const sgx::Sigstruct& unsigned_sigstruct, const RsaKey& public_key,
                                        std::span<const uint8_t> signature_be);

// MRSIGNER: SHA-256 of the 384-byte little-endian modulus.
Digest256 mrsigner_of(const sgx::Sigstruct& sigstruct);

// BCD date for a calendar day, and today's date (UTC).
Result<uint32_t> bcd_date(int year, int month, int day);
uint32_t bcd_date_today();
std::string format_bcd_date(uint32_t date);  // "YYYY-MM-DD"

// What the enclave being initialised looks like (the SECS as ECREATE and EADD left it).
struct EinitTarget {
    sgx::Attributes attributes{};
    uint32_t miscselect = 0;
    Digest256 mrenclave{};
};

// One EINIT check, as `ccbox inspect` lists them.
struct SigstructCheck {
    std::string name;
    bool passed = false;
    ccbox_result_t code = CCBOX_OK;
    std::string message;  // why it failed
};

// The checks that need only the SIGSTRUCT: constants, reserved bytes, exponent, modulus size,
// signature, Q1/Q2, and the rules on the SIGSTRUCT's own attributes.
std::vector<SigstructCheck> check_sigstruct(const sgx::Sigstruct& sigstruct);
// Those plus the checks against the enclave: ENCLAVEHASH, attribute and misc masks, KSS.
std::vector<SigstructCheck> check_sigstruct_for_einit(const sgx::Sigstruct& sigstruct, const EinitTarget& target);

// EINIT: the first failing check as an error, or success.
Result<void> einit_verify(const sgx::Sigstruct& sigstruct, const EinitTarget& target);

}  // namespace ccbox
