// Issue 16, part 2: the trusted runtime enforces the enclave's lifecycle itself. The tests
// ring TCS doorbells directly (ring_tcs_unchecked: no TCS pool, no count of calls in flight,
// no nesting limit), as a host that does not use the host library can, in every backend.
#include "enclave_test_support.hpp"
#include "host/enclave.hpp"
#include "lifecycle_test_u.h"
#include "test_support.hpp"

#include <atomic>
#include <functional>
#include <initializer_list>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

extern "C" const ccbox_ocall_func_t lifecycle_test_ocall_function_table[];

namespace {

using ccbox::test::Backend;

// An ECALL of the test EDL by hand, in the marshalling format of docs/edl.md: one 8-byte
// header slot per int argument in, the int return value in an 8-byte slot out.
struct Ring {
    ccbox_result_t call = CCBOX_FAILURE;  // what the enclave answered for the call itself
    int value = 0;                        // the ECALL's return value, if it ran
};

Ring ring(ccbox_enclave_t* e, uint32_t tcs, uint32_t function_id, std::initializer_list<int> args = {}) {
    std::vector<uint64_t> in;
    for (int a : args)
        in.push_back(static_cast<uint32_t>(a));
    const size_t in_size = in.size() * sizeof(uint64_t), out_size = sizeof(uint64_t);
    auto* shared_in = static_cast<uint8_t*>(e->backend->allocate_shared(in_size + 1));
    auto* shared_out = static_cast<uint8_t*>(e->backend->allocate_shared(out_size));
    if (in_size)
        std::memcpy(shared_in, in.data(), in_size);
    std::memset(shared_out, 0, out_size);
    size_t written = 0;
    Ring r;
    r.call = ccbox::host::ring_tcs_unchecked(e, tcs, function_id, shared_in, in_size, shared_out, out_size, &written);
    if (r.call == CCBOX_OK && written == out_size)
        std::memcpy(&r.value, shared_out, sizeof(int));
    e->backend->free_shared(shared_in);
    e->backend->free_shared(shared_out);
    return r;
}

// The ECALL ids of lifecycle_test.edl, in declaration order.
enum : uint32_t { kCheckState, kAdd, kHoldAndCheck, kDuringConstructor, kNest, kNestInner };

// ---- what the OCALLs do in each test ----
struct ConstructorProbe {
    bool enabled = false;
    bool ran = false;
    Ring other_tcs_public, other_tcs_check, other_tcs_init, other_tcs_terminate, same_tcs_init, same_tcs_terminate;
    ccbox_result_t same_tcs_allowed = CCBOX_FAILURE, same_tcs_public = CCBOX_FAILURE;
    int stage_seen = -1;
};
ConstructorProbe g_probe;

struct DestructorProbe {
    ccbox_enclave_t* enclave = nullptr;  // set: try ECALLs from the destructor's OCALL
    bool ran = false;
    Ring same_tcs_allowed, same_tcs_public, other_tcs;
};
DestructorProbe g_destructor;

std::mutex g_hold_mutex;
std::condition_variable g_hold_cv;
bool g_holding = false, g_release = false;

struct NestProbe {
    ccbox_enclave_t* enclave = nullptr;
    uint32_t tcs = 0;
    int deepest = 0;                     // nesting levels that ran
    ccbox_result_t refused = CCBOX_OK;  // what stopped the innermost ECALL
    std::function<void()> at_level;     // run in the OCALL of the first level, when set
};
NestProbe g_nest;

}  // namespace

