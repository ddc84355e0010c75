// Lowercase hex encoding and strict hex decoding for hosted code.
#pragma once

#include "support/result.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ccbox {

std::string to_hex(std::span<const uint8_t> bytes);

// Decodes exactly `expected_size` bytes (or any even length when expected_size is 0) from hex
// digits; an optional "0x" prefix is accepted. `what` names the value in error messages.
Result<std::vector<uint8_t>> from_hex(std::string_view text, size_t expected_size, std::string_view what);

}  // namespace ccbox
