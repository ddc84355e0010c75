// Base64url without padding (RFC 4648 §5, as JOSE uses it), over OpenSSL's base64 codec.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ccbox::keybroker {

std::string b64url_encode(std::span<const uint8_t> bytes);
inline std::string b64url_encode(std::string_view text) {
    return b64url_encode(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}
// nullopt for anything but canonical unpadded base64url (no '=', no whitespace, no '+' or '/',
// no non-zero trailing bits), so one byte string has exactly one accepted encoding.
std::optional<std::vector<uint8_t>> b64url_decode(std::string_view text);

}  // namespace ccbox::keybroker
