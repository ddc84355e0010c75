#include "attestation/collateral.hpp"

#include "attestation/ossl.hpp"
#include "support/hex.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include <cstdio>

namespace ccbox::attestation {
namespace {

using nlohmann::json;

constexpr std::string_view kStatusNames[] = {"UpToDate",   "SWHardeningNeeded", "ConfigurationNeeded",
                                             "ConfigurationAndSWHardeningNeeded", "OutOfDate",
                                             "OutOfDateConfigurationNeeded",      "Revoked"};

Error bad(std::string_view item, const std::string& field, const std::string& what) {
    return Error(CCBOX_JSON_INFO_PARSE_ERROR, std::string(item) + ": " + field + ": " + what);
}

Result<json> parse_json(std::string_view text, std::string_view item) {
    if (text.size() > (8u << 20))
        return bad(item, "(document)", "larger than 8 MiB");
    json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        return bad(item, "(document)", "not valid JSON");
    if (!j.is_object())
        return bad(item, "(document)", "not a JSON object");
    return j;
}

Result<std::string> get_string(const json& j, const char* key, std::string_view item) {
    auto it = j.find(key);
    if (it == j.end())
        return bad(item, key, "missing");
    if (!it->is_string())
        return bad(item, key, "expected a string");
    return it->get<std::string>();
}

Result<uint64_t> get_uint(const json& j, const char* key, uint64_t max, std::string_view item) {
    auto it = j.find(key);
    if (it == j.end())
        return bad(item, key, "missing");
    if (!it->is_number_unsigned() || it->get<uint64_t>() > max)
        return bad(item, key, "expected an integer in 0.." + std::to_string(max));
    return it->get<uint64_t>();
}

template <size_t N>
Result<std::array<uint8_t, N>> get_hex(const json& j, const char* key, std::string_view item) {
    auto text = get_string(j, key, item);
    if (!text)
        return std::move(text).error();
    auto bytes = from_hex(*text, N, std::string(item) + " " + key);
    if (!bytes)
        return bad(item, key, "expected " + std::to_string(2 * N) + " hex digits");
    std::array<uint8_t, N> out;
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
}

Result<int64_t> get_time(const json& j, const char* key, std::string* text_out, std::string_view item) {
    auto text = get_string(j, key, item);
    if (!text)
        return std::move(text).error();
    auto t = parse_utc_time(*text);
    if (!t)
        return bad(item, key, "expected a UTC time like 2025-06-19T10:56:11Z, got \"" + *text + "\"");
    *text_out = *text;
    return *t;
}

Result<TcbStatus> get_status(const json& j, std::string_view item, const std::string& where) {
    auto text = get_string(j, "tcbStatus", item);
    if (!text)
        return bad(item, where + ".tcbStatus", "missing or not a string");
    auto status = tcb_status_from_name(*text);
    if (!status)
        return bad(item, where + ".tcbStatus", "unknown status \"" + *text + "\"");
    return *status;
}

Result<std::vector<std::string>> get_advisories(const json& j, std::string_view item, const std::string& where) {
    std::vector<std::string> ids;
    auto it = j.find("advisoryIDs");
    if (it == j.end())
        return ids;
    if (!it->is_array())
        return bad(item, where + ".advisoryIDs", "expected an array of strings");
    for (const auto& id : *it) {
        if (!id.is_string())
            return bad(item, where + ".advisoryIDs", "expected an array of strings");
        ids.push_back(id.get<std::string>());
    }
    return ids;
}

}  // namespace

std::string_view tcb_status_name(TcbStatus status) { return kStatusNames[static_cast<size_t>(status)]; }

std::optional<TcbStatus> tcb_status_from_name(std::string_view name) {
    for (size_t i = 0; i < std::size(kStatusNames); ++i)
        if (kStatusNames[i] == name)
            return static_cast<TcbStatus>(i);
    return std::nullopt;
}

std::optional<int64_t> parse_utc_time(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SSZ, optionally with fractional seconds (".000Z"), as PCS writes it.
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s.back() != 'Z')
        return std::nullopt;
    auto digits = [&](size_t pos, size_t n, unsigned& out) {
        out = 0;
        for (size_t i = pos; i < pos + n; ++i) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            out = out * 10 + static_cast<unsigned>(s[i] - '0');
        }
        return true;
    };
    unsigned y, mo, d, h, mi, sec;
    if (!digits(0, 4, y) || !digits(5, 2, mo) || !digits(8, 2, d) || !digits(11, 2, h) || !digits(14, 2, mi) ||
        !digits(17, 2, sec))
        return std::nullopt;
    if (s.size() > 20) {
        if (s[19] != '.' || s.size() == 21)
            return std::nullopt;
        for (size_t i = 20; i + 1 < s.size(); ++i)
            if (s[i] < '0' || s[i] > '9')
                return std::nullopt;
    }
    static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h > 23 || mi > 59 || sec > 59)
        return std::nullopt;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return std::nullopt;
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

std::string format_utc_time(int64_t t) {
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t rem = t - days * 86400;
    // civil_from_days
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                  static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                  static_cast<long long>(rem % 60));
    return buf;
}

