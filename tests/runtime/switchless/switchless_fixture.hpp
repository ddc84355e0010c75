// Shared by the switchless tests (issue 15): the test enclave with enclave and host workers, what its
// OCALLs do, and a hostile host that writes the switchless ECALL queue itself.
#pragma once

#include "enclave_test_support.hpp"
#include "host/enclave.hpp"
#include "switchless_test_u.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

namespace sw {

using ccbox::test::Backend;

// The ECALL ids of switchless_test.edl and the run counters of sw_runs().
enum : uint32_t {
    kEcho = switchless_test_fcn_id_sw_echo,
    kRecord = switchless_test_fcn_id_sw_record,
    kPlain = switchless_test_fcn_id_sw_plain,
    kPrivate = switchless_test_fcn_id_sw_private,
    kHold = switchless_test_fcn_id_sw_hold,
    kReread = switchless_test_fcn_id_sw_reread,
    kInner = switchless_test_fcn_id_sw_inner,
};
enum { kRunsEcho, kRunsRecord, kRunsPlain, kRunsPrivate, kRunsHold, kRunsReread, kRunsInner };

struct Enclave {
    ccbox_enclave_t* e = nullptr;
    ccbox_result_t created = CCBOX_UNEXPECTED;
    Enclave(Backend backend, uint32_t host_workers, uint32_t enclave_workers);
    ~Enclave();
    operator ccbox_enclave_t*() const { return e; }
    ccbox::host::EnclaveWorkers& workers() const { return *e->enclave_workers; }
    uint64_t runs(int which) const;
};

// host_hold: every call blocks until release().
struct Hold {
    std::mutex mutex;
    std::condition_variable cv;
    int entered = 0;
    bool released = false;
    void wait_entered(int count = 1);
    void release();
};
extern Hold g_hold;
// Run by host_tamper (the enclave is inside a switchless ECALL's OCALL).
extern std::function<void()> g_tamper;
// host_record: per id, the times the host ran it, and how many of those ran on a caller's
// thread (the fallback) rather than on a host worker.
extern std::atomic<uint32_t> g_ocall_records[65536];
extern std::atomic<uint64_t> g_ocalls_on_callers, g_ocalls_on_workers;
extern thread_local bool t_is_caller;
extern ccbox_enclave_t* g_nest_enclave;  // host_nest's enclave
void reset_globals();

// A request for ECALL `id` with int arguments, in the marshalling format of docs/edl.md (an
// 8-byte slot per argument in, the int return value in an 8-byte slot out), in shared memory.
struct Request {
    uint8_t* in = nullptr;
    uint8_t* out = nullptr;
    size_t in_size = 0;
    static constexpr size_t kOutSize = 8;
    Request(ccbox_enclave_t* e, std::initializer_list<uint64_t> args);
    ~Request();
    int value() const;
    ccbox_enclave_t* enclave;
};

// The hostile host: writes slot `i` of the enclave's switchless ECALL queue as it likes.
struct Forger {
    ccbox::host::EnclaveWorkers& w;
    ccbox_switchless_ecall_slot_t& slot(uint32_t i) const { return w.slots[i]; }
    uint32_t state(uint32_t i) const;
    // As `ticket`: the slot's next ticket as the host library issues it, taken once the slot
    // is claimed (the library's callers take it then too).
    static constexpr uint64_t kNext = ~uint64_t{0};
    // Claims slot i (waits for it to be FREE), fills it and posts REQUEST, ringing the doorbell.
    void post(uint32_t i, uint64_t ticket, uint64_t function_id, const void* in, size_t in_size, void* out,
              size_t out_size);
    void post(uint32_t i, uint64_t ticket, uint64_t function_id, const Request& r) {
        post(i, ticket, function_id, r.in, r.in_size, r.out, Request::kOutSize);
    }
    void set_state(uint32_t i, uint32_t state);
    void ring();
    // Waits until slot i leaves `from` (a guard, not a timing assertion: false after 30 s).
    bool wait_leaves(uint32_t i, uint32_t from) const;
};

// A switchless ECALL sw_echo through the host library that is known to have run on a worker
// after everything posted before it: retried until the library's switchless count moves.
// Returns the calls made (each ran sw_echo once, on a worker or as the fallback).
int switchless_echo_on_worker(Enclave& e, int x);

}  // namespace sw
