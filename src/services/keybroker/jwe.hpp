// The broker's answer to a release: the key wrapped to the enclave's ephemeral P-256 key as a
// JWE in compact serialization (RFC 7516), alg ECDH-ES+A256KW, enc A256GCM (RFC 7518 §4.6,
// §4.4, §5.3), exactly as docs/keybroker.md fixes it. Only OpenSSL's EVP primitives are used.
#pragma once

#include "support/result.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace ccbox::keybroker {

// `point` is the SEC1 uncompressed point 0x04 ‖ X ‖ Y of the recipient's key; `kid` goes into
// the protected header ("K/N"). A point not on P-256 is an error.
Result<std::string> jwe_wrap(std::span<const uint8_t> plaintext, const std::string& kid,
                             std::span<const uint8_t, 65> point);

// The Concat KDF of RFC 7518 §4.6.2 for alg ECDH-ES+A256KW with empty apu/apv: one SHA-256
// round over 00000001 ‖ Z ‖ len ‖ "ECDH-ES+A256KW" ‖ 0 ‖ 0 ‖ 256. Shared with the tests' unwrap.
void concat_kdf_a256kw(std::span<const uint8_t> z, uint8_t kek[32]);

}  // namespace ccbox::keybroker
