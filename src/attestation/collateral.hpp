// Collateral in Intel's PCS formats: TCB Info v3 and QE Identity v2 (signed JSON bodies), the
// Root CA and PCK CA CRLs (DER), and the issuer chains (PEM), bundled in the JSON layout of
// dcap-qvl's sgx_quote_collateral.json (docs/attestation.md). Parsing only: signatures and
// chains are checked by the verifier. Every error names the item and the field.
#pragma once

#include "support/result.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccbox::attestation {

enum class TcbStatus {
    kUpToDate,
    kSWHardeningNeeded,
    kConfigurationNeeded,
    kConfigurationAndSWHardeningNeeded,
    kOutOfDate,
    kOutOfDateConfigurationNeeded,
    kRevoked,
};
std::string_view tcb_status_name(TcbStatus status);
std::optional<TcbStatus> tcb_status_from_name(std::string_view name);

// The collateral bundle as received: the signed bodies are kept as the exact strings.
struct CollateralBundle {
    std::string pck_crl_issuer_chain;
    std::vector<uint8_t> root_ca_crl;  // DER
    std::vector<uint8_t> pck_crl;      // DER
    std::string tcb_info_issuer_chain;
    std::string tcb_info;  // the tcbInfo JSON body, byte for byte as signed
    std::array<uint8_t, 64> tcb_info_signature{};
    std::string qe_identity_issuer_chain;
    std::string qe_identity;
    std::array<uint8_t, 64> qe_identity_signature{};
};
Result<CollateralBundle> parse_collateral_bundle(std::string_view json);
std::string collateral_bundle_json(const CollateralBundle& bundle);

struct TcbLevel {
    std::array<uint8_t, 16> sgx_components{};
    uint16_t pcesvn = 0;
    std::string tcb_date;
    TcbStatus status = TcbStatus::kUpToDate;
    std::vector<std::string> advisory_ids;
};

struct TcbInfo {
    int version = 3;
    int64_t issue_date = 0;
    int64_t next_update = 0;
    std::string issue_date_text, next_update_text;
    std::array<uint8_t, 6> fmspc{};
    std::array<uint8_t, 2> pce_id{};
    int tcb_type = 0;
    uint32_t tcb_evaluation_data_number = 0;
    std::vector<TcbLevel> levels;
};
Result<TcbInfo> parse_tcb_info(std::string_view json);

struct QeTcbLevel {
    uint16_t isvsvn = 0;
    std::string tcb_date;
    TcbStatus status = TcbStatus::kUpToDate;
    std::vector<std::string> advisory_ids;
};

struct QeIdentity {
    int version = 2;
    int64_t issue_date = 0;
    int64_t next_update = 0;
    std::string issue_date_text, next_update_text;
    uint32_t tcb_evaluation_data_number = 0;
    uint32_t miscselect = 0;
    uint32_t miscselect_mask = 0;
    std::array<uint8_t, 16> attributes{};
    std::array<uint8_t, 16> attributes_mask{};
    std::array<uint8_t, 32> mrsigner{};
    uint16_t isvprodid = 0;
    std::vector<QeTcbLevel> levels;
};
Result<QeIdentity> parse_qe_identity(std::string_view json);

// "2025-06-19T10:56:11Z" (RFC 3339 UTC, as PCS writes it) → seconds since the epoch.
std::optional<int64_t> parse_utc_time(std::string_view text);
std::string format_utc_time(int64_t seconds);

}  // namespace ccbox::attestation
