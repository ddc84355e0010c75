// RsaKey: the RSA keys SGX signing uses (RSA-3072, public exponent 3), through OpenSSL 3.
#pragma once

#include "support/result.hpp"
#include "support/sha256.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

typedef struct evp_pkey_st EVP_PKEY;

namespace ccbox {

inline constexpr int kSgxRsaBits = 3072;
inline constexpr size_t kSgxRsaBytes = 384;

class RsaKey {
public:
    // A fresh RSA-3072 key with public exponent 3, from OpenSSL's CSPRNG.
    static Result<RsaKey> generate_sgx_key();
    // A PEM private key, or (if `allow_public_only`) a PEM public key. `origin` names the file.
    static Result<RsaKey> from_pem(std::span<const uint8_t> pem, const std::string& origin, bool allow_public_only);
    static Result<RsaKey> load_pem_file(const std::string& path, bool allow_public_only);
    // A public key from a little-endian modulus (as SIGSTRUCT stores it) and an exponent.
    static Result<RsaKey> from_modulus_le(std::span<const uint8_t> modulus_le, uint32_t exponent);

    bool has_private_key() const { return has_private_; }
    int bits() const;
    // The public exponent, or 0 if it does not fit 64 bits.
    uint64_t public_exponent() const;
    // The modulus, big endian, left-padded to `size` bytes (empty if it does not fit).
    std::vector<uint8_t> modulus_be(size_t size) const;

    // RSASSA-PKCS1-v1_5 over an already computed SHA-256 digest; big-endian signature.
    Result<std::vector<uint8_t>> sign_sha256_digest(const Digest256& digest) const;
    bool verify_sha256_digest(const Digest256& digest, std::span<const uint8_t> signature_be) const;

    std::string private_pem() const;
    std::string public_pem() const;

private:
    struct PkeyDeleter {
        void operator()(EVP_PKEY* key) const;
    };
    std::shared_ptr<EVP_PKEY> key_;
    bool has_private_ = false;
};

// Refuses any key that is not RSA-3072 with exponent 3, with a message that says how to make one.
Result<void> require_sgx_signing_key(const RsaKey& key, const std::string& origin);

// The most recent OpenSSL error as text, for messages.
std::string openssl_error_text();

}  // namespace ccbox
