#include "attestation/pki_store.hpp"

#include "platform/platform_mode.hpp"
#include "support/file_io.hpp"
#include "support/hex.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include <cerrno>

#include <sys/stat.h>

namespace ccbox::attestation {
namespace {

using nlohmann::ordered_json;

std::string upper_hex(std::span<const uint8_t> bytes) {
    std::string s = to_hex(bytes);
    for (char& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

ordered_json advisories_json(const std::vector<std::string>& ids) { return ordered_json(ids); }

Error bad_settings(const std::string& what) { return Error(CCBOX_INVALID_CONFIG, "pki.json: " + what); }

template <size_t N>
Result<std::array<uint8_t, N>> hex_field(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || !j[key].is_string())
        return bad_settings(std::string(key) + ": missing or not a string");
    auto bytes = from_hex(j[key].get<std::string>(), N, key);
    if (!bytes)
        return bad_settings(bytes.error().message());
    std::array<uint8_t, N> out;
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
}

Result<std::string> read_text(const std::string& path) {
    auto bytes = read_file(path, 1 << 20);
    if (!bytes)
        return std::move(bytes).error();
    return std::string(bytes->begin(), bytes->end());
}

Result<void> write_text(const std::string& path, const std::string& text, unsigned mode) {
    return write_file_atomic(path, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), mode);
}

}  // namespace

std::string tcb_info_json(const PkiSettings& s, int64_t issue, int64_t next) {
    ordered_json levels = ordered_json::array();
    for (const auto& level : s.tcb_levels) {
        ordered_json comps = ordered_json::array();
        for (uint8_t svn : level.sgx_components)
            comps.push_back({{"svn", svn}});
        ordered_json l = {{"tcb", {{"sgxtcbcomponents", comps}, {"pcesvn", level.pcesvn}}},
                          {"tcbDate", level.tcb_date},
                          {"tcbStatus", tcb_status_name(level.status)}};
        if (!level.advisory_ids.empty())
            l["advisoryIDs"] = advisories_json(level.advisory_ids);
        levels.push_back(l);
    }
    ordered_json j = {{"id", "SGX"},
                      {"version", 3},
                      {"issueDate", format_utc_time(issue)},
                      {"nextUpdate", format_utc_time(next)},
                      {"fmspc", upper_hex(s.fmspc)},
                      {"pceId", upper_hex(s.pce_id)},
                      {"tcbType", 0},
                      {"tcbEvaluationDataNumber", s.tcb_evaluation_data_number},
                      {"tcbLevels", levels}};
    return j.dump();
}

std::string qe_identity_json(const PkiSettings& s, int64_t issue, int64_t next) {
    ordered_json levels = ordered_json::array();
    for (const auto& level : s.qe.levels) {
        ordered_json l = {{"tcb", {{"isvsvn", level.isvsvn}}},
                          {"tcbDate", level.tcb_date},
                          {"tcbStatus", tcb_status_name(level.status)}};
        if (!level.advisory_ids.empty())
            l["advisoryIDs"] = advisories_json(level.advisory_ids);
        levels.push_back(l);
    }
    auto be32 = [](uint32_t v) {
        const uint8_t b[4] = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 8),
                              static_cast<uint8_t>(v)};
        return upper_hex(b);
    };
    ordered_json j = {{"id", "QE"},
                      {"version", 2},
                      {"issueDate", format_utc_time(issue)},
                      {"nextUpdate", format_utc_time(next)},
                      {"tcbEvaluationDataNumber", s.tcb_evaluation_data_number},
                      {"miscselect", be32(s.qe.miscselect)},
                      {"miscselectMask", be32(s.qe.miscselect_mask)},
                      {"attributes", upper_hex(s.qe.attributes)},
                      {"attributesMask", upper_hex(s.qe.attributes_mask)},
                      {"mrsigner", upper_hex(s.qe.mrsigner)},
                      {"isvprodid", s.qe.isvprodid},
                      {"tcbLevels", levels}};
    return j.dump();
}

PkiNames Pki::names() const {
    PkiNames n;
    n.development = settings_.development;
    return n;
}