extern "C" void host_in_constructor(uint64_t host_enclave) {
    if (!g_probe.enabled)
        return;
    auto* e = reinterpret_cast<ccbox_enclave_t*>(host_enclave);
    g_probe.ran = true;
    // TCS 0 runs INIT (the host library took the first free TCS); TCS 1 is idle.
    g_probe.other_tcs_public = ring(e, 1, kAdd, {2, 3});
    g_probe.other_tcs_check = ring(e, 1, kCheckState);
    g_probe.other_tcs_init = ring(e, 1, CCBOX_ECALL_INIT);
    g_probe.other_tcs_terminate = ring(e, 1, CCBOX_ECALL_TERMINATE);
    // On the constructor's own TCS: what its OCALL allow()s, and nothing else.
    g_probe.same_tcs_init = ring(e, 0, CCBOX_ECALL_INIT);
    g_probe.same_tcs_terminate = ring(e, 0, CCBOX_ECALL_TERMINATE);
    g_probe.same_tcs_allowed = lc_during_constructor(e, &g_probe.stage_seen);
    int sum = 0;
    g_probe.same_tcs_public = lc_add(e, &sum, 1, 1);
}

extern "C" void host_in_destructor(void) {
    if (!g_destructor.enclave)
        return;
    g_destructor.ran = true;
    // TERMINATE runs on TCS 1 in the test below.
    g_destructor.same_tcs_allowed = ring(g_destructor.enclave, 1, kDuringConstructor);
    g_destructor.same_tcs_public = ring(g_destructor.enclave, 1, kAdd, {1, 2});
    g_destructor.other_tcs = ring(g_destructor.enclave, 0, kAdd, {1, 2});
}

extern "C" void host_hold(int) {
    std::unique_lock lock(g_hold_mutex);
    g_holding = true;
    g_hold_cv.notify_all();
    g_hold_cv.wait(lock, [] { return g_release; });
}

extern "C" int host_nest(int levels) {
    ++g_nest.deepest;
    if (g_nest.at_level) {
        auto action = std::move(g_nest.at_level);
        g_nest.at_level = nullptr;
        action();
    }
    Ring r = ring(g_nest.enclave, g_nest.tcs, kNestInner, {levels});
    if (r.call != CCBOX_OK) {
        g_nest.refused = r.call;
        return -static_cast<int>(r.call);
    }
    return r.value;
}

namespace {

struct Enclave {
    ccbox_enclave_t* e = nullptr;
    ccbox_result_t created = CCBOX_UNEXPECTED;
    explicit Enclave(Backend backend) {
        created = ccbox_create_lifecycle_test_enclave(ccbox::test::built_file("runtime/lifecycle_enclave.signed").c_str(),
                                                      ccbox::test::create_flags(backend),
                                                      ccbox::test::platform_settings(), 1, &e);
    }
    ~Enclave() {
        if (e) {
            EXPECT_EQ(ccbox_terminate_enclave(e), CCBOX_OK) << ccbox_get_last_error();
        }
    }
    operator ccbox_enclave_t*() const { return e; }
};

class Lifecycle : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        g_probe = ConstructorProbe{};
        g_holding = g_release = false;
        g_nest = NestProbe{};
        g_destructor = DestructorProbe{};
    }
};

