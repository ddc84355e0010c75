// Base64url without padding. Trust domain: common (parses JWEs from the hostile host).
#include "common/box/base64url.h"

namespace ccbox::box {

namespace {

const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int value(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

}  // namespace

bool base64url_decoded_size(size_t size, size_t* out) {
    if (size % 4 == 1)
        return false;
    *out = size / 4 * 3 + (size % 4 ? size % 4 - 1 : 0);
    return true;
}

bool base64url_decode(const char* in, size_t size, uint8_t* out, size_t capacity, size_t* out_size) {
    size_t n = 0;
    if (!base64url_decoded_size(size, &n) || n > capacity)
        return false;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < size; ++i) {
        const int v = value(in[i]);
        if (v < 0)
            return false;
        acc = (acc << 6) | uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = uint8_t(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0)  // the leftover bits of the last character must be zero
        return false;
    *out_size = o;
    return true;
}

bool base64url_encode(const uint8_t* in, size_t size, char* out, size_t capacity, size_t* out_size) {
    const size_t n = size / 3 * 4 + (size % 3 ? size % 3 + 1 : 0);
    if (n > capacity)
        return false;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < size; ++i) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out[o++] = kAlphabet[(acc >> bits) & 63];
        }
        acc &= (1u << bits) - 1;
    }
    if (bits > 0)
        out[o++] = kAlphabet[(acc << (6 - bits)) & 63];
    *out_size = o;
    return true;
}

}  // namespace ccbox::box