Result<Pki> Pki::create(bool development, int64_t now, int years, const SgxExtension& platform_tcb,
                        const QeIdentitySettings& qe) {
    Pki pki;
    pki.settings_.development = development;
    pki.settings_.fmspc = platform_tcb.fmspc;
    pki.settings_.pce_id = platform_tcb.pce_id;
    TcbLevel level;
    level.sgx_components = platform_tcb.tcb_components;
    level.pcesvn = platform_tcb.pcesvn;
    level.tcb_date = format_utc_time(now - now % 86400);
    pki.settings_.tcb_levels.push_back(level);
    pki.settings_.qe = qe;
    const PkiNames names = pki.names();
    const int64_t until = now + int64_t{years} * 365 * 86400;
    for (Pkey* key : {&pki.root_key_, &pki.pck_ca_key_, &pki.tcb_key_}) {
        auto k = p256_generate();
        if (!k)
            return std::move(k).error();
        *key = std::move(*k);
    }
    auto root = issue_certificate(names, {CertRole::kRootCa, pki.root_key_.get(), nullptr, pki.root_key_.get(), now,
                                          until, nullptr});
    if (!root)
        return std::move(root).error();
    pki.root_ = std::move(*root);
    auto ca = issue_certificate(names, {CertRole::kPckPlatformCa, pki.pck_ca_key_.get(), pki.root_.get(),
                                        pki.root_key_.get(), now, until, nullptr});
    if (!ca)
        return std::move(ca).error();
    pki.pck_ca_ = std::move(*ca);
    auto tcb = issue_certificate(names, {CertRole::kTcbSigning, pki.tcb_key_.get(), pki.root_.get(),
                                         pki.root_key_.get(), now, until, nullptr});
    if (!tcb)
        return std::move(tcb).error();
    pki.tcb_ = std::move(*tcb);
    return pki;
}

Result<Cert> Pki::issue_pck(std::span<const uint8_t> csr_der, const SgxExtension& fields, int64_t now) const {
    auto key = verify_csr(csr_der);
    if (!key)
        return std::move(key).error();
    if (fields.fmspc != settings_.fmspc || fields.pce_id != settings_.pce_id)
        return Error(CCBOX_INVALID_PARAMETER, "provisioning: the platform's FMSPC " + to_hex(fields.fmspc) +
                                                  "/PCE-ID " + to_hex(fields.pce_id) + " is not this PKI's " +
                                                  to_hex(settings_.fmspc) + "/" + to_hex(settings_.pce_id));
    // A development platform's PCK chain never ends at a production root.
    if (!settings_.development && fields.cpusvn[kCpusvnModeComponent] < 1)
        return Error(CCBOX_CONSTRAINT_FAILED, "provisioning: the platform is a development platform (CPUSVN "
                                              "isolation SVN 0); a production PKI does not certify it");
    auto until = asn1_time_seconds(X509_get0_notAfter(pck_ca_.get()), "PCK CA notAfter");
    if (!until)
        return std::move(until).error();
    return issue_certificate(names(), {CertRole::kPck, key->get(), pck_ca_.get(), pck_ca_key_.get(), now,
                                       std::min(*until, now + int64_t{7} * 365 * 86400), &fields});
}

std::string Pki::pck_chain_pem(X509* leaf) const {
    return certificate_pem(leaf) + certificate_pem(pck_ca_.get()) + certificate_pem(root_.get());
}

void Pki::tcb_recovery(const std::array<uint8_t, 16>& components, uint16_t pcesvn, const std::string& tcb_date) {
    for (auto& level : settings_.tcb_levels) {
        if (level.status == TcbStatus::kUpToDate || level.status == TcbStatus::kSWHardeningNeeded)
            level.status = TcbStatus::kOutOfDate;
        else if (level.status == TcbStatus::kConfigurationNeeded ||
                 level.status == TcbStatus::kConfigurationAndSWHardeningNeeded)
            level.status = TcbStatus::kOutOfDateConfigurationNeeded;
    }
    TcbLevel top;
    top.sgx_components = components;
    top.pcesvn = pcesvn;
    top.tcb_date = tcb_date;
    settings_.tcb_levels.insert(settings_.tcb_levels.begin(), top);
    settings_.tcb_evaluation_data_number += 1;
}

Result<void> Pki::set_advisories(size_t level, std::vector<std::string> ids) {
    if (level >= settings_.tcb_levels.size())
        return Error(CCBOX_INVALID_PARAMETER, "TCB level " + std::to_string(level) + " does not exist (there are " +
                                                  std::to_string(settings_.tcb_levels.size()) + ")");
    settings_.tcb_levels[level].advisory_ids = std::move(ids);
    return ok_result();
}

