/* Open Enclave's custom claims (attestation/custom_claims.h): a list of {name, value} claims
 * serialized in OE's layout, for the custom_claims_buffer of oe_get_evidence. Host or enclave.
 * Layout (little-endian, as OE): uint64 version (1), uint64 number of claims, then per claim
 * uint64 name_size (strlen + 1), uint64 value_size, the name with its NUL, the value. */
#ifndef OPENENCLAVE_ATTESTATION_CUSTOM_CLAIMS_H
#define OPENENCLAVE_ATTESTATION_CUSTOM_CLAIMS_H

#include <openenclave/bits/evidence.h>
#include <openenclave/bits/result.h>

OE_EXTERNC_BEGIN

#define OE_CUSTOM_CLAIMS_VERSION 1

oe_result_t oe_free_serialized_custom_claims(uint8_t* custom_claims_buffer);
oe_result_t oe_free_custom_claims(oe_claim_t* custom_claims, size_t custom_claims_length);
/* Serializes `custom_claims`; every name must be non-NULL and every value of non-zero size
 * non-NULL. Free the buffer with oe_free_serialized_custom_claims(). */
oe_result_t oe_serialize_custom_claims(const oe_claim_t* custom_claims, size_t custom_claims_length,
                                       uint8_t** claims_out, size_t* claims_size_out);
/* Parses a buffer of oe_serialize_custom_claims(); every size is checked against what is left,
 * names must be NUL-terminated at their stated size, and no byte may follow the last claim
 * (OE_INVALID_PARAMETER otherwise). Free the claims with oe_free_custom_claims(). */
oe_result_t oe_deserialize_custom_claims(const uint8_t* claims_buffer, size_t claims_buffer_size,
                                         oe_claim_t** claims_out, size_t* claims_length_out);

OE_EXTERNC_END

#endif /* OPENENCLAVE_ATTESTATION_CUSTOM_CLAIMS_H */
