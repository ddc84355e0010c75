/* Open Enclave's attester API (attestation/attester.h) on ccbox's evidence
 * (ccbox_get_evidence, docs/openenclave.md "Attestation"). Trust domain: enclave. */
#ifndef OPENENCLAVE_ATTESTATION_ATTESTER_H
#define OPENENCLAVE_ATTESTATION_ATTESTER_H

#include <openenclave/bits/evidence.h>
#include <openenclave/bits/result.h>

OE_EXTERNC_BEGIN

oe_result_t oe_attester_initialize(void);
oe_result_t oe_attester_select_format(const oe_uuid_t* format_ids, size_t format_ids_length, oe_uuid_t* selected);
oe_result_t oe_get_evidence(const oe_uuid_t* format_id, uint32_t flags, const void* custom_claims_buffer,
                            size_t custom_claims_buffer_size, const void* optional_parameters,
                            size_t optional_parameters_size, uint8_t** evidence_buffer, size_t* evidence_buffer_size,
                            uint8_t** endorsements_buffer, size_t* endorsements_buffer_size);
oe_result_t oe_free_evidence(uint8_t* evidence_buffer);
oe_result_t oe_free_endorsements(uint8_t* endorsements_buffer);
oe_result_t oe_attester_shutdown(void);

/* A self-signed X.509 certificate (DER) for `subject_name` whose key is `public_key` (PEM or
 * DER) signed by `private_key`, carrying SGX ECDSA evidence that binds the key
 * (ccbox_get_attestation_certificate_with_evidence, docs/attested-tls.md). Free it with
 * oe_free_attestation_certificate(). */
oe_result_t oe_get_attestation_certificate_with_evidence(const oe_uuid_t* format_id, const unsigned char* subject_name,
                                                         uint8_t* private_key, size_t private_key_size,
                                                         uint8_t* public_key, size_t public_key_size,
                                                         uint8_t** output_certificate,
                                                         size_t* output_certificate_size);
oe_result_t oe_get_attestation_certificate_with_evidence_v2(
    const oe_uuid_t* format_id, const unsigned char* subject_name, uint8_t* private_key, size_t private_key_size,
    uint8_t* public_key, size_t public_key_size, const void* optional_parameters, size_t optional_parameters_size,
    uint8_t** output_certificate, size_t* output_certificate_size);
void oe_free_attestation_certificate(uint8_t* certificate);

OE_EXTERNC_END

#endif /* OPENENCLAVE_ATTESTATION_ATTESTER_H */
