/* The host-side public API of ccbox. Trust domain: host (untrusted).
 * Names and semantics follow Open Enclave's host.h (oe_ -> ccbox_). */
#ifndef CCBOX_HOST_H
#define CCBOX_HOST_H

#ifdef CCBOX_ENCLAVE_H
#error "ccbox/enclave.h and ccbox/host.h must not be included in the same compilation unit"
#endif

#include <ccbox/bits/calls.h>
#include <ccbox/bits/report.h>
#include <ccbox/bits/seal.h>
#include <ccbox/result.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ccbox_enclave ccbox_enclave_t;

/* Creation flags (values as Open Enclave's). */
#define CCBOX_ENCLAVE_FLAG_DEBUG 0x1u      /* launch in debug mode (the image must allow it) */
#define CCBOX_ENCLAVE_FLAG_SIMULATE 0x2u   /* sim backend: in-process, no isolation */
#define CCBOX_ENCLAVE_FLAG_DEBUG_AUTO 0x10u /* debug mode if the image allows it */
#define CCBOX_ENCLAVE_FLAG_ISOLATED 0x100u /* isolated backend even if CCBOX_SIMULATE=1 */

/* Settings passed at creation. */
typedef enum ccbox_enclave_setting_type {
    CCBOX_ENCLAVE_SETTING_PLATFORM = 0x63637801,  /* platform socket/state directory (isolated backend) */
    CCBOX_ENCLAVE_SETTING_SWITCHLESS = 0x63637802 /* host workers for transition_using_threads OCALLs */
} ccbox_enclave_setting_type_t;

typedef struct ccbox_enclave_setting_platform {
    const char* socket_path; /* NULL: the default platform */
    const char* state_dir;   /* where an on-demand platform keeps its state; NULL: default */
} ccbox_enclave_setting_platform_t;

/* Switchless calls (docs/call-abi.md), like Open Enclave's oe_enclave_setting_context_switchless_t.
 * `host_workers` threads (at most CCBOX_MAX_SWITCHLESS_WORKERS) serve the enclave's
 * transition_using_threads OCALLs from a queue in shared memory; `enclave_workers` threads run
 * its transition_using_threads ECALLs inside the enclave, each holding one TCS for the
 * enclave's life (so at most NumTCS - 1: one TCS stays for ordinary calls). A call no worker
 * takes at once runs as an ordinary one. 0: none (those calls are ordinary). */
typedef struct ccbox_enclave_setting_switchless {
    uint32_t host_workers;
    uint32_t enclave_workers;
} ccbox_enclave_setting_switchless_t;
#define CCBOX_MAX_SWITCHLESS_WORKERS 64u

typedef struct ccbox_enclave_setting {
    ccbox_enclave_setting_type_t setting_type;
    union {
        const ccbox_enclave_setting_platform_t* platform;
        const ccbox_enclave_setting_switchless_t* switchless;
    } u;
} ccbox_enclave_setting_t;

/* Loads, measures, initialises (EINIT) and starts an enclave from a signed image.
 * The backend is `isolated` unless CCBOX_ENCLAVE_FLAG_SIMULATE is given or the environment
 * sets CCBOX_SIMULATE=1. Refusals have distinct results: CCBOX_NOT_SIGNED,
 * CCBOX_MEASUREMENT_MISMATCH, CCBOX_INVALID_SIGNATURE, CCBOX_DEBUG_DOWNGRADE, ... and a
 * message on stderr (or through ccbox_get_last_error()). */
ccbox_result_t ccbox_create_enclave(const char* path, uint32_t flags, const ccbox_enclave_setting_t* settings,
                                    uint32_t setting_count, const ccbox_ocall_func_t* ocall_table,
                                    uint32_t ocall_count, ccbox_enclave_t** enclave);

/* Runs the enclave's destructors and frees it. Fails with CCBOX_BUSY while calls are in progress
 * (this library's own, or, as the enclave itself answers, any other TCS inside the enclave);
 * the enclave is then untouched and still owned by the caller, who may retry. */
ccbox_result_t ccbox_terminate_enclave(ccbox_enclave_t* enclave);

/* Calls ECALL `function_id`, used by generated proxies. */
ccbox_result_t ccbox_call_enclave_function(ccbox_enclave_t* enclave, uint32_t function_id, const void* input_buffer,
                                           size_t input_buffer_size, void* output_buffer, size_t output_buffer_size,
                                           size_t* output_bytes_written);