Result<CollateralBundle> parse_collateral_bundle(std::string_view text) {
    constexpr std::string_view item = "collateral";
    auto j = parse_json(text, item);
    if (!j)
        return std::move(j).error();
    CollateralBundle b;
    struct StringField { const char* key; std::string* out; };
    for (auto [key, out] : {StringField{"pck_crl_issuer_chain", &b.pck_crl_issuer_chain},
                            StringField{"tcb_info_issuer_chain", &b.tcb_info_issuer_chain},
                            StringField{"tcb_info", &b.tcb_info},
                            StringField{"qe_identity_issuer_chain", &b.qe_identity_issuer_chain},
                            StringField{"qe_identity", &b.qe_identity}}) {
        auto s = get_string(*j, key, item);
        if (!s)
            return std::move(s).error();
        *out = std::move(*s);
    }
    for (auto [key, out] : {std::pair{"root_ca_crl", &b.root_ca_crl}, std::pair{"pck_crl", &b.pck_crl}}) {
        auto s = get_string(*j, key, item);
        if (!s)
            return std::move(s).error();
        auto bytes = from_hex(*s, 0, key);
        if (!bytes || bytes->empty())
            return bad(item, key, "expected the CRL as hex DER");
        *out = std::move(*bytes);
    }
    for (auto [key, out] : {std::pair{"tcb_info_signature", &b.tcb_info_signature},
                            std::pair{"qe_identity_signature", &b.qe_identity_signature}}) {
        auto sig = get_hex<64>(*j, key, item);
        if (!sig)
            return std::move(sig).error();
        *out = *sig;
    }
    return b;
}

std::string collateral_bundle_json(const CollateralBundle& b) {
    json j = {{"pck_crl_issuer_chain", b.pck_crl_issuer_chain},
              {"root_ca_crl", to_hex(b.root_ca_crl)},
              {"pck_crl", to_hex(b.pck_crl)},
              {"tcb_info_issuer_chain", b.tcb_info_issuer_chain},
              {"tcb_info", b.tcb_info},
              {"tcb_info_signature", to_hex(b.tcb_info_signature)},
              {"qe_identity_issuer_chain", b.qe_identity_issuer_chain},
              {"qe_identity", b.qe_identity},
              {"qe_identity_signature", to_hex(b.qe_identity_signature)}};
    return j.dump(2) + "\n";
}

namespace {

// What TCB Info and QE Identity bodies begin with: their id and version, and the validity
// window (issueDate, nextUpdate) kept both as time and as the signed text.
template <typename Body>
Result<void> parse_signed_body_header(const json& j, std::string_view item, const std::string& expected_id,
                                      uint64_t expected_version, Body& body) {
    auto id = get_string(j, "id", item);
    if (!id || *id != expected_id)
        return bad(item, "id", "expected \"" + expected_id + "\"");
    auto version = get_uint(j, "version", 1000, item);
    if (!version || *version != expected_version)
        return bad(item, "version", "expected " + std::to_string(expected_version));
    auto issue = get_time(j, "issueDate", &body.issue_date_text, item);
    if (!issue)
        return std::move(issue).error();
    body.issue_date = *issue;
    auto next = get_time(j, "nextUpdate", &body.next_update_text, item);
    if (!next)
        return std::move(next).error();
    body.next_update = *next;
    return ok_result();
}

}  // namespace

Result<TcbInfo> parse_tcb_info(std::string_view text) {
    constexpr std::string_view item = "TCB Info";
    auto jr = parse_json(text, item);
    if (!jr)
        return std::move(jr).error();
    const json& j = *jr;
    TcbInfo info;
    CCBOX_TRY(parse_signed_body_header(j, item, "SGX", 3, info));
    auto fmspc = get_hex<6>(j, "fmspc", item);
    if (!fmspc)
        return std::move(fmspc).error();
    info.fmspc = *fmspc;
    auto pce = get_hex<2>(j, "pceId", item);
    if (!pce)
        return std::move(pce).error();
    info.pce_id = *pce;
    auto type = get_uint(j, "tcbType", 255, item);
    if (!type)
        return std::move(type).error();
    if (*type != 0)
        return bad(item, "tcbType", "expected 0 (SGX TCB components compared one by one)");
    auto eval = get_uint(j, "tcbEvaluationDataNumber", UINT32_MAX, item);
    if (!eval)
        return std::move(eval).error();
    info.tcb_evaluation_data_number = static_cast<uint32_t>(*eval);
    auto levels = j.find("tcbLevels");
    if (levels == j.end() || !levels->is_array() || levels->empty())
        return bad(item, "tcbLevels", "expected a non-empty array");
    for (size_t i = 0; i < levels->size(); ++i) {
        const json& lj = (*levels)[i];
        const std::string where = "tcbLevels[" + std::to_string(i) + "]";
        if (!lj.is_object())
            return bad(item, where, "expected an object");
        auto tcb = lj.find("tcb");
        if (tcb == lj.end() || !tcb->is_object())
            return bad(item, where + ".tcb", "expected an object");
        TcbLevel level;
        auto comps = tcb->find("sgxtcbcomponents");
        if (comps == tcb->end() || !comps->is_array() || comps->size() != 16)
            return bad(item, where + ".tcb.sgxtcbcomponents", "expected an array of 16 components");
        for (size_t k = 0; k < 16; ++k) {
            const json& c = (*comps)[k];
            if (!c.is_object())
                return bad(item, where + ".tcb.sgxtcbcomponents[" + std::to_string(k) + "]", "expected an object");
            auto svn = get_uint(c, "svn", 255, item);
            if (!svn)
                return bad(item, where + ".tcb.sgxtcbcomponents[" + std::to_string(k) + "].svn",
                           "expected an integer in 0..255");
            level.sgx_components[k] = static_cast<uint8_t>(*svn);
        }
        auto pcesvn = get_uint(*tcb, "pcesvn", 65535, item);
        if (!pcesvn)
            return bad(item, where + ".tcb.pcesvn", "expected an integer in 0..65535");
        level.pcesvn = static_cast<uint16_t>(*pcesvn);
        auto date = get_string(lj, "tcbDate", item);
        if (!date || !parse_utc_time(*date))
            return bad(item, where + ".tcbDate", "expected a UTC time");
        level.tcb_date = *date;
        auto status = get_status(lj, item, where);
        if (!status)
            return std::move(status).error();
        level.status = *status;
        auto adv = get_advisories(lj, item, where);
        if (!adv)
            return std::move(adv).error();
        level.advisory_ids = std::move(*adv);
        info.levels.push_back(std::move(level));
    }
    return info;
}

