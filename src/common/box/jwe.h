// Parsing the key broker's compact JWE (RFC 7516 §7.1) as docs/keybroker.md fixes it:
// alg ECDH-ES+A256KW, enc A256GCM, a kid and a P-256 epk, nothing else. Trust domain: common.
// Inside an enclave the JWE comes from the hostile host, so the parser is strict and bounded:
// sizes are capped before anything is decoded, every part is canonical base64url, and the
// protected header must be a JSON object with exactly the expected members (no escapes, no
// duplicates, no other members, no other types). The cryptography is the caller's
// (src/enclave/keyrelease/, tests): this file only takes the bytes apart.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace ccbox::box {

inline constexpr size_t kMaxJweSize = 4096;
inline constexpr size_t kMaxJweHeaderSize = 1024;  // the decoded protected header
inline constexpr size_t kMaxJwePlaintext = 512;
inline constexpr size_t kMaxKidSize = 255;

enum class JweError {
    ok = 0,
    too_large,         // the JWE or its header is over the caps above
    not_compact,       // not five base64url parts separated by '.'
    bad_base64url,     // a part is not canonical base64url
    header_not_json,   // the protected header is not a JSON object of strings
    header_members,    // a member is missing, duplicated, unknown or of the wrong type
    alg_unsupported,   // alg is not ECDH-ES+A256KW (e.g. "dir", "none", "RSA-OAEP")
    enc_unsupported,   // enc is not A256GCM
    epk_invalid,       // epk is not {"kty":"EC","crv":"P-256","x":32 bytes,"y":32 bytes}
    kid_invalid,       // kid empty, too long or not printable ASCII
    encrypted_key_size,  // not the 40 bytes of an AES-256-KW-wrapped 256-bit CEK
    iv_size,           // not 12 bytes
    tag_size,          // not 16 bytes
    ciphertext_size,   // empty or over kMaxJwePlaintext
};

const char* jwe_error_text(JweError error);

struct Jwe {
    const char* protected_b64 = nullptr;  // points into the input: the AES-GCM additional data
    size_t protected_b64_size = 0;
    char kid[kMaxKidSize + 1] = {};
    size_t kid_size = 0;
    uint8_t epk_x[32] = {};
    uint8_t epk_y[32] = {};
    uint8_t encrypted_key[40] = {};
    uint8_t iv[12] = {};
    uint8_t ciphertext[kMaxJwePlaintext] = {};
    size_t ciphertext_size = 0;
    uint8_t tag[16] = {};
};

JweError parse_jwe(const char* in, size_t size, Jwe* out);

}  // namespace ccbox::box
