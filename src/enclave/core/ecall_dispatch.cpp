// ECALL dispatch: the first C++ code of every entry. Trust domain: enclave.
// The call slot and both buffers are untrusted host memory. The slot is read once. Whether
// the call may run at all (the nesting depth, the lifecycle, the function id, allow()) is
// decided from the slot alone, before any of its input is copied or any memory allocated for
// it; then the input is copied into enclave memory before the ECALL sees it, and the output
// is produced in enclave memory and copied out only after the ECALL returns.
#include <ccbox/bits/calls.h>
#include <ccbox/enclave.h>

#include "enclave/core/enclave_state.h"
#include "enclave/core/lifecycle_state.h"
#include "enclave/core/switchless_worker.h"

#include <stdlib.h>
#include <string.h>

// The ECALL and OCALL tables come from the code ccbox-edger8r generates for the enclave's
// EDL. An enclave without an EDL still links, with empty tables.
extern "C" {
extern const ccbox_ecall_info_t ccbox_ecall_table[] __attribute__((weak));
extern const size_t ccbox_ecall_table_size __attribute__((weak));
extern const ccbox_ocall_info_t ccbox_ocall_table[] __attribute__((weak));
extern const size_t ccbox_ocall_table_size __attribute__((weak));
}

namespace ccbox::enclave {
namespace {

constexpr size_t kInlineBufferSize = 512;

size_t table_size(const size_t* size) { return size ? *size : 0; }

// Whether the host may call table ECALL `id` now: public ECALLs at the top level; inside an
// OCALL only the ECALLs that OCALL's allow() names.
ccbox_result_t check_allowed(const ThreadState* ts, uint64_t id) {
    if (id >= table_size(&ccbox_ecall_table_size) || !ccbox_ecall_table[id].function)
        return CCBOX_NOT_FOUND;
    if (ts->depth == 0)
        return (ccbox_ecall_table[id].flags & CCBOX_ECALL_FLAG_PUBLIC) ? CCBOX_OK : CCBOX_ECALL_NOT_ALLOWED;
    uint32_t ocall = ts->current_ocall;
    if (ocall >= table_size(&ccbox_ocall_table_size))
        return CCBOX_ECALL_NOT_ALLOWED;
    const ccbox_ocall_info_t& o = ccbox_ocall_table[ocall];
    for (uint32_t i = 0; i < o.allowed_count; ++i)
        if (o.allowed_ecalls[i] == id)
            return CCBOX_OK;
    return CCBOX_ECALL_NOT_ALLOWED;
}

// Admits the call in `slot` on the TCS of `td` (whose ECALLs in progress are ts->depth), or
// says why not. An admitted outermost call counts as inside until leave_outermost(); an
// admitted TERMINATE has moved the enclave to terminating.
ccbox_result_t admit(const ThreadState* ts, uintptr_t td, const ccbox_call_slot_t& slot) {
    const uint64_t id = slot.function_id;
    if (ts->depth >= CCBOX_MAX_CALL_DEPTH)
        return CCBOX_REENTRANT_ECALL;
    if (ts->depth > 0) {
        if (ccbox_result_t r = check_nested(td); r != CCBOX_OK)
            return r;
        if (id == CCBOX_ECALL_INIT || id == CCBOX_ECALL_TERMINATE || id == CCBOX_ECALL_SWITCHLESS_WORKER)
            return CCBOX_ECALL_NOT_ALLOWED;  // never from inside an OCALL
        return check_allowed(ts, id);
    }
    if (ccbox_result_t r = enter_outermost(id, td); r != CCBOX_OK)
        return r;
    ccbox_result_t r = CCBOX_OK;
    // The outermost call also brings the scratch memory its OCALLs use.
    if (slot.scratch_size < CCBOX_MIN_SCRATCH_SIZE || slot.scratch_buffer % 16 != 0 ||
        !is_outside(slot.scratch_buffer, slot.scratch_size))
        r = CCBOX_INVALID_PARAMETER;
    else if (id == CCBOX_ECALL_INIT)
        r = slot.input_size == sizeof(ccbox_init_args_t) && slot.output_size == 0 ? CCBOX_OK
                                                                                 : CCBOX_INVALID_PARAMETER;
    else if (id == CCBOX_ECALL_TERMINATE)
        r = begin_termination();
    else if (id == CCBOX_ECALL_SWITCHLESS_WORKER)
        r = slot.input_size == sizeof(ccbox_switchless_worker_args_t) && slot.output_size == 0
                ? CCBOX_OK
                : CCBOX_INVALID_PARAMETER;
    else
        r = check_allowed(ts, id);
    if (r != CCBOX_OK) {
        if (id == CCBOX_ECALL_INIT)
            end_initialisation(false);
        leave_outermost();
    }
    return r;
}

ccbox_result_t handle_init(const uint8_t* input, size_t input_size) {
    ccbox_init_args_t args;
    if (input_size != sizeof args) {
        end_initialisation(false);
        return CCBOX_INVALID_PARAMETER;
    }
    memcpy(&args, input, sizeof args);
    g_enclave.host_enclave = reinterpret_cast<void*>(args.host_enclave);
    g_enclave.init_flags = args.flags;
    run_constructors();
    end_initialisation(true);
    return CCBOX_OK;
}

ccbox_result_t handle_terminate() {
    run_destructors();
    end_termination();
    return CCBOX_OK;
}

}  // namespace

// Runs an admitted ECALL with enclave copies of its buffers.
ccbox_result_t run_ecall(const ccbox_call_slot_t& slot, uint64_t* written_out) {
    const uint64_t id = slot.function_id;
    if (id == CCBOX_ECALL_TERMINATE)
        return handle_terminate();
    const size_t in_size = slot.input_size, out_size = slot.output_size;
    if ((in_size && !is_outside(slot.input_buffer, in_size)) || (out_size && !is_outside(slot.output_buffer, out_size))) {
        if (id == CCBOX_ECALL_INIT)
            end_initialisation(false);
        return CCBOX_INVALID_PARAMETER;
    }

    alignas(16) uint8_t in_inline[kInlineBufferSize];
    alignas(16) uint8_t out_inline[kInlineBufferSize];
    uint8_t* in = in_size <= sizeof in_inline ? in_inline : static_cast<uint8_t*>(malloc(in_size));
    uint8_t* out = out_size <= sizeof out_inline ? out_inline : static_cast<uint8_t*>(malloc(out_size));
    ccbox_result_t result = CCBOX_OUT_OF_MEMORY;
    size_t written = 0;
    if (in && out) {
        if (in_size)  // input_buffer may be null with no input; memcpy's arguments may not be
            memcpy(in, reinterpret_cast<const void*>(slot.input_buffer), in_size);
        memset(out, 0, out_size);
        if (id == CCBOX_ECALL_INIT) {
            result = handle_init(in, in_size);
        } else if (id == CCBOX_ECALL_SWITCHLESS_WORKER) {
            result = run_switchless_worker(in, in_size);
        } else {
            result = ccbox_ecall_table[id].function(in, in_size, out, out_size, &written);
            if (written > out_size) {
                result = CCBOX_UNEXPECTED;
                written = 0;
            }
        }
        if (written)  // output_buffer may be null with no output
            memcpy(reinterpret_cast<void*>(slot.output_buffer), out, written);
    } else if (id == CCBOX_ECALL_INIT) {
        end_initialisation(false);
    }
    if (in != in_inline)
        free(in);
    if (out != out_inline)
        free(out);
    *written_out = written;
    return result;
}

}  // namespace ccbox::enclave

