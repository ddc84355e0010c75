#include "switchless_fixture.hpp"

#include "test_support.hpp"

#include <chrono>
#include <climits>
#include <cstring>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace sw {

Hold g_hold;
std::function<void()> g_tamper;
std::atomic<uint32_t> g_ocall_records[65536];
std::atomic<uint64_t> g_ocalls_on_callers{0}, g_ocalls_on_workers{0};
thread_local bool t_is_caller = false;
ccbox_enclave_t* g_nest_enclave = nullptr;

void reset_globals() {
    {
        std::lock_guard lock(g_hold.mutex);
        g_hold.entered = 0;
        g_hold.released = false;
    }
    g_tamper = nullptr;
    for (auto& r : g_ocall_records)
        r.store(0);
    g_ocalls_on_callers = g_ocalls_on_workers = 0;
}

void Hold::wait_entered(int count) {
    std::unique_lock lock(mutex);
    cv.wait(lock, [this, count] { return entered >= count; });
}

void Hold::release() {
    std::lock_guard lock(mutex);
    released = true;
    cv.notify_all();
}

Enclave::Enclave(Backend backend, uint32_t host_workers, uint32_t enclave_workers) {
    ccbox_enclave_setting_switchless_t switchless{host_workers, enclave_workers};
    ccbox_enclave_setting_t settings[2] = {ccbox::test::platform_settings()[0], {}};
    settings[1].setting_type = CCBOX_ENCLAVE_SETTING_SWITCHLESS;
    settings[1].u.switchless = &switchless;
    created = ccbox_create_switchless_test_enclave(
        ccbox::test::built_file("runtime/switchless_enclave.signed").c_str(), ccbox::test::create_flags(backend),
        settings, 2, &e);
}

Enclave::~Enclave() {
    if (e) {
        EXPECT_EQ(ccbox_terminate_enclave(e), CCBOX_OK) << ccbox_get_last_error();
    }
}

uint64_t Enclave::runs(int which) const {
    uint64_t n = 0;
    EXPECT_EQ(sw_runs(e, &n, which), CCBOX_OK);
    return n;
}

Request::Request(ccbox_enclave_t* e, std::initializer_list<uint64_t> args) : enclave(e) {
    in_size = args.size() * 8;
    in = static_cast<uint8_t*>(e->backend->allocate_shared(in_size + 1));
    out = static_cast<uint8_t*>(e->backend->allocate_shared(kOutSize));
    size_t o = 0;
    for (uint64_t a : args) {
        std::memcpy(in + o, &a, 8);
        o += 8;
    }
    std::memset(out, 0, kOutSize);
}

Request::~Request() {
    enclave->backend->free_shared(in);
    enclave->backend->free_shared(out);
}

int Request::value() const {
    int v;
    std::memcpy(&v, out, sizeof v);
    return v;
}

uint32_t Forger::state(uint32_t i) const { return __atomic_load_n(&w.slots[i].state, __ATOMIC_ACQUIRE); }

void Forger::post(uint32_t i, uint64_t ticket, uint64_t function_id, const void* in, size_t in_size, void* out,
                  size_t out_size) {
    ccbox_switchless_ecall_slot_t& s = w.slots[i];
    // Claimed as the host library claims, so that it and this forger never share a slot.
    for (uint32_t free = CCBOX_SWITCHLESS_FREE; !__atomic_compare_exchange_n(
             &s.state, &free, CCBOX_SWITCHLESS_CLAIMED, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
         free = CCBOX_SWITCHLESS_FREE)
        std::this_thread::yield();
    if (ticket == kNext)
        ticket = ++w.tickets[i];
    s.sequence = ticket;
    s.function_id = function_id;
    s.input_buffer = reinterpret_cast<uintptr_t>(in);
    s.input_size = in_size;
    s.output_buffer = reinterpret_cast<uintptr_t>(out);
    s.output_size = out_size;
    s.output_written = 0xdeadbeef;
    s.result = 0xdead;
    set_state(i, CCBOX_SWITCHLESS_REQUEST);
    ring();
}

void Forger::set_state(uint32_t i, uint32_t state) { __atomic_store_n(&w.slots[i].state, state, __ATOMIC_SEQ_CST); }

void Forger::ring() {
    __atomic_fetch_add(&w.queue->doorbell, 1u, __ATOMIC_SEQ_CST);
    ::syscall(SYS_futex, &w.queue->doorbell, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

bool Forger::wait_leaves(uint32_t i, uint32_t from) const {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (state(i) == from) {
        if (std::chrono::steady_clock::now() > give_up)
            return false;
        std::this_thread::yield();
    }
    return true;
}

int switchless_echo_on_worker(Enclave& e, int x) {
    for (int attempt = 1; attempt <= 1000; ++attempt) {
        const uint64_t before = e.workers().switchless_calls.load();
        int r = 0;
        EXPECT_EQ(sw_echo(e, &r, x), CCBOX_OK);
        EXPECT_EQ(r, x + 1);
        if (e.workers().switchless_calls.load() != before)
            return attempt;
    }
    ADD_FAILURE() << "no switchless ECALL ran on a worker in 1000 attempts";
    return 1000;
}

}  // namespace sw

using namespace sw;

extern "C" void host_hold(int) {
    std::unique_lock lock(g_hold.mutex);
    ++g_hold.entered;
    g_hold.cv.notify_all();
    g_hold.cv.wait(lock, [] { return g_hold.released; });
}

extern "C" void host_tamper(void) {
    if (g_tamper)
        g_tamper();
}

extern "C" int host_record(uint64_t id) {
    if (id < 65536)
        g_ocall_records[id].fetch_add(1);
    (t_is_caller ? g_ocalls_on_callers : g_ocalls_on_workers).fetch_add(1);
    return static_cast<int>(id ^ 0x5a5a);
}

extern "C" int host_nest(int x) {
    // Inside a worker's switchless ECALL: its own TCS takes the nested ECALL that allow() names.
    int r = -1;
    if (sw_inner(g_nest_enclave, &r, x) != CCBOX_OK)
        return -100;
    return r;
}

extern "C" void host_hold_switchless(int) {
    if (t_is_caller)
        return;  // fell back to the calling thread: nothing is held
    host_hold(0);
}
