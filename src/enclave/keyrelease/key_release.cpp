// ccbox_key_release_*: the enclave's half of the release protocol (docs/keybroker.md).
// Trust domain: enclave. The crypto is OpenSSL's (libcrypto.a, as sealing's AES-GCM): P-256
// key generation and ECDH, SHA-256 for the Concat KDF, AES-256-KW and AES-256-GCM. The JWE
// arrives from the host: it is copied into enclave memory, then parsed by the strict parser of
// src/common/box/jwe.cpp, and only then does any crypto touch it.
#include <ccbox/attester.h>
#include <ccbox/enclave.h>
#include <ccbox/keyrelease.h>

#include "common/box/jwe.h"
#include "common/box/openssl_decls.h"

#include <stdlib.h>
#include <string.h>

using ccbox::box::Jwe;
using ccbox::box::JweError;

struct ccbox_key_release {
    EVP_PKEY* key;  // the ephemeral P-256 key pair
    const char* error;
};

namespace {

const char kAlg[] = "ECDH-ES+A256KW";

void wipe(void* p, size_t n) { explicit_bzero(p, n); }

ccbox_result_t fail(ccbox_key_release_t* ctx, ccbox_result_t r, const char* why) {
    ctx->error = why;
    return r;
}

EVP_PKEY* import_point(const uint8_t x[32], const uint8_t y[32]) {
    uint8_t point[65];
    point[0] = 0x04;
    memcpy(point + 1, x, 32);
    memcpy(point + 33, y, 32);
    char group[] = "P-256";
    OSSL_PARAM params[3] = {OSSL_PARAM_construct_utf8_string("group", group, 0),
                            OSSL_PARAM_construct_octet_string("pub", point, sizeof point),
                            OSSL_PARAM_construct_end()};
    EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY* peer = nullptr;
    // OpenSSL decodes the point with EC_POINT_oct2point, which refuses a point off the curve.
    if (!pctx || EVP_PKEY_fromdata_init(pctx) != 1 ||
        EVP_PKEY_fromdata(pctx, &peer, ccbox::openssl::kSelectPublicKey, params) != 1)
        peer = nullptr;
    EVP_PKEY_CTX_free(pctx);
    if (!peer)
        return nullptr;
    // And an explicit full public-key check (on the curve, not the identity, right order).
    EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, peer, nullptr);
    const bool valid = check && EVP_PKEY_public_check(check) == 1;
    EVP_PKEY_CTX_free(check);
    if (!valid) {
        EVP_PKEY_free(peer);
        return nullptr;
    }
    return peer;
}

bool ecdh(EVP_PKEY* mine, EVP_PKEY* peer, uint8_t z[32]) {
    EVP_PKEY_CTX* d = EVP_PKEY_CTX_new_from_pkey(nullptr, mine, nullptr);
    size_t n = 32;
    const bool ok = d && EVP_PKEY_derive_init(d) == 1 && EVP_PKEY_derive_set_peer(d, peer) == 1 &&
                    EVP_PKEY_derive(d, z, &n) == 1 && n == 32;
    EVP_PKEY_CTX_free(d);
    return ok;
}

// RFC 7518 §4.6.2 Concat KDF, one SHA-256 round: 00000001 ‖ Z ‖ len‖alg ‖ len(apu)=0 ‖
// len(apv)=0 ‖ keydatalen=256.
bool concat_kdf(const uint8_t z[32], uint8_t kek[32]) {
    uint8_t in[4 + 32 + 4 + sizeof kAlg - 1 + 4 + 4 + 4] = {};
    size_t o = 0;
    in[o + 3] = 1;
    o += 4;
    memcpy(in + o, z, 32);
    o += 32;
    in[o + 3] = uint8_t(sizeof kAlg - 1);
    o += 4;
    memcpy(in + o, kAlg, sizeof kAlg - 1);
    o += sizeof kAlg - 1;
    o += 8;  // apu, apv: empty
    in[o + 2] = 0x01;  // 256 = 0x00000100
    o += 4;
    unsigned int n = 0;
    const bool ok = EVP_Digest(in, o, kek, &n, EVP_sha256(), nullptr) == 1 && n == 32;
    wipe(in, sizeof in);
    return ok;
}

