// EGETKEY: the SDM's checks on a KEYREQUEST and its KEYDEPENDENCIES selection, with ccbox's
// KDF (NIST SP 800-108 counter mode, AES-256-CMAC) keyed by a root secret of the platform.
// The specification is docs/key-derivation.md. Trust domain: platform.
#pragma once

#include "common/sgx/arch.h"
#include "platform/platform_secrets.hpp"
#include "support/result.hpp"
#include "support/sha256.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

namespace ccbox {

struct EnclaveIdentity;

inline constexpr size_t kSecsPaddingSize = 352;

// The top 352 bytes of a PKCS#1 v1.5 SHA-256 encoded message for a 3072-bit modulus
// (00 01 FF*330 00 ‖ DigestInfo prefix): the SDM's HARDCODED_PKCS1_5_PADDING, and also the
// SECS.PADDING of every enclave whose SIGSTRUCT verified, since EINIT accepts no other padding.
constexpr std::array<uint8_t, kSecsPaddingSize> make_pkcs1_sha256_padding() {
    constexpr uint8_t kDigestInfoPrefix[19] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                               0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    std::array<uint8_t, kSecsPaddingSize> p{};
    p[0] = 0x00;
    p[1] = 0x01;
    for (size_t i = 2; i < 2 + 330; ++i)
        p[i] = 0xff;
    p[332] = 0x00;
    for (size_t i = 0; i < sizeof kDigestInfoPrefix; ++i)
        p[333 + i] = kDigestInfoPrefix[i];
    return p;
}
inline constexpr std::array<uint8_t, kSecsPaddingSize> kPkcs1Sha256Padding = make_pkcs1_sha256_padding();

// What EGETKEY reads from the SECS of the calling enclave.
struct EnclaveKeyIdentity {
    Digest256 mrenclave{};
    Digest256 mrsigner{};
    uint16_t isvprodid = 0;
    uint16_t isvsvn = 0;
    sgx::Attributes attributes{};  // SECS.ATTRIBUTES after EINIT (INIT set)
    uint32_t miscselect = 0;
    std::array<uint8_t, 64> configid{};
    uint16_t configsvn = 0;
    std::array<uint8_t, 16> isvfamilyid{};
    std::array<uint8_t, 16> isvextprodid{};
    // SECS.PADDING. ccbox keeps no decrypted signature block; every verified SIGSTRUCT has this
    // value, and ccbox uses it for unsigned debug enclaves too.
    std::array<uint8_t, kSecsPaddingSize> padding = kPkcs1Sha256Padding;
};

// The key identity of an enclave the loader initialised. ccbox has no KSS configuration yet:
// CONFIGID and CONFIGSVN are zero.
EnclaveKeyIdentity key_identity_of(const EnclaveIdentity& identity);

// The byte size of the serialized KEYDEPENDENCIES record (docs/key-derivation.md).
inline constexpr size_t kKeyDependenciesSize = 658;
// The SP 800-108 Label: names the KDF and the record's format version.
inline constexpr char kKeyDerivationLabel[] = "ccbox EGETKEY v1";

// CPUSVN comparison: the 16 bytes are independent one-byte component SVNs; `request` is above
// `current` when any component of it is greater.
bool cpusvn_above(const uint8_t (&request)[16], const std::array<uint8_t, 16>& current);

// EGETKEY. Errors (each names the KEYREQUEST field):
//   CCBOX_INVALID_PARAMETER  reserved bits or bytes set; KSS policy bits or CONFIGSVN > 0
//                            without ATTRIBUTES.KSS (the SDM's #GP)
//   CCBOX_INVALID_KEYNAME    KEYNAME unknown, or EINITTOKEN (ccbox issues no launch tokens)
//   CCBOX_INVALID_ATTRIBUTE  PROVISION or PROVISION_SEAL without ATTRIBUTES.PROVISIONKEY
//   CCBOX_INVALID_CPUSVN     CPUSVN above the platform's (SEAL, PROVISION, PROVISION_SEAL)
//   CCBOX_INVALID_ISVSVN     ISVSVN or CONFIGSVN above the enclave's (same key names)
Result<std::array<uint8_t, 16>> derive_key(const PlatformSecrets& secrets, const EnclaveKeyIdentity& enclave,
                                           const sgx::Keyrequest& request);

}  // namespace ccbox
