// ccbox_get_last_error() and logging of failures. Trust domain: host.
#include "host/enclave.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace ccbox::host {
namespace {

std::string& last_error() {
    thread_local std::string message;
    return message;
}

thread_local bool t_printing = true;

bool quiet() {
    if (!t_printing)
        return true;
    const char* log = std::getenv("CCBOX_LOG");
    return log && std::strcmp(log, "quiet") == 0;
}

struct LogSink {
    std::mutex mutex;
    ccbox_log_callback_t callback = nullptr;
    void* context = nullptr;
};

LogSink& log_sink() {
    static LogSink sink;
    return sink;
}

}  // namespace

ccbox_result_t fail(const Error& error) { return fail(error.code(), error.message()); }

ccbox_result_t fail(ccbox_result_t code, const std::string& message) {
    last_error() = message;
    if (quiet())
        return code;
    LogSink& sink = log_sink();
    ccbox_log_callback_t callback;
    void* context;
    {
        std::lock_guard lock(sink.mutex);
        callback = sink.callback;
        context = sink.context;
    }
    // Called without the lock: a callback may itself call the library (and fail).
    if (callback)
        callback(context, code, message.c_str());
    else
        std::fprintf(stderr, "ccbox: %s (%s)\n", message.c_str(), ccbox_result_str(code));
    return code;
}

void clear_last_error() { last_error().clear(); }

void debug_log(const std::string& message) {
    const char* log = std::getenv("CCBOX_LOG");
    if (log && std::strcmp(log, "debug") == 0)
        std::fprintf(stderr, "ccbox: %s\n", message.c_str());
}

}  // namespace ccbox::host

extern "C" void ccbox_set_log_callback(void* context, ccbox_log_callback_t callback) {
    auto& sink = ccbox::host::log_sink();
    std::lock_guard lock(sink.mutex);
    sink.callback = callback;
    sink.context = context;
}

extern "C" const char* ccbox_get_last_error(void) { return ccbox::host::last_error().c_str(); }

extern "C" int ccbox_set_thread_error_printing(int enabled) {
    const bool previous = ccbox::host::t_printing;
    ccbox::host::t_printing = enabled != 0;
    return previous ? 1 : 0;
}