bool cipher_run(const char* name, bool wrap_mode, const uint8_t* key, const uint8_t* iv, const uint8_t* aad,
                size_t aad_size, const uint8_t* in, size_t size, uint8_t* out, size_t* out_size, uint8_t* tag) {
    EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, name, nullptr);
    EVP_CIPHER_CTX* c = cipher ? EVP_CIPHER_CTX_new() : nullptr;
    bool ok = c != nullptr;
    if (ok && wrap_mode)
        EVP_CIPHER_CTX_set_flags(c, ccbox::openssl::kCipherFlagWrapAllow);
    int n = 0, m = 0;
    ok = ok && EVP_CipherInit_ex(c, cipher, nullptr, key, iv, 0) == 1 &&
         (!aad_size || EVP_CipherUpdate(c, nullptr, &n, aad, int(aad_size)) == 1) &&
         EVP_CipherUpdate(c, out, &n, in, int(size)) == 1 &&
         (!tag || EVP_CIPHER_CTX_ctrl(c, ccbox::openssl::kCtrlAeadSetTag, 16, tag) == 1) &&
         EVP_CipherFinal_ex(c, out + n, &m) == 1;
    *out_size = ok ? size_t(n) + size_t(m) : 0;
    EVP_CIPHER_CTX_free(c);
    EVP_CIPHER_free(cipher);
    return ok;
}

bool kid_matches(const Jwe& jwe, const char* expected) {
    const size_t n = strnlen(expected, ccbox::box::kMaxKidSize + 1);
    if (n == jwe.kid_size && memcmp(expected, jwe.kid, n) == 0)
        return true;
    if (memchr(expected, '/', n) || jwe.kid_size < n + 2 || memcmp(expected, jwe.kid, n) != 0 || jwe.kid[n] != '/')
        return false;
    for (size_t i = n + 1; i < jwe.kid_size; ++i)
        if (jwe.kid[i] < '0' || jwe.kid[i] > '9')
            return false;
    return true;
}

}  // namespace

extern "C" ccbox_result_t ccbox_key_release_begin(const uint8_t nonce[32], ccbox_key_release_t** ctx,
                                                  uint8_t** evidence, size_t* evidence_size,
                                                  uint8_t public_point[65]) {
    if (!nonce || !ctx || !evidence || !evidence_size || !public_point)
        return CCBOX_INVALID_PARAMETER;
    *ctx = nullptr;
    *evidence = nullptr;
    *evidence_size = 0;
    uint8_t claims[CCBOX_KEY_RELEASE_CLAIMS_SIZE];
    memcpy(claims, nonce, 32);  // copied first: the caller's nonce may be host memory
    auto* c = static_cast<ccbox_key_release_t*>(calloc(1, sizeof(ccbox_key_release_t)));
    if (!c)
        return CCBOX_OUT_OF_MEMORY;
    c->error = "";
    char curve[] = "P-256";
    c->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
    size_t n = 0;
    if (!c->key || EVP_PKEY_get_octet_string_param(c->key, "pub", claims + 32, 65, &n) != 1 || n != 65 ||
        claims[32] != 0x04) {
        ccbox_key_release_free(c);
        return CCBOX_CRYPTO_ERROR;
    }
    static const ccbox_uuid_t kFormat = CCBOX_FORMAT_UUID_SGX_ECDSA;
    ccbox_result_t r = ccbox_get_evidence(&kFormat, 0, claims, sizeof claims, nullptr, 0, evidence, evidence_size,
                                          nullptr, nullptr);
    if (r != CCBOX_OK) {
        ccbox_key_release_free(c);
        return r;
    }
    memcpy(public_point, claims + 32, 65);
    *ctx = c;
    return CCBOX_OK;
}

