// The platform's quoting identity (docs/attestation.md, "Quoting"): the QE and PCE of DCAP,
// modeled as identities of the platform itself rather than as loaded enclaves. The values
// are published in the QE Identity collateral; changing any of them is a QE TCB change.
// Trust domain: platform (the constants are public; nothing here is secret).
#pragma once

#include <array>
#include <cstdint>

namespace ccbox::quoting {

// SHA-256("ccbox quoting enclave v1") and SHA-256("ccbox quoting enclave signer v1").
inline constexpr std::array<uint8_t, 32> kQeMrenclave = {
    0x06, 0x77, 0xdf, 0xdd, 0xff, 0x50, 0x6f, 0xe8, 0xdf, 0xef, 0xb0, 0xa8, 0xb8, 0x56, 0x92, 0x19,
    0xeb, 0x38, 0x81, 0x12, 0x84, 0x38, 0x8a, 0x54, 0x4e, 0xde, 0xe2, 0x03, 0x4c, 0x33, 0x53, 0xf8};
inline constexpr std::array<uint8_t, 32> kQeMrsigner = {
    0xaa, 0x0f, 0xa1, 0xc9, 0xda, 0x29, 0x24, 0x0c, 0xfe, 0x4a, 0x16, 0x77, 0xce, 0xef, 0xfa, 0x99,
    0x75, 0x51, 0xe8, 0xaa, 0x12, 0xc0, 0x42, 0x0d, 0x61, 0x95, 0xd5, 0x3e, 0x91, 0x71, 0xb0, 0xcb};
inline constexpr uint16_t kQeIsvProdId = 1;
inline constexpr uint16_t kQeIsvSvn = 2;
inline constexpr uint16_t kPceIsvProdId = 2;
inline constexpr uint16_t kPceIsvSvn = 1;
// ATTRIBUTES of the QE: INIT | MODE64BIT | PROVISIONKEY, XFRM legacy; QE Identity publishes
// them under Intel's mask (MODE64BIT and the XFRM are not compared).
inline constexpr uint64_t kQeAttributeFlags = 0x15;
inline constexpr uint64_t kQeXfrm = 0x3;
inline constexpr std::array<uint8_t, 16> kQeIdentityAttributes = {0x11};
inline constexpr std::array<uint8_t, 16> kQeIdentityAttributesMask = {0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
// ccbox's QE vendor ID (not Intel's 939A7233…): a ccbox quote never claims an Intel QE.
inline constexpr std::array<uint8_t, 16> kQeVendorId = {0xcc, 0xb0, 0x0c, 0xcb, 0x0e, 0x51, 0x4c, 0x8a,
                                                        0x9b, 0x31, 0x57, 0x2e, 0x06, 0xd4, 0xa0, 0x11};
// The platform model's FMSPC and PCE-ID (one family of modeled CPUs).
inline constexpr std::array<uint8_t, 6> kFmspc = {0xcc, 0xb0, 0x00, 0x00, 0x00, 0x01};
inline constexpr std::array<uint8_t, 2> kPceId = {0x00, 0x00};

}  // namespace ccbox::quoting
