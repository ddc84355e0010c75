/* The test enclave of tests/compat/attestation: OE's attestation API as an OE application
 * calls it. Built twice (enclave_a, enclave_b with OE_ATTEST_ENCLAVE_B) for two MRENCLAVEs. */
#include <openenclave/attestation/attester.h>
#include <openenclave/attestation/custom_claims.h>
#include <openenclave/attestation/sgx/evidence.h>
#include <openenclave/attestation/verifier.h>
#include <openenclave/enclave.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oe_attest_t.h"

#ifdef OE_ATTEST_ENCLAVE_B
const char* oe_attest_variant = "B";
#else
const char* oe_attest_variant = "A";
#endif

static const oe_uuid_t k_ecdsa = {OE_FORMAT_UUID_SGX_ECDSA};
static const oe_uuid_t k_local = {OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION};
static const oe_uuid_t k_unknown = {{0x01, 0x02}};

int format_settings(int local, uint8_t* settings, size_t cap, size_t* size)
{
    uint8_t* s = NULL;
    size_t n = 0;
    (void)*(volatile const char*)oe_attest_variant; /* kept in the image: A and B differ */
    oe_result_t r = oe_verifier_get_format_settings(local ? &k_local : &k_ecdsa, &s, &n);
    if (r == OE_OK && n > cap)
        r = OE_BUFFER_TOO_SMALL;
    if (r == OE_OK) {
        if (n)
            memcpy(settings, s, n);
        *size = n;
    }
    oe_verifier_free_format_settings(s);
    return r;
}

int make_evidence(int local, const uint8_t* settings, size_t settings_size, const char* nonce, uint32_t flags,
                  uint8_t* evidence, size_t cap, size_t* size)
{
    char name[] = "nonce";
    oe_claim_t claim = {name, (uint8_t*)nonce, strlen(nonce) + 1};
    uint8_t* custom = NULL;
    size_t custom_size = 0;
    oe_result_t r = oe_attester_initialize();
    if (r == OE_OK)
        r = oe_serialize_custom_claims(&claim, 1, &custom, &custom_size);
    uint8_t* e = NULL;
    size_t n = 0;
    if (r == OE_OK)
        r = oe_get_evidence(local ? &k_local : &k_ecdsa, flags, custom, custom_size, settings, settings_size, &e, &n,
                            NULL, NULL);
    if (r == OE_OK && n > cap)
        r = OE_BUFFER_TOO_SMALL;
    if (r == OE_OK) {
        memcpy(evidence, e, n);
        *size = n;
    }
    oe_free_evidence(e);
    oe_free_serialized_custom_claims(custom);
    oe_attester_shutdown();
    return r;
}

static const oe_claim_t* find(const oe_claim_t* claims, size_t n, const char* name)
{
    for (size_t i = 0; i < n; ++i)
        if (strcmp(claims[i].name, name) == 0)
            return &claims[i];
    return NULL;
}

static void hex(char* out, const uint8_t* p, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        sprintf(out + 2 * i, "%02x", p[i]);
}

/* "unique_id=HEX mode=development root=host nonce=TEXT security_version=N product_id=N". */
static oe_result_t summarize(const oe_claim_t* claims, size_t n, char* summary, size_t cap)
{
    const oe_claim_t* id = find(claims, n, OE_CLAIM_UNIQUE_ID);
    const oe_claim_t* mode = find(claims, n, OE_CLAIM_CCBOX_PLATFORM_MODE);
    const oe_claim_t* root = find(claims, n, OE_CLAIM_CCBOX_TRUSTED_ROOT);
    const oe_claim_t* svn = find(claims, n, OE_CLAIM_SECURITY_VERSION);
    const oe_claim_t* product = find(claims, n, OE_CLAIM_PRODUCT_ID);
    const oe_claim_t* custom = find(claims, n, OE_CLAIM_CUSTOM_CLAIMS_BUFFER);
    if (!id || id->value_size != 32 || !mode || !root || !svn || svn->value_size != 4 || !product ||
        product->value_size != 16 || !custom)
        return OE_NOT_FOUND;
    oe_claim_t* cc = NULL;
    size_t cc_n = 0;
    oe_result_t r = oe_deserialize_custom_claims(custom->value, custom->value_size, &cc, &cc_n);
    if (r != OE_OK)
        return r;
    if (cc_n != 1 || strcmp(cc[0].name, "nonce") != 0 || !cc[0].value_size || cc[0].value[cc[0].value_size - 1]) {
        oe_free_custom_claims(cc, cc_n);
        return OE_NOT_FOUND;
    }
    char id_hex[65];
    hex(id_hex, id->value, 32);
    uint32_t security_version;
    memcpy(&security_version, svn->value, 4);
    snprintf(summary, cap, "unique_id=%s mode=%s root=%s nonce=%s security_version=%u product_id=%u", id_hex,
             (const char*)mode->value, (const char*)root->value, (const char*)cc[0].value, security_version,
             product->value[0]);
    oe_free_custom_claims(cc, cc_n);
    return OE_OK;
}

