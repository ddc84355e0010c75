/* Open Enclave's enclave API on ccbox's (openenclave/enclave.h, seal.h, tracee.h,
 * corelibc/stdlib.h). Trust domain: enclave: compiled freestanding, linked into enclave images
 * as libccbox_oeenclave.a; it makes no system calls (stdio goes through the runtime's OCALLs). */
#include <openenclave/corelibc/stdlib.h>
#include <openenclave/debugmalloc.h>
#include <openenclave/enclave.h>
#include <openenclave/seal.h>

#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void oe_abort(void)
{
    ccbox_abort();
}

void __oe_assert_fail(const char* expr, const char* file, int line, const char* function)
{
    fprintf(stderr, "oe_assert failed: %s (%s:%d, %s)\n", expr, file, line, function);
    ccbox_abort();
}

/* ---- seal keys ---- */

oe_result_t oe_get_seal_key_by_policy_v2(oe_seal_policy_t seal_policy, uint8_t** key_buffer, size_t* key_buffer_size,
                                         uint8_t** key_info, size_t* key_info_size)
{
    return ccbox_get_seal_key_by_policy(seal_policy, key_buffer, key_buffer_size, key_info, key_info_size);
}

oe_result_t oe_get_seal_key_v2(const uint8_t* key_info, size_t key_info_size, uint8_t** key_buffer,
                               size_t* key_buffer_size)
{
    return ccbox_get_seal_key(key_info, key_info_size, key_buffer, key_buffer_size);
}

/* ccbox hands out 16-byte keys and 512-byte KEYREQUESTs (docs/sealing.md): wiped before freeing. */
void oe_free_seal_key(uint8_t* key_buffer, uint8_t* key_info)
{
    ccbox_free_key(key_buffer, key_buffer ? 16u : 0u, key_info, key_info ? 512u : 0u);
}

void oe_free_key(uint8_t* key_buffer, size_t key_buffer_size, uint8_t* key_info, size_t key_info_size)
{
    ccbox_free_key(key_buffer, key_buffer_size, key_info, key_info_size);
}

/* ---- sealing ---- */

static const uint8_t gcm_aes_plugin_id[16] = OE_SEAL_PLUGIN_GCM_AES_UUID;

oe_result_t oe_seal(const oe_uuid_t* plugin_id, const oe_seal_setting_t* settings, size_t settings_count,
                    const uint8_t* plaintext, size_t plaintext_size, const uint8_t* additional_data,
                    size_t additional_data_size, uint8_t** blob, size_t* blob_size)
{
    if (plugin_id && memcmp(plugin_id->b, gcm_aes_plugin_id, sizeof gcm_aes_plugin_id) != 0) {
        fprintf(stderr, "oe_seal: unknown seal plug-in id (ccbox has only the built-in AES-GCM one)\n");
        return OE_NOT_FOUND;
    }
    if (settings_count && !settings)
        return OE_INVALID_PARAMETER;
    int have_policy = 0;
    oe_seal_policy_t policy = OE_SEAL_POLICY_UNIQUE;
    for (size_t i = 0; i < settings_count; ++i) {
        switch (settings[i].type) {
        case OE_SEAL_SETTING_POLICY:
            if (have_policy || (settings[i].value.w != OE_SEAL_POLICY_UNIQUE &&
                                settings[i].value.w != OE_SEAL_POLICY_PRODUCT)) {
                fprintf(stderr, "oe_seal: settings[%zu]: a second or unknown seal policy (%u)\n", i,
                        settings[i].value.w);
                return OE_INVALID_PARAMETER;
            }
            policy = (oe_seal_policy_t)settings[i].value.w;
            have_policy = 1;
            break;
        case OE_SEAL_SETTING_CONTEXT:
        case OE_SEAL_SETTING_INITIALIZATION_VECTOR:
            fprintf(stderr, "oe_seal: settings[%zu]: OE_SEAL_SET_CONTEXT/OE_SEAL_SET_IV are not supported: ccbox "
                            "derives a fresh key and IV for every blob (docs/sealing.md)\n", i);
            return OE_UNSUPPORTED;
        default:
            fprintf(stderr, "oe_seal: settings[%zu]: setting type %d has no ccbox meaning\n", i, settings[i].type);
            return OE_UNSUPPORTED;
        }
    }
    if (!have_policy) {
        fprintf(stderr, "oe_seal: no OE_SEAL_SET_POLICY setting: name OE_SEAL_POLICY_UNIQUE or _PRODUCT\n");
        return OE_INVALID_PARAMETER;
    }
    return ccbox_seal(policy, plaintext, plaintext_size, additional_data, additional_data_size, blob, blob_size);
}

