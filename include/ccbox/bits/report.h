/* Reports and target information (SGX REPORT and TARGETINFO), shared by host and enclave.
 * Trust domain: public. A report is only as trustworthy as its verification: inside the
 * target enclave with ccbox_verify_report(); ccbox_parse_report() only decodes. */
#ifndef CCBOX_BITS_REPORT_H
#define CCBOX_BITS_REPORT_H

#include <ccbox/result.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CCBOX_REPORT_SIZE 432u      /* REPORT: REPORTBODY (384) + KEYID (32) + MAC (16) */
#define CCBOX_TARGET_INFO_SIZE 512u /* TARGETINFO */
#define CCBOX_REPORT_DATA_SIZE 64u

/* The platform's mode, attested in CPUSVN component 15 (its isolation SVN): 0 on a development
 * platform (its secrets are readable by the user that runs it: the per-user platform, the sim
 * backend), 1 or more on a production platform (root, or its own system account). */
#define CCBOX_CPUSVN_ISOLATION_COMPONENT 15
typedef enum ccbox_platform_mode {
    CCBOX_PLATFORM_MODE_DEVELOPMENT = 0,
    CCBOX_PLATFORM_MODE_PRODUCTION = 1
} ccbox_platform_mode_t;

typedef struct ccbox_report {
    uint8_t bytes[CCBOX_REPORT_SIZE];
} ccbox_report_t;

typedef struct ccbox_target_info {
    uint8_t bytes[CCBOX_TARGET_INFO_SIZE];
} ccbox_target_info_t;

/* The identity a report states (Open Enclave's oe_identity_t plus the SGX fields). */
typedef struct ccbox_report_identity {
    uint8_t unique_id[32];       /* MRENCLAVE */
    uint8_t signer_id[32];       /* MRSIGNER */
    uint16_t product_id;         /* ISVPRODID */
    uint16_t security_version;   /* ISVSVN */
    uint32_t miscselect;
    uint64_t attributes;         /* ATTRIBUTES.FLAGS */
    uint64_t xfrm;
    bool debug;                  /* ATTRIBUTES.DEBUG */
    uint8_t cpusvn[16];
    uint8_t isv_family_id[16];
    uint8_t isv_ext_product_id[16];
    uint8_t config_id[64];
    uint16_t config_svn;
    uint8_t report_data[CCBOX_REPORT_DATA_SIZE];
    ccbox_platform_mode_t platform_mode; /* from cpusvn[CCBOX_CPUSVN_ISOLATION_COMPONENT] */
} ccbox_report_identity_t;

/* Decodes a REPORT (no verification). CCBOX_INCORRECT_REPORT_SIZE for a wrong size,
 * CCBOX_REPORT_PARSE_ERROR for non-zero reserved fields. */
ccbox_result_t ccbox_parse_report(const void* report, size_t report_size, ccbox_report_identity_t* identity);

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_BITS_REPORT_H */
