// Per-TCS state of the trusted runtime, kept in the TCS's thread-data (TD) page.
// Trust domain: enclave.
#pragma once

#include "common/enclave_layout_abi.h"
#include "enclave/core/asm_offsets.h"

#include <cstddef>
#include <cstdint>

namespace ccbox::enclave {

struct ThreadState {
    uint64_t host_rsp;      // caller's stack at the current entry (entry.S)
    uint64_t ocall_rsp;     // innermost saved enclave context of an OCALL in progress, or 0 (entry.S)
    uint32_t initialized;   // TLS block set up
    uint32_t depth;         // ECALLs in progress on this TCS (nesting through OCALLs)
    int32_t errno_value;
    uint32_t current_ocall; // function id of the innermost OCALL in progress
    // __cxa_eh_globals of libsupc++ (caughtExceptions, uncaughtExceptions)
    void* eh_caught_exceptions;
    unsigned int eh_uncaught_exceptions;
    uint32_t reserved0;
    // Untrusted scratch memory of the outermost ECALL in progress (see ocall.cpp)
    uint64_t scratch_base;
    uint64_t scratch_size;
    uint64_t scratch_used;
    void* key_values[64];   // pthread_key_t values of this TCS (CCBOX_RT_MAX_KEYS)
};
static_assert(offsetof(ThreadState, host_rsp) == TS_HOST_RSP - TD_STATE);
static_assert(offsetof(ThreadState, ocall_rsp) == TS_OCALL_RSP - TD_STATE);
static_assert(TD_STATE == abi::kRuntimeStateOffset);
static_assert(TD_LAYOUT == abi::kLayoutInfoOffset);
static_assert(TD_TCB_STACK_GUARD == abi::kTcbStackGuardOffset);
static_assert(TD_LAYOUT_STACK_OFFSET_IN_SPAN - TD_LAYOUT == offsetof(abi::LayoutInfo, stack_offset_in_span));
static_assert(TD_LAYOUT_STACK_SIZE - TD_LAYOUT == offsetof(abi::LayoutInfo, stack_size));
static_assert(TD_LAYOUT_TD_OFFSET_IN_SPAN - TD_LAYOUT == offsetof(abi::LayoutInfo, td_offset_in_span));
static_assert(sizeof(ThreadState) <= abi::kRuntimeStateMaxSize);

inline ThreadState* thread_state_of(uintptr_t td) { return reinterpret_cast<ThreadState*>(td + TD_STATE); }
inline const abi::LayoutInfo* layout_of(uintptr_t td) {
    return reinterpret_cast<const abi::LayoutInfo*>(td + TD_LAYOUT);
}

}  // namespace ccbox::enclave
