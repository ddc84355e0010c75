// The DCAP ECDSA quote, version 3 (sgx-formats.md §7; Intel's sgx_quote_3.h), parsed strictly:
// every length is checked against what is left, nothing may follow the certification data,
// and the parse keeps the exact signed byte ranges so signatures are checked over the bytes
// that were received, not over a re-serialization.
#pragma once

#include "attestation/verify_failure.hpp"
#include "common/sgx/arch.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ccbox::attestation {

inline constexpr uint16_t kQuoteVersion3 = 3;
inline constexpr uint16_t kAttestationKeyEcdsaP256 = 2;
inline constexpr uint16_t kCertificationDataPckChain = 5;
inline constexpr size_t kQuoteHeaderSize = 48;
inline constexpr size_t kQuoteSignedSize = kQuoteHeaderSize + sizeof(sgx::Reportbody);  // 432
inline constexpr size_t kQuoteMaxSize = 1u << 20;  // far above any real chain (Intel's are ~4.6 KiB)
// Intel's QE vendor ID; ours differs so a ccbox quote is never mistaken for an Intel QE's.
inline constexpr uint8_t kIntelQeVendorId[16] = {0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9b, 0x4c, 0xa9,
                                                 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};

struct QuoteHeader {
    uint16_t version;
    uint16_t att_key_type;
    uint32_t tee_type;
    uint16_t qe_svn;
    uint16_t pce_svn;
    uint8_t qe_vendor_id[16];
    uint8_t user_data[20];
};
static_assert(sizeof(QuoteHeader) == kQuoteHeaderSize);

struct Quote {
    QuoteHeader header{};
    sgx::Reportbody isv_report{};
    std::span<const uint8_t> signed_bytes;  // [0, 432) of the input
    uint8_t signature[64]{};                // r ‖ s over signed_bytes
    uint8_t attestation_key[64]{};          // x ‖ y
    sgx::Reportbody qe_report{};
    std::span<const uint8_t> qe_report_bytes;  // the 384 bytes the PCK signature covers
    uint8_t qe_report_signature[64]{};
    std::vector<uint8_t> qe_auth_data;
    uint16_t certification_data_type = 0;
    std::string pck_chain_pem;  // certification data, without a trailing NUL
};

// Parses `bytes` (which must outlive the result: the spans point into it).
// Failures: kQuoteMalformed (naming the field and offset), kUnsupportedQuoteVersion,
// kUnsupportedKeyType, kUnsupportedCertificationDataType.
std::optional<Quote> parse_quote(std::span<const uint8_t> bytes, VerifyError* error);

}  // namespace ccbox::attestation
