// Issue 15, scope 5: switchless ECALLs, and the switchless ECALL queue attacked by a hostile
// host that writes it itself (Forger): forged requests, requests changed after they were taken,
// replays, second claims, arguments in enclave memory, unknown ids, a flood, a worker with
// another queue. In every backend. The enclave counts what it ran (sw_runs).
#include "switchless_fixture.hpp"

#include "test_support.hpp"

#include <chrono>
#include <cstring>
#include <thread>

namespace {

using namespace sw;

class Switchless : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override { reset_globals(); }
};

// Posts a forged request with the slot's next ticket and returns the enclave's answer.
struct Answer {
    ccbox_result_t result;
    uint64_t written;
};
Answer forge_and_wait(Forger& f, uint64_t function_id, const Request& r) {
    f.post(0, Forger::kNext, function_id, r);
    EXPECT_TRUE(f.wait_leaves(0, CCBOX_SWITCHLESS_REQUEST));
    EXPECT_TRUE(f.wait_leaves(0, CCBOX_SWITCHLESS_TAKEN));
    EXPECT_EQ(f.state(0), CCBOX_SWITCHLESS_DONE);
    Answer a{static_cast<ccbox_result_t>(f.slot(0).result), f.slot(0).output_written};
    f.set_state(0, CCBOX_SWITCHLESS_FREE);
    return a;
}

TEST_P(Switchless, EcallsRunOnAnEnclaveWorker) {
    Enclave e(GetParam(), 0, 1);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    for (int i = 0; i < 200; ++i) {
        int r = 0;
        ASSERT_EQ(sw_echo(e, &r, i), CCBOX_OK);
        EXPECT_EQ(r, i + 1);
    }
    switchless_echo_on_worker(e, 1);
    EXPECT_GT(e.workers().switchless_calls.load(), 0u);
    // A switchless ECALL's OCALL may nest the ECALL it allow()s, on the worker's own TCS.
    g_nest_enclave = e;
    int nested = 0;
    ASSERT_EQ(sw_nested(e, &nested, 5), CCBOX_OK);
    EXPECT_EQ(nested, 7);
    EXPECT_EQ(e.runs(kRunsInner), 1u);
    // An ordinary ECALL still has its TCS.
    int plain = 0;
    ASSERT_EQ(sw_plain(e, &plain, 21), CCBOX_OK);
    EXPECT_EQ(plain, 42);
}

TEST_P(Switchless, WorkersNeedATcsEachAndOneToSpare) {
    for (uint32_t workers : {6u, 65u}) {
        Enclave e(GetParam(), 0, workers);
        EXPECT_EQ(e.created, CCBOX_INVALID_PARAMETER);
        EXPECT_EQ(e.e, nullptr);
        EXPECT_NE(std::string(ccbox_get_last_error()).find("NumTCS=6"), std::string::npos) << ccbox_get_last_error();
    }
}

// Only a public ECALL marked transition_using_threads runs through the queue: not a public
// ordinary one, not a private switchless one, not a built-in, not an id beyond the table.
TEST_P(Switchless, OnlySwitchlessPublicEcallsRunThroughTheQueue) {
    Enclave e(GetParam(), 0, 1);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    Forger f{e.workers()};
    Request r(e, {20});
    EXPECT_EQ(forge_and_wait(f, kPlain, r).result, CCBOX_ECALL_NOT_ALLOWED);
    EXPECT_EQ(forge_and_wait(f, kPrivate, r).result, CCBOX_ECALL_NOT_ALLOWED);
    for (uint64_t id : {uint64_t{switchless_test_ecall_count}, uint64_t{9999}, uint64_t{CCBOX_ECALL_INIT},
                        uint64_t{CCBOX_ECALL_TERMINATE}, uint64_t{CCBOX_ECALL_SWITCHLESS_WORKER}, ~uint64_t{0}})
        EXPECT_EQ(forge_and_wait(f, id, r).result, CCBOX_NOT_FOUND) << id;
    EXPECT_EQ(e.runs(kRunsPlain), 0u);
    EXPECT_EQ(e.runs(kRunsPrivate), 0u);
    // A well-formed forged request is just a call.
    Answer ok = forge_and_wait(f, kEcho, r);
    EXPECT_EQ(ok.result, CCBOX_OK);
    EXPECT_EQ(ok.written, Request::kOutSize);
    EXPECT_EQ(r.value(), 21);
    EXPECT_EQ(e.runs(kRunsEcho), 1u);
}

