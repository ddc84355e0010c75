/* Open Enclave's enclave properties macros (bits/properties.h, bits/sgx/sgxproperties.h):
 * OE_SET_ENCLAVE_SGX and OE_SET_ENCLAVE_SGX2 put ccbox's properties record into the image's
 * .ccbox.props section (include/ccbox/bits/properties.h); `oesign sign -c` overrides them as
 * `ccbox sign -c` does. */
#ifndef OPENENCLAVE_BITS_PROPERTIES_H
#define OPENENCLAVE_BITS_PROPERTIES_H

#include <ccbox/bits/properties.h>

#define OE_SGX_MAX_TCS CCBOX_MAX_TCS

#ifdef __cplusplus
#define OE_PROPERTIES_STATIC_ASSERT_ static_assert
#else
#define OE_PROPERTIES_STATIC_ASSERT_ _Static_assert
#endif

#define OE_SET_ENCLAVE_SGX(PRODUCT_ID, SECURITY_VERSION, ALLOW_DEBUG, HEAP_PAGE_COUNT, STACK_PAGE_COUNT, TCS_COUNT) \
    CCBOX_SET_ENCLAVE_PROPERTIES(PRODUCT_ID, SECURITY_VERSION, ALLOW_DEBUG, HEAP_PAGE_COUNT, STACK_PAGE_COUNT, TCS_COUNT)

/* The SGX2 form also sets the KSS identities (16-byte initializers, {0} for none); REQUIRE_KSS
 * turns KSS on (ccbox's CCBOX_CONFIG_FLAG_KSS, as FamilyID/ExtendedProductID do in a .conf).
 * CAPTURE_PF_GP_EXCEPTIONS, CREATE_ZERO_BASE_ENCLAVE and ENCLAVE_START_ADDRESS have no ccbox
 * meaning: anything but 0 stops the build. */
#define OE_SET_ENCLAVE_SGX2(PRODUCT_ID, SECURITY_VERSION, EXTENDED_PRODUCT_ID, FAMILY_ID, ALLOW_DEBUG,             \
                            CAPTURE_PF_GP_EXCEPTIONS, REQUIRE_KSS, CREATE_ZERO_BASE_ENCLAVE, ENCLAVE_START_ADDRESS,  \
                            HEAP_PAGE_COUNT, STACK_PAGE_COUNT, TCS_COUNT)                                             \
    OE_PROPERTIES_STATIC_ASSERT_(!(CAPTURE_PF_GP_EXCEPTIONS) && !(CREATE_ZERO_BASE_ENCLAVE) && (ENCLAVE_START_ADDRESS) == 0,       \
                   "OE_SET_ENCLAVE_SGX2: ccbox supports neither #PF/#GP capture nor zero-base enclaves");            \
    __attribute__((section(CCBOX_PROPERTIES_SECTION), used, retain))                                                  \
    const ccbox_enclave_properties_t ccbox_enclave_properties_ = {                                                    \
        CCBOX_PROPERTIES_MAGIC,                                                                                       \
        CCBOX_PROPERTIES_VERSION,                                                                                     \
        (uint32_t)sizeof(ccbox_enclave_properties_t),                                                                 \
        {((ALLOW_DEBUG) ? CCBOX_CONFIG_FLAG_DEBUG : 0u) | ((REQUIRE_KSS) ? CCBOX_CONFIG_FLAG_KSS : 0u),               \
         (uint32_t)(TCS_COUNT),                                                                                       \
         (uint64_t)(HEAP_PAGE_COUNT),                                                                                 \
         (uint64_t)(STACK_PAGE_COUNT),                                                                                \
         (uint16_t)(PRODUCT_ID),                                                                                      \
         (uint16_t)(SECURITY_VERSION),                                                                                \
         0u,                                                                                                          \
         FAMILY_ID,                                                                                                   \
         EXTENDED_PRODUCT_ID}}

#endif /* OPENENCLAVE_BITS_PROPERTIES_H */
