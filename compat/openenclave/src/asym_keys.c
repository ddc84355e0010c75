/* oe_get_public_key_by_policy and friends (openenclave/enclave.h): a P-256 key pair derived from
 * the enclave's seal key, so that only this enclave (policy UNIQUE) or its signer's enclaves
 * (PRODUCT) on this platform can have it. Enclave side.
 *   KEYREQUEST = ccbox's seal key request for the policy, with
 *                KEYID = SHA-256("ccbox OE asymmetric key v1" ‖ type ‖ user_data) (deterministic,
 *                so the public and the private call derive the same key);
 *   d = HMAC-SHA256(seal key, "ccbox OE P-256 scalar v1" ‖ counter), the first in [1, n).
 * key_info is that KEYREQUEST; given back, its KEYID must be the one of these parameters. */
#include <openenclave/enclave.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEYREQUEST_SIZE 512u
#define KEYID_OFFSET 40u

static oe_result_t fail(oe_result_t r, const char* message)
{
    fprintf(stderr, "oe_get_*_key: %s (%s)\n", message, oe_result_str(r));
    return r;
}

static oe_result_t key_id(const oe_asymmetric_key_params_t* p, uint8_t out[32])
{
    static const char label[] = "ccbox OE asymmetric key v1";
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const uint32_t type = (uint32_t)p->type;
    unsigned int n = 0;
    const int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) && EVP_DigestUpdate(ctx, label, sizeof label) &&
                   EVP_DigestUpdate(ctx, &type, sizeof type) &&
                   (!p->user_data_size || EVP_DigestUpdate(ctx, p->user_data, p->user_data_size)) &&
                   EVP_DigestFinal_ex(ctx, out, &n) && n == 32;
    EVP_MD_CTX_free(ctx);
    return ok ? OE_OK : OE_CRYPTO_ERROR;
}

static oe_result_t check_params(const oe_asymmetric_key_params_t* p)
{
    if (!p || (p->user_data_size && !p->user_data))
        return fail(OE_INVALID_PARAMETER, "key_params is NULL, or user_data is NULL with a size");
    if (p->type != OE_ASYMMETRIC_KEY_EC_SECP256P1 || p->format != OE_ASYMMETRIC_KEY_PEM)
        return fail(OE_UNSUPPORTED, "only OE_ASYMMETRIC_KEY_EC_SECP256P1 in OE_ASYMMETRIC_KEY_PEM");
    return OE_OK;
}

/* The key pair for a seal key, as an EVP_PKEY. */
static EVP_PKEY* derive(const uint8_t* seal_key, size_t seal_key_size)
{
    static const char label[] = "ccbox OE P-256 scalar v1";
    EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    EC_POINT* pub = group ? EC_POINT_new(group) : NULL;
    BIGNUM* d = BN_new();
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM* params = NULL;
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY* key = NULL;
    uint8_t scalar[32], message[sizeof label + 1], point[65];
    unsigned int n = 0;
    int found = 0;
    if (!group || !pub || !d || !bld || !ctx)
        goto done;
    memcpy(message, label, sizeof label);
    for (uint8_t counter = 0; counter < 16 && !found; ++counter) {
        message[sizeof label] = counter;
        if (!HMAC(EVP_sha256(), seal_key, (int)seal_key_size, message, sizeof message, scalar, &n) || n != 32 ||
            !BN_bin2bn(scalar, 32, d))
            goto done;
        found = !BN_is_zero(d) && BN_cmp(d, EC_GROUP_get0_order(group)) < 0;
    }
    if (!found || EC_POINT_mul(group, pub, d, NULL, NULL, NULL) != 1 ||
        EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, point, sizeof point, NULL) != sizeof point ||
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) != 1 || !(params = OSSL_PARAM_BLD_to_param(bld)) ||
        EVP_PKEY_fromdata_init(ctx) != 1 || EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) != 1)
        key = NULL;
done:
    OPENSSL_cleanse(scalar, sizeof scalar);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_clear_free(d);
    EC_POINT_free(pub);
    EC_GROUP_free(group);
    return key;
}

static oe_result_t write_pem(EVP_PKEY* key, int private_key, uint8_t** out, size_t* out_size)
{
    BIO* bio = BIO_new(BIO_s_mem());
    oe_result_t r = OE_CRYPTO_ERROR;
    if (bio && (private_key ? PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL)
                            : PEM_write_bio_PUBKEY(bio, key))) {
        char* data = NULL;
        const long n = BIO_get_mem_data(bio, &data);
        uint8_t* buffer = n > 0 ? (uint8_t*)malloc((size_t)n + 1) : NULL;
        if (buffer) {
            memcpy(buffer, data, (size_t)n);
            buffer[n] = 0;
            *out = buffer;
            *out_size = (size_t)n + 1;
            r = OE_OK;
        } else {
            r = OE_OUT_OF_MEMORY;
        }
    }
    if (bio) {
        char* data = NULL;
        const long n = BIO_get_mem_data(bio, &data);
        if (n > 0)
            OPENSSL_cleanse(data, (size_t)n); /* a private key's PEM */
    }
    BIO_free_all(bio);
    return r;
}

