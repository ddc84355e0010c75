// std::string / std::vector forms of the one base64url codec (src/common/box/base64url.h:
// strict, canonical, as JOSE uses it), for the broker and its client.
#include "services/keybroker/base64url.hpp"

#include "common/box/base64url.h"

namespace ccbox::keybroker {

std::string b64url_encode(std::span<const uint8_t> bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    size_t n = 0;
    if (!box::base64url_encode(bytes.data(), bytes.size(), out.data(), out.size(), &n))
        return {};  // cannot happen: out has room for any input
    out.resize(n);
    return out;
}

std::optional<std::vector<uint8_t>> b64url_decode(std::string_view text) {
    size_t size = 0;
    if (!box::base64url_decoded_size(text.size(), &size))
        return std::nullopt;
    std::vector<uint8_t> out(size);
    size_t n = 0;
    if (!box::base64url_decode(text.data(), text.size(), out.data(), out.size(), &n))
        return std::nullopt;
    out.resize(n);
    return out;
}

}  // namespace ccbox::keybroker
