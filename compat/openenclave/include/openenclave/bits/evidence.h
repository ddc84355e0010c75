/* Open Enclave's evidence, claims and policy types (bits/evidence.h), shared by host and enclave. */
#ifndef OPENENCLAVE_BITS_EVIDENCE_H
#define OPENENCLAVE_BITS_EVIDENCE_H

#include <openenclave/bits/defs.h>
#include <openenclave/bits/types.h>

OE_EXTERNC_BEGIN

#define OE_EVIDENCE_FLAGS_EMBED_FORMAT_ID 0x00000001

typedef struct _oe_claim {
    char* name;
    uint8_t* value;
    size_t value_size;
} oe_claim_t;

#define OE_CLAIM_ID_VERSION "id_version"
#define OE_CLAIM_SECURITY_VERSION "security_version"
#define OE_CLAIM_ATTRIBUTES "attributes"
#define OE_CLAIM_UNIQUE_ID "unique_id"
#define OE_CLAIM_SIGNER_ID "signer_id"
#define OE_CLAIM_PRODUCT_ID "product_id"
#define OE_CLAIM_FORMAT_UUID "format_uuid"
#define OE_REQUIRED_CLAIMS_COUNT 7
#define OE_CLAIM_TCB_STATUS "tcb_status"
#define OE_CLAIM_TCB_DATE "tcb_date"
#define OE_CLAIM_VALIDITY_FROM "validity_from"
#define OE_CLAIM_VALIDITY_UNTIL "validity_until"
#define OE_CLAIM_UEID "ueid"
#define OE_CLAIM_HARDWARE_MODEL "hardware_model"
#define OE_CLAIM_CUSTOM_CLAIMS_BUFFER "custom_claims_buffer"

typedef enum _oe_policy_type {
    OE_POLICY_ENDORSEMENTS_TIME = 1,
    OE_POLICY_ENDORSEMENTS_BASELINE = 2,
    OE_POLICY_TCB_BASELINE_DATE = 3,
} oe_policy_type_t;

typedef struct _oe_policy {
    oe_policy_type_t type;
    void* policy;
    size_t policy_size;
} oe_policy_t;

OE_EXTERNC_END

#endif /* OPENENCLAVE_BITS_EVIDENCE_H */
