/* Open Enclave's basic types (bits/types.h). */
#ifndef OPENENCLAVE_BITS_TYPES_H
#define OPENENCLAVE_BITS_TYPES_H

#include <ccbox/bits/seal.h>
#include <openenclave/bits/defs.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

OE_EXTERNC_BEGIN

typedef struct ccbox_enclave oe_enclave_t;

typedef enum _oe_enclave_type {
    OE_ENCLAVE_TYPE_AUTO = 1,
    OE_ENCLAVE_TYPE_SGX = 2,
    OE_ENCLAVE_TYPE_OPTEE = 3, /* refused: ccbox models SGX only */
    __OE_ENCLAVE_TYPE_MAX = 0x7fffffff,
} oe_enclave_type_t;

/* The same type as ccbox's: OE_SEAL_POLICY_UNIQUE = 1, OE_SEAL_POLICY_PRODUCT = 2. */
typedef ccbox_seal_policy_t oe_seal_policy_t;
#define OE_SEAL_POLICY_UNIQUE CCBOX_SEAL_POLICY_UNIQUE
#define OE_SEAL_POLICY_PRODUCT CCBOX_SEAL_POLICY_PRODUCT

typedef struct _oe_uuid_t {
    uint8_t b[16];
} oe_uuid_t;

#define OE_UUID_SIZE 16

OE_EXTERNC_END

#endif /* OPENENCLAVE_BITS_TYPES_H */
