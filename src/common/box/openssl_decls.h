// The OpenSSL 3 functions the envelope (src/common/box/) and the enclave's key release
// (src/enclave/keyrelease/) call, declared with the signatures OpenSSL documents, so that code
// compiled into enclaves includes no host header (DESIGN.md §3). Trust domain: common (host and
// enclave). The implementation is Debian's libcrypto.a in enclaves and libcrypto.so on the host;
// tests/architecture/openssl_evp_test.cpp compiles these declarations together with OpenSSL's
// headers, so any difference from OpenSSL's is a build error.
#pragma once

#include <stddef.h>

extern "C" {
typedef struct evp_cipher_st EVP_CIPHER;
typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;
typedef struct evp_md_st EVP_MD;
typedef struct evp_pkey_st EVP_PKEY;
typedef struct evp_pkey_ctx_st EVP_PKEY_CTX;
typedef struct ossl_lib_ctx_st OSSL_LIB_CTX;
typedef struct engine_st ENGINE;
typedef struct ossl_param_st OSSL_PARAM;
#ifndef OPENSSL_CORE_H  // OpenSSL's own definition when its headers come first (the test)
struct ossl_param_st {
    const char* key;
    unsigned int data_type;
    void* data;
    size_t data_size;
    size_t return_size;
};
#endif

// Ciphers: AES-256-GCM, AES-256-WRAP
EVP_CIPHER* EVP_CIPHER_fetch(OSSL_LIB_CTX* ctx, const char* algorithm, const char* properties);
void EVP_CIPHER_free(EVP_CIPHER* cipher);
EVP_CIPHER_CTX* EVP_CIPHER_CTX_new(void);
void EVP_CIPHER_CTX_free(EVP_CIPHER_CTX* ctx);
void EVP_CIPHER_CTX_set_flags(EVP_CIPHER_CTX* ctx, int flags);
int EVP_CipherInit_ex(EVP_CIPHER_CTX* ctx, const EVP_CIPHER* type, ENGINE* impl, const unsigned char* key,
                      const unsigned char* iv, int enc);
int EVP_CipherUpdate(EVP_CIPHER_CTX* ctx, unsigned char* out, int* outl, const unsigned char* in, int inl);
int EVP_CipherFinal_ex(EVP_CIPHER_CTX* ctx, unsigned char* outm, int* outl);
int EVP_CIPHER_CTX_ctrl(EVP_CIPHER_CTX* ctx, int type, int arg, void* ptr);

// SHA-256
const EVP_MD* EVP_sha256(void);
int EVP_Digest(const void* data, size_t count, unsigned char* md, unsigned int* size, const EVP_MD* type,
               ENGINE* impl);

// Keys: HKDF, P-256 key generation, import and ECDH
EVP_PKEY_CTX* EVP_PKEY_CTX_new_id(int id, ENGINE* e);
EVP_PKEY_CTX* EVP_PKEY_CTX_new_from_name(OSSL_LIB_CTX* libctx, const char* name, const char* propquery);
EVP_PKEY_CTX* EVP_PKEY_CTX_new_from_pkey(OSSL_LIB_CTX* libctx, EVP_PKEY* pkey, const char* propquery);
void EVP_PKEY_CTX_free(EVP_PKEY_CTX* ctx);
int EVP_PKEY_derive_init(EVP_PKEY_CTX* ctx);
int EVP_PKEY_derive_set_peer(EVP_PKEY_CTX* ctx, EVP_PKEY* peer);
int EVP_PKEY_derive(EVP_PKEY_CTX* ctx, unsigned char* key, size_t* keylen);
int EVP_PKEY_CTX_set_hkdf_md(EVP_PKEY_CTX* ctx, const EVP_MD* md);
int EVP_PKEY_CTX_set1_hkdf_salt(EVP_PKEY_CTX* ctx, const unsigned char* salt, int saltlen);
int EVP_PKEY_CTX_set1_hkdf_key(EVP_PKEY_CTX* ctx, const unsigned char* key, int keylen);
int EVP_PKEY_CTX_add1_hkdf_info(EVP_PKEY_CTX* ctx, const unsigned char* info, int infolen);
EVP_PKEY* EVP_PKEY_Q_keygen(OSSL_LIB_CTX* libctx, const char* propq, const char* type, ...);
void EVP_PKEY_free(EVP_PKEY* pkey);
int EVP_PKEY_get_octet_string_param(const EVP_PKEY* pkey, const char* key_name, unsigned char* buf,
                                    size_t max_buf_sz, size_t* out_sz);
int EVP_PKEY_fromdata_init(EVP_PKEY_CTX* ctx);
int EVP_PKEY_fromdata(EVP_PKEY_CTX* ctx, EVP_PKEY** ppkey, int selection, OSSL_PARAM params[]);
int EVP_PKEY_public_check(EVP_PKEY_CTX* ctx);
OSSL_PARAM OSSL_PARAM_construct_utf8_string(const char* key, char* buf, size_t bsize);
OSSL_PARAM OSSL_PARAM_construct_octet_string(const char* key, void* buf, size_t bsize);
OSSL_PARAM OSSL_PARAM_construct_end(void);
}

namespace ccbox::openssl {
inline constexpr int kCtrlAeadGetTag = 0x10;      // EVP_CTRL_AEAD_GET_TAG
inline constexpr int kCtrlAeadSetTag = 0x11;      // EVP_CTRL_AEAD_SET_TAG
inline constexpr int kCipherFlagWrapAllow = 0x1;  // EVP_CIPHER_CTX_FLAG_WRAP_ALLOW
inline constexpr int kPkeyHkdf = 1036;            // EVP_PKEY_HKDF (NID_hkdf)
inline constexpr int kSelectPublicKey = 0x86;     // EVP_PKEY_PUBLIC_KEY
}  // namespace ccbox::openssl