Result<QeIdentity> parse_qe_identity(std::string_view text) {
    constexpr std::string_view item = "QE Identity";
    auto jr = parse_json(text, item);
    if (!jr)
        return std::move(jr).error();
    const json& j = *jr;
    QeIdentity qe;
    CCBOX_TRY(parse_signed_body_header(j, item, "QE", 2, qe));
    auto eval = get_uint(j, "tcbEvaluationDataNumber", UINT32_MAX, item);
    if (!eval)
        return std::move(eval).error();
    qe.tcb_evaluation_data_number = static_cast<uint32_t>(*eval);
    auto misc = get_hex<4>(j, "miscselect", item);
    auto misc_mask = get_hex<4>(j, "miscselectMask", item);
    if (!misc)
        return std::move(misc).error();
    if (!misc_mask)
        return std::move(misc_mask).error();
    // PCS writes MISCSELECT as the big-endian hex of the 32-bit value.
    qe.miscselect = (uint32_t{(*misc)[0]} << 24) | (uint32_t{(*misc)[1]} << 16) | (uint32_t{(*misc)[2]} << 8) | (*misc)[3];
    qe.miscselect_mask = (uint32_t{(*misc_mask)[0]} << 24) | (uint32_t{(*misc_mask)[1]} << 16) |
                         (uint32_t{(*misc_mask)[2]} << 8) | (*misc_mask)[3];
    auto attrs = get_hex<16>(j, "attributes", item);
    if (!attrs)
        return std::move(attrs).error();
    qe.attributes = *attrs;
    auto attrs_mask = get_hex<16>(j, "attributesMask", item);
    if (!attrs_mask)
        return std::move(attrs_mask).error();
    qe.attributes_mask = *attrs_mask;
    auto mrsigner = get_hex<32>(j, "mrsigner", item);
    if (!mrsigner)
        return std::move(mrsigner).error();
    qe.mrsigner = *mrsigner;
    auto prodid = get_uint(j, "isvprodid", 65535, item);
    if (!prodid)
        return std::move(prodid).error();
    qe.isvprodid = static_cast<uint16_t>(*prodid);
    auto levels = j.find("tcbLevels");
    if (levels == j.end() || !levels->is_array() || levels->empty())
        return bad(item, "tcbLevels", "expected a non-empty array");
    for (size_t i = 0; i < levels->size(); ++i) {
        const json& lj = (*levels)[i];
        const std::string where = "tcbLevels[" + std::to_string(i) + "]";
        if (!lj.is_object())
            return bad(item, where, "expected an object");
        auto tcb = lj.find("tcb");
        if (tcb == lj.end() || !tcb->is_object())
            return bad(item, where + ".tcb", "expected an object");
        QeTcbLevel level;
        auto svn = get_uint(*tcb, "isvsvn", 65535, item);
        if (!svn)
            return bad(item, where + ".tcb.isvsvn", "expected an integer in 0..65535");
        level.isvsvn = static_cast<uint16_t>(*svn);
        auto date = get_string(lj, "tcbDate", item);
        if (!date || !parse_utc_time(*date))
            return bad(item, where + ".tcbDate", "expected a UTC time");
        level.tcb_date = *date;
        auto status = get_status(lj, item, where);
        if (!status)
            return std::move(status).error();
        level.status = *status;
        auto adv = get_advisories(lj, item, where);
        if (!adv)
            return std::move(adv).error();
        level.advisory_ids = std::move(*adv);
        qe.levels.push_back(std::move(level));
    }
    return qe;
}

}  // namespace ccbox::attestation
