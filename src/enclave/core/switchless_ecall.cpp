// Switchless ECALLs (docs/call-abi.md): an enclave worker is a host thread that made the
// built-in ECALL CCBOX_ECALL_SWITCHLESS_WORKER; it stays inside, holding its TCS, and runs the
// requests the host posts to a queue in untrusted memory, so the calling host thread never
// enters the enclave. Trust domain: enclave.
//
// The queue is host memory and the host is the adversary. What holds whatever it writes:
//  - the queue is fixed once (the first worker's, checked to lie wholly outside the enclave);
//  - a request is copied once into enclave memory, after the worker has taken it, and only
//    that copy is used (its buffers then as any ECALL's: checked outside the enclave, input
//    copied in, output made in enclave memory and copied out afterwards);
//  - it runs only if its ticket is the next one the enclave expects for its slot, advanced by
//    a compare-and-swap in enclave memory: a replayed or twice-claimed request never runs
//    twice, and is not answered at all (its slot stays TAKEN);
//  - only a public ECALL marked transition_using_threads runs this way.
#include <ccbox/bits/calls.h>

#include "enclave/core/enclave_state.h"
#include "enclave/core/ocall_builtins.h"
#include "enclave/core/switchless_worker.h"

#include <string.h>

extern "C" {
extern const ccbox_ecall_info_t ccbox_ecall_table[] __attribute__((weak));
extern const size_t ccbox_ecall_table_size __attribute__((weak));
}

namespace ccbox::enclave {
namespace {

// Empty scans of the queue before an idle worker parks in the host (an OCALL that waits for
// the doorbell): a burst of calls finds the worker spinning, an idle enclave costs no CPU.
constexpr uint32_t kIdleScans = 100000;

enum : uint32_t { kUnset = 0, kSetting = 1, kSet = 2 };
uint32_t g_queue_state = kUnset;  // atomic
uint64_t g_queue = 0;
uint64_t g_slot_count = 0;
// Per slot, the last ticket this enclave accepted (enclave memory: the host cannot move it).
uint64_t g_ticket[CCBOX_SWITCHLESS_MAX_SLOTS];

uint32_t load(const uint32_t* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
bool cas32(uint32_t* p, uint32_t from, uint32_t to) {
    return __atomic_compare_exchange_n(p, &from, to, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

// The queue every worker of this enclave serves: the first worker's, if it is usable; a later
// worker must name the same one.
bool fix_queue(const ccbox_switchless_worker_args_t& args) {
    if (args.slot_count < 1 || args.slot_count > CCBOX_SWITCHLESS_MAX_SLOTS || args.queue % 64 != 0 ||
        !is_outside(args.queue,
                    sizeof(ccbox_switchless_ecall_queue_t) + args.slot_count * sizeof(ccbox_switchless_ecall_slot_t)))
        return false;
    if (cas32(&g_queue_state, kUnset, kSetting)) {
        g_queue = args.queue;
        g_slot_count = args.slot_count;
        __atomic_store_n(&g_queue_state, kSet, __ATOMIC_RELEASE);
    }
    while (load(&g_queue_state) != kSet)
        __builtin_ia32_pause();
    return g_queue == args.queue && g_slot_count == args.slot_count;
}

size_t table_size(const size_t* size) { return size ? *size : 0; }  // weak: an enclave without an EDL

// Whether the host may run table ECALL `id` through a worker.
ccbox_result_t check_switchless(uint64_t id) {
    const size_t count = table_size(&ccbox_ecall_table_size);
    if (id >= count || !ccbox_ecall_table[id].function)
        return CCBOX_NOT_FOUND;
    const uint32_t need = CCBOX_ECALL_FLAG_PUBLIC | CCBOX_ECALL_FLAG_SWITCHLESS;
    return (ccbox_ecall_table[id].flags & need) == need ? CCBOX_OK : CCBOX_ECALL_NOT_ALLOWED;
}

// Runs the request in `shared` (slot `index`), which this worker has just taken.
void serve(ccbox_switchless_ecall_slot_t* shared, uint32_t index) {
    ccbox_switchless_ecall_slot_t request;
    memcpy(&request, shared, sizeof request);  // the only read of the request
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    uint64_t last = __atomic_load_n(&g_ticket[index], __ATOMIC_ACQUIRE);
    if (request.sequence != last + 1 ||
        !__atomic_compare_exchange_n(&g_ticket[index], &last, request.sequence, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return;  // a ticket already used (a replay, a second claim) or one never issued: no answer
    uint64_t written = 0;
    ccbox_result_t result = check_switchless(request.function_id);
    if (result == CCBOX_OK) {
        ccbox_call_slot_t call{};
        call.function_id = request.function_id;
        call.input_buffer = request.input_buffer;
        call.input_size = request.input_size;
        call.output_buffer = request.output_buffer;
        call.output_size = request.output_size;
        result = run_ecall(call, &written);
    }
    auto* answer = reinterpret_cast<volatile ccbox_switchless_ecall_slot_t*>(shared);
    answer->output_written = written;
    answer->result = result;
    __atomic_store_n(&shared->state, CCBOX_SWITCHLESS_DONE, __ATOMIC_RELEASE);
}

bool pending(ccbox_switchless_ecall_queue_t* q, ccbox_switchless_ecall_slot_t* slots) {
    if (__atomic_load_n(&q->stop, __ATOMIC_SEQ_CST))
        return true;
    for (uint64_t i = 0; i < g_slot_count; ++i)
        if (__atomic_load_n(&slots[i].state, __ATOMIC_SEQ_CST) == CCBOX_SWITCHLESS_REQUEST)
            return true;
    return false;
}

}  // namespace

ccbox_result_t run_switchless_worker(const uint8_t* input, size_t input_size) {
    ccbox_switchless_worker_args_t args;
    if (input_size != sizeof args)
        return CCBOX_INVALID_PARAMETER;
    memcpy(&args, input, sizeof args);
    if (!fix_queue(args))
        return CCBOX_INVALID_PARAMETER;
    auto* q = reinterpret_cast<ccbox_switchless_ecall_queue_t*>(g_queue);
    auto* slots = reinterpret_cast<ccbox_switchless_ecall_slot_t*>(g_queue + sizeof *q);
    uint32_t idle = 0;
    for (;;) {
        if (__atomic_load_n(&q->stop, __ATOMIC_ACQUIRE) || ccbox_enclave_aborted)
            return CCBOX_OK;
        bool served = false;
        for (uint32_t i = 0; i < g_slot_count; ++i) {
            if (load(&slots[i].state) == CCBOX_SWITCHLESS_REQUEST &&
                cas32(&slots[i].state, CCBOX_SWITCHLESS_REQUEST, CCBOX_SWITCHLESS_TAKEN)) {
                serve(&slots[i], i);
                served = true;
            }
        }
        if (served) {
            idle = 0;
        } else if (++idle < kIdleScans) {
            __builtin_ia32_pause();
        } else {
            // Park: say so, look once more, then wait in the host for the doorbell to move. A
            // host that posts after that look sees `parked` and rings (seq_cst on both sides).
            idle = 0;
            uint32_t bell = __atomic_load_n(&q->doorbell, __ATOMIC_SEQ_CST);
            __atomic_fetch_add(&q->parked, 1u, __ATOMIC_SEQ_CST);
            if (!pending(q, slots))
                (void)call_builtin(CCBOX_OCALL_SWITCHLESS_PARK, &bell, sizeof bell, nullptr, 0, nullptr);
            __atomic_fetch_sub(&q->parked, 1u, __ATOMIC_SEQ_CST);
        }
    }
}

}  // namespace ccbox::enclave
