// Open Enclave's host API on ccbox's (openenclave/host.h). Trust domain: host.
#include "host/enclave.hpp"

#include <openenclave/host.h>

#include <cstdio>
#include <mutex>
#include <pthread.h>
#include <string>
#include <sys/time.h>
#include <time.h>

namespace {

using ccbox::host::fail;

std::string hex(uint64_t v) {
    char text[32];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(v));
    return text;
}

// Checks OE's settings and takes the number of switchless host workers from them; returns OE_OK
// or the failure (already reported).
oe_result_t check_settings(const oe_enclave_setting_t* settings, uint32_t count, size_t* host_workers,
                           size_t* enclave_workers) {
    if (count && !settings)
        return fail(OE_INVALID_PARAMETER, "oe_create_enclave: setting_count is " + std::to_string(count) +
                                              " but settings is NULL");
    for (uint32_t i = 0; i < count; ++i) {
        const oe_enclave_setting_t& s = settings[i];
        const std::string where = "oe_create_enclave: settings[" + std::to_string(i) + "]";
        switch (s.setting_type) {
        case OE_ENCLAVE_SETTING_CONTEXT_SWITCHLESS:
            if (!s.u.context_switchless_setting)
                return fail(OE_INVALID_PARAMETER, where + ": OE_ENCLAVE_SETTING_CONTEXT_SWITCHLESS without a value");
            // Host workers serve transition_using_threads OCALLs, enclave workers (each on a TCS
            // of its own) transition_using_threads ECALLs (docs/openenclave.md).
            *host_workers = s.u.context_switchless_setting->max_host_workers;
            *enclave_workers = s.u.context_switchless_setting->max_enclave_workers;
            break;
        case OE_SGX_ENCLAVE_CONFIG_DATA:
            if (!s.u.config_data)
                return fail(OE_INVALID_PARAMETER, where + ": OE_SGX_ENCLAVE_CONFIG_DATA without a value");
            if (!s.u.config_data->ignore_if_unsupported)
                return fail(OE_UNSUPPORTED, where + ": OE_SGX_ENCLAVE_CONFIG_DATA: ccbox cannot set CONFIGID/CONFIGSVN "
                                                    "(set ignore_if_unsupported to run without them)");
            break;
        case OE_EXTENDED_ENCLAVE_INITIALIZATION_DATA:
            return fail(OE_UNSUPPORTED, where + ": extended enclave initialization data (EEID) has no ccbox meaning");
        default:
            return fail(OE_INVALID_PARAMETER, where + ": unknown setting type " + hex(s.setting_type));
        }
    }
    return OE_OK;
}

struct OeLogSink {
    std::mutex mutex;
    oe_log_callback_t callback = nullptr;
    void* context = nullptr;
};

OeLogSink& oe_log_sink() {
    static OeLogSink sink;
    return sink;
}

// ccbox's host messages, in the shape of OE's host log records (level ERROR: ccbox logs failures).
void forward_log(void* /*context*/, ccbox_result_t, const char* message) {
    OeLogSink& sink = oe_log_sink();
    oe_log_callback_t callback;
    void* context;
    {
        std::lock_guard lock(sink.mutex);
        callback = sink.callback;
        context = sink.context;
    }
    if (!callback)
        return;
    struct timeval now {};
    gettimeofday(&now, nullptr);
    struct tm t {};
    localtime_r(&now.tv_sec, &t);
    std::string line = std::string(message) + "\n";
    callback(context, false, &t, static_cast<long>(now.tv_usec), OE_LOG_LEVEL_ERROR,
             static_cast<uint64_t>(pthread_self()), line.c_str());
}

}  // namespace

extern "C" {

const char* const oe_log_level_strings[OE_LOG_LEVEL_MAX] = {"NONE", "FATAL", "ERROR", "WARNING", "INFO", "VERBOSE"};

oe_result_t oe_create_enclave(const char* path, oe_enclave_type_t type, uint32_t flags,
                              const oe_enclave_setting_t* settings, uint32_t setting_count,
                              const oe_ocall_func_t* ocall_table, uint32_t ocall_count,
                              const oe_ecall_info_t* /*ecall_name_table: ccbox dispatches by id*/,
                              uint32_t /*ecall_count*/, oe_enclave_t** enclave) {
    ccbox::host::clear_last_error();
    if (!enclave)
        return fail(OE_INVALID_PARAMETER, "oe_create_enclave: enclave is NULL");
    *enclave = nullptr;
    if (type != OE_ENCLAVE_TYPE_AUTO && type != OE_ENCLAVE_TYPE_SGX)
        return fail(OE_UNSUPPORTED, "oe_create_enclave: enclave type " + std::to_string(static_cast<int>(type)) +
                                        ": ccbox runs SGX enclaves only (OE_ENCLAVE_TYPE_AUTO or OE_ENCLAVE_TYPE_SGX)");
    if (flags & OE_ENCLAVE_FLAG_SGX_KSS)
        return fail(OE_UNSUPPORTED, "oe_create_enclave: OE_ENCLAVE_FLAG_SGX_KSS: ccbox takes KSS from the image's "
                                    "FamilyID/ExtendedProductID, not from a creation flag");
    if (flags & OE_ENCLAVE_FLAG_RESERVED)
        return fail(OE_INVALID_PARAMETER, "oe_create_enclave: unknown flags " + hex(flags & OE_ENCLAVE_FLAG_RESERVED));
    size_t host_workers = 0;
    size_t enclave_workers = 0;
    if (oe_result_t r = check_settings(settings, setting_count, &host_workers, &enclave_workers); r != OE_OK)
        return r;
    if (host_workers > CCBOX_MAX_SWITCHLESS_WORKERS)
        return fail(OE_INVALID_PARAMETER, "oe_create_enclave: max_host_workers is " + std::to_string(host_workers) +
                                              ", at most " + std::to_string(CCBOX_MAX_SWITCHLESS_WORKERS));
    if (enclave_workers > CCBOX_MAX_SWITCHLESS_WORKERS)
        return fail(OE_INVALID_PARAMETER, "oe_create_enclave: max_enclave_workers is " +
                                              std::to_string(enclave_workers) + ", at most " +
                                              std::to_string(CCBOX_MAX_SWITCHLESS_WORKERS));
    ccbox_enclave_setting_switchless_t switchless{static_cast<uint32_t>(host_workers),
                                                  static_cast<uint32_t>(enclave_workers)};
    ccbox_enclave_setting_t ccbox_setting{};
    ccbox_setting.setting_type = CCBOX_ENCLAVE_SETTING_SWITCHLESS;
    ccbox_setting.u.switchless = &switchless;
    return ccbox_create_enclave(path, flags, &ccbox_setting, 1, ocall_table, ocall_count, enclave);
}

oe_result_t oe_terminate_enclave(oe_enclave_t* enclave) { return ccbox_terminate_enclave(enclave); }

oe_result_t oe_log_set_callback(void* context, oe_log_callback_t callback) {
    {
        OeLogSink& sink = oe_log_sink();
        std::lock_guard lock(sink.mutex);
        sink.callback = callback;
        sink.context = context;
    }
    ccbox_set_log_callback(nullptr, callback ? forward_log : nullptr);
    return OE_OK;
}

}  // extern "C"
