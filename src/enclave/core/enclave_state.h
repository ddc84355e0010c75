// The trusted runtime's enclave-wide state and the primitives every other part uses:
// where the enclave is, which TCS the current code runs on, and how to abort.
// Trust domain: enclave.
#pragma once

#include "common/call_abi.h"
#include "common/enclave_layout_abi.h"
#include "enclave/core/thread_state.h"

#include <cstddef>
#include <cstdint>

extern "C" {
// Set once the enclave has aborted; checked by entry.S on every entry.
extern volatile uint8_t ccbox_enclave_aborted;
// entry.S
uint64_t ccbox_enclave_exit_ocall(uint64_t td, uint64_t code, uint64_t arg);
[[noreturn]] void ccbox_enclave_exit_aborted(uint64_t td);
}

namespace ccbox::enclave {

struct EnclaveGlobals {
    uintptr_t base = 0;
    uint64_t size = 0;
    abi::LayoutInfo layout{};         // enclave-wide fields of the measured layout
    const ccbox_enclu_t* enclu = nullptr;  // the platform's leaf functions (first entry)
    uint64_t untrusted_base = 0;          // the only untrusted memory in reach, when size != 0
    uint64_t untrusted_size = 0;
    void* host_enclave = nullptr;
    uint64_t init_flags = 0;
    // The lifecycle (uninitialised ... terminated) is in lifecycle_state.h.
};

extern EnclaveGlobals g_enclave;

// The base of the image (= the enclave base), from the ELF header's link-time position.
uintptr_t image_base();

// At the first entry of any TCS: applies the image's R_X86_64_RELATIVE relocations, copies
// the measured layout from the TD page into g_enclave, keeps the platform's leaf functions
// and initialises the heap. Concurrent
// first entries wait for the one that does it.
void initialize_enclave_once(uintptr_t td, const ccbox_enclu_t* enclu);
// Sets up the TLS block of the TCS owning `td` on its first entry.
void init_thread(uintptr_t td);

// The TD page of TCS `index` (0-based; below the layout's thread_count).
uintptr_t thread_td(uint64_t index);
// The TD page of the TCS whose stack the caller runs on.
uintptr_t current_td();
inline ThreadState* current_thread_state() { return thread_state_of(current_td()); }

bool is_within(uintptr_t address, size_t size);
bool is_outside(uintptr_t address, size_t size);

// Marks the enclave aborted and leaves it; never returns. `message` goes to the host's stderr
// first when it can (the enclave is still able to make an OCALL).
[[noreturn]] void abort_enclave(const char* message);

// Runs .preinit_array/.init_array constructors (once, at CCBOX_ECALL_INIT), and at
// CCBOX_ECALL_TERMINATE the pthread key destructors of every TCS (its threads end), then the
// atexit handlers and .fini_array in reverse order.
void run_constructors();
void run_destructors();

}  // namespace ccbox::enclave
