// Aborting the enclave: abort(), failed assertions, stack smashing, fortify failures and
// ccbox_abort() all end here. Trust domain: enclave.
#include <ccbox/enclave.h>

#include "enclave/core/enclave_state.h"
#include "enclave/core/host_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

namespace ccbox::enclave {

namespace {
uint8_t g_aborting = 0;
}

void abort_enclave(const char* message) {
    // Only the first thread to abort reports; the enclave counts as aborted for every entry
    // once the report is written (entry.S checks ccbox_enclave_aborted).
    bool first = __atomic_exchange_n(&g_aborting, 1, __ATOMIC_ACQ_REL) == 0;
    if (first && message && g_enclave.base != 0 && current_thread_state()->depth > 0) {
        host_write(2, "ccbox: enclave aborted: ", 24);
        host_write(2, message, strlen(message));
        host_write(2, "\n", 1);
    }
    __atomic_store_n(&ccbox_enclave_aborted, 1, __ATOMIC_RELEASE);
    ccbox_enclave_exit_aborted(g_enclave.base ? current_td() : 0);
}

}  // namespace ccbox::enclave

using ccbox::enclave::abort_enclave;

extern "C" void ccbox_abort(void) { abort_enclave(nullptr); }

extern "C" void abort(void) noexcept { abort_enclave("abort() called"); }

extern "C" void __assert_fail(const char* assertion, const char* file, unsigned int line,
                              const char* function) noexcept {
    char message[512];
    snprintf(message, sizeof message, "%s:%u: %s: Assertion `%s' failed.", file, line, function ? function : "?",
             assertion);
    abort_enclave(message);
}

extern "C" void __stack_chk_fail(void) { abort_enclave("stack smashing detected"); }
extern "C" void __chk_fail(void) { abort_enclave("buffer overflow detected"); }
extern "C" void __fortify_fail(const char* message) { abort_enclave(message); }
