/* oe_sgx_get_signer_id_from_public_key (openenclave/attestation/sgx/report.h), both sides:
 * MRSIGNER = SHA-256 of the RSA-3072 modulus, little-endian, as SIGSTRUCT states it
 * (docs/image-format.md). OpenSSL's libcrypto parses the key on both sides. */
#include <openenclave/attestation/sgx/report.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <string.h>

#define MODULUS_SIZE 384

oe_result_t oe_sgx_get_signer_id_from_public_key(const char* pem, size_t pem_size, uint8_t* signer_id,
                                                 size_t* signer_id_size)
{
    if (!pem || !pem_size || !signer_id_size || pem_size > 1 << 16)
        return OE_INVALID_PARAMETER;
    if (*signer_id_size < 32 || !signer_id) {
        *signer_id_size = 32;
        return OE_BUFFER_TOO_SMALL;
    }
    if (pem[pem_size - 1] == 0)
        --pem_size;
    BIO* bio = BIO_new_mem_buf(pem, (int)pem_size);
    EVP_PKEY* key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
    BIGNUM *n = NULL, *e = NULL;
    oe_result_t r = OE_INVALID_PARAMETER;
    uint8_t modulus[MODULUS_SIZE];
    if (key && EVP_PKEY_is_a(key, "RSA") && EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) &&
        EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) && BN_num_bytes(n) == MODULUS_SIZE &&
        BN_is_word(e, 3) && BN_bn2lebinpad(n, modulus, MODULUS_SIZE) == MODULUS_SIZE) {
        unsigned int size = 0;
        r = EVP_Digest(modulus, MODULUS_SIZE, signer_id, &size, EVP_sha256(), NULL) && size == 32 ? OE_OK
                                                                                                 : OE_CRYPTO_ERROR;
        if (r == OE_OK)
            *signer_id_size = 32;
    }
    BN_free(n);
    BN_free(e);
    EVP_PKEY_free(key);
    BIO_free(bio);
    return r;
}
