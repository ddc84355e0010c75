// Open Enclave's claims (include/openenclave/attestation/sgx/evidence.h) for a verified quote,
// with OE's value encodings: little-endian integers, oe_datetime_t as six uint32s, the SGX
// TCB status as oe_sgx_tcb_status_t. Advisories and the platform mode are ccbox's additions.
#include "attestation/verifier.hpp"

#include "attestation/evidence_format.hpp"

#include <algorithm>
#include <cstring>

namespace ccbox::attestation {
namespace {

std::vector<uint8_t> le(uint64_t value, size_t size) {
    std::vector<uint8_t> out(size);
    for (size_t i = 0; i < size; ++i)
        out[i] = static_cast<uint8_t>(value >> (8 * i));
    return out;
}

std::vector<uint8_t> bytes(const void* data, size_t size) {
    const auto* p = static_cast<const uint8_t*>(data);
    return std::vector<uint8_t>(p, p + size);
}

std::vector<uint8_t> text(std::string_view s) {
    std::vector<uint8_t> out(s.begin(), s.end());
    out.push_back(0);
    return out;
}

// oe_datetime_t {year, month, day, hours, minutes, seconds}, each a uint32.
std::vector<uint8_t> datetime(int64_t t) {
    const std::string s = format_utc_time(t);  // YYYY-MM-DDTHH:MM:SSZ
    const uint32_t fields[6] = {static_cast<uint32_t>(std::stoul(s.substr(0, 4))),
                                static_cast<uint32_t>(std::stoul(s.substr(5, 2))),
                                static_cast<uint32_t>(std::stoul(s.substr(8, 2))),
                                static_cast<uint32_t>(std::stoul(s.substr(11, 2))),
                                static_cast<uint32_t>(std::stoul(s.substr(14, 2))),
                                static_cast<uint32_t>(std::stoul(s.substr(17, 2)))};
    std::vector<uint8_t> out;
    for (uint32_t f : fields) {
        auto b = le(f, 4);
        out.insert(out.end(), b.begin(), b.end());
    }
    return out;
}

// oe_sgx_tcb_status_t.
uint32_t oe_tcb_status(TcbStatus s) {
    switch (s) {
    case TcbStatus::kUpToDate: return 0;
    case TcbStatus::kOutOfDate: return 1;
    case TcbStatus::kRevoked: return 2;
    case TcbStatus::kConfigurationNeeded: return 3;
    case TcbStatus::kOutOfDateConfigurationNeeded: return 4;
    case TcbStatus::kSWHardeningNeeded: return 5;
    case TcbStatus::kConfigurationAndSWHardeningNeeded: return 6;
    }
    return 0x7fffffff;
}

}  // namespace

std::vector<Claim> verdict_claims(const Verdict& v) {
    const sgx::Reportbody& r = v.report;
    std::vector<Claim> claims;
    auto add = [&](const char* name, std::vector<uint8_t> value) { claims.push_back({name, std::move(value)}); };
    // OE_EVIDENCE_ATTRIBUTES_SGX_DEBUG = 1, _SGX_REMOTE = 2.
    const uint64_t attributes = (v.debug ? 1u : 0u) | 2u;
    uint8_t product_id[16] = {};
    product_id[0] = static_cast<uint8_t>(r.isvprodid);
    product_id[1] = static_cast<uint8_t>(r.isvprodid >> 8);
    add("id_version", le(0, 4));
    add("security_version", le(r.isvsvn, 4));
    add("attributes", le(attributes, 8));
    add("unique_id", bytes(r.mrenclave, 32));
    add("signer_id", bytes(r.mrsigner, 32));
    add("product_id", bytes(product_id, 16));
    add("format_uuid", bytes(kFormatSgxEcdsa.data(), 16));
    add("validity_from", datetime(v.validity_from));
    add("validity_until", datetime(v.validity_until));
    add("tcb_status", le(oe_tcb_status(v.tcb_status), 4));
    if (auto t = parse_utc_time(v.tcb_date))
        add("tcb_date", datetime(*t));
    add("sgx_report_data", bytes(r.reportdata, 64));
    add("sgx_cpu_svn", bytes(r.cpusvn, 16));
    add("sgx_config_id", bytes(r.configid, 64));
    add("sgx_config_svn", le(r.configsvn, 2));
    add("sgx_isv_family_id", bytes(r.isvfamilyid, 16));
    add("sgx_isv_extended_product_id", bytes(r.isvextprodid, 16));
    add("sgx_is_mode64bit", le((r.attributes.flags & sgx::attr::kMode64Bit) ? 1 : 0, 1));
    add("sgx_has_provision_key", le((r.attributes.flags & sgx::attr::kProvisionKey) ? 1 : 0, 1));
    add("sgx_has_einittoken_key", le((r.attributes.flags & sgx::attr::kEinitTokenKey) ? 1 : 0, 1));
    add("sgx_uses_kss", le((r.attributes.flags & sgx::attr::kKss) ? 1 : 0, 1));
    add("sgx_pf_gp_exinfo_enabled", le((r.miscselect & sgx::miscselect::kExinfo) ? 1 : 0, 1));
    std::string advisories;
    for (const auto& id : v.advisory_ids)
        advisories += (advisories.empty() ? "" : ",") + id;
    add("ccbox_tcb_status", text(tcb_status_name(v.tcb_status)));
    add("ccbox_advisory_ids", text(advisories));
    add("ccbox_platform_mode", text(platform_mode_name(v.platform_mode)));
    return claims;
}

}  // namespace ccbox::attestation
