// Enclave code declares the few OpenSSL EVP functions sealing uses itself
// (src/enclave/identity/openssl_evp.h) instead of including OpenSSL's host headers. This file
// includes both, so a declaration that differs from OpenSSL's does not compile; the test then
// runs AES-256-GCM through the declared functions.
#include <openssl/evp.h>

#include "enclave/identity/openssl_evp.h"

#include <gtest/gtest.h>

#include <cstring>

namespace {

namespace evp = ccbox::enclave::openssl;
static_assert(evp::kCtrlAeadGetTag == EVP_CTRL_AEAD_GET_TAG);
static_assert(evp::kCtrlAeadSetTag == EVP_CTRL_AEAD_SET_TAG);

TEST(OpenSslEvpDeclarations, AreOpenSslsAndSealAndOpen) {
    EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    ASSERT_NE(cipher, nullptr);
    const unsigned char key[32] = {1}, iv[12] = {2};
    unsigned char text[64], sealed[64], opened[64], tag[16], none[16];
    std::memset(text, 0x5a, sizeof text);
    int n = 0;
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    ASSERT_EQ(EVP_CipherInit_ex(ctx, cipher, nullptr, key, iv, 1), 1);
    ASSERT_EQ(EVP_CipherUpdate(ctx, sealed, &n, text, sizeof text), 1);
    ASSERT_EQ(EVP_CipherFinal_ex(ctx, none, &n), 1);
    ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx, evp::kCtrlAeadGetTag, 16, tag), 1);
    EVP_CIPHER_CTX_free(ctx);

    ctx = EVP_CIPHER_CTX_new();
    ASSERT_EQ(EVP_CipherInit_ex(ctx, cipher, nullptr, key, iv, 0), 1);
    ASSERT_EQ(EVP_CipherUpdate(ctx, opened, &n, sealed, sizeof sealed), 1);
    ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx, evp::kCtrlAeadSetTag, 16, tag), 1);
    EXPECT_EQ(EVP_CipherFinal_ex(ctx, none, &n), 1) << "the tag verifies";
    EVP_CIPHER_CTX_free(ctx);
    EXPECT_EQ(std::memcmp(opened, text, sizeof text), 0);
    EVP_CIPHER_free(cipher);
}

}  // namespace
