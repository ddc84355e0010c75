/* The host's forgeries of attestation certificates (tests/compat/attestation): what an
 * adversary can make from a genuine one without the enclave's key. */
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdlib.h>
#include <string.h>

/* A new self-signed certificate for a fresh key of the adversary's, carrying the genuine
 * certificate's extensions (its evidence): the evidence is genuine, the key is not the one it
 * binds. Returns the DER size written to *out (malloc'd), or 0. */
size_t forge_rekeyed_certificate(const unsigned char* der, size_t size, unsigned char** out)
{
    const unsigned char* p = der;
    X509* genuine = d2i_X509(NULL, &p, (long)size);
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* forged = X509_new();
    size_t result = 0;
    if (!genuine || !key || !forged)
        goto done;
    X509_set_version(forged, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(forged), 4242);
    X509_set_subject_name(forged, X509_get_subject_name(genuine));
    X509_set_issuer_name(forged, X509_get_subject_name(genuine));
    X509_set1_notBefore(forged, X509_get0_notBefore(genuine));
    X509_set1_notAfter(forged, X509_get0_notAfter(genuine));
    X509_set_pubkey(forged, key);
    for (int i = 0; i < X509_get_ext_count(genuine); ++i)
        X509_add_ext(forged, X509_get_ext(genuine, i), -1);
    if (!X509_sign(forged, key, EVP_sha256()))
        goto done;
    unsigned char* buf = NULL;
    int n = i2d_X509(forged, &buf);
    if (n > 0) {
        *out = buf;
        result = (size_t)n;
    }
done:
    X509_free(genuine);
    X509_free(forged);
    EVP_PKEY_free(key);
    return result;
}

/* The public half of the PEM private key at `path`, as PEM (malloc'd, NUL-terminated), or NULL;
 * with `other_key`, the public half of a fresh RSA-2048 key instead (not an SGX signing key). */
char* public_key_pem(const char* path, int other_key)
{
    EVP_PKEY* key = NULL;
    if (other_key) {
        key = EVP_RSA_gen(2048);
    } else {
        BIO* in = BIO_new_file(path, "r");
        key = in ? PEM_read_bio_PrivateKey(in, NULL, NULL, NULL) : NULL;
        BIO_free(in);
    }
    BIO* out = BIO_new(BIO_s_mem());
    char* pem = NULL;
    if (key && out && PEM_write_bio_PUBKEY(out, key)) {
        char* data = NULL;
        long n = BIO_get_mem_data(out, &data);
        pem = malloc((size_t)n + 1);
        if (pem) {
            memcpy(pem, data, (size_t)n);
            pem[n] = 0;
        }
    }
    BIO_free(out);
    EVP_PKEY_free(key);
    return pem;
}

/* The adversary's own root CA (a fresh P-256 key, self-signed, CA:TRUE), as PEM (malloc'd). */
char* adversary_root_pem(void)
{
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* ca = X509_new();
    BIO* out = BIO_new(BIO_s_mem());
    char* pem = NULL;
    X509_NAME* name = X509_NAME_new();
    X509V3_CTX v3;
    X509_EXTENSION* bc = NULL;
    if (!key || !ca || !out || !name)
        goto done;
    X509_set_version(ca, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(ca), 1);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char*)"ccbox SGX Root CA", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char*)"ccbox", -1, -1, 0);
    X509_set_subject_name(ca, name);
    X509_set_issuer_name(ca, name);
    X509_gmtime_adj(X509_getm_notBefore(ca), -86400);
    X509_gmtime_adj(X509_getm_notAfter(ca), 86400L * 365);
    X509_set_pubkey(ca, key);
    X509V3_set_ctx(&v3, ca, ca, NULL, NULL, 0);
    bc = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
    if (!bc || !X509_add_ext(ca, bc, -1) || !X509_sign(ca, key, EVP_sha256()) || !PEM_write_bio_X509(out, ca))
        goto done;
    char* data = NULL;
    long n = BIO_get_mem_data(out, &data);
    pem = malloc((size_t)n + 1);
    if (pem) {
        memcpy(pem, data, (size_t)n);
        pem[n] = 0;
    }
done:
    X509_EXTENSION_free(bc);
    X509_NAME_free(name);
    BIO_free(out);
    X509_free(ca);
    EVP_PKEY_free(key);
    return pem;
}
