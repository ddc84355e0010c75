#include "services/keybroker/jwe.hpp"

#include "attestation/ossl.hpp"
#include "services/keybroker/base64url.hpp"
#include "support/sha256.hpp"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>
#include <memory>
#include <vector>

namespace ccbox::keybroker {
namespace {

struct CipherCtxFree { void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); } };
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

// Wipes a secret buffer when it goes out of scope, whichever way.
template <size_t N>
struct Secret {
    std::array<uint8_t, N> b{};
    ~Secret() { OPENSSL_cleanse(b.data(), N); }
};

Error crypto_error(const char* what) { return Error(CCBOX_CRYPTO_ERROR, std::string("jwe: ") + what + " failed"); }

void put32(Sha256& h, uint32_t v) {
    const uint8_t b[4] = {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
    h.update(b, 4);
}

}  // namespace

void concat_kdf_a256kw(std::span<const uint8_t> z, uint8_t kek[32]) {
    static constexpr char kAlg[] = "ECDH-ES+A256KW";
    Sha256 h;
    put32(h, 1);
    h.update(z);
    put32(h, sizeof kAlg - 1);
    h.update(kAlg, sizeof kAlg - 1);
    put32(h, 0);  // PartyUInfo: empty
    put32(h, 0);  // PartyVInfo: empty
    put32(h, 256);
    Digest256 d = h.finish();
    std::memcpy(kek, d.data(), 32);
    OPENSSL_cleanse(d.data(), d.size());
}

Result<std::string> jwe_wrap(std::span<const uint8_t> plaintext, const std::string& kid,
                             std::span<const uint8_t, 65> point) {
    if (point[0] != 0x04)
        return Error(CCBOX_INVALID_PARAMETER, "jwe: the recipient key is not an uncompressed P-256 point");
    CCBOX_ASSIGN_OR_RETURN(attestation::Pkey peer, attestation::p256_public_key(point.subspan<1, 64>()));
    CCBOX_ASSIGN_OR_RETURN(attestation::Pkey epk, attestation::p256_generate());
    CCBOX_ASSIGN_OR_RETURN(attestation::RawPublicKey epk_xy, attestation::p256_raw_public_key(epk.get()));

    Secret<32> z, kek, cek;
    size_t z_len = z.b.size();
    PkeyCtx dctx(EVP_PKEY_CTX_new(epk.get(), nullptr));
    if (!dctx || EVP_PKEY_derive_init(dctx.get()) != 1 || EVP_PKEY_derive_set_peer(dctx.get(), peer.get()) != 1 ||
        EVP_PKEY_derive(dctx.get(), z.b.data(), &z_len) != 1 || z_len != 32)
        return crypto_error("ECDH");
    concat_kdf_a256kw(z.b, kek.b.data());
    std::array<uint8_t, 12> iv{};
    if (RAND_bytes(cek.b.data(), 32) != 1 || RAND_bytes(iv.data(), 12) != 1)
        return crypto_error("RAND_bytes");

    // encrypted_key = AES-256-KW(KEK, CEK), RFC 3394 with the default IV.
    std::array<uint8_t, 40> wrapped{};
    int n = 0, m = 0;
    CipherCtx wctx(EVP_CIPHER_CTX_new());
    if (!wctx)
        return crypto_error("EVP_CIPHER_CTX_new");
    EVP_CIPHER_CTX_set_flags(wctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    if (EVP_EncryptInit_ex(wctx.get(), EVP_aes_256_wrap(), nullptr, kek.b.data(), nullptr) != 1 ||
        EVP_EncryptUpdate(wctx.get(), wrapped.data(), &n, cek.b.data(), 32) != 1 ||
        EVP_EncryptFinal_ex(wctx.get(), wrapped.data() + n, &m) != 1 || n + m != 40)
        return crypto_error("AES key wrap");

    nlohmann::ordered_json header = {
        {"alg", "ECDH-ES+A256KW"},
        {"enc", "A256GCM"},
        {"kid", kid},
        {"epk",
         {{"kty", "EC"},
          {"crv", "P-256"},
          {"x", b64url_encode(std::span(epk_xy).first(32))},
          {"y", b64url_encode(std::span(epk_xy).subspan(32))}}}};
    const std::string protected_b64 = b64url_encode(header.dump());

    std::vector<uint8_t> ciphertext(plaintext.size() + 16);
    std::array<uint8_t, 16> tag{};
    CipherCtx gctx(EVP_CIPHER_CTX_new());
    int len = 0, fin = 0;
    if (!gctx || EVP_EncryptInit_ex(gctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(gctx.get(), EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) != 1 ||
        EVP_EncryptInit_ex(gctx.get(), nullptr, nullptr, cek.b.data(), iv.data()) != 1 ||
        EVP_EncryptUpdate(gctx.get(), nullptr, &len, reinterpret_cast<const uint8_t*>(protected_b64.data()),
                          static_cast<int>(protected_b64.size())) != 1 ||
        EVP_EncryptUpdate(gctx.get(), ciphertext.data(), &len, plaintext.data(), static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(gctx.get(), ciphertext.data() + len, &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(gctx.get(), EVP_CTRL_GCM_GET_TAG, 16, tag.data()) != 1)
        return crypto_error("AES-256-GCM");
    ciphertext.resize(static_cast<size_t>(len + fin));

    return protected_b64 + "." + b64url_encode(wrapped) + "." + b64url_encode(iv) + "." + b64url_encode(ciphertext) +
           "." + b64url_encode(tag);
}

}  // namespace ccbox::keybroker
