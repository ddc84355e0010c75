// The host's enclave object (ccbox_enclave_t): its backend, OCALL table and TCS pool.
// Trust domain: host (untrusted).
#pragma once

#include <ccbox/host.h>

#include "host/backend.hpp"
#include "host/switchless.hpp"
#include "host/switchless_ecall.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace ccbox::host {

inline constexpr uint64_t kEnclaveMagic = 0x4f424a5842434343ull;
inline constexpr size_t kScratchSize = 64 * 1024;
inline constexpr size_t kMaxNesting = CCBOX_MAX_CALL_DEPTH;  // the trusted runtime's own limit too

// Per-TCS memory the enclave can reach: the ECALL slots of each nesting level and the
// scratch area its OCALLs use.
struct TcsChannel {
    ccbox_call_slot_t* slots = nullptr;  // kMaxNesting of them
    uint8_t* scratch = nullptr;          // kScratchSize bytes
};

}  // namespace ccbox::host

struct ccbox_enclave {
    uint64_t magic = ccbox::host::kEnclaveMagic;
    std::string path;
    std::unique_ptr<ccbox::host::Backend> backend;
    std::vector<ccbox_ocall_func_t> ocalls;
    std::vector<ccbox::host::TcsChannel> channels;
    std::unique_ptr<std::atomic<bool>[]> tcs_busy;
    std::atomic<bool> aborted{false};
    std::atomic<int> active_calls{0};
    bool initialized = false;
    bool debug = false;  // launched in debug mode
    // Host memory handed to the enclave through ccbox_host_malloc (and its size), so that the
    // enclave can only free what it was given.
    std::mutex allocations_mutex;
    std::unordered_map<void*, size_t> allocations;
    // Switchless OCALLs: the queue and its host workers (none unless the setting asks).
    std::unique_ptr<ccbox::host::SwitchlessQueue> switchless;
    // Switchless ECALLs: the queue and the enclave workers (none unless the setting asks).
    std::unique_ptr<ccbox::host::EnclaveWorkers> enclave_workers;

    ~ccbox_enclave();
};

namespace ccbox::host {

// Records the message of a failure for ccbox_get_last_error() (and logs it to stderr unless
// CCBOX_LOG=quiet) and returns its code.
ccbox_result_t fail(const Error& error);
ccbox_result_t fail(ccbox_result_t code, const std::string& message);
void clear_last_error();
// A line on stderr when CCBOX_LOG=debug (what the library did on its own, e.g. which ccboxd
// it started).
void debug_log(const std::string& message);

// The enclave whose ordinary OCALL this thread is running (the innermost call), or nullptr.
ccbox_enclave* current_ocall_enclave();

// Runs ECALL `function_id` on behalf of the public API, with built-in ids allowed.
ccbox_result_t call_enclave(ccbox_enclave* enclave, uint32_t function_id, const void* input, size_t input_size,
                            void* output, size_t output_size, size_t* output_written);

// The same call with the buffer addresses put into the call slot exactly as given: none of
// this library's checks of input and output (in the enclave, wrapping) and no staging into
// the arena. This is what a host that does not use this library can do, so the attack tests
// use it to show that the enclave's own checks hold. Not part of the public API.
ccbox_result_t call_enclave_unchecked(ccbox_enclave* enclave, uint32_t function_id, const void* input,
                                      size_t input_size, void* output, size_t output_size, size_t* output_written);

// Enclave workers (switchless_ecall.cpp): a free TCS taken for a worker's whole life, and the
// worker's ECALL on it (which frees it when it returns). Not counted in active_calls.
bool reserve_tcs(ccbox_enclave* enclave, uint32_t* tcs);
ccbox_result_t call_enclave_on_reserved_tcs(ccbox_enclave* enclave, uint32_t tcs, uint32_t function_id,
                                            const void* input, size_t input_size);
// Whether the calling thread is inside this enclave (running one of its OCALLs).
bool thread_is_inside(const ccbox_enclave* enclave);

// The CCBOX_ECALL_INIT arguments the host library sends this enclave.
ccbox_init_args_t init_args_for(const ccbox_enclave* enclave);
// ccbox_create_enclave without its CCBOX_ECALL_INIT: the enclave is loaded, its constructors
// have not run. For the lifecycle attack tests (INIT races); not public API. Free the enclave
// with ccbox_terminate_enclave, which sends no TERMINATE to an enclave it did not initialise.
Result<ccbox_enclave*> create_enclave_uninitialised(const char* path, uint32_t flags,
                                                    const ccbox_enclave_setting_t* settings, uint32_t setting_count,
                                                    const ccbox_ocall_func_t* ocall_table, uint32_t ocall_count);

// Rings TCS `tcs`'s doorbell (enters it) for ECALL `function_id` with a call slot of its own,
// as a host that does not use this library can: no TCS pool (the TCS may be busy, even in an
// OCALL), no count of calls in progress, no nesting limit, no checks of the buffers. The
// OCALLs the enclave makes run as usual. For the lifecycle attack tests; not public API.
ccbox_result_t ring_tcs_unchecked(ccbox_enclave* enclave, uint32_t tcs, uint32_t function_id, const void* input,
                                  size_t input_size, void* output, size_t output_size, size_t* output_written);

}  // namespace ccbox::host
