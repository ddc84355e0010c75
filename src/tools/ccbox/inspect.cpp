#include "tools/ccbox/inspect.hpp"

#include "platform/enclave_config.hpp"
#include "support/file_io.hpp"
#include "support/hex.hpp"
#include "tools/ccbox/signing.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace ccbox {
namespace {

bool check_passed(const InspectReport& r, const char* name) {
    return std::any_of(r.checks.begin(), r.checks.end(),
                       [&](const SigstructCheck& c) { return c.name == name && c.passed; });
}

std::string hex_number(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

}  // namespace

bool InspectReport::signature_valid() const { return check_passed(*this, "signature") && check_passed(*this, "q1/q2"); }
bool InspectReport::measurement_matches() const { return is_image && check_passed(*this, "enclavehash"); }
bool InspectReport::all_checks_passed() const {
    return std::all_of(checks.begin(), checks.end(), [](const SigstructCheck& c) { return c.passed; });
}

std::string attribute_names(uint64_t flags) {
    static constexpr std::pair<uint64_t, const char*> kNames[] = {
        {sgx::attr::kInit, "INIT"},         {sgx::attr::kDebug, "DEBUG"},
        {sgx::attr::kMode64Bit, "MODE64BIT"}, {sgx::attr::kProvisionKey, "PROVISIONKEY"},
        {sgx::attr::kEinitTokenKey, "EINITTOKEN_KEY"}, {sgx::attr::kCet, "CET"},
        {sgx::attr::kKss, "KSS"},           {sgx::attr::kAexNotify, "AEXNOTIFY"},
    };
    std::string out;
    uint64_t rest = flags;
    for (auto [bit, name] : kNames) {
        if (flags & bit) {
            out += out.empty() ? "" : "|";
            out += name;
            rest &= ~bit;
        }
    }
    for (int bit = 0; bit < 64; ++bit)
        if (rest & (uint64_t(1) << bit)) {
            // Appended piece by piece: `"|" + std::string(...)` draws a false -Wrestrict from
            // gcc 12 at -O3 (its operator+(const char*, string&&) inlined).
            out += out.empty() ? "" : "|";
            out += "BIT";
            out += std::to_string(bit);
        }
    return out.empty() ? "none" : out;
}

Result<InspectReport> inspect_file(const std::string& path) {
    CCBOX_ASSIGN_OR_RETURN(Bytes bytes, read_file(path));
    return inspect_bytes(std::move(bytes), path);
}

Result<InspectReport> inspect_bytes(Bytes bytes, const std::string& path) {
    InspectReport report;
    report.path = path;
    if (bytes.size() >= 4 && std::memcmp(bytes.data(), "\x7f" "ELF", 4) == 0) {
        report.is_image = true;
        CCBOX_ASSIGN_OR_RETURN(ElfImage elf, ElfImage::parse(std::move(bytes), path));
        CCBOX_ASSIGN_OR_RETURN(EnclaveImage image, EnclaveImage::from_elf(std::move(elf)));
        if (!image.signature())
            return Error(CCBOX_NOT_SIGNED, path + ": the image is not signed (`ccbox measure` gives its MRENCLAVE; "
                                                  "`ccbox sign` signs it)");
        report.sigstruct = image.signature()->sigstruct;
        report.config = image.signature()->config;
        CCBOX_ASSIGN_OR_RETURN(EnclaveLayout layout, image.layout());
        report.elrange_bytes = layout.enclave_size();
        report.epc_pages = layout.epc_pages();
        report.measured = layout.mrenclave();
        EinitTarget target{secs_attributes_for(*report.config, false), kSecsMiscselect, *report.measured};
        report.checks = check_sigstruct_for_einit(report.sigstruct, target);
    } else if (bytes.size() == sizeof(sgx::Sigstruct)) {
        std::memcpy(&report.sigstruct, bytes.data(), sizeof report.sigstruct);
        report.checks = check_sigstruct(report.sigstruct);
    } else {
        return Error(CCBOX_INVALID_PARAMETER, path + ": neither an enclave image (ELF) nor a 1808-byte SIGSTRUCT (" +
                                                  std::to_string(bytes.size()) + " bytes)");
    }
    report.mrsigner = mrsigner_of(report.sigstruct);
    return report;
}

nlohmann::json report_json(const InspectReport& r) {
    const auto& s = r.sigstruct;
    nlohmann::json j;
    j["file"] = r.path;
    j["type"] = r.is_image ? "image" : "sigstruct";
    j["mrenclave"] = to_hex(s.enclavehash);
    j["mrsigner"] = to_hex(r.mrsigner);
    j["isvprodid"] = s.isvprodid;
    j["isvsvn"] = s.isvsvn;
    j["isvfamilyid"] = to_hex(s.isvfamilyid);
    j["isvextprodid"] = to_hex(s.isvextprodid);
    j["attributes"] = {{"flags", hex_number(s.attributes.flags)},
                       {"xfrm", hex_number(s.attributes.xfrm)},
                       {"names", attribute_names(s.attributes.flags)}};
    j["attribute_mask"] = {{"flags", hex_number(s.attributemask.flags)}, {"xfrm", hex_number(s.attributemask.xfrm)}};
    j["miscselect"] = hex_number(s.miscselect);
    j["misc_mask"] = hex_number(s.miscmask);
    j["debug"] = (s.attributes.flags & sgx::attr::kDebug) != 0;
    j["date"] = format_bcd_date(s.date);
    j["vendor"] = s.vendor;
    j["signature_valid"] = r.signature_valid();
    j["valid"] = r.all_checks_passed();
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : r.checks) {
        nlohmann::json item{{"name", c.name}, {"passed", c.passed}};
        if (!c.passed)
            item["message"] = c.message;
        checks.push_back(item);
    }
    j["checks"] = checks;
    if (r.is_image) {
        j["measurement_matches"] = r.measurement_matches();
        j["measured_mrenclave"] = to_hex(*r.measured);
        j["elrange_bytes"] = r.elrange_bytes;
        j["epc_pages"] = r.epc_pages;
        j["epc_bytes"] = r.epc_pages * sgx::kPageSize;
        const auto& c = *r.config;
        j["properties"] = {{"Debug", (c.flags & CCBOX_CONFIG_FLAG_DEBUG) ? 1 : 0},
                           {"NumHeapPages", c.num_heap_pages},
                           {"NumStackPages", c.num_stack_pages},
                           {"NumTCS", c.num_tcs},
                           {"ProductID", c.product_id},
                           {"SecurityVersion", c.security_version},
                           {"FamilyID", to_hex(c.family_id)},
                           {"ExtendedProductID", to_hex(c.extended_product_id)}};
    }
    return j;
}

