// Switchless ECALLs, host side (docs/call-abi.md). Trust domain: host.
// A caller claims a free slot of the queue, stages its buffers in the slot's shared staging
// buffer, posts REQUEST with the slot's next ticket and rings the doorbell if a worker is
// parked; it waits a bounded time for a worker to take the request, else withdraws it and makes
// an ordinary ECALL. Workers are host threads inside CCBOX_ECALL_SWITCHLESS_WORKER, each on a TCS
// reserved for it at creation; an idle one parks here (CCBOX_OCALL_SWITCHLESS_PARK) on a futex.
#include "host/switchless_ecall.hpp"

#include "host/enclave.hpp"

#include <climits>
#include <cstring>
#include <ctime>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ccbox::host {
namespace {

// Pauses a caller waits for a spinning worker to take its request, and ten times that when it
// had to wake a parked one, before it withdraws the request.
constexpr uint32_t kTakeSpins = 20000;
// Pauses a caller spins for the answer of a taken request before it also yields the CPU.
constexpr uint32_t kAnswerSpins = 1u << 16;

uint32_t load(const uint32_t* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
bool cas(uint32_t* p, uint32_t from, uint32_t to) {
    return __atomic_compare_exchange_n(p, &from, to, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}
long futex(uint32_t* word, int op, uint32_t value, const struct timespec* timeout) {
    return ::syscall(SYS_futex, word, op, value, timeout, nullptr, 0);
}

// Counts a switchless caller among the calls ccbox_terminate_enclave waits for.
class ActiveCaller {
public:
    explicit ActiveCaller(ccbox_enclave* enclave) : enclave_(enclave) {
        enclave_->active_calls.fetch_add(1, std::memory_order_acq_rel);
    }
    ~ActiveCaller() { enclave_->active_calls.fetch_sub(1, std::memory_order_acq_rel); }

private:
    ccbox_enclave* enclave_;
};

void worker_main(ccbox_enclave* enclave, uint32_t tcs, const ccbox_switchless_worker_args_t* args) {
    (void)call_enclave_on_reserved_tcs(enclave, tcs, CCBOX_ECALL_SWITCHLESS_WORKER, args, sizeof *args);
    enclave->enclave_workers->running.fetch_sub(1, std::memory_order_acq_rel);
}

enum class Outcome { kAnswered, kWithdrawn, kAborted };

// Posts the request in slot `i` (claimed, staged) and waits for its answer or withdraws it.
Outcome post_and_wait(ccbox_enclave* enclave, EnclaveWorkers* w, uint32_t i) {
    ccbox_switchless_ecall_slot_t* slot = &w->slots[i];
    __atomic_store_n(&slot->state, CCBOX_SWITCHLESS_REQUEST, __ATOMIC_SEQ_CST);
    uint32_t take_spins = kTakeSpins;
    if (__atomic_load_n(&w->queue->parked, __ATOMIC_SEQ_CST) != 0) {
        __atomic_fetch_add(&w->queue->doorbell, 1u, __ATOMIC_SEQ_CST);
        futex(&w->queue->doorbell, FUTEX_WAKE, 1, nullptr);
        take_spins *= 10;
    }
    uint32_t state = CCBOX_SWITCHLESS_REQUEST;
    for (uint32_t spin = 0; spin < take_spins && state == CCBOX_SWITCHLESS_REQUEST; ++spin) {
        __builtin_ia32_pause();
        state = load(&slot->state);
    }
    if (state == CCBOX_SWITCHLESS_REQUEST && cas(&slot->state, CCBOX_SWITCHLESS_REQUEST, CCBOX_SWITCHLESS_CLAIMED))
        return Outcome::kWithdrawn;  // no worker has it, and none will: its ticket was not used
    for (uint32_t spin = 0; (state = load(&slot->state)) != CCBOX_SWITCHLESS_DONE; ++spin) {
        if (spin < kAnswerSpins) {
            __builtin_ia32_pause();
            continue;
        }
        if (spin % 1024 == 0 && enclave->aborted.load(std::memory_order_acquire))
            return Outcome::kAborted;  // the slot stays taken: the enclave will not answer
        sched_yield();
    }
    return Outcome::kAnswered;
}

}  // namespace

Result<void> start_enclave_workers(ccbox_enclave* enclave, uint32_t workers) {
    if (workers == 0)
        return ok_result();
    const uint32_t tcs = enclave->backend->tcs_count();
    if (workers > CCBOX_SWITCHLESS_MAX_SLOTS || workers >= tcs)
        return Error(CCBOX_INVALID_PARAMETER,
                     "switchless setting: " + std::to_string(workers) + " enclave workers, but each holds a TCS for "
                     "the enclave's life and one must stay for ordinary ECALLs: " + enclave->path + " has NumTCS=" +
                     std::to_string(tcs) + ", so at most " + std::to_string(tcs > 0 ? tcs - 1 : 0) +
                     " (and at most " + std::to_string(CCBOX_SWITCHLESS_MAX_SLOTS) + ")");
    auto w = std::make_unique<EnclaveWorkers>();
    w->count = workers;  // one slot per worker: a request waits only for a worker that is free
    const size_t size = sizeof(ccbox_switchless_ecall_queue_t) + workers * sizeof(ccbox_switchless_ecall_slot_t);
    w->memory = static_cast<uint8_t*>(enclave->backend->allocate_shared(size + 64));
    w->args = static_cast<ccbox_switchless_worker_args_t*>(
        enclave->backend->allocate_shared(sizeof(ccbox_switchless_worker_args_t)));
    w->tickets = std::make_unique<uint64_t[]>(workers);
    for (uint32_t i = 0; i < workers; ++i)
        w->staging.push_back(static_cast<uint8_t*>(enclave->backend->allocate_shared(kSwitchlessStaging)));
    EnclaveWorkers* raw = w.get();
    enclave->enclave_workers = std::move(w);
    bool staged = true;
    for (uint8_t* s : raw->staging)
        staged = staged && s;
    if (!raw->memory || !raw->args || !staged) {
        stop_enclave_workers(enclave);
        return Error(CCBOX_OUT_OF_MEMORY, "cannot allocate the switchless ECALL queue");
    }
    const uintptr_t aligned = (reinterpret_cast<uintptr_t>(raw->memory) + 63) & ~uintptr_t{63};
    std::memset(reinterpret_cast<void*>(aligned), 0, size);
    raw->queue = reinterpret_cast<ccbox_switchless_ecall_queue_t*>(aligned);
    raw->slots = reinterpret_cast<ccbox_switchless_ecall_slot_t*>(aligned + sizeof(ccbox_switchless_ecall_queue_t));
    raw->args->queue = aligned;
    raw->args->slot_count = workers;
    for (uint32_t i = 0; i < workers; ++i) {
        uint32_t t = 0;
        if (!reserve_tcs(enclave, &t)) {
            stop_enclave_workers(enclave);
            return Error(CCBOX_OUT_OF_THREADS, "switchless setting: no free TCS for an enclave worker");
        }
        raw->running.fetch_add(1, std::memory_order_acq_rel);
        try {
            raw->threads.emplace_back(worker_main, enclave, t, raw->args);
        } catch (const std::system_error& e) {
            raw->running.fetch_sub(1, std::memory_order_acq_rel);
            enclave->tcs_busy[t].store(false, std::memory_order_release);
            stop_enclave_workers(enclave);
            return Error(CCBOX_THREAD_CREATE_ERROR, std::string("cannot start an enclave worker: ") + e.what());
        }
    }
    return ok_result();
}

void stop_enclave_workers(ccbox_enclave* enclave) {
    EnclaveWorkers* w = enclave->enclave_workers.get();
    if (!w)
        return;
    if (w->queue) {
        __atomic_store_n(&w->queue->stop, 1u, __ATOMIC_SEQ_CST);
        __atomic_fetch_add(&w->queue->doorbell, 1u, __ATOMIC_SEQ_CST);
        futex(&w->queue->doorbell, FUTEX_WAKE, INT_MAX, nullptr);
    }
    for (std::thread& t : w->threads)
        t.join();
    for (uint8_t* s : w->staging)
        enclave->backend->free_shared(s);
    enclave->backend->free_shared(w->args);
    enclave->backend->free_shared(w->memory);
    enclave->enclave_workers.reset();
}

ccbox_result_t park_enclave_worker(ccbox_enclave* enclave, uint32_t seen) {
    EnclaveWorkers* w = enclave->enclave_workers.get();
    if (!w || !w->queue)
        return CCBOX_NOT_FOUND;
    w->parks.fetch_add(1, std::memory_order_relaxed);
    while (__atomic_load_n(&w->queue->doorbell, __ATOMIC_SEQ_CST) == seen &&
           !__atomic_load_n(&w->queue->stop, __ATOMIC_SEQ_CST)) {
        const struct timespec timeout {1, 0};
        futex(&w->queue->doorbell, FUTEX_WAIT, seen, &timeout);
    }
    return CCBOX_OK;
}

ccbox_result_t switchless_call_enclave(ccbox_enclave* enclave, uint32_t function_id, const void* input,
                                       size_t input_size, void* output, size_t output_size, size_t* output_written) {
    EnclaveWorkers* w = enclave->enclave_workers.get();
    if (w && w->running.load(std::memory_order_acquire) != 0 && !thread_is_inside(enclave) &&
        !enclave->aborted.load(std::memory_order_acquire)) {
        ActiveCaller active(enclave);
        const size_t in_room = (input_size + 15) / 16 * 16;
        uint32_t i = 0;
        while (i < w->count && !cas(&w->slots[i].state, CCBOX_SWITCHLESS_FREE, CCBOX_SWITCHLESS_CLAIMED))
            ++i;
        if (i < w->count) {
            uint8_t* staging = w->staging[i];
            uint8_t* heap = nullptr;
            if (in_room < input_size || in_room + output_size < in_room || in_room + output_size > kSwitchlessStaging)
                staging = heap = static_cast<uint8_t*>(enclave->backend->allocate_shared(in_room + output_size));
            if (staging) {
                if (input_size)
                    std::memcpy(staging, input, input_size);
                ccbox_switchless_ecall_slot_t* slot = &w->slots[i];
                slot->result = CCBOX_UNEXPECTED;
                slot->sequence = ++w->tickets[i];
                slot->function_id = function_id;
                slot->input_buffer = reinterpret_cast<uintptr_t>(staging);
                slot->input_size = input_size;
                slot->output_buffer = reinterpret_cast<uintptr_t>(staging + in_room);
                slot->output_size = output_size;
                slot->output_written = 0;
                const Outcome outcome = post_and_wait(enclave, w, i);
                if (outcome == Outcome::kAborted)
                    return CCBOX_ENCLAVE_ABORTED;
                ccbox_result_t result = CCBOX_OK;
                if (outcome == Outcome::kAnswered) {
                    result = static_cast<ccbox_result_t>(slot->result);
                    size_t written = slot->output_written <= output_size ? slot->output_written : 0;
                    if (written)
                        std::memcpy(output, staging + in_room, written);
                    if (output_written)
                        *output_written = written;
                } else {
                    --w->tickets[i];
                }
                if (heap)
                    enclave->backend->free_shared(heap);
                __atomic_store_n(&slot->state, CCBOX_SWITCHLESS_FREE, __ATOMIC_RELEASE);
                if (outcome == Outcome::kAnswered) {
                    w->switchless_calls.fetch_add(1, std::memory_order_relaxed);
                    return result;
                }
            } else {
                __atomic_store_n(&w->slots[i].state, CCBOX_SWITCHLESS_FREE, __ATOMIC_RELEASE);
            }
        }
    }
    if (w)
        w->fallback_calls.fetch_add(1, std::memory_order_relaxed);
    return call_enclave(enclave, function_id, input, input_size, output, output_size, output_written);
}

}  // namespace ccbox::host
