#include "support/hex.hpp"

namespace ccbox {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string to_hex(std::span<const uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (uint8_t b : bytes) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0xf]);
    }
    return out;
}

Result<std::vector<uint8_t>> from_hex(std::string_view text, size_t expected_size, std::string_view what) {
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        text.remove_prefix(2);
    if (text.size() % 2 != 0)
        return Error(CCBOX_INVALID_PARAMETER, std::string(what) + ": odd number of hex digits");
    if (expected_size != 0 && text.size() != expected_size * 2)
        return Error(CCBOX_INVALID_PARAMETER, std::string(what) + ": expected " + std::to_string(expected_size * 2) +
                                                  " hex digits, got " + std::to_string(text.size()));
    std::vector<uint8_t> out(text.size() / 2);
    for (size_t i = 0; i < out.size(); ++i) {
        int hi = hex_value(text[2 * i]);
        int lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return Error(CCBOX_INVALID_PARAMETER,
                         std::string(what) + ": '" + std::string(text.substr(2 * i, 2)) + "' is not hex");
        out[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return out;
}

}  // namespace ccbox