using namespace ccbox::enclave;

extern "C" ccbox_exit_t ccbox_enclave_dispatch(uint64_t td, uint64_t op, uint64_t arg, const ccbox_enclu_t* enclu) {
    initialize_enclave_once(td, enclu);
    if (op != CCBOX_ENTER_ECALL || arg % alignof(ccbox_call_slot_t) != 0 ||
        !is_outside(arg, sizeof(ccbox_call_slot_t)))
        return {CCBOX_EXIT_REFUSED, 0};

    ccbox_call_slot_t slot;
    memcpy(&slot, reinterpret_cast<const void*>(arg), sizeof slot);
    auto* host_slot = reinterpret_cast<volatile ccbox_call_slot_t*>(arg);

    ThreadState* ts = thread_state_of(td);
    uint64_t written = 0;
    ccbox_result_t result = admit(ts, td, slot);
    if (result == CCBOX_OK) {
        if (!ts->initialized)
            init_thread(td);
        if (++ts->depth == 1) {
            ts->scratch_base = slot.scratch_buffer;
            ts->scratch_size = slot.scratch_size;
            ts->scratch_used = 0;
        }
        result = run_ecall(slot, &written);
        if (--ts->depth == 0) {
            ts->scratch_base = ts->scratch_size = ts->scratch_used = 0;
            leave_outermost();
        }
    }
    host_slot->output_written = written;
    host_slot->result = result;
    return {CCBOX_EXIT_RETURN, 0};
}
