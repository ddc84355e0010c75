/* Attested TLS with OpenSSL (docs/attested-tls.md). Trust domain: both.
 *  - ccbox_tls_cert_verify_callback(): for SSL_CTX_set_cert_verify_callback() on the host and in
 *    enclaves: the peer's certificate must be an attestation certificate that
 *    ccbox_verify_attestation_certificate_with_evidence() accepts under `verifier`;
 *  - ccbox_tls_socket_bio() (enclaves only): an OpenSSL BIO over the socket OCALLs of
 *    ccbox/edl/socket.edl, which the enclave's EDL must import. */
#ifndef CCBOX_TLS_H
#define CCBOX_TLS_H

#include <ccbox/verifier.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct x509_store_ctx_st X509_STORE_CTX;
typedef struct bio_st BIO;

typedef struct ccbox_tls_verifier {
    const uint8_t* endorsements; /* collateral JSON */
    size_t endorsements_size;
    const ccbox_policy_t* policies; /* at least CCBOX_POLICY_TRUSTED_ROOTS */
    size_t policies_size;
    ccbox_verify_claims_callback_t callback; /* decides about the peer's identity */
    void* arg;
    /* The outcome of the last verification: its result, and ccbox_verifier_last_error()'s text. */
    ccbox_result_t result;
    char error[512];
} ccbox_tls_verifier_t;

/* Pass with a ccbox_tls_verifier_t* as `arg`. Returns 1 to accept; 0 refuses, and OpenSSL then
 * ends the handshake with an alert (bad_certificate) to the peer. */
int ccbox_tls_cert_verify_callback(X509_STORE_CTX* ctx, void* verifier);

/* A BIO over the host socket `host_fd`; BIO_free() closes it through sock_close. Every byte
 * count the host returns is checked: a recv or send result that is negative (other than an
 * error), or larger than asked, is an error and fails the BIO for good. Reads are buffered
 * (one recv OCALL of up to one TLS record serves OpenSSL's header and body reads). */
BIO* ccbox_tls_socket_bio(int host_fd);

/* Coalescing writes (off by default) for a bulk sender: with `on`, what OpenSSL writes is kept
 * and sent in OCALLs of up to 256 KiB — at BIO_flush(), before any read, at 256 KiB and when
 * the BIO is freed — instead of one OCALL per TLS record; `on` = 0 sends what is waiting and
 * stops. While it is on, data written just before the enclave stops using the connection
 * (without reading, flushing or freeing it) waits: call BIO_flush(SSL_get_wbio(ssl)) then.
 * Around SSL_accept()/SSL_connect() it is always safe (OpenSSL flushes each handshake flight)
 * and sends a flight in one OCALL. 
 * Returns 1, or 0 if `bio` is not a ccbox socket BIO or a send failed. */
int ccbox_tls_socket_bio_coalesce(BIO* bio, int on);

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_TLS_H */
