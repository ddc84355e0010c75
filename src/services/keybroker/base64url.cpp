#include "services/keybroker/base64url.hpp"

#include <openssl/evp.h>

namespace ccbox::keybroker {

std::string b64url_encode(std::span<const uint8_t> bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<size_t>(n));
    while (!out.empty() && out.back() == '=')
        out.pop_back();
    for (char& c : out)
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    return out;
}

std::optional<std::vector<uint8_t>> b64url_decode(std::string_view text) {
    if (text.size() % 4 == 1 || text.size() > (size_t(1) << 30))
        return std::nullopt;
    std::string std64;
    std64.reserve(text.size() + 3);
    for (char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            std64 += c;
        else if (c == '-')
            std64 += '+';
        else if (c == '_')
            std64 += '/';
        else
            return std::nullopt;
    }
    const size_t pad = (4 - std64.size() % 4) % 4;
    std64.append(pad, '=');
    std::vector<uint8_t> out(std64.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(std64.data()),
                                  static_cast<int>(std64.size()));
    if (n < 0)
        return std::nullopt;
    out.resize(static_cast<size_t>(n) - pad);  // EVP_DecodeBlock counts padding as zero bytes
    if (b64url_encode(out) != text)            // non-canonical: stray trailing bits
        return std::nullopt;
    return out;
}

}  // namespace ccbox::keybroker
