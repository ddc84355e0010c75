// Compact JWEs made on the host with OpenSSL exactly as docs/keybroker.md says the broker makes
// them (ECDH-ES+A256KW with a one-round Concat KDF, AES-256-KW, AES-256-GCM over the base64url
// protected header), and wrongly in every way the enclave must refuse.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace box_test {

struct JweOptions {
    std::string alg = "ECDH-ES+A256KW";
    std::string enc = "A256GCM";
    std::string kid = "data/1";
    std::string header;          // if set, the protected header's JSON verbatim (":EPK" = the epk object as a member's value)
    bool epk_off_curve = false;  // y of the epk changed: a point not on P-256
    bool tamper_tag = false;
    bool tamper_encrypted_key = false;
};

// One changed option each (designated initializers would leave members uninitialised-warned).
inline JweOptions jwe_alg(std::string v) { JweOptions o; o.alg = std::move(v); return o; }
inline JweOptions jwe_enc(std::string v) { JweOptions o; o.enc = std::move(v); return o; }
inline JweOptions jwe_kid(std::string v) { JweOptions o; o.kid = std::move(v); return o; }
inline JweOptions jwe_header(std::string v) { JweOptions o; o.header = std::move(v); return o; }
inline JweOptions jwe_off_curve() { JweOptions o; o.epk_off_curve = true; return o; }
inline JweOptions jwe_bad_tag() { JweOptions o; o.tamper_tag = true; return o; }
inline JweOptions jwe_bad_wrapped_key() { JweOptions o; o.tamper_encrypted_key = true; return o; }

std::string b64url(const uint8_t* p, size_t n);
inline std::string b64url(const std::string& s) { return b64url(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

// A JWE of `key` for the enclave whose ephemeral public point (0x04 ‖ X ‖ Y) is `point`.
std::string make_jwe(const uint8_t point[65], const std::vector<uint8_t>& key, const JweOptions& options = {});

}  // namespace box_test