extern "C" ccbox_result_t ccbox_key_release_finish(ccbox_key_release_t* ctx, const char* jwe, size_t jwe_size,
                                                   const char* expected_kid, uint8_t* key, size_t key_capacity,
                                                   size_t* key_size) {
    if (!ctx)
        return CCBOX_INVALID_PARAMETER;
    if (!jwe || !key || !key_size)
        return fail(ctx, CCBOX_INVALID_PARAMETER, "missing argument");
    if (!ctx->key)
        return fail(ctx, CCBOX_INVALID_PARAMETER, "this release context has already been used");
    *key_size = 0;
    EVP_PKEY* mine = ctx->key;
    ctx->key = nullptr;  // one unwrap per ephemeral key, whatever happens below
    struct Scratch {
        char text[ccbox::box::kMaxJweSize];
        Jwe jwe;
        uint8_t z[32], kek[32], cek[48], plain[ccbox::box::kMaxJwePlaintext + 16];
    };
    auto* s = static_cast<Scratch*>(calloc(1, sizeof(Scratch)));
    if (!s) {
        EVP_PKEY_free(mine);
        return fail(ctx, CCBOX_OUT_OF_MEMORY, "out of memory");
    }
    ccbox_result_t r = CCBOX_OK;
    EVP_PKEY* peer = nullptr;
    size_t n = 0;
    JweError e = jwe_size > sizeof s->text ? JweError::too_large : JweError::ok;
    if (e == JweError::ok) {
        memcpy(s->text, jwe, jwe_size);  // the host's bytes, once; parsed from enclave memory only
        e = ccbox::box::parse_jwe(s->text, jwe_size, &s->jwe);
    }
    if (e != JweError::ok) {
        r = fail(ctx, e == JweError::alg_unsupported || e == JweError::enc_unsupported ? CCBOX_UNSUPPORTED
                                                                                       : CCBOX_INVALID_PARAMETER,
                 ccbox::box::jwe_error_text(e));
    } else if (expected_kid && !kid_matches(s->jwe, expected_kid)) {
        r = fail(ctx, CCBOX_VERIFY_FAILED, "JWE kid is not the key id asked for");
    } else if (!(peer = import_point(s->jwe.epk_x, s->jwe.epk_y))) {
        r = fail(ctx, CCBOX_INVALID_PARAMETER, "JWE epk is not a valid P-256 point (not on the curve)");
    } else if (!ecdh(mine, peer, s->z) || !concat_kdf(s->z, s->kek)) {
        r = fail(ctx, CCBOX_CRYPTO_ERROR, "ECDH or Concat KDF failed");
    } else if (!cipher_run("AES-256-WRAP", true, s->kek, nullptr, nullptr, 0, s->jwe.encrypted_key, 40, s->cek, &n,
                           nullptr) ||
               n != 32) {
        r = fail(ctx, CCBOX_VERIFY_FAILED, "JWE key unwrap failed (not wrapped to this enclave's key)");
    } else if (!cipher_run("AES-256-GCM", false, s->cek, s->jwe.iv,
                           reinterpret_cast<const uint8_t*>(s->jwe.protected_b64), s->jwe.protected_b64_size,
                           s->jwe.ciphertext, s->jwe.ciphertext_size, s->plain, &n, s->jwe.tag)) {
        r = fail(ctx, CCBOX_VERIFY_FAILED, "JWE ciphertext or protected header does not authenticate");
    } else if (n > key_capacity) {
        r = fail(ctx, CCBOX_BUFFER_TOO_SMALL, "released key larger than the buffer");
    } else {
        memcpy(key, s->plain, n);
        *key_size = n;
        ctx->error = "";
    }
    EVP_PKEY_free(peer);
    EVP_PKEY_free(mine);  // OpenSSL clears the private scalar (BN_clear_free)
    wipe(s, sizeof *s);
    free(s);
    return r;
}

extern "C" const char* ccbox_key_release_error(const ccbox_key_release_t* ctx) { return ctx ? ctx->error : ""; }

extern "C" void ccbox_key_release_free(ccbox_key_release_t* ctx) {
    if (!ctx)
        return;
    EVP_PKEY_free(ctx->key);
    wipe(ctx, sizeof *ctx);
    free(ctx);
}