TEST_P(Switchless, ArgumentsInEnclaveMemoryAreRefused) {
    Enclave e(GetParam(), 0, 1);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    ccbox_enclave_identity_t id{};
    ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
    auto* inside = reinterpret_cast<uint8_t*>(id.enclave_base + 4096);
    Forger f{e.workers()};
    Request r(e, {20});
    struct Case {
        const void* in;
        size_t in_size;
        void* out;
        size_t out_size;
    };
    const Case cases[] = {
        {inside, 8, r.out, 8},                                    // input in ELRANGE
        {r.in, 8, inside, 8},                                     // output in ELRANGE
        {reinterpret_cast<void*>(~uintptr_t{0} - 3), 8, r.out, 8},  // input wraps the address space
        {r.in, 8, r.out, ~size_t{0}},                             // output wraps
        {reinterpret_cast<void*>(id.enclave_base - 8), 16, r.out, 8},  // input runs into ELRANGE
    };
    for (const Case& c : cases) {
        f.post(0, Forger::kNext, kEcho, c.in, c.in_size, c.out, c.out_size);
        ASSERT_TRUE(f.wait_leaves(0, CCBOX_SWITCHLESS_REQUEST));
        ASSERT_TRUE(f.wait_leaves(0, CCBOX_SWITCHLESS_TAKEN));
        EXPECT_EQ(f.slot(0).result, CCBOX_INVALID_PARAMETER);
        EXPECT_EQ(f.slot(0).output_written, 0u);
        f.set_state(0, CCBOX_SWITCHLESS_FREE);
    }
    EXPECT_EQ(e.runs(kRunsEcho), 0u);
}

// While the switchless ECALL is in its OCALL the host rewrites the request: another function,
// its input, and buffers in enclave memory. The worker uses its one copy: the same function
// finishes with the input it was given, and its answer goes where the request first said.
TEST_P(Switchless, ARequestChangedAfterItWasTakenIsNotReadAgain) {
    Enclave e(GetParam(), 0, 1);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    ccbox_enclave_identity_t id{};
    ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
    Forger f{e.workers()};
    Request r(e, {21});
    Request decoy(e, {0});
    g_tamper = [&] {
        ccbox_switchless_ecall_slot_t& s = f.slot(0);
        s.function_id = kPlain;
        s.sequence += 1;
        s.input_buffer = id.enclave_base;
        s.input_size = 1 << 20;
        s.output_buffer = reinterpret_cast<uintptr_t>(decoy.out);
        s.output_size = 1 << 20;
        const uint64_t changed = 1000;
        std::memcpy(r.in, &changed, 8);  // the request's own input, too
    };
    f.post(0, Forger::kNext, kReread, r);
    ASSERT_TRUE(f.wait_leaves(0, CCBOX_SWITCHLESS_REQUEST));
    ASSERT_TRUE(f.wait_leaves(0, CCBOX_SWITCHLESS_TAKEN));
    EXPECT_EQ(f.slot(0).result, CCBOX_OK);
    EXPECT_EQ(f.slot(0).output_written, Request::kOutSize);
    EXPECT_EQ(r.value(), 42) << "the input was read again after the host changed it";
    EXPECT_EQ(decoy.value(), 0) << "the answer went where the host pointed after the request was taken";
    f.set_state(0, CCBOX_SWITCHLESS_FREE);
    EXPECT_EQ(e.runs(kRunsReread), 1u);
    EXPECT_EQ(e.runs(kRunsPlain), 0u);
    switchless_echo_on_worker(e, 3);  // and the queue still works
}

// A host thread flips a posted request's function id between a switchless ECALL and an ordinary
// one as fast as it can, while the worker checks and runs it: the worker runs what it checked
// (its copy), so the ordinary ECALL never runs through the queue, whichever id it read.
TEST_P(Switchless, AFunctionIdFlippedDuringTheCheckNeverRunsAnOrdinaryEcall) {
    Enclave e(GetParam(), 0, 1);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    Forger f{e.workers()};
    Request r(e, {5});
    constexpr int kRequests = 3000;
    uint64_t answered_ok = 0, refused = 0;
    for (int i = 0; i < kRequests; ++i) {
        f.post(0, Forger::kNext, kEcho, r);
        // Flip until the worker has answered.
        for (uint64_t n = 0; f.state(0) != CCBOX_SWITCHLESS_DONE; ++n)
            __atomic_store_n(&f.slot(0).function_id, n % 2 ? uint64_t{kPlain} : uint64_t{kEcho}, __ATOMIC_RELAXED);
        const uint32_t result = f.slot(0).result;
        answered_ok += result == CCBOX_OK;
        refused += result == CCBOX_ECALL_NOT_ALLOWED;
        f.set_state(0, CCBOX_SWITCHLESS_FREE);
    }
    EXPECT_EQ(answered_ok + refused, static_cast<uint64_t>(kRequests));
    EXPECT_EQ(e.runs(kRunsPlain), 0u) << "an ordinary ECALL ran through the queue";
    EXPECT_EQ(e.runs(kRunsEcho), answered_ok);
}

