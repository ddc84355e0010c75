/* Open Enclave's asymmetric key parameters (bits/asym_keys.h), for oe_get_public_key_by_policy
 * and friends (enclave.h). */
#ifndef OPENENCLAVE_BITS_ASYM_KEYS_H
#define OPENENCLAVE_BITS_ASYM_KEYS_H

#include <openenclave/bits/defs.h>
#include <openenclave/bits/types.h>

OE_EXTERNC_BEGIN

typedef enum _oe_asymmetric_key_type {
    OE_ASYMMETRIC_KEY_EC_SECP256P1 = 1, /* P-256, the only type */
    __OE_ASYMMETRIC_KEY_TYPE_MAX = 0x7fffffff,
} oe_asymmetric_key_type_t;

typedef enum _oe_asymmetric_key_format {
    OE_ASYMMETRIC_KEY_PEM = 1, /* the only format */
    __OE_ASYMMETRIC_KEY_FORMAT_MAX = 0x7fffffff,
} oe_asymmetric_key_format_t;

typedef struct _oe_asymmetric_key_params {
    oe_asymmetric_key_type_t type;
    oe_asymmetric_key_format_t format;
    void* user_data; /* mixed into the key: another value, another key */
    size_t user_data_size;
} oe_asymmetric_key_params_t;

OE_EXTERNC_END

#endif /* OPENENCLAVE_BITS_ASYM_KEYS_H */
