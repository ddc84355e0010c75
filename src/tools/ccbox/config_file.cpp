#include "tools/ccbox/config_file.hpp"

#include "platform/elf_image.hpp"
#include "support/file_io.hpp"
#include "support/hex.hpp"

#include <charconv>
#include <cstring>

namespace ccbox {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::optional<uint64_t> parse_number(std::string_view text) {
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text.remove_prefix(2);
    }
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}

// A UUID "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" or 32 hex digits, stored in text order.
std::optional<std::vector<uint8_t>> parse_uuid(std::string_view text) {
    std::string digits;
    for (char c : text)
        if (c != '-')
            digits.push_back(c);
    if (text.size() == 36 && (text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-'))
        return std::nullopt;
    if (text.size() != 36 && text.size() != 32)
        return std::nullopt;
    auto bytes = from_hex(digits, 16, "uuid");
    if (!bytes.ok())
        return std::nullopt;
    return std::move(bytes).value();
}

constexpr const char* kKnownKeys =
    "Debug, NumHeapPages, NumStackPages, NumTCS, ProductID, SecurityVersion, FamilyID, ExtendedProductID";

}  // namespace

std::string ConfigFile::where(const std::string& key) const {
    auto it = lines.find(key);
    if (it == lines.end())
        return path;
    return path + ":" + std::to_string(it->second) + ": " + key;
}

ccbox_enclave_config_t ConfigFile::apply(const ccbox_enclave_config_t& base) const {
    ccbox_enclave_config_t c = base;
    auto has = [&](const char* key) { return lines.count(key) != 0; };
    if (has("Debug"))
        c.flags = (c.flags & ~CCBOX_CONFIG_FLAG_DEBUG) | (values.flags & CCBOX_CONFIG_FLAG_DEBUG);
    if (has("NumHeapPages"))
        c.num_heap_pages = values.num_heap_pages;
    if (has("NumStackPages"))
        c.num_stack_pages = values.num_stack_pages;
    if (has("NumTCS"))
        c.num_tcs = values.num_tcs;
    if (has("ProductID"))
        c.product_id = values.product_id;
    if (has("SecurityVersion"))
        c.security_version = values.security_version;
    if (has("FamilyID"))
        std::memcpy(c.family_id, values.family_id, sizeof c.family_id);
    if (has("ExtendedProductID"))
        std::memcpy(c.extended_product_id, values.extended_product_id, sizeof c.extended_product_id);
    if (has("FamilyID") || has("ExtendedProductID"))
        c.flags |= CCBOX_CONFIG_FLAG_KSS;
    return c;
}

Result<ConfigFile> parse_config_text(std::string_view text, const std::string& path) {
    ConfigFile file;
    file.path = path;
    int line_number = 0;
    while (!text.empty()) {
        ++line_number;
        size_t nl = text.find('\n');
        std::string_view line = trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (line.empty() || line.front() == '#')
            continue;
        const std::string at = path + ":" + std::to_string(line_number) + ": ";
        size_t eq = line.find('=');
        if (eq == std::string_view::npos)
            return Error(CCBOX_INVALID_CONFIG, at + "expected KEY=VALUE, got '" + std::string(line) + "'");
        std::string key(trim(line.substr(0, eq)));
        std::string_view value = trim(line.substr(eq + 1));
        if (auto hash = value.find('#'); hash != std::string_view::npos)
            value = trim(value.substr(0, hash));
        if (auto it = file.lines.find(key); it != file.lines.end())
            return Error(CCBOX_INVALID_CONFIG, at + key + ": duplicate key (first set on line " +
                                                   std::to_string(it->second) + ")");
        const std::string at_key = at + key + ": ";
        auto number_in = [&](uint64_t lo, uint64_t hi) -> Result<uint64_t> {
            auto n = parse_number(value);
            if (!n)
                return Error(CCBOX_INVALID_CONFIG, at_key + "'" + std::string(value) + "' is not a number");
            if (*n < lo || *n > hi)
                return Error(CCBOX_INVALID_CONFIG, at_key + std::string(value) + " is out of range (" +
                                                       std::to_string(lo) + ".." + std::to_string(hi) + ")");
            return *n;
        };
        const uint64_t max_pages = kMaxEnclaveSize / 4096;
        if (key == "Debug") {
            CCBOX_ASSIGN_OR_RETURN(uint64_t v, number_in(0, 1));
            file.values.flags = v ? CCBOX_CONFIG_FLAG_DEBUG : 0;
        } else if (key == "NumHeapPages") {
            auto n = parse_number(value);
            if (n && *n > max_pages)
                return Error(CCBOX_INVALID_CONFIG, at_key + std::string(value) +
                                                       " pages make ELRANGE larger than the 64 GiB limit");
            CCBOX_ASSIGN_OR_RETURN(file.values.num_heap_pages, number_in(1, max_pages));
        } else if (key == "NumStackPages") {
            CCBOX_ASSIGN_OR_RETURN(file.values.num_stack_pages, number_in(1, max_pages));
        } else if (key == "NumTCS") {
            CCBOX_ASSIGN_OR_RETURN(uint64_t v, number_in(1, CCBOX_MAX_TCS));
            file.values.num_tcs = static_cast<uint32_t>(v);
        } else if (key == "ProductID") {
            CCBOX_ASSIGN_OR_RETURN(uint64_t v, number_in(0, 0xffff));
            file.values.product_id = static_cast<uint16_t>(v);
        } else if (key == "SecurityVersion") {
            CCBOX_ASSIGN_OR_RETURN(uint64_t v, number_in(0, 0xffff));
            file.values.security_version = static_cast<uint16_t>(v);
        } else if (key == "FamilyID" || key == "ExtendedProductID") {
            auto uuid = parse_uuid(value);
            if (!uuid)
                return Error(CCBOX_INVALID_CONFIG, at_key + "'" + std::string(value) +
                                                       "' is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
            std::memcpy(key == "FamilyID" ? file.values.family_id : file.values.extended_product_id, uuid->data(), 16);
        } else if (key == "CapturePFGPExceptions" || key == "CreateZeroBaseEnclave" || key == "StartAddress") {
            return Error(CCBOX_INVALID_CONFIG, at_key + "an Open Enclave key that ccbox does not support");
        } else {
            return Error(CCBOX_INVALID_CONFIG, at + "unknown key '" + key + "' (known keys: " + kKnownKeys + ")");
        }
        file.lines[key] = line_number;
    }
    return file;
}

Result<ConfigFile> load_config_file(const std::string& path) {
    CCBOX_ASSIGN_OR_RETURN(Bytes bytes, read_file(path, 1 << 20));
    return parse_config_text(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), path);
}

}  // namespace ccbox
