// The OpenSSL 3 EVP functions that sealing uses for AES-256-GCM, declared here with the
// signatures OpenSSL documents (EVP_EncryptInit(3), EVP_CIPHER_fetch(3)), so that enclave
// code includes no host header (DESIGN.md §3). Trust domain: enclave. The implementation is
// Debian's libcrypto.a, linked into the enclaves that seal (docs/sealing.md says why);
// tests/architecture/openssl_evp_test.cpp compiles these declarations together with
// <openssl/evp.h>, so any difference from OpenSSL's is a build error.
#pragma once

extern "C" {
typedef struct evp_cipher_st EVP_CIPHER;
typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;
typedef struct ossl_lib_ctx_st OSSL_LIB_CTX;
typedef struct engine_st ENGINE;

EVP_CIPHER* EVP_CIPHER_fetch(OSSL_LIB_CTX* ctx, const char* algorithm, const char* properties);
EVP_CIPHER_CTX* EVP_CIPHER_CTX_new(void);
void EVP_CIPHER_CTX_free(EVP_CIPHER_CTX* ctx);
int EVP_CipherInit_ex(EVP_CIPHER_CTX* ctx, const EVP_CIPHER* type, ENGINE* impl, const unsigned char* key,
                      const unsigned char* iv, int enc);
int EVP_CipherUpdate(EVP_CIPHER_CTX* ctx, unsigned char* out, int* outl, const unsigned char* in, int inl);
int EVP_CipherFinal_ex(EVP_CIPHER_CTX* ctx, unsigned char* outm, int* outl);
int EVP_CIPHER_CTX_ctrl(EVP_CIPHER_CTX* ctx, int type, int arg, void* ptr);
}

namespace ccbox::enclave::openssl {
// EVP_CTRL_AEAD_GET_TAG and EVP_CTRL_AEAD_SET_TAG
inline constexpr int kCtrlAeadGetTag = 0x10;
inline constexpr int kCtrlAeadSetTag = 0x11;
}  // namespace ccbox::enclave::openssl
