/* Host-side evidence verification (Open Enclave's openenclave/attestation/verifier.h with a
 * ccbox_ prefix); link ccbox::attestation. Trust domain: the relying party. */
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

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_VERIFIER_H */