Result<CollateralBundle> Pki::collateral(int64_t issue, int64_t next) {
    CollateralBundle b;
    const std::string tcb_chain = certificate_pem(tcb_.get()) + certificate_pem(root_.get());
    b.tcb_info_issuer_chain = tcb_chain;
    b.qe_identity_issuer_chain = tcb_chain;
    b.pck_crl_issuer_chain = certificate_pem(pck_ca_.get()) + certificate_pem(root_.get());
    b.tcb_info = tcb_info_json(settings_, issue, next);
    b.qe_identity = qe_identity_json(settings_, issue, next);
    auto as_bytes = [](const std::string& s) { return std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size()); };
    auto tcb_sig = ecdsa_p256_sign(tcb_key_.get(), as_bytes(b.tcb_info));
    auto qe_sig = ecdsa_p256_sign(tcb_key_.get(), as_bytes(b.qe_identity));
    if (!tcb_sig)
        return std::move(tcb_sig).error();
    if (!qe_sig)
        return std::move(qe_sig).error();
    b.tcb_info_signature = *tcb_sig;
    b.qe_identity_signature = *qe_sig;
    auto root_crl = make_crl(root_.get(), root_key_.get(), settings_.revoked_ca, issue, next, settings_.crl_number);
    auto pck_crl = make_crl(pck_ca_.get(), pck_ca_key_.get(), settings_.revoked_pck, issue, next, settings_.crl_number);
    if (!root_crl)
        return std::move(root_crl).error();
    if (!pck_crl)
        return std::move(pck_crl).error();
    b.root_ca_crl = std::move(*root_crl);
    b.pck_crl = std::move(*pck_crl);
    settings_.crl_number += 1;
    return b;
}

namespace {

nlohmann::json levels_to_json(const std::vector<TcbLevel>& levels) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& l : levels)
        out.push_back({{"sgxtcbcomponents", to_hex(l.sgx_components)}, {"pcesvn", l.pcesvn}, {"tcbDate", l.tcb_date},
                       {"tcbStatus", tcb_status_name(l.status)}, {"advisoryIDs", l.advisory_ids}});
    return out;
}

nlohmann::json revoked_to_json(const std::vector<RevokedEntry>& entries) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : entries)
        out.push_back({{"serial", to_hex(e.serial)}, {"revokedAt", format_utc_time(e.revoked_at)}});
    return out;
}

Result<std::vector<std::string>> strings_of(const nlohmann::json& j, const std::string& where) {
    std::vector<std::string> out;
    if (!j.is_array())
        return bad_settings(where + ": expected an array of strings");
    for (const auto& s : j) {
        if (!s.is_string())
            return bad_settings(where + ": expected an array of strings");
        out.push_back(s.get<std::string>());
    }
    return out;
}

Result<TcbStatus> status_of(const nlohmann::json& j, const std::string& where) {
    if (!j.contains("tcbStatus") || !j["tcbStatus"].is_string())
        return bad_settings(where + ".tcbStatus: missing");
    auto status = tcb_status_from_name(j["tcbStatus"].get<std::string>());
    if (!status)
        return bad_settings(where + ".tcbStatus: unknown status");
    return *status;
}

Result<std::vector<RevokedEntry>> revoked_of(const nlohmann::json& j, const char* key) {
    std::vector<RevokedEntry> out;
    if (!j.contains(key) || !j[key].is_array())
        return bad_settings(std::string(key) + ": expected an array");
    for (const auto& e : j[key]) {
        if (!e.is_object() || !e.contains("serial") || !e["serial"].is_string() || !e.contains("revokedAt") ||
            !e["revokedAt"].is_string())
            return bad_settings(std::string(key) + ": entries need serial and revokedAt");
        auto serial = from_hex(e["serial"].get<std::string>(), 0, "serial");
        auto when = parse_utc_time(e["revokedAt"].get<std::string>());
        if (!serial || serial->empty() || !when)
            return bad_settings(std::string(key) + ": bad serial or revokedAt");
        out.push_back({*serial, *when});
    }
    return out;
}

struct KeyedCert {
    const char* cert_file;
    const char* key_file;
};
constexpr KeyedCert kFiles[] = {{"root_ca.pem", "root_ca.key.pem"},
                                {"pck_ca.pem", "pck_ca.key.pem"},
                                {"tcb_signing.pem", "tcb_signing.key.pem"}};

}  // namespace

