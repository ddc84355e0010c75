// EWB/ELDU's cryptography for the isolated backend's EPC paging (docs/paging.md): AES-256-GCM
// under the platform's paging key (CR_BASE_PK's role), a 96-bit IV made from the page's 64-bit
// version (SGX: TMP_VER << 32), and a 128-byte MAC header as AAD that binds the enclave, the
// linear address and the SECINFO flags (page type and permissions). The key is made from
// OpenSSL's CSPRNG when the platform starts and never leaves the platform process.
// Trust domain: platform.
#pragma once

#include <cstdint>
#include <openssl/evp.h>

namespace ccbox::paging {

inline constexpr uint64_t kPageSize = 4096;
inline constexpr uint64_t kPcmdSize = 128;

// PCMD as sgx-formats.md §8 lays it out: SECINFO (its FLAGS in the first 8 bytes), ENCLAVEID,
// reserved, MAC. It travels with the ciphertext in untrusted memory.
struct Pcmd {
    uint64_t secinfo_flags;
    uint8_t secinfo_reserved[56];
    uint64_t enclave_id;
    uint8_t reserved[40];
    uint8_t mac[16];
};
static_assert(sizeof(Pcmd) == kPcmdSize);

// What the MAC binds.
struct PageBinding {
    uint64_t enclave_id;
    uint64_t linear_address;
    uint64_t secinfo_flags;  // SECINFO.FLAGS: PT and RWX
};

class PageCrypto {
public:
    PageCrypto();  // a fresh random key; aborts the platform if the CSPRNG fails
    ~PageCrypto();
    PageCrypto(const PageCrypto&) = delete;
    PageCrypto& operator=(const PageCrypto&) = delete;

    // EWB: encrypts `plaintext` into `ciphertext` and fills `pcmd`. Returns false only if
    // OpenSSL fails.
    bool seal(const PageBinding& binding, uint64_t version, const uint8_t* plaintext, uint8_t* ciphertext,
              Pcmd* pcmd);
    // ELDU: `ciphertext` and `pcmd` are the platform's private copies of what untrusted memory
    // held. Writes `plaintext` and returns true only when the PCMD states exactly `binding` and
    // the MAC verifies under `version`; on false `plaintext` holds nothing of the page.
    bool open(const PageBinding& binding, uint64_t version, const uint8_t* ciphertext, const Pcmd& pcmd,
              uint8_t* plaintext);

private:
    uint8_t key_[32];
    EVP_CIPHER_CTX* encrypt_ = nullptr;
    EVP_CIPHER_CTX* decrypt_ = nullptr;
};

}  // namespace ccbox::paging