// While the constructor waits in its OCALL, another TCS gets nothing: no public ECALL (which
// would run on state the constructor has not built), no second INIT, no TERMINATE. The
// constructor's own TCS gets exactly the ECALLs its OCALL allow()s.
TEST_P(Lifecycle, EcallsDuringAConstructorsOcallAreRefused) {
    g_probe.enabled = true;
    Enclave e(GetParam());
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    ASSERT_TRUE(g_probe.ran);
    EXPECT_EQ(g_probe.other_tcs_public.call, CCBOX_ENCLAVE_NOT_READY) << ccbox_result_str(g_probe.other_tcs_public.call);
    EXPECT_EQ(g_probe.other_tcs_check.call, CCBOX_ENCLAVE_NOT_READY)
        << "lc_check_state ran before the constructor finished and saw " << g_probe.other_tcs_check.value;
    EXPECT_EQ(g_probe.other_tcs_init.call, CCBOX_ALREADY_INITIALIZED) << ccbox_result_str(g_probe.other_tcs_init.call);
    EXPECT_EQ(g_probe.other_tcs_terminate.call, CCBOX_ENCLAVE_NOT_READY)
        << ccbox_result_str(g_probe.other_tcs_terminate.call);
    EXPECT_EQ(g_probe.same_tcs_allowed, CCBOX_OK) << ccbox_result_str(g_probe.same_tcs_allowed);
    EXPECT_EQ(g_probe.stage_seen, 1) << "the allowed ECALL ran inside the constructor's OCALL";
    EXPECT_EQ(g_probe.same_tcs_public, CCBOX_ECALL_NOT_ALLOWED);
    EXPECT_EQ(g_probe.same_tcs_init.call, CCBOX_ECALL_NOT_ALLOWED);
    EXPECT_EQ(g_probe.same_tcs_terminate.call, CCBOX_ECALL_NOT_ALLOWED);

    // Once ready, both TCSs serve ECALLs, and INIT is refused for good.
    Ring sum = ring(e, 1, kAdd, {40, 2});
    EXPECT_EQ(sum.call, CCBOX_OK);
    EXPECT_EQ(sum.value, 42);
    EXPECT_EQ(ring(e, 1, kCheckState).value, 0);
    EXPECT_EQ(ring(e, 0, CCBOX_ECALL_INIT).call, CCBOX_ALREADY_INITIALIZED);
}

// TCS 0 waits in an OCALL; TERMINATE on TCS 1 is refused (CCBOX_BUSY: retry later), so the
// destructors do not free state TCS 0 still uses, and a call with an unknown id is refused
// before its input (the size of the state's block, full of the host's bytes) is copied into
// the enclave heap. TCS 0's ECALL then completes with its state intact.
TEST_P(Lifecycle, TerminateWhileAnotherTcsIsInAnOcallIsRefused) {
    Enclave e(GetParam());
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    int checked = -1;
    ccbox_result_t held = CCBOX_FAILURE;
    std::thread holder([&] { held = lc_hold_and_check(e, &checked, 7); });
    {
        std::unique_lock lock(g_hold_mutex);
        g_hold_cv.wait(lock, [] { return g_holding; });
    }
    const uint32_t other = 1;  // the holder took TCS 0, the first free one
    EXPECT_EQ(ring(e, other, CCBOX_ECALL_TERMINATE).call, CCBOX_BUSY);
    std::vector<uint8_t> attacker(4096, 0x41);
    void* shared = e.e->backend->allocate_shared(attacker.size());
    std::memcpy(shared, attacker.data(), attacker.size());
    size_t written = 0;
    EXPECT_EQ(ccbox::host::ring_tcs_unchecked(e, other, 0x7777, shared, attacker.size(), nullptr, 0, &written),
              CCBOX_NOT_FOUND);
    e.e->backend->free_shared(shared);
    EXPECT_EQ(ccbox_terminate_enclave(e), CCBOX_BUSY) << "the host library refuses too, and keeps the enclave";
    EXPECT_EQ(ring(e, other, kAdd, {1, 2}).value, 3) << "the other TCS still serves ECALLs";
    {
        std::lock_guard lock(g_hold_mutex);
        g_release = true;
    }
    g_hold_cv.notify_all();
    holder.join();
    EXPECT_EQ(held, CCBOX_OK);
    EXPECT_EQ(checked, 0) << "the resumed ECALL found its state changed (mask " << checked << ")";
    // With nothing inside any more, TERMINATE goes through.
    EXPECT_EQ(ring(e, other, CCBOX_ECALL_TERMINATE).call, CCBOX_OK);
}

