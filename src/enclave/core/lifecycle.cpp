// Constructors at initialisation; atexit handlers and destructors at termination.
// Trust domain: enclave.
#include "enclave/core/enclave_state.h"
#include "enclave/core/runtime_c.h"

#include <stdlib.h>

extern "C" {
typedef void (*InitFunction)(void);
extern InitFunction __preinit_array_start[] __attribute__((weak, visibility("hidden")));
extern InitFunction __preinit_array_end[] __attribute__((weak, visibility("hidden")));
extern InitFunction __init_array_start[] __attribute__((weak, visibility("hidden")));
extern InitFunction __init_array_end[] __attribute__((weak, visibility("hidden")));
extern InitFunction __fini_array_start[] __attribute__((weak, visibility("hidden")));
extern InitFunction __fini_array_end[] __attribute__((weak, visibility("hidden")));

// The one DSO handle of a static image.
void* __dso_handle __attribute__((visibility("hidden"))) = &__dso_handle;
}

namespace ccbox::enclave {
namespace {

struct ExitHandler {
    void (*function)(void*);
    void* argument;
    ExitHandler* next;
};

ExitHandler* g_exit_handlers = nullptr;
int g_exit_lock = 0;

void lock() {
    while (__atomic_exchange_n(&g_exit_lock, 1, __ATOMIC_ACQUIRE))
        __builtin_ia32_pause();
}
void unlock() { __atomic_store_n(&g_exit_lock, 0, __ATOMIC_RELEASE); }

void call_plain(void* function) { reinterpret_cast<void (*)(void)>(function)(); }

}  // namespace

void run_constructors() {
    for (InitFunction* f = __preinit_array_start; f && f < __preinit_array_end; ++f)
        (*f)();
    for (InitFunction* f = __init_array_start; f && f < __init_array_end; ++f)
        (*f)();
}

void run_destructors() {
    ccbox_pthread_run_key_destructors();
    for (;;) {
        lock();
        ExitHandler* h = g_exit_handlers;
        if (h)
            g_exit_handlers = h->next;
        unlock();
        if (!h)
            break;
        h->function(h->argument);
        free(h);
    }
    for (InitFunction* f = __fini_array_end; __fini_array_start && f > __fini_array_start;)
        (*--f)();
}

}  // namespace ccbox::enclave

extern "C" int __cxa_atexit(void (*function)(void*), void* argument, void* /*dso_handle*/) {
    auto* h = static_cast<ccbox::enclave::ExitHandler*>(malloc(sizeof(ccbox::enclave::ExitHandler)));
    if (!h)
        return -1;
    h->function = function;
    h->argument = argument;
    ccbox::enclave::lock();
    h->next = ccbox::enclave::g_exit_handlers;
    ccbox::enclave::g_exit_handlers = h;
    ccbox::enclave::unlock();
    return 0;
}

// thread_local destructors run at termination too: TCS threads outlive every ECALL.
extern "C" int __cxa_thread_atexit_impl(void (*function)(void*), void* argument, void* dso_handle) {
    return __cxa_atexit(function, argument, dso_handle);
}

extern "C" int atexit(void (*function)(void)) {
    return __cxa_atexit(ccbox::enclave::call_plain, reinterpret_cast<void*>(function), nullptr);
}

extern "C" void __cxa_finalize(void*) {}