/* The same ECALL through an enclave worker (a transition_using_threads ECALL): this thread does
 * not enter the enclave. An ordinary ECALL when the enclave has no enclave workers, when every
 * one is busy, or when this thread is already inside the enclave (in an OCALL). */
ccbox_result_t ccbox_switchless_call_enclave_function(ccbox_enclave_t* enclave, uint32_t function_id,
                                                      const void* input_buffer, size_t input_buffer_size,
                                                      void* output_buffer, size_t output_buffer_size,
                                                      size_t* output_bytes_written);

/* For generated code: callee-allocated [out] data (Open Enclave's deep-copied [out], docs/edl.md)
 * travels in host memory the enclave can reach.
 * ccbox_receive_enclave_memory copies `size` bytes at `address`, memory the enclave took with
 * ccbox_host_malloc, into `destination` and frees it: an ECALL's answer. CCBOX_INVALID_PARAMETER
 * (and nothing copied or freed) unless it is a live allocation of this enclave of at least
 * `size` bytes.
 * ccbox_allocate_enclave_memory gives an OCALL's answer memory the enclave of the OCALL this
 * thread is running can read, and that enclave frees with ccbox_host_free; NULL when out of
 * memory or outside an ordinary OCALL. ccbox_free_enclave_memory takes it back unused. */
ccbox_result_t ccbox_receive_enclave_memory(ccbox_enclave_t* enclave, uint64_t address, size_t size,
                                            void* destination);
void* ccbox_allocate_enclave_memory(size_t size);
void ccbox_free_enclave_memory(void* memory);

/* The detailed message of the last failure of a ccbox call on this thread ("" if none); the
 * create, call, terminate, identity and target-info functions clear it when they start. */
const char* ccbox_get_last_error(void);

/* Where the host runtime's failure messages go: `callback` gets each one (without a newline)
 * instead of stderr; NULL restores stderr. CCBOX_LOG=quiet silences both. Process-wide. */
typedef void (*ccbox_log_callback_t)(void* context, ccbox_result_t result, const char* message);
void ccbox_set_log_callback(void* context, ccbox_log_callback_t callback);

/* Whether failures of ccbox calls on this thread are also printed to stderr (on by default;
 * CCBOX_LOG=quiet turns printing off everywhere). Returns the previous setting.
 * <ccbox/host.hpp> turns it off around the calls it makes: its exceptions carry the message,
 * which would otherwise be printed twice. */
int ccbox_set_thread_error_printing(int enabled);

/* Identity of a created enclave. */
typedef struct ccbox_enclave_identity {
    uint8_t mrenclave[32];
    uint8_t mrsigner[32];
    uint16_t isvprodid;
    uint16_t isvsvn;
    uint64_t attributes;   /* SECS.ATTRIBUTES.FLAGS */
    uint32_t backend;      /* CCBOX_BACKEND_* */
    uint32_t tcs_count;
    uint64_t enclave_base; /* ELRANGE: where the enclave is (as on SGX, the host knows) */
    uint64_t enclave_size;
    int32_t process_id;    /* isolated backend: the enclave process; 0 in the sim backend */
    uint32_t reserved;
} ccbox_enclave_identity_t;

#define CCBOX_BACKEND_SIM 1u
#define CCBOX_BACKEND_ISOLATED 2u

ccbox_result_t ccbox_get_enclave_identity(const ccbox_enclave_t* enclave, ccbox_enclave_identity_t* identity);

/* Local attestation from the host's side: the host only carries target information and
 * reports between enclaves (ccbox_parse_report() decodes a report; only the target enclave
 * can verify one). */
/* The TARGETINFO of an enclave, from the identity the platform measured: pass it to another
 * enclave so that it can make a report this one verifies. */
ccbox_result_t ccbox_get_enclave_target_info(const ccbox_enclave_t* enclave, ccbox_target_info_t* target_info);
/* The TARGETINFO of the enclave that made `report` (Open Enclave's oe_get_target_info). */
ccbox_result_t ccbox_get_target_info_of_report(const void* report, size_t report_size,
                                               ccbox_target_info_t* target_info);

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_HOST_H */
