// C entry points of the trusted runtime for the enclave libc. Trust domain: enclave.
#include "enclave/core/runtime_c.h"

#include <ccbox/enclave.h>

#include "enclave/core/enclave_state.h"
#include "enclave/core/host_io.h"

#include <errno.h>
#include <string.h>

using namespace ccbox::enclave;

static_assert(sizeof(ThreadState::key_values) / sizeof(void*) == CCBOX_RT_MAX_KEYS);

extern "C" long ccbox_rt_host_write(int fd, const void* data, size_t size) { return host_write(fd, data, size); }

extern "C" int ccbox_rt_host_clock(int clock_id, int64_t* seconds, int64_t* nanoseconds) {
    return host_clock(clock_id, seconds, nanoseconds) ? 0 : -1;
}

extern "C" void ccbox_rt_host_sleep(uint64_t nanoseconds) { host_sleep(nanoseconds); }

extern "C" void ccbox_rt_host_yield(void) { host_sleep(0); }

extern "C" uint32_t ccbox_rt_thread_id(void) {
    ThreadState* ts = current_thread_state();
    return layout_of(reinterpret_cast<uintptr_t>(ts) - TD_STATE)->thread_index + 1;
}

extern "C" void** ccbox_rt_key_values(void) { return current_thread_state()->key_values; }

extern "C" void** ccbox_rt_thread_key_values(uint32_t thread) {
    return thread < g_enclave.layout.thread_count ? thread_state_of(thread_td(thread))->key_values : nullptr;
}

extern "C" int ccbox_rt_random(void* data, size_t size) {
    auto* out = static_cast<uint8_t*>(data);
    while (size > 0) {
        unsigned long long value = 0;
        int ok = 0;
        for (int attempt = 0; attempt < 100 && !ok; ++attempt) {
            unsigned char carry;
            asm volatile("rdrand %0; setc %1" : "=r"(value), "=qm"(carry) : : "cc");
            ok = carry;
        }
        if (!ok)
            return -1;
        size_t n = size < sizeof value ? size : sizeof value;
        memcpy(out, &value, n);
        out += n;
        size -= n;
    }
    return 0;
}

extern "C" void ccbox_rt_abort(const char* message) { abort_enclave(message); }

extern "C" void ccbox_rt_heap_region(void** base, size_t* size) {
    *base = reinterpret_cast<void*>(g_enclave.base + g_enclave.layout.heap_offset);
    *size = g_enclave.layout.heap_size;
}

// libc/math_errno.c, linked only when code uses glibc's TLS `errno` directly (Debian's libm.a):
// then errno is that per-TCS TLS variable, else the thread state's field.
extern "C" int* ccbox_libc_tls_errno(void) __attribute__((weak));

extern "C" int* __errno_location(void) noexcept {
    if (ccbox_libc_tls_errno)
        return ccbox_libc_tls_errno();
    return &current_thread_state()->errno_value;
}

extern "C" ccbox_result_t ccbox_random(void* data, size_t size) {
    return ccbox_rt_random(data, size) == 0 ? CCBOX_OK : CCBOX_FAILURE;
}
