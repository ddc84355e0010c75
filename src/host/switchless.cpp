// Host worker threads for switchless OCALLs (docs/call-abi.md). Trust domain: host.
// Each worker polls the enclave's queue (shared memory the enclave can reach), takes a REQUEST
// with a compare-and-swap, runs the OCALL table entry on this thread and posts DONE. Idle
// workers spin, then yield, then nap, so an idle enclave costs little CPU.
#include "host/switchless.hpp"

#include "host/enclave.hpp"

#include <ctime>
#include <sched.h>

namespace ccbox::host {
namespace {

constexpr uint32_t kIdleSpins = 4000;
constexpr uint32_t kIdleYields = 200;

uint32_t load(const uint32_t* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
bool cas(uint32_t* p, uint32_t from, uint32_t to) {
    return __atomic_compare_exchange_n(p, &from, to, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

void serve(ccbox_enclave* enclave, ccbox_switchless_slot_t* slot) {
    ccbox_switchless_slot_t s = *slot;  // read once
    ccbox_result_t result = CCBOX_OK;
    size_t written = 0;
    if (s.function_id >= enclave->ocalls.size() || !enclave->ocalls[s.function_id]) {
        result = CCBOX_NOT_FOUND;
    } else if ((s.input_size && !enclave->backend->reachable(reinterpret_cast<const void*>(s.input_buffer),
                                                              s.input_size)) ||
               (s.output_size && !enclave->backend->reachable(reinterpret_cast<const void*>(s.output_buffer),
                                                               s.output_size))) {
        result = CCBOX_INVALID_PARAMETER;
    } else {
        enclave->ocalls[s.function_id](reinterpret_cast<const uint8_t*>(s.input_buffer), s.input_size,
                                       reinterpret_cast<uint8_t*>(s.output_buffer), s.output_size, &written);
        if (written > s.output_size) {
            written = 0;
            result = CCBOX_UNEXPECTED;
        }
    }
    slot->output_written = written;
    slot->result = result;
    __atomic_store_n(&slot->state, CCBOX_SWITCHLESS_DONE, __ATOMIC_RELEASE);
}

void work(ccbox_enclave* enclave, SwitchlessQueue* q) {
    uint32_t idle = 0;
    while (!q->stop.load(std::memory_order_acquire) && !enclave->aborted.load(std::memory_order_acquire)) {
        bool served = false;
        for (uint32_t i = 0; i < q->count; ++i) {
            ccbox_switchless_slot_t* slot = &q->slots[i];
            if (load(&slot->state) == CCBOX_SWITCHLESS_REQUEST &&
                cas(&slot->state, CCBOX_SWITCHLESS_REQUEST, CCBOX_SWITCHLESS_TAKEN)) {
                serve(enclave, slot);
                q->served.fetch_add(1, std::memory_order_relaxed);
                served = true;
            }
        }
        if (served) {
            idle = 0;
        } else if (++idle < kIdleSpins) {
            __builtin_ia32_pause();
        } else if (idle < kIdleSpins + kIdleYields) {
            sched_yield();
        } else {
            struct timespec nap {0, 50 * 1000};
            nanosleep(&nap, nullptr);
        }
    }
}

}  // namespace

Result<void> start_switchless(ccbox_enclave* enclave, uint32_t workers) {
    if (workers == 0)
        return ok_result();
    if (workers > CCBOX_MAX_SWITCHLESS_WORKERS)
        return Error(CCBOX_INVALID_PARAMETER, "switchless setting: " + std::to_string(workers) +
                                                  " host workers, at most " +
                                                  std::to_string(CCBOX_MAX_SWITCHLESS_WORKERS));
    auto q = std::make_unique<SwitchlessQueue>();
    q->count = workers;  // one slot per worker: a request waits only for a worker that is free
    q->slots = static_cast<ccbox_switchless_slot_t*>(
        enclave->backend->allocate_shared(sizeof(ccbox_switchless_slot_t) * workers));
    if (!q->slots)
        return Error(CCBOX_OUT_OF_MEMORY, "cannot allocate the switchless queue");
    for (uint32_t i = 0; i < workers; ++i)
        q->slots[i] = ccbox_switchless_slot_t{};
    SwitchlessQueue* raw = q.get();
    enclave->switchless = std::move(q);
    try {
        for (uint32_t i = 0; i < workers; ++i)
            raw->threads.emplace_back(work, enclave, raw);
    } catch (const std::system_error& e) {
        stop_switchless(enclave);
        return Error(CCBOX_THREAD_CREATE_ERROR, std::string("cannot start a switchless worker: ") + e.what());
    }
    return ok_result();
}

void stop_switchless(ccbox_enclave* enclave) {
    if (!enclave->switchless)
        return;
    enclave->switchless->stop.store(true, std::memory_order_release);
    for (std::thread& t : enclave->switchless->threads)
        t.join();
    enclave->backend->free_shared(enclave->switchless->slots);
    enclave->switchless.reset();
}

}  // namespace ccbox::host
