// ccbox_seal / ccbox_unseal: the sealed-blob format of docs/sealing.md. Trust domain: enclave.
//
//   0    8   magic "CCBXSEAL"        552  16  GCM tag
//   8    4   version (1)              568   …  ciphertext
//   12   4   header size (568)
//   16  512  KEYREQUEST (policy, ISVSVN, CPUSVN, masks, KEYID)
//   528  12  IV                       540   4  reserved (0)
//   544  8   ciphertext size
//
// The AES-256-GCM key is HKDF-SHA-256 of the 128-bit seal key; the GCM additional data is
// the header up to the tag followed by the caller's aad, so a change to any byte of the
// blob (or to the aad) fails authentication. The AES-GCM is OpenSSL's (Debian's libcrypto.a,
// linked into the enclave): its AES-NI/VAES code is the fastest in Debian, about twice
// libsodium's and ten times Mbed TLS 2.28's (docs/performance.md).
#include <ccbox/enclave.h>

#include "enclave/identity/leaf_functions.h"
#include "enclave/identity/openssl_evp.h"
#include "enclave/identity/seal_keys.h"

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

using namespace ccbox;
using namespace ccbox::enclave;

namespace {

constexpr char kMagic[8] = {'C', 'C', 'B', 'X', 'S', 'E', 'A', 'L'};
constexpr uint32_t kVersion = 1;

struct SealedHeader {
    char magic[8];
    uint32_t version;
    uint32_t header_size;
    uint8_t request[sizeof(sgx::Keyrequest)];  // unaligned copy of the KEYREQUEST
    uint8_t iv[12];
    uint32_t reserved;
    uint64_t ciphertext_size;
    uint8_t tag[16];
};
static_assert(offsetof(SealedHeader, request) == 16);
static_assert(offsetof(SealedHeader, iv) == 528);
static_assert(offsetof(SealedHeader, ciphertext_size) == 544);
static_assert(offsetof(SealedHeader, tag) == 552);
constexpr size_t kHeaderSize = sizeof(SealedHeader);
static_assert(kHeaderSize == 568);
constexpr size_t kAuthenticatedHeader = offsetof(SealedHeader, tag);

const char kHkdfInfo[] = "ccbox seal v1 aes-256-gcm";

// AES-256-GCM, fetched once from OpenSSL's default provider.
const EVP_CIPHER* aes_256_gcm() {
    static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    return cipher;
}

// EVP takes int lengths: feed larger buffers in parts. `out` null: additional data.
bool gcm_update(EVP_CIPHER_CTX* ctx, uint8_t* out, const uint8_t* in, size_t size) {
    constexpr size_t kPart = size_t(1) << 30;
    while (size > 0) {
        const size_t part = size < kPart ? size : kPart;
        int written = 0;
        if (EVP_CipherUpdate(ctx, out, &written, in, static_cast<int>(part)) != 1)
            return false;
        in += part;
        if (out)
            out += part;
        size -= part;
    }
    return true;
}

ccbox_result_t blob_key(const SealedHeader& header, uint8_t key[32]) {
    alignas(512) sgx::Keyrequest request;
    memcpy(&request, header.request, sizeof request);
    uint8_t seal_key[16];
    ccbox_result_t r = seal_key_for(request, seal_key);
    if (r != CCBOX_OK)
        return r;
    int rc = mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), nullptr, 0, seal_key, sizeof seal_key,
                          reinterpret_cast<const uint8_t*>(kHkdfInfo), sizeof kHkdfInfo - 1, key, 32);
    explicit_bzero(seal_key, sizeof seal_key);
    return rc == 0 ? CCBOX_OK : CCBOX_CRYPTO_ERROR;
}

// AES-256-GCM over `data` (in place), with ad = header[0, 552) ‖ aad.
ccbox_result_t gcm(bool encrypt, const uint8_t key[32], const SealedHeader& header, const uint8_t* aad,
                   size_t aad_size, const uint8_t* in, uint8_t* out, size_t size, uint8_t tag[16]) {
    const EVP_CIPHER* cipher = aes_256_gcm();
    EVP_CIPHER_CTX* ctx = cipher ? EVP_CIPHER_CTX_new() : nullptr;
    if (!ctx)
        return CCBOX_CRYPTO_ERROR;
    bool ok = EVP_CipherInit_ex(ctx, cipher, nullptr, key, header.iv, encrypt ? 1 : 0) == 1 &&
              gcm_update(ctx, nullptr, reinterpret_cast<const uint8_t*>(&header), kAuthenticatedHeader) &&
              gcm_update(ctx, nullptr, aad, aad_size) && gcm_update(ctx, out, in, size) &&
              (encrypt || EVP_CIPHER_CTX_ctrl(ctx, openssl::kCtrlAeadSetTag, 16, tag) == 1);
    int final_size = 0;
    uint8_t none[16];  // GCM's final step writes no bytes
    const bool authentic = ok && EVP_CipherFinal_ex(ctx, none, &final_size) == 1;
    if (authentic && encrypt)
        ok = EVP_CIPHER_CTX_ctrl(ctx, openssl::kCtrlAeadGetTag, 16, tag) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return CCBOX_CRYPTO_ERROR;
    return authentic ? CCBOX_OK : encrypt ? CCBOX_CRYPTO_ERROR : CCBOX_VERIFY_FAILED;
}

}  // namespace

