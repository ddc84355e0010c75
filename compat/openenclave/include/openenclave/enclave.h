/* Open Enclave's enclave API (openenclave/enclave.h) on ccbox: the same names, types and
 * values, each mapped to ccbox's enclave API (docs/openenclave.md). Trust domain: enclave. */
#ifndef OPENENCLAVE_ENCLAVE_H
#define OPENENCLAVE_ENCLAVE_H

#ifdef OPENENCLAVE_HOST_H
#error "enclave.h and host.h must not be included in the same compilation unit."
#endif

#include <ccbox/enclave.h>
#include <openenclave/bits/asym_keys.h>
#include <openenclave/bits/defs.h>
#include <openenclave/bits/evidence.h>
#include <openenclave/bits/properties.h>
#include <openenclave/bits/report.h>
#include <openenclave/bits/result.h>
#include <openenclave/bits/types.h>
#include <openenclave/log.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* As OE's enclave.h (through its bits/ headers): OE's samples use memcpy/malloc without
 * including them (attestation's dispatcher.cpp). */
#include <stdlib.h>
#include <string.h>

OE_EXTERNC_BEGIN

OE_INLINE bool oe_is_within_enclave(const void* ptr, size_t size) { return ccbox_is_within_enclave(ptr, size); }
OE_INLINE bool oe_is_outside_enclave(const void* ptr, size_t size) { return ccbox_is_outside_enclave(ptr, size); }

OE_INLINE void* oe_host_malloc(size_t size) { return ccbox_host_malloc(size); }
OE_INLINE void* oe_host_calloc(size_t nmemb, size_t size) { return ccbox_host_calloc(nmemb, size); }
OE_INLINE void* oe_host_realloc(void* ptr, size_t size) { return ccbox_host_realloc(ptr, size); }
OE_INLINE char* oe_host_strndup(const char* str, size_t n) { return ccbox_host_strndup(str, n); }
OE_INLINE void oe_host_free(void* ptr) { ccbox_host_free(ptr); }

OE_INLINE oe_enclave_t* oe_get_enclave(void) { return ccbox_get_enclave(); }
OE_INLINE oe_result_t oe_random(void* data, size_t size) { return ccbox_random(data, size); }

OE_NO_RETURN void oe_abort(void);

/* Aborts the enclave with the expression, file and line on the host's stderr. As Open
 * Enclave's, compiled out under NDEBUG. */
void __oe_assert_fail(const char* expr, const char* file, int line, const char* function) OE_NO_RETURN;
#ifndef NDEBUG
#define oe_assert(EXPR)                                                  \
    do {                                                                 \
        if (!(EXPR))                                                     \
            __oe_assert_fail(#EXPR, __FILE__, __LINE__, __FUNCTION__);   \
    } while (0)
#else
#define oe_assert(EXPR)
#endif

/* ---- Seal keys (SGX EGETKEY) ---- */
oe_result_t oe_get_seal_key_by_policy_v2(oe_seal_policy_t seal_policy, uint8_t** key_buffer, size_t* key_buffer_size,
                                         uint8_t** key_info, size_t* key_info_size);
oe_result_t oe_get_seal_key_v2(const uint8_t* key_info, size_t key_info_size, uint8_t** key_buffer,
                               size_t* key_buffer_size);
void oe_free_seal_key(uint8_t* key_buffer, uint8_t* key_info);
void oe_free_key(uint8_t* key_buffer, size_t key_buffer_size, uint8_t* key_info, size_t key_info_size);
#define oe_get_seal_key_by_policy oe_get_seal_key_by_policy_v2
#define oe_get_seal_key oe_get_seal_key_v2

/* Frees what oe_seal, oe_unseal and the other oe_ allocating functions return. */
void oe_free(void* ptr);

/* Open Enclave's vectored exception handlers have no ccbox meaning (an enclave fault aborts the
 * enclave): adding one fails with OE_UNSUPPORTED. */
typedef struct _oe_exception_record oe_exception_record_t;
typedef uint64_t (*oe_vectored_exception_handler_t)(oe_exception_record_t* exception_context);
oe_result_t oe_add_vectored_exception_handler(bool is_first_handler, oe_vectored_exception_handler_t vectored_handler);
oe_result_t oe_remove_vectored_exception_handler(oe_vectored_exception_handler_t vectored_handler);

/* Host I/O modules: the ccbox runtime has no host file system or sockets for enclaves
 * (docs/enclave-libc.md); loading one fails with OE_UNSUPPORTED. */
oe_result_t oe_load_module_host_file_system(void);
oe_result_t oe_load_module_host_socket_interface(void);
oe_result_t oe_load_module_host_resolver(void);
oe_result_t oe_load_module_host_epoll(void);

/* ---- asymmetric keys (docs/openenclave.md "Attestation") ----
 * A P-256 key pair derived from this enclave's seal key for `seal_policy`
 * (OE_SEAL_POLICY_UNIQUE or _PRODUCT) and key_params->user_data: the same inputs give the same
 * pair (the public and the private call agree), on this platform, at this ISVSVN and CPUSVN.
 * The key is PEM with its NUL (counted in *key_buffer_size); key_info (a 512-byte KEYREQUEST)
 * gives it again through oe_get_public_key / oe_get_private_key. Free with oe_free_key(). */
oe_result_t oe_get_public_key_by_policy(oe_seal_policy_t seal_policy, const oe_asymmetric_key_params_t* key_params,
                                        uint8_t** key_buffer, size_t* key_buffer_size, uint8_t** key_info,
                                        size_t* key_info_size);
oe_result_t oe_get_private_key_by_policy(oe_seal_policy_t seal_policy, const oe_asymmetric_key_params_t* key_params,
                                         uint8_t** key_buffer, size_t* key_buffer_size, uint8_t** key_info,
                                         size_t* key_info_size);
oe_result_t oe_get_public_key(const oe_asymmetric_key_params_t* key_params, const uint8_t* key_info,
                              size_t key_info_size, uint8_t** key_buffer, size_t* key_buffer_size);
oe_result_t oe_get_private_key(const oe_asymmetric_key_params_t* key_params, const uint8_t* key_info,
                               size_t key_info_size, uint8_t** key_buffer, size_t* key_buffer_size);

OE_EXTERNC_END

#include <openenclave/tracee.h>

#endif /* OPENENCLAVE_ENCLAVE_H */
