#include "platform/paging/page_crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ccbox::paging {
namespace {

// TMP_HEADER: 128 bytes, zero but for the enclave, the linear address and the SECINFO flags.
void header_of(const PageBinding& b, uint8_t header[128]) {
    std::memset(header, 0, 128);
    std::memcpy(header, &b.enclave_id, 8);
    std::memcpy(header + 8, &b.linear_address, 8);
    std::memcpy(header + 16, &b.secinfo_flags, 8);
}

void iv_of(uint64_t version, uint8_t iv[12]) {
    std::memset(iv, 0, 4);
    std::memcpy(iv + 4, &version, 8);
}

[[noreturn]] void fatal(const char* what) {
    std::fprintf(stderr, "ccboxd: paging key: %s\n", what);
    std::abort();
}

}  // namespace

PageCrypto::PageCrypto() : encrypt_(EVP_CIPHER_CTX_new()), decrypt_(EVP_CIPHER_CTX_new()) {
    if (RAND_priv_bytes(key_, sizeof key_) != 1)
        fatal("the CSPRNG failed");
    if (!encrypt_ || !decrypt_ || EVP_EncryptInit_ex(encrypt_, EVP_aes_256_gcm(), nullptr, key_, nullptr) != 1 ||
        EVP_DecryptInit_ex(decrypt_, EVP_aes_256_gcm(), nullptr, key_, nullptr) != 1)
        fatal("cannot set up AES-256-GCM");
}

PageCrypto::~PageCrypto() {
    OPENSSL_cleanse(key_, sizeof key_);
    EVP_CIPHER_CTX_free(encrypt_);
    EVP_CIPHER_CTX_free(decrypt_);
}

bool PageCrypto::seal(const PageBinding& binding, uint64_t version, const uint8_t* plaintext, uint8_t* ciphertext,
                      Pcmd* pcmd) {
    uint8_t header[128], iv[12];
    header_of(binding, header);
    iv_of(version, iv);
    int n = 0;
    Pcmd out{};
    out.secinfo_flags = binding.secinfo_flags;
    out.enclave_id = binding.enclave_id;
    if (EVP_EncryptInit_ex(encrypt_, nullptr, nullptr, nullptr, iv) != 1 ||
        EVP_EncryptUpdate(encrypt_, nullptr, &n, header, sizeof header) != 1 ||
        EVP_EncryptUpdate(encrypt_, ciphertext, &n, plaintext, kPageSize) != 1 || n != kPageSize ||
        EVP_EncryptFinal_ex(encrypt_, ciphertext + n, &n) != 1 ||
        EVP_CIPHER_CTX_ctrl(encrypt_, EVP_CTRL_GCM_GET_TAG, sizeof out.mac, out.mac) != 1)
        return false;
    std::memcpy(pcmd, &out, sizeof out);
    return true;
}

bool PageCrypto::open(const PageBinding& binding, uint64_t version, const uint8_t* ciphertext, const Pcmd& pcmd,
                      uint8_t* plaintext) {
    // The PCMD must say what the platform knows; its reserved bytes must be zero (ELDU's checks).
    static const uint8_t zero[56] = {};
    if (pcmd.secinfo_flags != binding.secinfo_flags || pcmd.enclave_id != binding.enclave_id ||
        std::memcmp(pcmd.secinfo_reserved, zero, sizeof pcmd.secinfo_reserved) != 0 ||
        std::memcmp(pcmd.reserved, zero, sizeof pcmd.reserved) != 0 || version == 0)
        return false;
    uint8_t header[128], iv[12], tag[16];
    header_of(binding, header);
    iv_of(version, iv);
    std::memcpy(tag, pcmd.mac, sizeof tag);
    int n = 0;
    const bool ok = EVP_DecryptInit_ex(decrypt_, nullptr, nullptr, nullptr, iv) == 1 &&
                    EVP_DecryptUpdate(decrypt_, nullptr, &n, header, sizeof header) == 1 &&
                    EVP_DecryptUpdate(decrypt_, plaintext, &n, ciphertext, kPageSize) == 1 && n == kPageSize &&
                    EVP_CIPHER_CTX_ctrl(decrypt_, EVP_CTRL_GCM_SET_TAG, sizeof tag, tag) == 1 &&
                    EVP_DecryptFinal_ex(decrypt_, plaintext + n, &n) == 1;
    if (!ok)
        OPENSSL_cleanse(plaintext, kPageSize);
    return ok;
}

}  // namespace ccbox::paging
