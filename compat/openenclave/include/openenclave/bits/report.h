/* Open Enclave's report and identity types (bits/report.h), shared by host and enclave. */
#ifndef OPENENCLAVE_BITS_REPORT_H
#define OPENENCLAVE_BITS_REPORT_H

#include <openenclave/bits/defs.h>
#include <openenclave/bits/types.h>

OE_EXTERNC_BEGIN

#define OE_REPORT_FLAGS_REMOTE_ATTESTATION 0x00000001
#define OE_REPORT_DATA_SIZE 64
#define OE_MAX_REPORT_SIZE (10 * 1024)
#define OE_UNIQUE_ID_SIZE 32
#define OE_SIGNER_ID_SIZE 32
#define OE_PRODUCT_ID_SIZE 16
#define OE_REPORT_ATTRIBUTES_DEBUG 0x0000000000000001ULL
#define OE_REPORT_ATTRIBUTES_REMOTE 0x0000000000000002ULL

typedef struct _oe_identity {
    uint32_t id_version;
    uint32_t security_version;
    uint64_t attributes;
    uint8_t unique_id[OE_UNIQUE_ID_SIZE];
    uint8_t signer_id[OE_SIGNER_ID_SIZE];
    uint8_t product_id[OE_PRODUCT_ID_SIZE];
} oe_identity_t;

typedef struct _oe_report {
    size_t size;
    oe_enclave_type_t type;
    uint8_t* report_data;
    size_t report_data_size;
    uint8_t* enclave_report;
    size_t enclave_report_size;
    oe_identity_t identity;
} oe_report_t;

OE_EXTERNC_END

#endif /* OPENENCLAVE_BITS_REPORT_H */
