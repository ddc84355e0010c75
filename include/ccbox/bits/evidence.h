/* Evidence and claims, shaped like Open Enclave's (openenclave/attestation/{attester,verifier}.h,
 * sgx/evidence.h): format ids are OE's UUIDs, claims are {name, value} pairs under OE's names.
 * Trust domain: public. ccbox_get_evidence() is enclave-side (ccbox/enclave.h);
 * ccbox_verify_evidence() is host-side (ccbox/host.h, library ccbox::attestation). */
#ifndef CCBOX_BITS_EVIDENCE_H
#define CCBOX_BITS_EVIDENCE_H

#include <ccbox/result.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ccbox_uuid {
    uint8_t b[16];
} ccbox_uuid_t;

/* OE_FORMAT_UUID_SGX_ECDSA a3a21e87-1b4d-4014-b70a-a125d2fbcd8c: a DCAP ECDSA quote v3 followed
 * by the custom claims buffer, whose SHA-256 is REPORTDATA[0..32). */
#define CCBOX_FORMAT_UUID_SGX_ECDSA \
    {{0xa3, 0xa2, 0x1e, 0x87, 0x1b, 0x4d, 0x40, 0x14, 0xb7, 0x0a, 0xa1, 0x25, 0xd2, 0xfb, 0xcd, 0x8c}}
/* OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION 09268c33-6e0b-45e5-8a27-15644d0ef89a: a REPORT (432 B) for
 * the target given in optional_parameters (a TARGETINFO), followed by the custom claims. */
#define CCBOX_FORMAT_UUID_SGX_LOCAL_ATTESTATION \
    {{0x09, 0x26, 0x8c, 0x33, 0x6e, 0x0b, 0x45, 0xe5, 0x8a, 0x27, 0x15, 0x64, 0x4d, 0x0e, 0xf8, 0x9a}}

typedef struct ccbox_claim {
    char* name;
    uint8_t* value;
    size_t value_size;
} ccbox_claim_t;

/* Claim names: Open Enclave's, plus ccbox's verdict fields. */
#define CCBOX_CLAIM_ID_VERSION "id_version"
#define CCBOX_CLAIM_SECURITY_VERSION "security_version"
#define CCBOX_CLAIM_ATTRIBUTES "attributes"
#define CCBOX_CLAIM_UNIQUE_ID "unique_id"
#define CCBOX_CLAIM_SIGNER_ID "signer_id"
#define CCBOX_CLAIM_PRODUCT_ID "product_id"
#define CCBOX_CLAIM_FORMAT_UUID "format_uuid"
#define CCBOX_CLAIM_TCB_STATUS "tcb_status"
#define CCBOX_CLAIM_TCB_DATE "tcb_date"
#define CCBOX_CLAIM_VALIDITY_FROM "validity_from"
#define CCBOX_CLAIM_VALIDITY_UNTIL "validity_until"
#define CCBOX_CLAIM_CUSTOM_CLAIMS_BUFFER "custom_claims_buffer"
#define CCBOX_CLAIM_SGX_REPORT_DATA "sgx_report_data"
#define CCBOX_CLAIM_ADVISORY_IDS "ccbox_advisory_ids"   /* comma-separated, NUL-terminated */
#define CCBOX_CLAIM_PLATFORM_MODE "ccbox_platform_mode" /* "production" or "development" */

/* Verification policies (OE's oe_policy_t shape). */
typedef enum ccbox_policy_type {
    CCBOX_POLICY_TRUSTED_ROOTS = 1,      /* policy: PEM text of one or more root CAs */
    CCBOX_POLICY_VERIFICATION_TIME = 2,  /* policy: int64_t seconds since the epoch */
    CCBOX_POLICY_REQUIRE_PRODUCTION = 3, /* no payload: refuse development platforms */
    CCBOX_POLICY_REFUSE_DEBUG = 4,       /* no payload: refuse debug enclaves */
} ccbox_policy_type_t;

typedef struct ccbox_policy {
    ccbox_policy_type_t type;
    const void* policy;
    size_t policy_size;
} ccbox_policy_t;

#define CCBOX_EVIDENCE_FLAGS_EMBED_FORMAT_ID 1u

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_BITS_EVIDENCE_H */
