// The broker's JWE construction, re-done on the host for the tests (docs/keybroker.md).
#include "jwe_maker.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>

namespace box_test {

namespace {

void need(bool ok, const char* what) {
    if (!ok)
        throw std::runtime_error(std::string("jwe_maker: ") + what);
}

EVP_PKEY* public_key(const uint8_t point[65]) {
    char group[] = "P-256";
    uint8_t copy[65];
    std::memcpy(copy, point, 65);
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                           OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, copy, 65),
                           OSSL_PARAM_construct_end()};
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY* key = nullptr;
    need(ctx && EVP_PKEY_fromdata_init(ctx) == 1 && EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1,
         "recipient point");
    EVP_PKEY_CTX_free(ctx);
    return key;
}

std::vector<uint8_t> cipher(const char* name, bool wrap, const uint8_t* key, const uint8_t* iv, const std::string& aad,
                            const std::vector<uint8_t>& in, uint8_t* tag) {
    EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, name, nullptr);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    if (wrap)
        EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    std::vector<uint8_t> out(in.size() + 16);
    int n = 0, m = 0;
    need(EVP_EncryptInit_ex(ctx, c, nullptr, key, iv) == 1, "cipher init");
    if (!aad.empty())
        need(EVP_EncryptUpdate(ctx, nullptr, &n, reinterpret_cast<const uint8_t*>(aad.data()), int(aad.size())) == 1,
             "aad");
    need(EVP_EncryptUpdate(ctx, out.data(), &n, in.data(), int(in.size())) == 1, "encrypt");
    need(EVP_EncryptFinal_ex(ctx, out.data() + n, &m) == 1, "final");
    if (tag)
        need(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag) == 1, "tag");
    out.resize(size_t(n + m));
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(c);
    return out;
}

}  // namespace

std::string b64url(const uint8_t* p, size_t n) {
    std::string out(4 * ((n + 2) / 3) + 1, '\0');
    const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), p, int(n));
    out.resize(size_t(len));
    while (!out.empty() && out.back() == '=')
        out.pop_back();
    for (char& c : out)
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    return out;
}

std::string make_jwe(const uint8_t point[65], const std::vector<uint8_t>& key, const JweOptions& o) {
    EVP_PKEY* recipient = public_key(point);
    EVP_PKEY* epk = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    need(epk, "epk");
    uint8_t epk_point[65];
    size_t n = 0;
    need(EVP_PKEY_get_octet_string_param(epk, OSSL_PKEY_PARAM_PUB_KEY, epk_point, 65, &n) == 1 && n == 65, "epk pub");
    uint8_t z[32];
    size_t zn = 32;
    EVP_PKEY_CTX* d = EVP_PKEY_CTX_new_from_pkey(nullptr, epk, nullptr);
    need(EVP_PKEY_derive_init(d) == 1 && EVP_PKEY_derive_set_peer(d, recipient) == 1 &&
             EVP_PKEY_derive(d, z, &zn) == 1,
         "ECDH");
    EVP_PKEY_CTX_free(d);
    EVP_PKEY_free(epk);
    EVP_PKEY_free(recipient);

    // Concat KDF (RFC 7518 §4.6.2), always with "ECDH-ES+A256KW" as the algorithm id.
    const std::string alg_id = "ECDH-ES+A256KW";
    std::vector<uint8_t> kdf = {0, 0, 0, 1};
    kdf.insert(kdf.end(), z, z + 32);
    kdf.insert(kdf.end(), {0, 0, 0, uint8_t(alg_id.size())});
    kdf.insert(kdf.end(), alg_id.begin(), alg_id.end());
    kdf.insert(kdf.end(), {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0});
    uint8_t kek[32];
    unsigned int kn = 0;
    need(EVP_Digest(kdf.data(), kdf.size(), kek, &kn, EVP_sha256(), nullptr) == 1, "kdf");

    std::vector<uint8_t> cek(32);
    uint8_t iv[12];
    need(RAND_bytes(cek.data(), 32) == 1 && RAND_bytes(iv, 12) == 1, "random");
    std::vector<uint8_t> wrapped = cipher("AES-256-WRAP", true, kek, nullptr, "", cek, nullptr);
    if (o.tamper_encrypted_key)
        wrapped[5] ^= 1;

    if (o.epk_off_curve)
        epk_point[64] ^= 1;
    const std::string epk_json = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + b64url(epk_point + 1, 32) +
                                 "\",\"y\":\"" + b64url(epk_point + 33, 32) + "\"}";
    std::string header = o.header;
    if (header.empty())
        header = "{\"alg\":\"" + o.alg + "\",\"enc\":\"" + o.enc + "\",\"kid\":\"" + o.kid + "\",\"epk\":EPK}";
    // ":EPK": a ':' never occurs in base64url, so a random x or y with "EPK" in it is left alone.
    if (auto at = header.find(":EPK"); at != std::string::npos)
        header.replace(at + 1, 3, epk_json);
    const std::string protected_b64 = b64url(header);
    uint8_t tag[16];
    std::vector<uint8_t> ct = cipher("AES-256-GCM", false, cek.data(), iv, protected_b64, key, tag);
    if (o.tamper_tag)
        tag[0] ^= 1;
    return protected_b64 + "." + b64url(wrapped.data(), wrapped.size()) + "." + b64url(iv, 12) + "." +
           b64url(ct.data(), ct.size()) + "." + b64url(tag, 16);
}

}  // namespace box_test
