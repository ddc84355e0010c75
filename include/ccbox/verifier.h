/* Evidence verification (Open Enclave's openenclave/attestation/verifier.h with a ccbox_
 * prefix): on the host link ccbox::attestation; in an enclave link ccbox_enclave_attestation
 * (docs/attested-tls.md). Trust domain: the relying party. */
#ifndef CCBOX_VERIFIER_H
#define CCBOX_VERIFIER_H

#include <ccbox/bits/evidence.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Verifies `evidence` of `format_id` (NULL: read from an embedded header) with `endorsements`
 * (the collateral JSON of `ccbox collateral`) under `policies` (at least
 * CCBOX_POLICY_TRUSTED_ROOTS). On success `*claims` holds the claims (free with
 * ccbox_free_claims()). Every distinct failure has its own result and a message available
 * from ccbox_verifier_last_error() on this thread. */
ccbox_result_t ccbox_verify_evidence(const ccbox_uuid_t* format_id, const uint8_t* evidence_buffer,
                                     size_t evidence_buffer_size, const uint8_t* endorsements_buffer,
                                     size_t endorsements_buffer_size, const ccbox_policy_t* policies,
                                     size_t policies_size, ccbox_claim_t** claims, size_t* claims_length);
ccbox_result_t ccbox_free_claims(ccbox_claim_t* claims, size_t claims_length);
/* The failure identifier and message of this thread's last failed ccbox_verify_evidence()
 * ("qe_identity_expired: QE Identity expired at ..."), or "" after a success. */
const char* ccbox_verifier_last_error(void);

/* Decides about a verified peer from its claims (MRENCLAVE = "unique_id", MRSIGNER =
 * "signer_id", "product_id", "security_version", "attributes" for debug, "tcb_status", ...):
 * CCBOX_OK accepts; any other result refuses, and is what the verification returns. */
typedef ccbox_result_t (*ccbox_verify_claims_callback_t)(ccbox_claim_t* claims, size_t claims_length, void* arg);

/* Open Enclave's oe_verify_attestation_certificate_with_evidence, with endorsements and
 * policies as ccbox_verify_evidence takes them: checks that the DER certificate is self-signed
 * by its key, that its evidence extension (1.3.6.1.4.1.311.105.2; also 1.2.840.113556.10.1.2
 * and TCG DICE 2.23.133.5.4.9) verifies with `endorsements` under `policies`, and that the
 * evidence binds the certificate's key (REPORTDATA[0..32) = SHA-256 of its SubjectPublicKeyInfo
 * DER); then calls `callback` (NULL: accept any identity). The failure's identifier and message
 * are in ccbox_verifier_last_error() ("key_not_bound: ..."). */
ccbox_result_t ccbox_verify_attestation_certificate_with_evidence(
    const uint8_t* certificate_in_der, size_t certificate_in_der_length, const uint8_t* endorsements_buffer,
    size_t endorsements_buffer_size, const ccbox_policy_t* policies, size_t policies_size,
    ccbox_verify_claims_callback_t callback, void* arg);

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_VERIFIER_H */
