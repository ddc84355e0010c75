// The envelope and the enclave's key release declare the OpenSSL functions they call
// (src/common/box/openssl_decls.h) instead of including OpenSSL's host headers. This file
// includes both, so a declaration that differs from OpenSSL's does not compile; the constants
// are checked against OpenSSL's, and the struct layout of OSSL_PARAM against a copy.
#include <openssl/core.h>
#include <openssl/core_dispatch.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "common/box/openssl_decls.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <tuple>

namespace {

namespace evp = ccbox::openssl;
static_assert(evp::kCtrlAeadGetTag == EVP_CTRL_AEAD_GET_TAG);
static_assert(evp::kCtrlAeadSetTag == EVP_CTRL_AEAD_SET_TAG);
static_assert(evp::kCipherFlagWrapAllow == EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
static_assert(evp::kPkeyHkdf == EVP_PKEY_HKDF);
static_assert(evp::kSelectPublicKey == EVP_PKEY_PUBLIC_KEY);
// The layout openssl_decls.h gives OSSL_PARAM when OpenSSL's core.h is absent.
static_assert(offsetof(OSSL_PARAM, key) == 0 && offsetof(OSSL_PARAM, data_type) == 8 &&
              offsetof(OSSL_PARAM, data) == 16 && offsetof(OSSL_PARAM, data_size) == 24 &&
              offsetof(OSSL_PARAM, return_size) == 32 && sizeof(OSSL_PARAM) == 40);

TEST(OpenSslBoxDeclarations, DeriveAP256SharedSecretThroughTheDeclaredFunctions) {
    char curve[] = "P-256";
    EVP_PKEY* a = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
    EVP_PKEY* b = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
    ASSERT_TRUE(a && b);
    unsigned char point[65];
    size_t n = 0;
    ASSERT_EQ(EVP_PKEY_get_octet_string_param(b, "pub", point, sizeof point, &n), 1);
    ASSERT_EQ(n, 65u);
    OSSL_PARAM params[3] = {OSSL_PARAM_construct_utf8_string("group", curve, 0),
                            OSSL_PARAM_construct_octet_string("pub", point, sizeof point), OSSL_PARAM_construct_end()};
    EVP_PKEY_CTX* fromdata = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY* b_public = nullptr;
    ASSERT_EQ(EVP_PKEY_fromdata_init(fromdata), 1);
    ASSERT_EQ(EVP_PKEY_fromdata(fromdata, &b_public, evp::kSelectPublicKey, params), 1);
    EVP_PKEY_CTX_free(fromdata);
    unsigned char z1[32], z2[32];
    for (auto [mine, peer, z] : {std::tuple{a, b_public, z1}, std::tuple{b, a, z2}}) {
        EVP_PKEY_CTX* d = EVP_PKEY_CTX_new_from_pkey(nullptr, mine, nullptr);
        size_t zn = 32;
        ASSERT_EQ(EVP_PKEY_derive_init(d), 1);
        ASSERT_EQ(EVP_PKEY_derive_set_peer(d, peer), 1);
        ASSERT_EQ(EVP_PKEY_derive(d, z, &zn), 1);
        EVP_PKEY_CTX_free(d);
    }
    EXPECT_EQ(std::memcmp(z1, z2, 32), 0);
    EVP_PKEY_free(a);
    EVP_PKEY_free(b);
    EVP_PKEY_free(b_public);
}

}  // namespace