// After TERMINATE every call fails, on every TCS, whatever it is, and the host library's
// ccbox_terminate_enclave still frees the enclave.
TEST_P(Lifecycle, AfterTerminationEveryCallFails) {
    Enclave e(GetParam());
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    ASSERT_EQ(ring(e, 1, CCBOX_ECALL_TERMINATE).call, CCBOX_OK);
    for (uint32_t tcs : {0u, 1u}) {
        for (uint32_t id : {uint32_t{kAdd}, uint32_t{kCheckState}, uint32_t{kDuringConstructor}, uint32_t{0x7777},
                            uint32_t{CCBOX_ECALL_INIT}, uint32_t{CCBOX_ECALL_TERMINATE}}) {
            Ring r = ring(e, tcs, id, {1, 2});
            EXPECT_EQ(r.call, CCBOX_ENCLAVE_TERMINATED) << "TCS " << tcs << ", id " << id << ": "
                                                        << ccbox_result_str(r.call);
            EXPECT_EQ(r.value, 0);
        }
    }
    int sum = 0;
    EXPECT_EQ(lc_add(e, &sum, 1, 2), CCBOX_ENCLAVE_TERMINATED);
    EXPECT_EQ(sum, 0);
}

// Nested ECALLs through OCALLs stop at CCBOX_MAX_CALL_DEPTH levels in the enclave itself,
// with CCBOX_REENTRANT_ECALL, when the host does not use the host library's own limit.
TEST_P(Lifecycle, NestingDepthIsBoundedInsideTheEnclave) {
    Enclave e(GetParam());
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    g_nest.enclave = e;
    g_nest.tcs = 0;
    Ring r = ring(e, 0, kNest, {100});
    ASSERT_EQ(r.call, CCBOX_OK);
    EXPECT_EQ(r.value, -static_cast<int>(CCBOX_REENTRANT_ECALL));
    EXPECT_EQ(g_nest.refused, CCBOX_REENTRANT_ECALL);
    EXPECT_EQ(g_nest.deepest, static_cast<int>(CCBOX_MAX_CALL_DEPTH)) << "OCALLs made, one per level";
    // Within the limit the same calls work.
    g_nest = NestProbe{};
    g_nest.enclave = e;
    r = ring(e, 0, kNest, {static_cast<int>(CCBOX_MAX_CALL_DEPTH) - 1});
    EXPECT_EQ(r.call, CCBOX_OK);
    EXPECT_EQ(r.value, static_cast<int>(CCBOX_MAX_CALL_DEPTH));
}

// TERMINATE from inside an OCALL: nested on the same TCS it is never legal; on the other TCS
// it is refused while this one is inside.
TEST_P(Lifecycle, TerminateFromInsideAnOcallIsRefused) {
    Enclave e(GetParam());
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    Ring nested, other;
    g_nest.enclave = e;
    g_nest.tcs = 0;
    g_nest.at_level = [&] {
        nested = ring(e, 0, CCBOX_ECALL_TERMINATE);
        other = ring(e, 1, CCBOX_ECALL_TERMINATE);
    };
    Ring r = ring(e, 0, kNest, {2});
    EXPECT_EQ(r.call, CCBOX_OK);
    EXPECT_EQ(r.value, 3);
    EXPECT_EQ(nested.call, CCBOX_ECALL_NOT_ALLOWED);
    EXPECT_EQ(other.call, CCBOX_BUSY);
    EXPECT_EQ(ring(e, 1, kCheckState).value, 0) << "nothing was destroyed";
}