extern "C" ccbox_result_t ccbox_seal(ccbox_seal_policy_t policy, const uint8_t* plaintext, size_t plaintext_size,
                                     const uint8_t* aad, size_t aad_size, uint8_t** blob, size_t* blob_size) {
    if (!blob || !blob_size || (plaintext_size && !plaintext) || (aad_size && !aad))
        return CCBOX_INVALID_PARAMETER;
    size_t total;
    if (__builtin_add_overflow(kHeaderSize, plaintext_size, &total))
        return CCBOX_INTEGER_OVERFLOW;
    SealedHeader header{};
    memcpy(header.magic, kMagic, sizeof kMagic);
    header.version = kVersion;
    header.header_size = kHeaderSize;
    header.ciphertext_size = plaintext_size;
    alignas(512) sgx::Keyrequest request;
    ccbox_result_t r = make_seal_key_request(policy, &request);
    if (r == CCBOX_OK)
        r = ccbox_random(header.iv, sizeof header.iv);
    if (r != CCBOX_OK)
        return r;
    memcpy(header.request, &request, sizeof request);
    uint8_t key[32];
    if ((r = blob_key(header, key)) != CCBOX_OK)
        return r;
    auto* out = static_cast<uint8_t*>(malloc(total));
    if (!out) {
        explicit_bzero(key, sizeof key);
        return CCBOX_OUT_OF_MEMORY;
    }
    r = gcm(true, key, header, aad, aad_size, plaintext, out + kHeaderSize, plaintext_size, header.tag);
    explicit_bzero(key, sizeof key);
    if (r != CCBOX_OK) {
        free(out);
        return r;
    }
    memcpy(out, &header, kHeaderSize);
    *blob = out;
    *blob_size = total;
    return CCBOX_OK;
}

extern "C" ccbox_result_t ccbox_unseal(const uint8_t* blob, size_t blob_size, const uint8_t* aad, size_t aad_size,
                                       uint8_t** plaintext, size_t* plaintext_size) {
    if (!blob || !plaintext || !plaintext_size || (aad_size && !aad))
        return CCBOX_INVALID_PARAMETER;
    if (blob_size < kHeaderSize)
        return CCBOX_INVALID_PARAMETER;  // truncated
    SealedHeader header;
    memcpy(&header, blob, kHeaderSize);
    if (memcmp(header.magic, kMagic, sizeof kMagic) != 0 || header.version != kVersion ||
        header.header_size != kHeaderSize || header.reserved != 0 ||
        header.ciphertext_size != blob_size - kHeaderSize)
        return CCBOX_INVALID_PARAMETER;
    uint8_t key[32];
    ccbox_result_t r = blob_key(header, key);
    if (r != CCBOX_OK)
        return r;
    const size_t size = blob_size - kHeaderSize;
    auto* out = static_cast<uint8_t*>(malloc(size ? size : 1));
    if (!out) {
        explicit_bzero(key, sizeof key);
        return CCBOX_OUT_OF_MEMORY;
    }
    r = gcm(false, key, header, aad, aad_size, blob + kHeaderSize, out, size, header.tag);
    explicit_bzero(key, sizeof key);
    if (r != CCBOX_OK) {
        explicit_bzero(out, size);
        free(out);
        return r;
    }
    *plaintext = out;
    *plaintext_size = size;
    return CCBOX_OK;
}

// Blobs and plaintexts are ordinary enclave heap memory (a documented guarantee: free() frees
// them too); ccbox_free() also wipes them first, so that no plaintext stays in the free heap.
extern "C" void ccbox_free(void* pointer) {
    if (!pointer)
        return;
    explicit_bzero(pointer, malloc_usable_size(pointer));
    free(pointer);
}
