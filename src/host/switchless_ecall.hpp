// Switchless ECALLs on the host side (docs/call-abi.md): the enclave workers (host threads that
// stay inside the enclave, each on a TCS of its own) and the queue callers post to.
// Trust domain: host.
#pragma once

#include "common/call_abi.h"
#include "support/result.hpp"

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

struct ccbox_enclave;

namespace ccbox::host {

struct EnclaveWorkers {
    ccbox_switchless_ecall_queue_t* queue = nullptr;  // shared memory the enclave can reach
    ccbox_switchless_ecall_slot_t* slots = nullptr;   // follow the header
    uint32_t count = 0;
    uint8_t* memory = nullptr;                        // the queue's allocation (unaligned)
    ccbox_switchless_worker_args_t* args = nullptr;   // the workers' ECALL input, shared memory
    // Per slot: the last ticket this host issued (only the slot's claimer touches it), and a
    // buffer in shared memory for the request's input and output when they fit.
    std::unique_ptr<uint64_t[]> tickets;
    std::vector<uint8_t*> staging;
    std::vector<std::thread> threads;
    std::atomic<uint32_t> running{0};  // workers still inside their CCBOX_ECALL_SWITCHLESS_WORKER
    // What callers did: ran through a worker, or fell back to an ordinary ECALL (no worker,
    // every slot busy, or no worker took the request in time).
    std::atomic<uint64_t> switchless_calls{0};
    std::atomic<uint64_t> fallback_calls{0};
    std::atomic<uint64_t> parks{0};  // times an idle worker parked in the host
};

// Bytes of input + output a request carries in its slot's own staging buffer.
inline constexpr size_t kSwitchlessStaging = 4096;

// Reserves `workers` TCSs and starts a worker on each (none for 0). Refuses more workers than
// NumTCS - 1: a TCS has to stay for ordinary ECALLs, the fallback among them.
Result<void> start_enclave_workers(ccbox_enclave* enclave, uint32_t workers);
// Tells the workers to stop, wakes the parked ones, joins them and frees the queue.
void stop_enclave_workers(ccbox_enclave* enclave);

// ccbox_switchless_call_enclave_function.
ccbox_result_t switchless_call_enclave(ccbox_enclave* enclave, uint32_t function_id, const void* input,
                                       size_t input_size, void* output, size_t output_size, size_t* output_written);

// CCBOX_OCALL_SWITCHLESS_PARK: an idle worker waits here until the doorbell moves on from
// `seen` or the workers are told to stop.
ccbox_result_t park_enclave_worker(ccbox_enclave* enclave, uint32_t seen);

}  // namespace ccbox::host