// A call the enclave refuses never costs it anything: the id and the call's legality are
// checked before its input is copied or memory allocated for it. The input here is larger
// than the whole enclave heap, so an enclave that allocated first would answer
// CCBOX_OUT_OF_MEMORY (and one that copied first would have spent the copy).
TEST_P(Lifecycle, RefusedCallsAreRefusedBeforeTheirInputIsCopied) {
    Enclave e(GetParam());
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    const size_t size = 4u << 20;  // the heap is NumHeapPages=256: 1 MiB
    void* big = e.e->backend->allocate_shared(size);
    ASSERT_NE(big, nullptr);
    size_t written = 0;
    EXPECT_EQ(ccbox::host::ring_tcs_unchecked(e, 1, 0x7777, big, size, nullptr, 0, &written), CCBOX_NOT_FOUND);
    EXPECT_EQ(ccbox::host::ring_tcs_unchecked(e, 1, kNestInner, big, size, nullptr, 0, &written),
              CCBOX_ECALL_NOT_ALLOWED)
        << "a private ECALL at the top level";
    EXPECT_EQ(ccbox::host::ring_tcs_unchecked(e, 1, CCBOX_ECALL_INIT, big, size, nullptr, 0, &written),
              CCBOX_ALREADY_INITIALIZED);
    EXPECT_EQ(ccbox::host::ring_tcs_unchecked(e, 1, kAdd, big, size, nullptr, 0, &written), CCBOX_OUT_OF_MEMORY)
        << "a legal call does get its input copied (and the enclave cannot hold this one)";
    e.e->backend->free_shared(big);
    EXPECT_EQ(ring(e, 1, kCheckState).value, 0);
}

// An enclave as ccbox_create_enclave loads it, before its CCBOX_ECALL_INIT.
ccbox_enclave_t* uninitialised(Backend backend) {
    auto made = ccbox::host::create_enclave_uninitialised(
        ccbox::test::built_file("runtime/lifecycle_enclave.signed").c_str(), ccbox::test::create_flags(backend),
        ccbox::test::platform_settings(), 1, lifecycle_test_ocall_function_table, 4);  // the EDL's 4 OCALLs
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().message());
    return made.ok() ? made.value() : nullptr;
}

Ring ring_init(ccbox_enclave_t* e, uint32_t tcs, size_t size = sizeof(ccbox_init_args_t)) {
    ccbox_init_args_t args = ccbox::host::init_args_for(e);
    auto* shared = static_cast<uint8_t*>(e->backend->allocate_shared(sizeof args + 16));
    std::memset(shared, 0, sizeof args + 16);
    std::memcpy(shared, &args, sizeof args);
    size_t written = 0;
    Ring r;
    r.call = ccbox::host::ring_tcs_unchecked(e, tcs, CCBOX_ECALL_INIT, shared, size, nullptr, 0, &written);
    e->backend->free_shared(shared);
    return r;
}

// Before INIT nothing but INIT runs; an INIT with the wrong input changes nothing; of two
// TCSs that send INIT at the same moment exactly one runs the constructors.
TEST_P(Lifecycle, OnlyOneInitRunsAndNothingRunsBeforeIt) {
    for (int round = 0; round < 20; ++round) {
        ccbox_enclave_t* e = uninitialised(GetParam());
        ASSERT_NE(e, nullptr);
        if (round == 0) {
            EXPECT_EQ(ring(e, 0, kAdd, {1, 2}).call, CCBOX_ENCLAVE_NOT_READY);
            EXPECT_EQ(ring(e, 1, CCBOX_ECALL_TERMINATE).call, CCBOX_ENCLAVE_NOT_READY);
            EXPECT_EQ(ring_init(e, 0, sizeof(ccbox_init_args_t) + 8).call, CCBOX_INVALID_PARAMETER);
            EXPECT_EQ(ring_init(e, 0, 0).call, CCBOX_INVALID_PARAMETER);
            {
                ccbox_init_args_t args = ccbox::host::init_args_for(e);
                void* in = e->backend->allocate_shared(sizeof args);
                void* out = e->backend->allocate_shared(64);
                std::memcpy(in, &args, sizeof args);
                size_t written = 0;
                EXPECT_EQ(ccbox::host::ring_tcs_unchecked(e, 0, CCBOX_ECALL_INIT, in, sizeof args, out, 64, &written),
                          CCBOX_INVALID_PARAMETER)
                    << "INIT has no output";
                e->backend->free_shared(in);
                e->backend->free_shared(out);
            }
            EXPECT_EQ(ring(e, 1, kCheckState).call, CCBOX_ENCLAVE_NOT_READY) << "a refused INIT leaves it uninitialised";
        }
        std::atomic<int> go{0};
        Ring results[2];
        std::thread racers[2];
        for (uint32_t t = 0; t < 2; ++t)
            racers[t] = std::thread([&, t] {
                go.fetch_add(1);
                while (go.load() < 2) {
                }
                results[t] = ring_init(e, t);
            });
        for (auto& r : racers)
            r.join();
        const int ran = (results[0].call == CCBOX_OK) + (results[1].call == CCBOX_OK);
        EXPECT_EQ(ran, 1) << "round " << round << ": " << ccbox_result_str(results[0].call) << ", "
                          << ccbox_result_str(results[1].call);
        for (const Ring& r : results)
            EXPECT_TRUE(r.call == CCBOX_OK || r.call == CCBOX_ALREADY_INITIALIZED) << ccbox_result_str(r.call);
        EXPECT_EQ(ring(e, 0, kCheckState).value, 0);
        EXPECT_EQ(ring(e, 1, CCBOX_ECALL_TERMINATE).call, CCBOX_OK);
        EXPECT_EQ(ccbox_terminate_enclave(e), CCBOX_OK);
    }
}

