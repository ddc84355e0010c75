// ECALL dispatch: the first C++ code of every entry. Trust domain: enclave.
// The call slot and both buffers are untrusted host memory. The slot is read once; the
// input is copied into enclave memory before the ECALL sees it; the output is produced in
// enclave memory and copied out only after the ECALL returns.
#include <ccbox/bits/calls.h>
#include <ccbox/enclave.h>

#include "enclave/core/enclave_state.h"

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

// Whether the host may call ECALL `id` now: public ECALLs at the top level; inside an OCALL
// only the ECALLs that OCALL's allow() names.
ccbox_result_t check_allowed(const ThreadState* ts, uint64_t id, const ccbox_ecall_info_t& info) {
    if (ts->depth <= 1)
        return (info.flags & CCBOX_ECALL_FLAG_PUBLIC) ? CCBOX_OK : CCBOX_ECALL_NOT_ALLOWED;
    uint32_t ocall = ts->current_ocall;
    if (ocall >= table_size(&ccbox_ocall_table_size))
        return CCBOX_ECALL_NOT_ALLOWED;
    const ccbox_ocall_info_t& o = ccbox_ocall_table[ocall];
    for (uint32_t i = 0; i < o.allowed_count; ++i)
        if (o.allowed_ecalls[i] == id)
            return CCBOX_OK;
    return CCBOX_ECALL_NOT_ALLOWED;
}

ccbox_result_t handle_init(const uint8_t* input, size_t input_size) {
    if (g_enclave.initialized || g_enclave.terminated)
        return CCBOX_ALREADY_INITIALIZED;
    ccbox_init_args_t args;
    if (input_size != sizeof args)
        return CCBOX_INVALID_PARAMETER;
    memcpy(&args, input, sizeof args);
    g_enclave.host_enclave = reinterpret_cast<void*>(args.host_enclave);
    g_enclave.init_flags = args.flags;
    g_enclave.initialized = true;
    run_constructors();
    return CCBOX_OK;
}

ccbox_result_t handle_terminate() {
    if (!g_enclave.initialized || g_enclave.terminated)
        return CCBOX_UNEXPECTED;
    g_enclave.terminated = true;
    run_destructors();
    return CCBOX_OK;
}

// Runs the ECALL with enclave copies of its buffers.
ccbox_result_t run_ecall(const ccbox_call_slot_t& slot, ThreadState* ts,
                         uint64_t* written_out) {
    const size_t in_size = slot.input_size, out_size = slot.output_size;
    if ((in_size && !is_outside(slot.input_buffer, in_size)) || (out_size && !is_outside(slot.output_buffer, out_size)))
        return CCBOX_INVALID_PARAMETER;

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
        const uint64_t id = slot.function_id;
        if (id == CCBOX_ECALL_INIT) {
            result = ts->depth == 1 ? handle_init(in, in_size) : CCBOX_ECALL_NOT_ALLOWED;
        } else if (!g_enclave.initialized || g_enclave.terminated) {
            result = CCBOX_UNEXPECTED;
        } else if (id == CCBOX_ECALL_TERMINATE) {
            result = ts->depth == 1 ? handle_terminate() : CCBOX_ECALL_NOT_ALLOWED;
        } else if (id >= table_size(&ccbox_ecall_table_size) || !ccbox_ecall_table[id].function) {
            result = CCBOX_NOT_FOUND;
        } else if ((result = check_allowed(ts, id, ccbox_ecall_table[id])) == CCBOX_OK) {
            result = ccbox_ecall_table[id].function(in, in_size, out, out_size, &written);
            if (written > out_size) {
                result = CCBOX_UNEXPECTED;
                written = 0;
            }
        }
        memcpy(reinterpret_cast<void*>(slot.output_buffer), out, written);
    }
    if (in != in_inline)
        free(in);
    if (out != out_inline)
        free(out);
    *written_out = written;
    return result;
}

}  // namespace
}  // namespace ccbox::enclave

using namespace ccbox::enclave;

extern "C" ccbox_exit_t ccbox_enclave_dispatch(uint64_t td, uint64_t op, uint64_t arg, const ccbox_enclu_t* enclu) {
    initialize_enclave_once(td, enclu);
    ThreadState* ts = thread_state_of(td);
    if (!ts->initialized)
        init_thread(td);
    if (op != CCBOX_ENTER_ECALL || arg % alignof(ccbox_call_slot_t) != 0 ||
        !is_outside(arg, sizeof(ccbox_call_slot_t)))
        return {CCBOX_EXIT_REFUSED, 0};

    ccbox_call_slot_t slot;
    memcpy(&slot, reinterpret_cast<const void*>(arg), sizeof slot);
    auto* host_slot = reinterpret_cast<volatile ccbox_call_slot_t*>(arg);

    ++ts->depth;
    ccbox_result_t result = CCBOX_OK;
    if (ts->depth == 1) {
        // The outermost ECALL brings the scratch memory its OCALLs use.
        if (slot.scratch_size < CCBOX_MIN_SCRATCH_SIZE || slot.scratch_buffer % 16 != 0 ||
            !is_outside(slot.scratch_buffer, slot.scratch_size))
            result = CCBOX_INVALID_PARAMETER;
        ts->scratch_base = slot.scratch_buffer;
        ts->scratch_size = slot.scratch_size;
        ts->scratch_used = 0;
    }
    uint64_t written = 0;
    if (result == CCBOX_OK)
        result = run_ecall(slot, ts, &written);
    --ts->depth;
    if (ts->depth == 0)
        ts->scratch_base = ts->scratch_size = ts->scratch_used = 0;
    host_slot->output_written = written;
    host_slot->result = result;
    return {CCBOX_EXIT_RETURN, 0};
}
