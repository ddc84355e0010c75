// The enclave's lifecycle, enforced by the trusted runtime itself (docs/call-abi.md, "The
// lifecycle"): uninitialised → initialising → ready → terminating → terminated, and which TCSs
// are inside the enclave. Trust domain: enclave.
#pragma once

#include <ccbox/result.h>

#include <cstdint>

namespace ccbox::enclave {

enum class Lifecycle : uint32_t {
    kUninitialised = 0,
    kInitialising = 1,  // CCBOX_ECALL_INIT runs the constructors on one TCS
    kReady = 2,
    kTerminating = 3,   // CCBOX_ECALL_TERMINATE runs the destructors on one TCS
    kTerminated = 4,    // nothing runs any more
};

Lifecycle lifecycle();

// The outermost ECALL of a TCS (nothing of it in progress yet). CCBOX_ECALL_INIT moves
// uninitialised → initialising; every other call needs ready. On CCBOX_OK the TCS counts as
// inside until leave_outermost(). State and count change together, atomically, so that no
// TCS can get in once TERMINATE has seen none but itself.
ccbox_result_t enter_outermost(uint64_t function_id, uintptr_t td);
void leave_outermost();
// A nested ECALL (during an OCALL) on a TCS already inside: while ready, or while
// initialising on the TCS that runs INIT (the constructors' OCALLs' allow() lists).
ccbox_result_t check_nested(uintptr_t td);

// INIT's end: ready, or back to uninitialised when INIT was refused before any constructor ran.
void end_initialisation(bool constructed);
// CCBOX_ECALL_TERMINATE on a TCS at depth 1: ready → terminating if no other TCS is inside,
// CCBOX_BUSY (nothing changes; the host may retry) otherwise.
ccbox_result_t begin_termination();
void end_termination();

}  // namespace ccbox::enclave