static oe_result_t key_from_info(const oe_asymmetric_key_params_t* p, const uint8_t* key_info, size_t key_info_size,
                                 int private_key, uint8_t** out, size_t* out_size)
{
    uint8_t id[32];
    oe_result_t r = check_params(p);
    if (r != OE_OK)
        return r;
    if (!key_info || key_info_size != KEYREQUEST_SIZE || !out || !out_size)
        return fail(OE_INVALID_PARAMETER, "key_info must be the 512-byte KEYREQUEST of a *_by_policy call");
    if ((r = key_id(p, id)) != OE_OK)
        return r;
    /* key_info may be the host's: copy it in, and check that it is for these parameters */
    uint8_t request[KEYREQUEST_SIZE];
    memcpy(request, key_info, sizeof request);
    if (memcmp(request + KEYID_OFFSET, id, sizeof id) != 0)
        return fail(OE_INVALID_PARAMETER, "key_info is not for these key parameters (its KEYID differs)");
    uint8_t* seal_key = NULL;
    size_t seal_key_size = 0;
    if ((r = ccbox_get_seal_key(request, sizeof request, &seal_key, &seal_key_size)) != OE_OK)
        return fail(r, "the seal key for key_info");
    EVP_PKEY* key = derive(seal_key, seal_key_size);
    ccbox_free_key(seal_key, seal_key_size, NULL, 0);
    if (!key)
        return fail(OE_CRYPTO_ERROR, "could not derive the P-256 key");
    r = write_pem(key, private_key, out, out_size);
    EVP_PKEY_free(key);
    return r;
}

static oe_result_t key_by_policy(oe_seal_policy_t policy, const oe_asymmetric_key_params_t* p, int private_key,
                                 uint8_t** out, size_t* out_size, uint8_t** key_info, size_t* key_info_size)
{
    oe_result_t r = check_params(p);
    if (r != OE_OK)
        return r;
    if (!out || !out_size || (key_info && !key_info_size))
        return fail(OE_INVALID_PARAMETER, "key_buffer and key_buffer_size are required");
    uint8_t *seal_key = NULL, *info = NULL;
    size_t seal_key_size = 0, info_size = 0;
    if ((r = ccbox_get_seal_key_by_policy(policy, &seal_key, &seal_key_size, &info, &info_size)) != OE_OK)
        return fail(r, "no seal key for this policy");
    ccbox_free_key(seal_key, seal_key_size, NULL, 0);
    if (info_size != KEYREQUEST_SIZE || (r = key_id(p, info + KEYID_OFFSET)) != OE_OK) {
        ccbox_free_key(NULL, 0, info, info_size);
        return r != OE_OK ? r : OE_UNEXPECTED;
    }
    r = key_from_info(p, info, info_size, private_key, out, out_size);
    if (r == OE_OK && key_info) {
        *key_info = info;
        *key_info_size = info_size;
    } else {
        ccbox_free_key(NULL, 0, info, info_size);
    }
    return r;
}

oe_result_t oe_get_public_key_by_policy(oe_seal_policy_t seal_policy, const oe_asymmetric_key_params_t* key_params,
                                        uint8_t** key_buffer, size_t* key_buffer_size, uint8_t** key_info,
                                        size_t* key_info_size)
{
    return key_by_policy(seal_policy, key_params, 0, key_buffer, key_buffer_size, key_info, key_info_size);
}

oe_result_t oe_get_private_key_by_policy(oe_seal_policy_t seal_policy, const oe_asymmetric_key_params_t* key_params,
                                         uint8_t** key_buffer, size_t* key_buffer_size, uint8_t** key_info,
                                         size_t* key_info_size)
{
    return key_by_policy(seal_policy, key_params, 1, key_buffer, key_buffer_size, key_info, key_info_size);
}

oe_result_t oe_get_public_key(const oe_asymmetric_key_params_t* key_params, const uint8_t* key_info,
                              size_t key_info_size, uint8_t** key_buffer, size_t* key_buffer_size)
{
    return key_from_info(key_params, key_info, key_info_size, 0, key_buffer, key_buffer_size);
}

oe_result_t oe_get_private_key(const oe_asymmetric_key_params_t* key_params, const uint8_t* key_info,
                               size_t key_info_size, uint8_t** key_buffer, size_t* key_buffer_size)
{
    return key_from_info(key_params, key_info, key_info_size, 1, key_buffer, key_buffer_size);
}
