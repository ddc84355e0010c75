// Switchless OCALLs (docs/call-abi.md): posted to a queue in untrusted memory that host worker
// threads serve, so that the enclave thread does not leave the enclave. Trust domain: enclave.
// The queue is host memory: its address is checked once, every answer is read once and
// checked as call_host() checks an ordinary OCALL's, and a host that never answers can only
// stall the calling thread, as it can with any OCALL.
#include <ccbox/enclave.h>

#include "common/call_abi.h"
#include "enclave/core/enclave_state.h"
#include "enclave/core/ocall_builtins.h"

#include <string.h>

namespace ccbox::enclave {
namespace {

enum : uint32_t { kUnknown = 0, kAsking = 1, kReady = 2, kNone = 3 };
// Spins before a request no worker has taken is withdrawn and made as an ordinary OCALL.
constexpr uint32_t kTakeSpins = 20000;

uint32_t g_queue_state = kUnknown;  // atomic
ccbox_switchless_slot_t* g_slots = nullptr;
uint32_t g_slot_count = 0;

uint32_t load(const uint32_t* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
void store(uint32_t* p, uint32_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
bool cas(uint32_t* p, uint32_t from, uint32_t to) {
    return __atomic_compare_exchange_n(p, &from, to, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

// The host's queue, asked for once (by the first switchless OCALL); nullptr: none.
ccbox_switchless_slot_t* queue(uint32_t* count) {
    uint32_t state = load(&g_queue_state);
    if (state == kUnknown && cas(&g_queue_state, kUnknown, kAsking)) {
        uint64_t answer[2] = {0, 0};
        size_t written = 0;
        ccbox_result_t r = call_builtin(CCBOX_OCALL_SWITCHLESS, nullptr, 0, answer, sizeof answer, &written);
        bool usable = r == CCBOX_OK && written == sizeof answer && answer[1] >= 1 &&
                      answer[1] <= CCBOX_SWITCHLESS_MAX_SLOTS && answer[0] % 8 == 0 &&
                      is_outside(answer[0], answer[1] * sizeof(ccbox_switchless_slot_t));
        if (usable) {
            g_slots = reinterpret_cast<ccbox_switchless_slot_t*>(answer[0]);
            g_slot_count = static_cast<uint32_t>(answer[1]);
        }
        store(&g_queue_state, usable ? kReady : kNone);
        state = usable ? kReady : kNone;
    }
    if (state != kReady)
        return nullptr;  // none, or another thread is still asking: an ordinary OCALL
    *count = g_slot_count;
    return g_slots;
}

}  // namespace
}  // namespace ccbox::enclave

using namespace ccbox::enclave;

extern "C" ccbox_result_t ccbox_switchless_call_host_function(uint32_t function_id, const void* input,
                                                              size_t input_size, void* output, size_t output_size,
                                                              size_t* output_written) {
    if (function_id >= CCBOX_BUILTIN_CALL_BASE)
        return CCBOX_INVALID_PARAMETER;
    const ThreadState* ts = current_thread_state();
    if (ts->depth == 0)
        return CCBOX_UNEXPECTED;
    if ((input_size && !is_outside(reinterpret_cast<uintptr_t>(input), input_size)) ||
        (output_size && !is_outside(reinterpret_cast<uintptr_t>(output), output_size)))
        return CCBOX_INVALID_PARAMETER;
    uint32_t count = 0;
    ccbox_switchless_slot_t* slots = queue(&count);
    ccbox_switchless_slot_t* slot = nullptr;
    for (uint32_t i = 0; slots && i < count && !slot; ++i)
        if (cas(&slots[i].state, CCBOX_SWITCHLESS_FREE, CCBOX_SWITCHLESS_CLAIMED))
            slot = &slots[i];
    if (!slot)  // no workers, or every slot busy: the ordinary way
        return call_host(function_id, input, input_size, output, output_size, output_written);

    slot->function_id = function_id;
    slot->input_buffer = reinterpret_cast<uintptr_t>(input);
    slot->input_size = input_size;
    slot->output_buffer = reinterpret_cast<uintptr_t>(output);
    slot->output_size = output_size;
    slot->output_written = 0;
    slot->result = CCBOX_UNEXPECTED;
    store(&slot->state, CCBOX_SWITCHLESS_REQUEST);

    uint32_t state = CCBOX_SWITCHLESS_REQUEST;
    for (uint32_t spin = 0; spin < kTakeSpins && state == CCBOX_SWITCHLESS_REQUEST; ++spin) {
        __builtin_ia32_pause();
        state = load(&slot->state);
    }
    if (state == CCBOX_SWITCHLESS_REQUEST && cas(&slot->state, CCBOX_SWITCHLESS_REQUEST, CCBOX_SWITCHLESS_CLAIMED)) {
        // No worker took it: withdrawn, so no worker will; made the ordinary way.
        store(&slot->state, CCBOX_SWITCHLESS_FREE);
        return call_host(function_id, input, input_size, output, output_size, output_written);
    }
    // A worker has it (or a hostile host rewrote the state): wait for the answer.
    while ((state = load(&slot->state)) == CCBOX_SWITCHLESS_TAKEN || state == CCBOX_SWITCHLESS_REQUEST)
        __builtin_ia32_pause();
    uint32_t result = __atomic_load_n(&slot->result, __ATOMIC_RELAXED);
    uint64_t written = __atomic_load_n(&slot->output_written, __ATOMIC_RELAXED);
    const bool answered = state == CCBOX_SWITCHLESS_DONE;
    store(&slot->state, CCBOX_SWITCHLESS_FREE);
    if (!answered || result >= CCBOX_RESULT_COUNT_ || written > output_size)
        return CCBOX_UNEXPECTED;
    if (output_written)
        *output_written = written;
    return static_cast<ccbox_result_t>(result);
}
