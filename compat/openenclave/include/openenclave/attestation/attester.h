/* Open Enclave's attester API (attestation/attester.h). Trust domain: enclave.
 * Not yet mapped: ccbox's evidence API (remote attestation) is being added; until it is, each
 * function fails with OE_UNSUPPORTED and a message (docs/openenclave.md). */
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

OE_EXTERNC_END

#endif /* OPENENCLAVE_ATTESTATION_ATTESTER_H */