int verify(int format, const uint8_t* evidence, size_t size, int policies, const char* roots, char* summary,
           size_t cap)
{
    oe_policy_t p[3];
    size_t np = 0;
    if (policies & 1)
        p[np++] = (oe_policy_t){OE_POLICY_CCBOX_REQUIRE_PRODUCTION, NULL, 0};
    if (policies & 2)
        p[np++] = (oe_policy_t){OE_POLICY_CCBOX_REFUSE_DEBUG, NULL, 0};
    if (policies & 4)
        p[np++] = (oe_policy_t){OE_POLICY_CCBOX_TRUSTED_ROOTS, (void*)roots, strlen(roots)};
    const oe_uuid_t* id = format == 0 ? &k_ecdsa : format == 1 ? &k_local : &k_unknown;
    if (policies & 8)
        id = NULL;
    oe_claim_t* claims = NULL;
    size_t n = 0;
    oe_result_t r = oe_verifier_initialize();
    if (r == OE_OK)
        r = oe_verify_evidence(id, evidence, size, NULL, 0, p, np, &claims, &n);
    if (r == OE_OK)
        r = summarize(claims, n, summary, cap);
    oe_free_claims(claims, n);
    oe_verifier_shutdown();
    return r;
}

int make_certificate(uint8_t* der, size_t cap, size_t* size)
{
    EVP_PKEY* key = EVP_EC_gen("P-256");
    BIO* priv = BIO_new(BIO_s_mem());
    BIO* pub = BIO_new(BIO_s_mem());
    oe_result_t r = OE_CRYPTO_ERROR;
    if (key && priv && pub && PEM_write_bio_PrivateKey(priv, key, NULL, NULL, 0, NULL, NULL) &&
        PEM_write_bio_PUBKEY(pub, key)) {
        char *priv_pem = NULL, *pub_pem = NULL;
        long priv_size = BIO_get_mem_data(priv, &priv_pem);
        long pub_size = BIO_get_mem_data(pub, &pub_pem);
        uint8_t* cert = NULL;
        size_t cert_size = 0;
        r = oe_get_attestation_certificate_with_evidence_v2(&k_ecdsa, (const unsigned char*)"CN=oe attest,O=ccbox,C=ZZ",
                                                            (uint8_t*)priv_pem, (size_t)priv_size, (uint8_t*)pub_pem,
                                                            (size_t)pub_size, NULL, 0, &cert, &cert_size);
        if (r == OE_OK && cert_size > cap)
            r = OE_BUFFER_TOO_SMALL;
        if (r == OE_OK) {
            memcpy(der, cert, cert_size);
            *size = cert_size;
        }
        oe_free_attestation_certificate(cert);
    }
    BIO_free(priv);
    BIO_free(pub);
    EVP_PKEY_free(key);
    return r;
}

int verify_certificate(const uint8_t* der, size_t size)
{
    oe_claim_t* claims = NULL;
    size_t n = 0;
    oe_result_t r = oe_verify_attestation_certificate_with_evidence_v2((uint8_t*)der, size, NULL, 0, NULL, 0, &claims,
                                                                       &n);
    if (r == OE_OK) {
        const oe_claim_t* root = find(claims, n, OE_CLAIM_CCBOX_TRUSTED_ROOT);
        const oe_claim_t* mode = find(claims, n, OE_CLAIM_CCBOX_PLATFORM_MODE);
        if (!root || strcmp((const char*)root->value, "host") != 0 || !mode ||
            strcmp((const char*)mode->value, "development") != 0)
            r = OE_UNEXPECTED;
    }
    oe_free_claims(claims, n);
    return r;
}

int own_identity(uint8_t* unique_id)
{
    uint8_t ti[512];
    size_t n = 0;
    uint8_t e[4096];
    size_t en = 0;
    char summary[512];
    oe_result_t r = (oe_result_t)format_settings(1, ti, sizeof ti, &n);
    if (r == OE_OK)
        r = (oe_result_t)make_evidence(1, ti, n, "self", 0, e, sizeof e, &en);
    if (r == OE_OK)
        r = (oe_result_t)verify(1, e, en, 0, "", summary, sizeof summary);
    if (r == OE_OK) {
        /* summary starts with unique_id=HEX */
        for (int i = 0; i < 32; ++i) {
            unsigned v;
            sscanf(summary + 10 + 2 * i, "%2x", &v);
            unique_id[i] = (uint8_t)v;
        }
    }
    return r;
}