// A completed request posted again (the same ticket), a ticket never issued, ticket 0: the
// worker takes each and neither runs nor answers it.
TEST_P(Switchless, AReplayedRequestIsNotRunAgain) {
    Enclave e(GetParam(), 0, 1);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    Forger f{e.workers()};
    Request r(e, {1});
    ASSERT_EQ(forge_and_wait(f, kEcho, r).result, CCBOX_OK);
    const uint64_t used = f.slot(0).sequence;
    for (uint64_t ticket : {used, used + 5, uint64_t{0}}) {
        const uint64_t before = e.runs(kRunsEcho);
        f.post(0, ticket, kEcho, r);
        ASSERT_TRUE(f.wait_leaves(0, CCBOX_SWITCHLESS_REQUEST));
        // Taken, and never answered: the slot stays TAKEN.
        EXPECT_EQ(f.state(0), CCBOX_SWITCHLESS_TAKEN) << "ticket " << ticket << " was answered";
        f.set_state(0, CCBOX_SWITCHLESS_FREE);
        // A later request on the one worker means it is done with this one.
        const int calls = switchless_echo_on_worker(e, 2);
        EXPECT_EQ(e.runs(kRunsEcho), before + static_cast<uint64_t>(calls)) << "ticket " << ticket << " ran";
    }
}

// A request one worker runs is flipped back to REQUEST, so that the other worker takes it too:
// it runs once, and is answered once.
TEST_P(Switchless, ATwiceClaimedRequestRunsOnce) {
    Enclave e(GetParam(), 0, 2);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    Forger f{e.workers()};
    Request r(e, {7});
    f.post(0, Forger::kNext, kHold, r);
    g_hold.wait_entered();  // one worker is inside sw_hold
    EXPECT_EQ(f.state(0), CCBOX_SWITCHLESS_TAKEN);
    f.set_state(0, CCBOX_SWITCHLESS_REQUEST);
    f.ring();
    ASSERT_TRUE(f.wait_leaves(0, CCBOX_SWITCHLESS_REQUEST));  // the other worker took it
    switchless_echo_on_worker(e, 1);  // slot 1, on the other worker: it is done with slot 0
    EXPECT_EQ(e.runs(kRunsHold), 1u);
    EXPECT_EQ(f.state(0), CCBOX_SWITCHLESS_TAKEN) << "the second claim was answered";
    g_hold.release();
    ASSERT_TRUE(f.wait_leaves(0, CCBOX_SWITCHLESS_TAKEN));
    EXPECT_EQ(f.state(0), CCBOX_SWITCHLESS_DONE);
    EXPECT_EQ(f.slot(0).result, CCBOX_OK);
    EXPECT_EQ(r.value(), 7);
    f.set_state(0, CCBOX_SWITCHLESS_FREE);
    EXPECT_EQ(e.runs(kRunsHold), 1u);
    std::lock_guard lock(g_hold.mutex);
    EXPECT_EQ(g_hold.entered, 1);
}

// The host calls CCBOX_ECALL_SWITCHLESS_WORKER itself on a free TCS, naming a queue in enclave
// memory, a second queue, too many slots, a misaligned queue, or a malformed input. (The first
// worker fixes the queue: the library's worker is known to be in once a call ran on it. A host
// that calls the worker ECALL before the library's worker does gets its own queue served, and
// the library's workers refused: the host may deny itself service.)
TEST_P(Switchless, AWorkerForAnotherQueueIsRefused) {
    Enclave e(GetParam(), 0, 1);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    switchless_echo_on_worker(e, 1);
    ccbox_enclave_identity_t id{};
    ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
    const uint64_t queue = reinterpret_cast<uintptr_t>(e.workers().queue);
    auto* other = static_cast<uint8_t*>(e.e->backend->allocate_shared(8192));
    const uint64_t other_queue = (reinterpret_cast<uintptr_t>(other) + 63) & ~uint64_t{63};
    std::memset(other, 0, 8192);
    auto* args = static_cast<ccbox_switchless_worker_args_t*>(e.e->backend->allocate_shared(sizeof(ccbox_switchless_worker_args_t) + 8));
    const ccbox_switchless_worker_args_t cases[] = {
        {id.enclave_base, 1}, {other_queue, 1}, {queue, CCBOX_SWITCHLESS_MAX_SLOTS + 1}, {queue + 8, 1}, {queue, 0},
        {queue, 2},
    };
    const uint32_t free_tcs = 5;
    for (const auto& c : cases) {
        *args = c;
        size_t written = 0;
        EXPECT_EQ(ccbox::host::ring_tcs_unchecked(e, free_tcs, CCBOX_ECALL_SWITCHLESS_WORKER, args, sizeof *args,
                                                  nullptr, 0, &written),
                  CCBOX_INVALID_PARAMETER)
            << c.queue << " " << c.slot_count;
    }
    size_t written = 0;
    EXPECT_EQ(ccbox::host::ring_tcs_unchecked(e, free_tcs, CCBOX_ECALL_SWITCHLESS_WORKER, args, sizeof *args + 8,
                                              nullptr, 0, &written),
              CCBOX_INVALID_PARAMETER);
    e.e->backend->free_shared(args);
    e.e->backend->free_shared(other);
    switchless_echo_on_worker(e, 4);
}

