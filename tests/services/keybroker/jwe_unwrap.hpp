// The recipient's side of the broker's JWE, written for the tests from RFC 7516/7518 alone
// (it shares no code with src/services/keybroker/jwe.cpp): split the compact form, check the
// protected header, ECDH with the enclave's private key and the header's epk, Concat KDF,
// AES-256 key unwrap, AES-256-GCM with the protected header as AAD.
#pragma once

#include <nlohmann/json.hpp>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kbtest {

inline std::optional<std::vector<uint8_t>> unb64(std::string s) {
    for (char& c : s)
        c = c == '-' ? '+' : c == '_' ? '/' : c;
    const size_t pad = (4 - s.size() % 4) % 4;
    s.append(pad, '=');
    std::vector<uint8_t> out(s.size() / 4 * 3 + 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(s.data()), int(s.size()));
    if (n < 0)
        return std::nullopt;
    out.resize(size_t(n) - pad);
    return out;
}

struct Unwrapped {
    std::vector<uint8_t> plaintext;
    nlohmann::json header;
};

// `priv`: the enclave's ephemeral key. nullopt when anything does not check out.
inline std::optional<Unwrapped> jwe_unwrap(const std::string& jwe, EVP_PKEY* priv) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t dot; (dot = jwe.find('.', start)) != std::string::npos; start = dot + 1)
        parts.push_back(jwe.substr(start, dot - start));
    parts.push_back(jwe.substr(start));
    if (parts.size() != 5)
        return std::nullopt;
    auto hdr = unb64(parts[0]), ek = unb64(parts[1]), iv = unb64(parts[2]), ct = unb64(parts[3]), tag = unb64(parts[4]);
    if (!hdr || !ek || !iv || !ct || !tag || ek->size() != 40 || iv->size() != 12 || tag->size() != 16)
        return std::nullopt;
    Unwrapped out;
    out.header = nlohmann::json::parse(hdr->begin(), hdr->end(), nullptr, false);
    const auto& h = out.header;
    if (!h.is_object() || h.size() != 4 || h.value("alg", "") != "ECDH-ES+A256KW" || h.value("enc", "") != "A256GCM" ||
        !h.contains("kid") || !h.contains("epk") || h["epk"].value("kty", "") != "EC" || h["epk"].value("crv", "") != "P-256")
        return std::nullopt;
    auto x = unb64(h["epk"].value("x", "")), y = unb64(h["epk"].value("y", ""));
    if (!x || !y || x->size() != 32 || y->size() != 32)
        return std::nullopt;
    std::vector<uint8_t> point = {0x04};
    point.insert(point.end(), x->begin(), x->end());
    point.insert(point.end(), y->begin(), y->end());
    EVP_PKEY* epk = nullptr;
    {
        EVP_PKEY_CTX* fctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
        OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>("P-256"), 0),
                               OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
                               OSSL_PARAM_construct_end()};
        if (!fctx || EVP_PKEY_fromdata_init(fctx) != 1 || EVP_PKEY_fromdata(fctx, &epk, EVP_PKEY_PUBLIC_KEY, params) != 1)
            epk = nullptr;
        EVP_PKEY_CTX_free(fctx);
    }
    if (!epk)
        return std::nullopt;
    uint8_t z[32];
    size_t zlen = sizeof z;
    EVP_PKEY_CTX* dctx = EVP_PKEY_CTX_new(priv, nullptr);
    const bool derived = dctx && EVP_PKEY_derive_init(dctx) == 1 && EVP_PKEY_derive_set_peer(dctx, epk) == 1 &&
                         EVP_PKEY_derive(dctx, z, &zlen) == 1 && zlen == 32;
    EVP_PKEY_CTX_free(dctx);
    EVP_PKEY_free(epk);
    if (!derived)
        return std::nullopt;
    // Concat KDF, RFC 7518 §4.6.2: round 1 ‖ Z ‖ AlgorithmID ‖ PartyUInfo ‖ PartyVInfo ‖ SuppPubInfo.
    std::vector<uint8_t> info = {0, 0, 0, 1};
    info.insert(info.end(), z, z + 32);
    const std::string alg = "ECDH-ES+A256KW";
    for (uint32_t v : {uint32_t(alg.size())})
        info.insert(info.end(), {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)});
    info.insert(info.end(), alg.begin(), alg.end());
    info.insert(info.end(), {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0});
    uint8_t kek[32];
    unsigned kek_len = 0;
    if (EVP_Digest(info.data(), info.size(), kek, &kek_len, EVP_sha256(), nullptr) != 1)
        return std::nullopt;
    uint8_t cek[40];
    int n = 0, m = 0;
    EVP_CIPHER_CTX* w = EVP_CIPHER_CTX_new();
    EVP_CIPHER_CTX_set_flags(w, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    const bool unwrapped = EVP_DecryptInit_ex(w, EVP_aes_256_wrap(), nullptr, kek, nullptr) == 1 &&
                           EVP_DecryptUpdate(w, cek, &n, ek->data(), 40) == 1 && EVP_DecryptFinal_ex(w, cek + n, &m) == 1 &&
                           n + m == 32;
    EVP_CIPHER_CTX_free(w);
    if (!unwrapped)
        return std::nullopt;
    out.plaintext.resize(ct->size());
    EVP_CIPHER_CTX* g = EVP_CIPHER_CTX_new();
    int len = 0;
    const bool opened = EVP_DecryptInit_ex(g, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
                        EVP_CIPHER_CTX_ctrl(g, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) == 1 &&
                        EVP_DecryptInit_ex(g, nullptr, nullptr, cek, iv->data()) == 1 &&
                        EVP_DecryptUpdate(g, nullptr, &len, reinterpret_cast<const uint8_t*>(parts[0].data()),
                                          int(parts[0].size())) == 1 &&
                        EVP_DecryptUpdate(g, out.plaintext.data(), &len, ct->data(), int(ct->size())) == 1 &&
                        EVP_CIPHER_CTX_ctrl(g, EVP_CTRL_GCM_SET_TAG, 16, tag->data()) == 1 &&
                        EVP_DecryptFinal_ex(g, out.plaintext.data() + len, &len) == 1;
    EVP_CIPHER_CTX_free(g);
    if (!opened)
        return std::nullopt;
    return out;
}

}  // namespace kbtest