oe_result_t oe_unseal(const uint8_t* blob, size_t blob_size, const uint8_t* additional_data,
                      size_t additional_data_size, uint8_t** plaintext, size_t* plaintext_size)
{
    return ccbox_unseal(blob, blob_size, additional_data, additional_data_size, plaintext, plaintext_size);
}

/* ---- what has no ccbox meaning ---- */

oe_result_t oe_add_vectored_exception_handler(bool is_first_handler, oe_vectored_exception_handler_t handler)
{
    (void)is_first_handler;
    (void)handler;
    fprintf(stderr, "oe_add_vectored_exception_handler: not supported: a fault inside a ccbox enclave aborts it\n");
    return OE_UNSUPPORTED;
}

oe_result_t oe_remove_vectored_exception_handler(oe_vectored_exception_handler_t handler)
{
    (void)handler;
    return OE_UNSUPPORTED;
}

static oe_result_t no_host_module(const char* name)
{
    fprintf(stderr, "%s: not supported: ccbox enclaves have no host file system or epoll\n", name);
    return OE_UNSUPPORTED;
}

oe_result_t oe_load_module_host_file_system(void) { return no_host_module("oe_load_module_host_file_system"); }
/* oe_load_module_host_socket_interface and _resolver: hostsock.c and hostresolver.c (openenclave::oehostsock). */
oe_result_t oe_load_module_host_epoll(void) { return no_host_module("oe_load_module_host_epoll"); }

/* ---- logging ---- */

const char* const oe_log_level_strings[OE_LOG_LEVEL_MAX] = {"NONE", "FATAL", "ERROR", "WARNING", "INFO", "VERBOSE"};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static oe_enclave_log_callback_t log_callback;
static void* log_context;

oe_log_level_t oe_get_current_logging_level(void) { return OE_LOG_LEVEL_ERROR; }

oe_result_t oe_enclave_log_set_callback(void* context, oe_enclave_log_callback_t callback)
{
    pthread_mutex_lock(&log_lock);
    log_callback = callback;
    log_context = context;
    pthread_mutex_unlock(&log_lock);
    return OE_OK;
}

oe_result_t oe_log(oe_log_level_t level, const char* fmt, ...)
{
    if (level <= OE_LOG_LEVEL_NONE || level >= OE_LOG_LEVEL_MAX || !fmt)
        return OE_INVALID_PARAMETER;
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&log_lock);
    oe_enclave_log_callback_t callback = log_callback;
    void* context = log_context;
    pthread_mutex_unlock(&log_lock);
    if (callback)
        callback(context, level, (uint64_t)pthread_self(), message);
    else
        fprintf(stderr, "[enclave %s] %s\n", oe_log_level_strings[level], message);
    return OE_OK;
}

/* ---- the oe_malloc family: the enclave heap. openenclave::oedebugmalloc replaces these (weak
 * here) with tracking versions. ---- */

__attribute__((weak)) void* oe_malloc(size_t size) { return malloc(size); }
__attribute__((weak)) void oe_free(void* ptr) { free(ptr); }
__attribute__((weak)) void* oe_calloc(size_t nmemb, size_t size) { return calloc(nmemb, size); }
__attribute__((weak)) void* oe_realloc(void* ptr, size_t size) { return realloc(ptr, size); }
__attribute__((weak)) void* oe_memalign(size_t alignment, size_t size) { return memalign(alignment, size); }
__attribute__((weak)) int oe_posix_memalign(void** memptr, size_t alignment, size_t size)
{
    return posix_memalign(memptr, alignment, size);
}

static oe_result_t no_debug_malloc(const char* name)
{
    fprintf(stderr, "%s: link openenclave::oedebugmalloc to track allocations\n", name);
    return OE_UNSUPPORTED;
}

__attribute__((weak)) oe_result_t oe_debug_malloc_tracking_start(void)
{
    return no_debug_malloc("oe_debug_malloc_tracking_start");
}
__attribute__((weak)) oe_result_t oe_debug_malloc_tracking_stop(void)
{
    return no_debug_malloc("oe_debug_malloc_tracking_stop");
}
__attribute__((weak)) oe_result_t oe_debug_malloc_tracking_report(uint64_t* count, char** report)
{
    (void)count;
    (void)report;
    return no_debug_malloc("oe_debug_malloc_tracking_report");
}