// A host thread floods the only slot with requests, valid and stale, as fast as the worker
// answers, while the library's callers share the queue: each valid request is answered once,
// the stale ones never, the library's calls succeed (falling back while the flood holds the
// slot), and termination is clean.
TEST_P(Switchless, FloodingTheQueueHarmsNoOne) {
    Enclave e(GetParam(), 0, 1);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    Forger f{e.workers()};
    constexpr int kFlood = 1000, kCalls = 200;
    int answered = 0, wrong = 0;
    std::thread flood([&] {
        Request r(e, {0});
        for (int i = 0; i < kFlood; ++i) {
            const uint64_t x = static_cast<uint64_t>(i);
            std::memcpy(r.in, &x, 8);
            f.post(0, Forger::kNext, kEcho, r);
            if (!f.wait_leaves(0, CCBOX_SWITCHLESS_REQUEST) || !f.wait_leaves(0, CCBOX_SWITCHLESS_TAKEN))
                break;
            answered += f.state(0) == CCBOX_SWITCHLESS_DONE && f.slot(0).result == CCBOX_OK;
            wrong += r.value() != i + 1;
            const uint64_t used = f.slot(0).sequence;
            f.set_state(0, CCBOX_SWITCHLESS_FREE);
            f.post(0, used, kEcho, r);  // the same ticket again
            if (!f.wait_leaves(0, CCBOX_SWITCHLESS_REQUEST))
                break;
            f.set_state(0, CCBOX_SWITCHLESS_FREE);
        }
    });
    int failed = 0;
    for (int i = 0; i < kCalls; ++i) {
        int r = 0, p = 0;
        failed += sw_echo(e, &r, i) != CCBOX_OK || r != i + 1;
        failed += sw_plain(e, &p, i) != CCBOX_OK || p != 2 * i;
    }
    flood.join();
    EXPECT_EQ(failed, 0);
    EXPECT_EQ(answered, kFlood);
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(e.runs(kRunsEcho), static_cast<uint64_t>(kFlood + kCalls)) << "a request ran twice or not at all";
    // (How many of the library's calls fell back depends on the interleaving; the fallback itself
    // is tested deterministically in switchless_stress_test.cpp.)
    EXPECT_EQ(e.workers().switchless_calls.load() + e.workers().fallback_calls.load(), static_cast<uint64_t>(kCalls));
}

// Idle workers park (no CPU) and wake for the next call; terminating the enclave stops parked
// workers, and refuses (keeping the enclave) while a switchless call is in progress.
TEST_P(Switchless, WorkersParkAndStopCleanly) {
    Enclave e(GetParam(), 0, 2);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (e.workers().parks.load() < 2 && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_GE(e.workers().parks.load(), 2u) << "idle workers never parked";
    switchless_echo_on_worker(e, 9);  // a parked worker wakes for a call

    ccbox_result_t held = CCBOX_FAILURE;
    int value = 0;
    std::thread caller([&] { held = sw_hold(e, &value, 3); });
    g_hold.wait_entered();
    EXPECT_EQ(ccbox_terminate_enclave(e), CCBOX_BUSY);
    g_hold.release();
    caller.join();
    EXPECT_EQ(held, CCBOX_OK);
    EXPECT_EQ(value, 3);
    EXPECT_EQ(ccbox_terminate_enclave(e), CCBOX_OK) << ccbox_get_last_error();
    e.e = nullptr;
}

INSTANTIATE_TEST_SUITE_P(Backends, Switchless, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

}  // namespace