Result<void> Pki::save(const std::string& dir) const {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        return Error(CCBOX_IO_ERROR, dir + ": cannot create the PKI directory");
    const Cert* certs[] = {&root_, &pck_ca_, &tcb_};
    const Pkey* keys[] = {&root_key_, &pck_ca_key_, &tcb_key_};
    for (size_t i = 0; i < 3; ++i) {
        CCBOX_TRY(write_text(dir + "/" + kFiles[i].key_file, private_key_pem(keys[i]->get()), 0600));
        CCBOX_TRY(write_text(dir + "/" + kFiles[i].cert_file, certificate_pem(certs[i]->get()), 0644));
    }
    const PkiSettings& s = settings_;
    nlohmann::json qe_levels = nlohmann::json::array();
    for (const auto& l : s.qe.levels)
        qe_levels.push_back({{"isvsvn", l.isvsvn}, {"tcbDate", l.tcb_date}, {"tcbStatus", tcb_status_name(l.status)},
                             {"advisoryIDs", l.advisory_ids}});
    nlohmann::json j = {
        {"development", s.development},
        {"fmspc", to_hex(s.fmspc)},
        {"pceId", to_hex(s.pce_id)},
        {"tcbEvaluationDataNumber", s.tcb_evaluation_data_number},
        {"tcbLevels", levels_to_json(s.tcb_levels)},
        {"qeIdentity",
         {{"mrsigner", to_hex(s.qe.mrsigner)}, {"isvprodid", s.qe.isvprodid}, {"miscselect", s.qe.miscselect},
          {"miscselectMask", s.qe.miscselect_mask}, {"attributes", to_hex(s.qe.attributes)},
          {"attributesMask", to_hex(s.qe.attributes_mask)}, {"tcbLevels", qe_levels}}},
        {"revokedPck", revoked_to_json(s.revoked_pck)},
        {"revokedCa", revoked_to_json(s.revoked_ca)},
        {"crlNumber", s.crl_number}};
    return write_text(dir + "/pki.json", j.dump(2) + "\n", 0644);
}