std::string format_report_text(const InspectReport& r) {
    const auto& s = r.sigstruct;
    std::ostringstream out;
    out << (r.is_image ? "enclave image " : "SIGSTRUCT ") << r.path << "\n";
    out << "  mrenclave      " << to_hex(s.enclavehash) << "\n";
    out << "  mrsigner       " << to_hex(r.mrsigner) << "\n";
    out << "  isvprodid      " << s.isvprodid << "\n";
    out << "  isvsvn         " << s.isvsvn << "\n";
    out << "  isvfamilyid    " << to_hex(s.isvfamilyid) << "\n";
    out << "  isvextprodid   " << to_hex(s.isvextprodid) << "\n";
    out << "  attributes     " << attribute_names(s.attributes.flags) << " (flags " << hex_number(s.attributes.flags)
        << ", xfrm " << hex_number(s.attributes.xfrm) << ")\n";
    out << "  attribute mask flags " << hex_number(s.attributemask.flags) << ", xfrm " << hex_number(s.attributemask.xfrm)
        << "\n";
    out << "  miscselect     " << hex_number(s.miscselect) << " (mask " << hex_number(s.miscmask) << ")\n";
    out << "  date           " << format_bcd_date(s.date) << "\n";
    out << "  vendor         " << hex_number(s.vendor) << "\n";
    if (r.is_image) {
        const auto& c = *r.config;
        out << "  properties     Debug=" << ((c.flags & CCBOX_CONFIG_FLAG_DEBUG) ? 1 : 0)
            << " NumHeapPages=" << c.num_heap_pages << " NumStackPages=" << c.num_stack_pages
            << " NumTCS=" << c.num_tcs << " ProductID=" << c.product_id << " SecurityVersion=" << c.security_version
            << "\n";
        char epc_mib[32];
        std::snprintf(epc_mib, sizeof epc_mib, "%.1f", static_cast<double>(r.epc_pages * sgx::kPageSize) / (1 << 20));
        out << "  layout         ELRANGE " << (r.elrange_bytes >> 20) << " MiB, " << r.epc_pages
            << " EPC pages with the SECS (" << epc_mib << " MiB)\n";
        out << "  measured       " << to_hex(*r.measured) << "\n";
    }
    out << "  signature      " << (r.signature_valid() ? "valid" : "INVALID") << "\n";
    if (r.is_image)
        out << "  measurement    " << (r.measurement_matches() ? "matches ENCLAVEHASH" : "DOES NOT MATCH ENCLAVEHASH")
            << "\n";
    for (const auto& c : r.checks)
        if (!c.passed)
            out << "  check failed   " << c.name << ": " << c.message << "\n";
    return out.str();
}

}  // namespace ccbox