// TERMINATE racing with ECALLs on the other TCS: every ECALL that got in found the state
// intact (TERMINATE waited for it to leave), and every one after TERMINATE was refused.
TEST_P(Lifecycle, TerminateRacingWithEcallsNeverFreesStateInUse) {
    Enclave e(GetParam());
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    std::atomic<bool> terminated{false}, quiet{false};
    std::atomic<int> ran{0};
    int refused = 0, damaged = 0, other = 0;
    std::thread caller([&] {
        for (;;) {
            const bool after = terminated.load();
            if (quiet.load() && !after)
                continue;  // let TERMINATE through, then make one more call
            Ring r = ring(e, 0, kCheckState);
            if (r.call == CCBOX_OK) {
                ++ran;
                damaged += r.value != 0;
            } else if (r.call == CCBOX_ENCLAVE_TERMINATED) {
                ++refused;
            } else {
                ++other;
            }
            if (after)
                break;
        }
    });
    while (ran.load() < 100) {  // TERMINATE starts while ECALLs keep coming
    }
    int busy = 0;
    ccbox_result_t r;
    while ((r = ring(e, 1, CCBOX_ECALL_TERMINATE).call) == CCBOX_BUSY)
        if (++busy == 2000)
            quiet.store(true);  // enough refusals seen: bound the test's length
    terminated.store(true);
    caller.join();
    EXPECT_EQ(r, CCBOX_OK) << ccbox_result_str(r);
    RecordProperty("ecalls_ran", ran.load());
    RecordProperty("terminates_refused", busy);
    EXPECT_EQ(damaged, 0) << ran.load() << " ECALLs ran, " << busy << " TERMINATEs refused";
    EXPECT_EQ(other, 0);
    EXPECT_GE(refused, 1) << "the call after TERMINATE";
}

// A destructor's OCALL allow()s ECALLs, but once TERMINATE has begun nothing is admitted any
// more, on its own TCS or another.
TEST_P(Lifecycle, NoEcallsFromADestructorsOcall) {
    Enclave e(GetParam());
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    g_destructor.enclave = e;
    EXPECT_EQ(ring(e, 1, CCBOX_ECALL_TERMINATE).call, CCBOX_OK);
    g_destructor.enclave = nullptr;
    ASSERT_TRUE(g_destructor.ran);
    EXPECT_EQ(g_destructor.same_tcs_allowed.call, CCBOX_ENCLAVE_TERMINATED);
    EXPECT_EQ(g_destructor.same_tcs_public.call, CCBOX_ENCLAVE_TERMINATED);
    EXPECT_EQ(g_destructor.other_tcs.call, CCBOX_ENCLAVE_TERMINATED);
}

INSTANTIATE_TEST_SUITE_P(Backends, Lifecycle, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

}  // namespace
