// Host worker threads for switchless OCALLs (docs/call-abi.md). Trust domain: host.
#pragma once

#include "common/call_abi.h"
#include "support/result.hpp"

#include <atomic>
#include <thread>
#include <vector>

struct ccbox_enclave;

namespace ccbox::host {

struct SwitchlessQueue {
    ccbox_switchless_slot_t* slots = nullptr;  // shared memory the enclave can reach
    uint32_t count = 0;
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> served{0};  // OCALLs the workers ran (the benchmarks check their path)
    std::vector<std::thread> threads;
};

// Allocates the queue and starts `workers` threads (none for 0).
Result<void> start_switchless(ccbox_enclave* enclave, uint32_t workers);
// Stops and joins the workers and frees the queue (before the enclave's memory goes).
void stop_switchless(ccbox_enclave* enclave);

}  // namespace ccbox::host
