// Parsing of the numeric command-line values of `ccbox` (decimal or 0x-hex), attribute flag
// names, and YYYYMMDD dates.
#pragma once

#include "support/result.hpp"

#include <cstdint>
#include <string>

namespace ccbox {

Result<uint64_t> parse_u64_option(const std::string& text, const std::string& option);
Result<uint32_t> parse_u32_option(const std::string& text, const std::string& option);
// A number, or attribute names (INIT, DEBUG, MODE64BIT, PROVISIONKEY, EINITTOKEN_KEY, CET, KSS,
// AEXNOTIFY) joined by '|' or ','.
Result<uint64_t> parse_attribute_flags(const std::string& text, const std::string& option);
// "20160109" -> 0x20160109 (BCD), with the calendar checked.
Result<uint32_t> parse_date_yyyymmdd(const std::string& text);

}  // namespace ccbox
