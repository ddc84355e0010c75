/* Open Enclave's sealing API (openenclave/seal.h) on ccbox_seal/ccbox_unseal (docs/sealing.md).
 * Trust domain: enclave. */
#ifndef OPENENCLAVE_SEAL_H
#define OPENENCLAVE_SEAL_H

#include <openenclave/bits/defs.h>
#include <openenclave/bits/result.h>
#include <openenclave/bits/types.h>

#include <stddef.h>
#include <stdint.h>

OE_EXTERNC_BEGIN

enum oe_seal_setting_type_t {
    OE_SEAL_SETTING_POLICY = 1,
    OE_SEAL_SETTING_CONTEXT,
    OE_SEAL_SETTING_INITIALIZATION_VECTOR,
    OE_SEAL_SETTING_PLUGIN_DEFINED = 0x10000,
};

typedef struct _oe_seal_setting {
    int type;
    uint32_t size;
    union {
        uint32_t w;
        const void* p;
    } value;
} oe_seal_setting_t;

#define OE_SEAL_SET_POLICY(w) {OE_SEAL_SETTING_POLICY, 0, {(uint32_t)(w)}}
#define OE_SEAL_SET_CONTEXT(PTR, SIZE) {OE_SEAL_SETTING_CONTEXT, (uint32_t)(SIZE), {.p = (PTR)}}
#define OE_SEAL_SET_IV(PTR, SIZE) {OE_SEAL_SETTING_INITIALIZATION_VECTOR, (uint32_t)(SIZE), {.p = (PTR)}}

/* The built-in AES-GCM plug-in's id (oe_seal_plugin_gcm_aes); the only one ccbox has. */
#define OE_SEAL_PLUGIN_GCM_AES_UUID \
    {0x06, 0x97, 0x3c, 0x6a, 0x24, 0xd5, 0x4b, 0x14, 0x93, 0xdd, 0x36, 0x65, 0x0b, 0x5a, 0xc9, 0x6e}

/* ccbox_seal with OE's arguments. plugin_id: NULL or the GCM-AES id. Settings: exactly one
 * OE_SEAL_SET_POLICY (none is OE_INVALID_PARAMETER: ccbox does not guess); OE_SEAL_SET_CONTEXT and
 * OE_SEAL_SET_IV have no ccbox meaning (ccbox derives a fresh key and IV per blob) and fail
 * with OE_UNSUPPORTED. The blob is ccbox's format; free it with oe_free. */
oe_result_t oe_seal(const oe_uuid_t* plugin_id, const oe_seal_setting_t* settings, size_t settings_count,
                    const uint8_t* plaintext, size_t plaintext_size, const uint8_t* additional_data,
                    size_t additional_data_size, uint8_t** blob, size_t* blob_size);

/* ccbox_unseal. Free the plaintext with oe_free. */
oe_result_t oe_unseal(const uint8_t* blob, size_t blob_size, const uint8_t* additional_data,
                      size_t additional_data_size, uint8_t** plaintext, size_t* plaintext_size);

void oe_free(void* ptr);

OE_EXTERNC_END

#endif /* OPENENCLAVE_SEAL_H */
