/* Enclave properties embedded in an enclave image, and the macro that sets them.
 * Trust domain: public, shared. The layout is fixed (see docs/image-format.md).
 *
 * CCBOX_SET_ENCLAVE_PROPERTIES plays the role of Open Enclave's OE_SET_ENCLAVE_SGX: it puts
 * the enclave's default configuration into the ".ccbox.props" section of the image. A
 * configuration file given to `ccbox sign` overrides every value it names. */
#ifndef CCBOX_BITS_PROPERTIES_H
#define CCBOX_BITS_PROPERTIES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CCBOX_PROPERTIES_SECTION ".ccbox.props"
#define CCBOX_PROPERTIES_MAGIC 0x31504f5250584243ull /* "CBXPROP1" little endian */
#define CCBOX_PROPERTIES_VERSION 1u

#define CCBOX_MAX_TCS 1024u

/* Bits of ccbox_enclave_config_t.flags */
#define CCBOX_CONFIG_FLAG_DEBUG 0x1u          /* the enclave may be run in debug mode */
#define CCBOX_CONFIG_FLAG_KSS 0x2u            /* FamilyID / ExtendedProductID are in use */

typedef struct ccbox_enclave_config {
    uint32_t flags;                   /* CCBOX_CONFIG_FLAG_* */
    uint32_t num_tcs;                 /* NumTCS: 1 .. CCBOX_MAX_TCS */
    uint64_t num_heap_pages;          /* NumHeapPages */
    uint64_t num_stack_pages;         /* NumStackPages (per TCS) */
    uint16_t product_id;              /* ProductID -> ISVPRODID */
    uint16_t security_version;        /* SecurityVersion -> ISVSVN */
    uint32_t reserved;
    uint8_t family_id[16];            /* FamilyID -> ISVFAMILYID (KSS) */
    uint8_t extended_product_id[16];  /* ExtendedProductID -> ISVEXTPRODID (KSS) */
} ccbox_enclave_config_t;

typedef struct ccbox_enclave_properties {
    uint64_t magic;   /* CCBOX_PROPERTIES_MAGIC */
    uint32_t version; /* CCBOX_PROPERTIES_VERSION */
    uint32_t size;    /* sizeof(ccbox_enclave_properties_t) */
    ccbox_enclave_config_t config;
} ccbox_enclave_properties_t;

#define CCBOX_SET_ENCLAVE_PROPERTIES(PRODUCT_ID, SECURITY_VERSION, ALLOW_DEBUG, HEAP_PAGE_COUNT, \
                                     STACK_PAGE_COUNT, TCS_COUNT)                               \
    __attribute__((section(CCBOX_PROPERTIES_SECTION), used, retain))                           \
    const ccbox_enclave_properties_t ccbox_enclave_properties_ = {                              \
        CCBOX_PROPERTIES_MAGIC,                                                                 \
        CCBOX_PROPERTIES_VERSION,                                                               \
        (uint32_t)sizeof(ccbox_enclave_properties_t),                                           \
        {(ALLOW_DEBUG) ? CCBOX_CONFIG_FLAG_DEBUG : 0u,                                          \
         (uint32_t)(TCS_COUNT),                                                                 \
         (uint64_t)(HEAP_PAGE_COUNT),                                                           \
         (uint64_t)(STACK_PAGE_COUNT),                                                          \
         (uint16_t)(PRODUCT_ID),                                                                \
         (uint16_t)(SECURITY_VERSION),                                                          \
         0u,                                                                                    \
         {0},                                                                                   \
         {0}}}

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_BITS_PROPERTIES_H */