Result<Pki> Pki::load(const std::string& dir) {
    Pki pki;
    Cert* certs[] = {&pki.root_, &pki.pck_ca_, &pki.tcb_};
    Pkey* keys[] = {&pki.root_key_, &pki.pck_ca_key_, &pki.tcb_key_};
    for (size_t i = 0; i < 3; ++i) {
        const std::string cert_path = dir + "/" + kFiles[i].cert_file, key_path = dir + "/" + kFiles[i].key_file;
        CCBOX_ASSIGN_OR_RETURN(std::string cert_pem, read_text(cert_path));
        CCBOX_ASSIGN_OR_RETURN(std::string key_pem, read_text(key_path));
        auto cert = parse_pem_certificates(cert_pem, cert_path);
        if (!cert || cert->size() != 1)
            return Error(CCBOX_INVALID_PARAMETER, cert_path + ": expected exactly one PEM certificate");
        auto key = parse_private_key_pem(key_pem, key_path);
        if (!key)
            return std::move(key).error();
        if (X509_check_private_key(cert->front().get(), key->get()) != 1)
            return Error(CCBOX_INVALID_PARAMETER, key_path + ": is not the key of " + cert_path);
        *certs[i] = std::move(cert->front());
        *keys[i] = std::move(*key);
    }
    CCBOX_ASSIGN_OR_RETURN(std::string text, read_text(dir + "/pki.json"));
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return bad_settings("not a JSON object");
    PkiSettings& s = pki.settings_;
    if (!j.contains("development") || !j["development"].is_boolean())
        return bad_settings("development: expected true or false");
    s.development = j["development"].get<bool>();
    CCBOX_ASSIGN_OR_RETURN(s.fmspc, hex_field<6>(j, "fmspc"));
    CCBOX_ASSIGN_OR_RETURN(s.pce_id, hex_field<2>(j, "pceId"));
    auto number = [&](const nlohmann::json& o, const char* key, uint64_t max) -> Result<uint64_t> {
        if (!o.contains(key) || !o[key].is_number_unsigned() || o[key].get<uint64_t>() > max)
            return bad_settings(std::string(key) + ": expected an integer in 0.." + std::to_string(max));
        return o[key].get<uint64_t>();
    };
    CCBOX_ASSIGN_OR_RETURN(uint64_t eval, number(j, "tcbEvaluationDataNumber", UINT32_MAX));
    s.tcb_evaluation_data_number = static_cast<uint32_t>(eval);
    CCBOX_ASSIGN_OR_RETURN(s.crl_number, number(j, "crlNumber", UINT64_MAX));
    if (!j.contains("tcbLevels") || !j["tcbLevels"].is_array())
        return bad_settings("tcbLevels: expected an array");
    for (const auto& l : j["tcbLevels"]) {
        if (!l.is_object())
            return bad_settings("tcbLevels: expected objects");
        TcbLevel level;
        CCBOX_ASSIGN_OR_RETURN(level.sgx_components, hex_field<16>(l, "sgxtcbcomponents"));
        CCBOX_ASSIGN_OR_RETURN(uint64_t pcesvn, number(l, "pcesvn", 65535));
        level.pcesvn = static_cast<uint16_t>(pcesvn);
        if (!l.contains("tcbDate") || !l["tcbDate"].is_string() || !parse_utc_time(l["tcbDate"].get<std::string>()))
            return bad_settings("tcbLevels.tcbDate: expected a UTC time");
        level.tcb_date = l["tcbDate"].get<std::string>();
        CCBOX_ASSIGN_OR_RETURN(level.status, status_of(l, "tcbLevels"));
        CCBOX_ASSIGN_OR_RETURN(level.advisory_ids, strings_of(l.value("advisoryIDs", nlohmann::json::array()),
                                                              "tcbLevels.advisoryIDs"));
        s.tcb_levels.push_back(std::move(level));
    }
    if (!j.contains("qeIdentity") || !j["qeIdentity"].is_object())
        return bad_settings("qeIdentity: expected an object");
    const auto& q = j["qeIdentity"];
    CCBOX_ASSIGN_OR_RETURN(s.qe.mrsigner, hex_field<32>(q, "mrsigner"));
    CCBOX_ASSIGN_OR_RETURN(uint64_t prodid, number(q, "isvprodid", 65535));
    s.qe.isvprodid = static_cast<uint16_t>(prodid);
    CCBOX_ASSIGN_OR_RETURN(uint64_t misc, number(q, "miscselect", UINT32_MAX));
    CCBOX_ASSIGN_OR_RETURN(uint64_t misc_mask, number(q, "miscselectMask", UINT32_MAX));
    s.qe.miscselect = static_cast<uint32_t>(misc);
    s.qe.miscselect_mask = static_cast<uint32_t>(misc_mask);
    CCBOX_ASSIGN_OR_RETURN(s.qe.attributes, hex_field<16>(q, "attributes"));
    CCBOX_ASSIGN_OR_RETURN(s.qe.attributes_mask, hex_field<16>(q, "attributesMask"));
    if (!q.contains("tcbLevels") || !q["tcbLevels"].is_array())
        return bad_settings("qeIdentity.tcbLevels: expected an array");
    for (const auto& l : q["tcbLevels"]) {
        if (!l.is_object())
            return bad_settings("qeIdentity.tcbLevels: expected objects");
        QeTcbLevel level;
        CCBOX_ASSIGN_OR_RETURN(uint64_t svn, number(l, "isvsvn", 65535));
        level.isvsvn = static_cast<uint16_t>(svn);
        if (!l.contains("tcbDate") || !l["tcbDate"].is_string())
            return bad_settings("qeIdentity.tcbLevels.tcbDate: missing");
        level.tcb_date = l["tcbDate"].get<std::string>();
        CCBOX_ASSIGN_OR_RETURN(level.status, status_of(l, "qeIdentity.tcbLevels"));
        CCBOX_ASSIGN_OR_RETURN(level.advisory_ids, strings_of(l.value("advisoryIDs", nlohmann::json::array()),
                                                              "qeIdentity.tcbLevels.advisoryIDs"));
        s.qe.levels.push_back(std::move(level));
    }
    CCBOX_ASSIGN_OR_RETURN(s.revoked_pck, revoked_of(j, "revokedPck"));
    CCBOX_ASSIGN_OR_RETURN(s.revoked_ca, revoked_of(j, "revokedCa"));
    return pki;
}

}  // namespace ccbox::attestation
