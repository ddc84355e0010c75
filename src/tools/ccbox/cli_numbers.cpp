#include "tools/ccbox/cli_numbers.hpp"

#include "common/sgx/arch.h"
#include "platform/sigstruct.hpp"

#include <charconv>

namespace ccbox {

Result<uint64_t> parse_u64_option(const std::string& text, const std::string& option) {
    std::string_view digits = text;
    int base = 10;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        digits.remove_prefix(2);
        base = 16;
    }
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
        return Error(CCBOX_INVALID_PARAMETER, option + ": '" + text + "' is not a number (decimal or 0x-hex)");
    return value;
}

Result<uint32_t> parse_u32_option(const std::string& text, const std::string& option) {
    CCBOX_ASSIGN_OR_RETURN(uint64_t v, parse_u64_option(text, option));
    if (v > 0xffffffffull)
        return Error(CCBOX_INVALID_PARAMETER, option + ": " + text + " does not fit 32 bits");
    return static_cast<uint32_t>(v);
}

Result<uint64_t> parse_attribute_flags(const std::string& text, const std::string& option) {
    if (!text.empty() && text[0] >= '0' && text[0] <= '9')
        return parse_u64_option(text, option);
    static constexpr std::pair<const char*, uint64_t> kNames[] = {
        {"INIT", sgx::attr::kInit},     {"DEBUG", sgx::attr::kDebug},
        {"MODE64BIT", sgx::attr::kMode64Bit}, {"PROVISIONKEY", sgx::attr::kProvisionKey},
        {"EINITTOKEN_KEY", sgx::attr::kEinitTokenKey}, {"CET", sgx::attr::kCet},
        {"KSS", sgx::attr::kKss},       {"AEXNOTIFY", sgx::attr::kAexNotify},
    };
    uint64_t flags = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t end = text.find_first_of("|,", pos);
        if (end == std::string::npos)
            end = text.size();
        std::string name = text.substr(pos, end - pos);
        bool found = false;
        for (auto [n, bit] : kNames)
            if (name == n) {
                flags |= bit;
                found = true;
            }
        if (!found)
            return Error(CCBOX_INVALID_PARAMETER, option + ": unknown attribute '" + name +
                                                      "' (use a number or INIT, DEBUG, MODE64BIT, PROVISIONKEY, "
                                                      "EINITTOKEN_KEY, CET, KSS, AEXNOTIFY)");
        pos = end + 1;
    }
    return flags;
}

Result<uint32_t> parse_date_yyyymmdd(const std::string& text) {
    bool digits = text.size() == 8 && text.find_first_not_of("0123456789") == std::string::npos;
    if (!digits)
        return Error(CCBOX_INVALID_PARAMETER, "--date: '" + text + "' is not YYYYMMDD");
    auto date = bcd_date(std::stoi(text.substr(0, 4)), std::stoi(text.substr(4, 2)), std::stoi(text.substr(6, 2)));
    if (!date.ok())
        return Error(CCBOX_INVALID_PARAMETER, "--date: '" + text + "' is not a valid calendar date");
    return date;
}

}  // namespace ccbox
