/* Open Enclave's host API (openenclave/host.h) on ccbox: the same names, types and values,
 * each mapped to ccbox's host API (docs/openenclave.md). Trust domain: host. */
#ifndef OPENENCLAVE_HOST_H
#define OPENENCLAVE_HOST_H

#ifdef OPENENCLAVE_ENCLAVE_H
#error "enclave.h and host.h must not be included in the same compilation unit."
#endif

#include <ccbox/host.h>
#include <openenclave/bits/defs.h>
#include <openenclave/bits/evidence.h>
#include <openenclave/bits/report.h>
#include <openenclave/bits/result.h>
#include <openenclave/bits/types.h>
#include <openenclave/log.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

OE_EXTERNC_BEGIN

/* Creation flags: the same values as ccbox's. */
#define OE_ENCLAVE_FLAG_DEBUG CCBOX_ENCLAVE_FLAG_DEBUG
#define OE_ENCLAVE_FLAG_SIMULATE CCBOX_ENCLAVE_FLAG_SIMULATE
#define OE_ENCLAVE_FLAG_DEBUG_AUTO CCBOX_ENCLAVE_FLAG_DEBUG_AUTO
#define OE_ENCLAVE_FLAG_SGX_KSS 0x00000004u /* no ccbox meaning: refused */
#define OE_ENCLAVE_FLAG_RESERVED (~(OE_ENCLAVE_FLAG_DEBUG | OE_ENCLAVE_FLAG_DEBUG_AUTO | OE_ENCLAVE_FLAG_SIMULATE))

typedef ccbox_ocall_func_t oe_ocall_func_t;

typedef struct _oe_ecall_info_t {
    const char* name;
} oe_ecall_info_t;

typedef enum _oe_enclave_setting_type {
    OE_ENCLAVE_SETTING_CONTEXT_SWITCHLESS = 0xdc73a628,
    OE_SGX_ENCLAVE_CONFIG_DATA = 0x78b5b41d,
    OE_EXTENDED_ENCLAVE_INITIALIZATION_DATA = 0x976a8f66, /* refused: ccbox has no EEID */
} oe_enclave_setting_type_t;

/* Switchless calls (transition_using_threads): max_host_workers host threads serve OCALLs and
 * max_enclave_workers threads serve ECALLs inside the enclave, each holding a TCS for the
 * enclave's life, so at most NumTCS - 1 (ccbox's CCBOX_ENCLAVE_SETTING_SWITCHLESS, at most 64
 * each; docs/openenclave.md). */
typedef struct _oe_enclave_setting_context_switchless {
    size_t max_host_workers;
    size_t max_enclave_workers;
} oe_enclave_setting_context_switchless_t;

typedef struct _oe_sgx_enclave_setting_config_data {
    uint8_t config_id[64];
    uint16_t config_svn;
    bool ignore_if_unsupported;
} oe_sgx_enclave_setting_config_data;

typedef struct _oe_enclave_setting {
    oe_enclave_setting_type_t setting_type;
    union {
        const oe_enclave_setting_context_switchless_t* context_switchless_setting;
        const oe_sgx_enclave_setting_config_data* config_data;
        const void* eeid;
    } u;
} oe_enclave_setting_t;

/* ccbox_create_enclave with OE's arguments. OE_ENCLAVE_TYPE_OPTEE, OE_ENCLAVE_FLAG_SGX_KSS,
 * reserved flags, EEID and unsupported CONFIGID settings fail with OE_UNSUPPORTED or
 * OE_INVALID_PARAMETER and a message (ccbox_get_last_error, stderr or the log callback). The
 * ECALL name table is not needed: ccbox dispatches ECALLs by id. */
oe_result_t oe_create_enclave(const char* path, oe_enclave_type_t type, uint32_t flags,
                              const oe_enclave_setting_t* settings, uint32_t setting_count,
                              const oe_ocall_func_t* ocall_table, uint32_t ocall_count,
                              const oe_ecall_info_t* ecall_name_table, uint32_t ecall_count,
                              oe_enclave_t** enclave);

oe_result_t oe_terminate_enclave(oe_enclave_t* enclave);

/* Host-side logging: ccbox's host runtime messages go to the callback instead of stderr. */
typedef void (*oe_log_callback_t)(void* context, bool is_enclave, const struct tm* t, long int usecs,
                                  oe_log_level_t level, uint64_t host_thread_id, const char* message);
oe_result_t oe_log_set_callback(void* context, oe_log_callback_t callback);

OE_EXTERNC_END

#endif /* OPENENCLAVE_HOST_H */
