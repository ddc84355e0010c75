/* Open Enclave's verifier API (attestation/verifier.h) on ccbox's evidence verifier
 * (ccbox_verify_evidence; docs/openenclave.md "Attestation": where the endorsements and the
 * trusted root come from, and what a development platform's evidence looks like). Host or
 * enclave; local attestation evidence is verified only inside its target enclave. */
#ifndef OPENENCLAVE_ATTESTATION_VERIFIER_H
#define OPENENCLAVE_ATTESTATION_VERIFIER_H

#include <openenclave/bits/evidence.h>
#include <openenclave/bits/result.h>

OE_EXTERNC_BEGIN

oe_result_t oe_verifier_initialize(void);
oe_result_t oe_verifier_get_formats(oe_uuid_t** format_ids, size_t* format_ids_length);
oe_result_t oe_verifier_free_formats(oe_uuid_t* format_ids);
/* What an attester needs to make evidence this verifier can check: for
 * OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION (in an enclave) this enclave's TARGETINFO; for
 * OE_FORMAT_UUID_SGX_ECDSA nothing (NULL, 0). Free with oe_verifier_free_format_settings(). */
oe_result_t oe_verifier_get_format_settings(const oe_uuid_t* format_id, uint8_t** settings, size_t* settings_size);
oe_result_t oe_verifier_free_format_settings(uint8_t* settings);
oe_result_t oe_verify_evidence(const oe_uuid_t* format_id, const uint8_t* evidence_buffer, size_t evidence_buffer_size,
                               const uint8_t* endorsements_buffer, size_t endorsements_buffer_size,
                               const oe_policy_t* policies, size_t policies_size, oe_claim_t** claims,
                               size_t* claims_length);
oe_result_t oe_free_claims(oe_claim_t* claims, size_t claims_length);
oe_result_t oe_verifier_shutdown(void);

typedef oe_result_t (*oe_verify_claims_callback_t)(oe_claim_t* claims, size_t claims_length, void* arg);

/* Verifies an attestation certificate (oe_get_attestation_certificate_with_evidence): its
 * self-signature, its evidence, and that the evidence binds the certificate's key; then calls
 * `claim_verify_callback` with the claims (NULL: accept). */
oe_result_t oe_verify_attestation_certificate_with_evidence(uint8_t* certificate_in_der,
                                                            size_t certificate_in_der_length,
                                                            oe_verify_claims_callback_t claim_verify_callback,
                                                            void* arg);
/* The same with endorsements and policies as oe_verify_evidence takes them; returns the claims
 * (free with oe_free_claims()). */
oe_result_t oe_verify_attestation_certificate_with_evidence_v2(uint8_t* certificate_in_der,
                                                               size_t certificate_in_der_length,
                                                               uint8_t* endorsements_buffer,
                                                               size_t endorsements_buffer_size,
                                                               oe_policy_t* policies, size_t policies_size,
                                                               oe_claim_t** claims, size_t* claims_length);

OE_EXTERNC_END

#endif /* OPENENCLAVE_ATTESTATION_VERIFIER_H */
