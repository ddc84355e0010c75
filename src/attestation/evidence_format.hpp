// Evidence format ids: Open Enclave's format UUIDs (include/openenclave/attestation/sgx/evidence.h).
#pragma once

#include <array>
#include <cstdint>

namespace ccbox::attestation {

// OE_FORMAT_UUID_SGX_ECDSA a3a21e87-1b4d-4014-b70a-a125d2fbcd8c: a DCAP ECDSA quote.
inline constexpr std::array<uint8_t, 16> kFormatSgxEcdsa = {0xa3, 0xa2, 0x1e, 0x87, 0x1b, 0x4d, 0x40, 0x14,
                                                            0xb7, 0x0a, 0xa1, 0x25, 0xd2, 0xfb, 0xcd, 0x8c};
// OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION 09268c33-6e0b-45e5-8a27-15644d0ef89a: a REPORT.
inline constexpr std::array<uint8_t, 16> kFormatSgxLocalAttestation = {0x09, 0x26, 0x8c, 0x33, 0x6e, 0x0b, 0x45, 0xe5,
                                                                       0x8a, 0x27, 0x15, 0x64, 0x4d, 0x0e, 0xf8, 0x9a};

}  // namespace ccbox::attestation
