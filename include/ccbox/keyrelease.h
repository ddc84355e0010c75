/* Attestation-gated key release, the enclave's half (docs/keybroker.md). Trust domain: enclave.
 *
 * The host asks the key broker for a challenge (a 32-byte nonce) and hands it in. The enclave
 * makes a fresh P-256 key pair whose private half never leaves it, and evidence
 * (CCBOX_FORMAT_UUID_SGX_ECDSA) whose custom claims are nonce ‖ public point, so REPORTDATA
 * binds SHA-256(nonce ‖ point). The host ferries evidence and point to the broker and the
 * broker's compact JWE (ECDH-ES+A256KW, A256GCM) back; only this context can unwrap it. The JWE
 * is hostile input: it is copied into the enclave and parsed strictly before any crypto. */
#ifndef CCBOX_KEYRELEASE_H
#define CCBOX_KEYRELEASE_H

#include <ccbox/attester.h> /* ccbox_free_evidence */
#include <ccbox/result.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ccbox_key_release ccbox_key_release_t;

#define CCBOX_KEY_RELEASE_NONCE_SIZE 32
#define CCBOX_KEY_RELEASE_POINT_SIZE 65
#define CCBOX_KEY_RELEASE_CLAIMS_SIZE 97

/* Makes an ephemeral P-256 key (kept inside the enclave) and evidence binding nonce ‖ point.
 * Free the evidence with ccbox_free_evidence() and the context with ccbox_key_release_free(). */
ccbox_result_t ccbox_key_release_begin(const uint8_t nonce[32], ccbox_key_release_t** ctx, uint8_t** evidence,
                                       size_t* evidence_size, uint8_t public_point[65]);

/* Unwraps the broker's compact JWE (checks alg/enc/epk, and the kid when expected_kid is not
 * NULL) into key. expected_kid "K/N" must equal the kid; "K" (no '/') accepts any version of
 * key K ("K/<decimal>"). A context unwraps once: its private key is wiped afterwards, whatever
 * the outcome. On failure nothing is written to key; ccbox_key_release_error() says why. */
ccbox_result_t ccbox_key_release_finish(ccbox_key_release_t* ctx, const char* jwe, size_t jwe_size,
                                        const char* expected_kid, uint8_t* key, size_t key_capacity,
                                        size_t* key_size);

/* Why the last call on ctx failed ("" if it did not); never contains key material. */
const char* ccbox_key_release_error(const ccbox_key_release_t* ctx);

/* Wipes the private key and frees ctx (NULL is ignored). */
void ccbox_key_release_free(ccbox_key_release_t* ctx);

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_KEYRELEASE_H */