/* 0 when `public_pem` and `private_pem` are one key pair. */
static int is_pair(const uint8_t* public_pem, size_t public_size, const uint8_t* private_pem, size_t private_size)
{
    BIO* a = BIO_new_mem_buf(public_pem, (int)public_size - 1);
    BIO* b = BIO_new_mem_buf(private_pem, (int)private_size - 1);
    EVP_PKEY* pub = a ? PEM_read_bio_PUBKEY(a, NULL, NULL, NULL) : NULL;
    EVP_PKEY* priv = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
    const int pair = pub && priv && EVP_PKEY_eq(pub, priv) == 1;
    EVP_PKEY_free(pub);
    EVP_PKEY_free(priv);
    BIO_free(a);
    BIO_free(b);
    return pair ? 0 : 1;
}

#define KCHECK(n, cond)   \
    do {                  \
        if (!(cond))      \
            return 100 + (n); \
    } while (0)

int check_keys(int policy, char* pem, size_t cap)
{
    char shared[] = "shared", other[] = "other";
    oe_asymmetric_key_params_t p = {OE_ASYMMETRIC_KEY_EC_SECP256P1, OE_ASYMMETRIC_KEY_PEM, shared, sizeof shared};
    uint8_t *pub = NULL, *priv = NULL, *pub2 = NULL, *again = NULL, *info = NULL, *info2 = NULL, *other_pub = NULL;
    size_t pub_n = 0, priv_n = 0, pub2_n = 0, again_n = 0, info_n = 0, info2_n = 0, other_n = 0;
    KCHECK(1, oe_get_public_key_by_policy(policy, &p, &pub, &pub_n, &info, &info_n) == OE_OK && info_n == 512 &&
                  pub_n && pub[pub_n - 1] == 0);
    KCHECK(2, oe_get_private_key_by_policy(policy, &p, &priv, &priv_n, NULL, NULL) == OE_OK);
    KCHECK(3, is_pair(pub, pub_n, priv, priv_n) == 0);                      /* the two calls agree */
    KCHECK(4, oe_get_public_key_by_policy(policy, &p, &pub2, &pub2_n, &info2, &info2_n) == OE_OK &&
                  pub2_n == pub_n && memcmp(pub, pub2, pub_n) == 0);       /* and again */
    KCHECK(5, oe_get_public_key(&p, info, info_n, &again, &again_n) == OE_OK && again_n == pub_n &&
                  memcmp(again, pub, pub_n) == 0);                         /* from key_info */
    oe_asymmetric_key_params_t q = p;
    q.user_data = other;
    q.user_data_size = sizeof other;
    KCHECK(6, oe_get_public_key_by_policy(policy, &q, &other_pub, &other_n, NULL, NULL) == OE_OK &&
                  (other_n != pub_n || memcmp(other_pub, pub, pub_n) != 0)); /* other user data, other key */
    uint8_t* none = NULL;
    size_t none_n = 0;
    KCHECK(7, oe_get_private_key(&q, info, info_n, &none, &none_n) == OE_INVALID_PARAMETER && !none);
    info[40] ^= 1; /* key_info changed: its KEYID is not these parameters' */
    KCHECK(8, oe_get_private_key(&p, info, info_n, &none, &none_n) == OE_INVALID_PARAMETER && !none);
    info[40] ^= 1;
    KCHECK(9, oe_get_private_key(&p, info, 100, &none, &none_n) == OE_INVALID_PARAMETER && !none);
    q = p;
    q.type = (oe_asymmetric_key_type_t)2;
    KCHECK(10, oe_get_public_key_by_policy(policy, &q, &none, &none_n, NULL, NULL) == OE_UNSUPPORTED && !none);
    /* the pair makes an attestation certificate (as attested_tls's enclaves do) */
    uint8_t* cert = NULL;
    size_t cert_n = 0;
    KCHECK(11, oe_get_attestation_certificate_with_evidence_v2(&k_ecdsa, (const unsigned char*)"CN=k,O=ccbox,C=ZZ", priv,
                                                               priv_n, pub, pub_n, NULL, 0, &cert, &cert_n) == OE_OK);
    oe_free_attestation_certificate(cert);
    KCHECK(12, pub_n <= cap);
    memcpy(pem, pub, pub_n);
    oe_free_key(pub, pub_n, info, info_n);
    oe_free_key(priv, priv_n, NULL, 0);
    oe_free_key(pub2, pub2_n, info2, info2_n);
    oe_free_key(again, again_n, NULL, 0);
    oe_free_key(other_pub, other_n, NULL, 0);
    return 0;
}
