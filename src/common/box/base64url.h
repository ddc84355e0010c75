// Base64url without padding (RFC 4648 §5, as JOSE uses it: RFC 7515 §2). Trust domain: common.
// Decoding is strict: only the URL-safe alphabet, no padding, no whitespace, and the unused
// low bits of the last character must be zero, so each byte string has one encoding.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace ccbox::box {

// The decoded size of `size` characters; false if no base64url string has that length.
bool base64url_decoded_size(size_t size, size_t* out);
// Decodes into `out` (capacity bytes); false on any non-canonical input or too small a buffer.
bool base64url_decode(const char* in, size_t size, uint8_t* out, size_t capacity, size_t* out_size);
// Encodes into `out` (capacity characters, no NUL written); false if it does not fit.
bool base64url_encode(const uint8_t* in, size_t size, char* out, size_t capacity, size_t* out_size);

}  // namespace ccbox::box
