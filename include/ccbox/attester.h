/* Enclave-side evidence (Open Enclave's openenclave/attestation/attester.h with a ccbox_
 * prefix). Trust domain: enclave. */
#ifndef CCBOX_ATTESTER_H
#define CCBOX_ATTESTER_H

#include <ccbox/bits/evidence.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Evidence of `format_id` (CCBOX_FORMAT_UUID_SGX_ECDSA or _SGX_LOCAL_ATTESTATION) binding
 * `custom_claims_buffer` (SHA-256 of it in REPORTDATA[0..32); may be NULL). For the ECDSA
 * format the enclave's REPORT goes to the platform's quoting enclave through the host;
 * `endorsements` is not produced (collateral comes from the PKI owner: pass NULL). For the
 * local format, `optional_parameters` is the TARGETINFO of the verifying enclave. Free the
 * evidence with ccbox_free_evidence(). */
ccbox_result_t ccbox_get_evidence(const ccbox_uuid_t* format_id, uint32_t flags, const void* custom_claims_buffer,
                                  size_t custom_claims_buffer_size, const void* optional_parameters,
                                  size_t optional_parameters_size, uint8_t** evidence_buffer,
                                  size_t* evidence_buffer_size, uint8_t** endorsements_buffer,
                                  size_t* endorsements_buffer_size);
void ccbox_free_evidence(uint8_t* evidence_buffer);

/* Open Enclave's oe_get_attestation_certificate_with_evidence_v2: a self-signed X.509
 * certificate (DER) for `subject_name` ("CN=...,O=...,C=..."), whose subject key is
 * `public_key` and which `private_key` signs (both PEM; they must be a pair), carrying evidence
 * of `format_id` (CCBOX_FORMAT_UUID_SGX_ECDSA) in the extension 1.3.6.1.4.1.311.105.2. The
 * evidence's custom claims are the key's SubjectPublicKeyInfo DER, so REPORTDATA[0..32) =
 * SHA-256(SPKI DER). Link ccbox_enclave_attestation. Free with
 * ccbox_free_attestation_certificate(). */
ccbox_result_t ccbox_get_attestation_certificate_with_evidence(
    const ccbox_uuid_t* format_id, const char* subject_name, const uint8_t* private_key, size_t private_key_size,
    const uint8_t* public_key, size_t public_key_size, const void* optional_parameters,
    size_t optional_parameters_size, uint8_t** output_certificate, size_t* output_certificate_size);
void ccbox_free_attestation_certificate(uint8_t* certificate);

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_ATTESTER_H */
