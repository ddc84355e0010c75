/* Open Enclave's evidence, claims and policy types (bits/evidence.h), shared by host and enclave. */
#ifndef OPENENCLAVE_BITS_EVIDENCE_H
#define OPENENCLAVE_BITS_EVIDENCE_H

#include <openenclave/bits/defs.h>
#include <openenclave/bits/types.h>

OE_EXTERNC_BEGIN

#define OE_EVIDENCE_FLAGS_EMBED_FORMAT_ID 0x00000001

/* A UTC time (OE's oe_datetime_t): the payload of OE_POLICY_ENDORSEMENTS_TIME and the value of
 * the validity_from / validity_until / tcb_date claims. */
typedef struct _oe_datetime {
    uint32_t year;    /* 1970 or later */
    uint32_t month;   /* 1..12 */
    uint32_t day;     /* 1..31 */
    uint32_t hours;   /* 0..23 */
    uint32_t minutes; /* 0..59 */
    uint32_t seconds; /* 0..59 */
} oe_datetime_t;

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

/* OE's SGX claims (attestation/sgx/evidence.h names them too). */
#define OE_CLAIM_SGX_REPORT_DATA "sgx_report_data"
#define OE_CLAIM_SGX_CPU_SVN "sgx_cpu_svn"
#define OE_CLAIM_SGX_CONFIG_ID "sgx_config_id"
#define OE_CLAIM_SGX_CONFIG_SVN "sgx_config_svn"
#define OE_CLAIM_SGX_ISV_FAMILY_ID "sgx_isv_family_id"
#define OE_CLAIM_SGX_ISV_EXTENDED_PRODUCT_ID "sgx_isv_extended_product_id"

/* ccbox's claims (docs/openenclave.md): "production" or "development" (NUL-terminated), and
 * who chose the trusted root the evidence was verified under: "policy" (the verifier's own
 * OE_POLICY_CCBOX_TRUSTED_ROOTS), "local" (the host's files: the platform's PKI or
 * CCBOX_OE_TRUSTED_ROOTS), "host" (an enclave verifying with the root its host supplied: the
 * claims are then only as good as the host, and the platform mode is always "development"),
 * or "platform" (local attestation: the report's MAC). */
#define OE_CLAIM_CCBOX_PLATFORM_MODE "ccbox_platform_mode"
#define OE_CLAIM_CCBOX_TCB_STATUS "ccbox_tcb_status"
#define OE_CLAIM_CCBOX_ADVISORY_IDS "ccbox_advisory_ids"
#define OE_CLAIM_CCBOX_TRUSTED_ROOT "ccbox_trusted_root"

/* OE_EVIDENCE_ATTRIBUTES_* (the "attributes" claim). */
#define OE_EVIDENCE_ATTRIBUTES_SGX_DEBUG 0x0000000000000001ULL
#define OE_EVIDENCE_ATTRIBUTES_SGX_REMOTE 0x0000000000000002ULL

typedef enum _oe_policy_type {
    OE_POLICY_ENDORSEMENTS_TIME = 1,
    OE_POLICY_ENDORSEMENTS_BASELINE = 2,
    OE_POLICY_TCB_BASELINE_DATE = 3,
    /* ccbox's policies (docs/openenclave.md). TRUSTED_ROOTS: PEM root CA(s) to verify under,
     * instead of the default (the local platform's PKI on the host; the host's answer in an
     * enclave). REQUIRE_PRODUCTION (no payload): refuse development platforms, and in an
     * enclave any root the host supplied. REFUSE_DEBUG (no payload): refuse debug enclaves. */
    OE_POLICY_CCBOX_TRUSTED_ROOTS = 0x63630001,
    OE_POLICY_CCBOX_REQUIRE_PRODUCTION = 0x63630002,
    OE_POLICY_CCBOX_REFUSE_DEBUG = 0x63630003,
} oe_policy_type_t;

typedef struct _oe_policy {
    oe_policy_type_t type;
    void* policy;
    size_t policy_size;
} oe_policy_t;

OE_EXTERNC_END

#endif /* OPENENCLAVE_BITS_EVIDENCE_H */
