// Issue 15, acceptance 4: switchless ECALLs and OCALLs under contention. More callers than
// workers; every request carries a unique id, which the callee counts (the enclave for ECALLs,
// the host for OCALLs): each must be seen exactly once and answered with its own answer. Both
// paths must have been taken: through a worker and the fallback to an ordinary call.
#include "switchless_fixture.hpp"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using namespace sw;

class SwitchlessStress : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override { reset_globals(); }
};

constexpr int kCallers = 4;  // NumTCS=6: two enclave workers, and a TCS for each caller's fallback

TEST_P(SwitchlessStress, ContendedEcallsAreAnsweredExactlyOnce) {
    Enclave e(GetParam(), 0, 2);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    // Both workers start held (in sw_hold, posted by hand): each caller's first quarter of calls
    // can only fall back. Then the workers are let go, and the rest contend for them.
    Forger f{e.workers()};
    Request hold0(e, {1}), hold1(e, {2});
    f.post(0, Forger::kNext, kHold, hold0);
    f.post(1, Forger::kNext, kHold, hold1);
    g_hold.wait_entered(2);
    constexpr int kPerCaller = 2000;
    std::atomic<int> done{0};
    std::atomic<bool> go{false};
    std::vector<int> wrong(kCallers, 0);
    std::vector<std::thread> callers;
    for (int c = 0; c < kCallers; ++c)
        callers.emplace_back([&, c] {
            for (int j = 0; j < kPerCaller; ++j) {
                const uint64_t id = static_cast<uint64_t>(c) * kPerCaller + j;
                int r = -1;
                ccbox_result_t result = sw_record(e, &r, id);
                wrong[c] += result != CCBOX_OK || r != static_cast<int>(id ^ 0x5a5a);
                if (j + 1 == kPerCaller / 4) {
                    done.fetch_add(1);
                    while (!go.load())
                        std::this_thread::yield();
                }
            }
        });
    while (done.load() < kCallers)
        std::this_thread::yield();
    g_hold.release();
    for (uint32_t i : {0u, 1u}) {
        ASSERT_TRUE(f.wait_leaves(i, CCBOX_SWITCHLESS_TAKEN));
        EXPECT_EQ(f.slot(i).result, CCBOX_OK);
        f.set_state(i, CCBOX_SWITCHLESS_FREE);
    }
    go.store(true);
    for (auto& t : callers)
        t.join();
    EXPECT_EQ(hold0.value(), 1);
    EXPECT_EQ(hold1.value(), 2);
    for (int c = 0; c < kCallers; ++c)
        EXPECT_EQ(wrong[c], 0) << "caller " << c;
    uint64_t not_once = 1;
    ASSERT_EQ(sw_check_records(e, &not_once, kCallers * kPerCaller), CCBOX_OK);
    EXPECT_EQ(not_once, 0u) << "requests lost or run twice";
    EXPECT_EQ(e.runs(kRunsRecord), static_cast<uint64_t>(kCallers * kPerCaller));
    const uint64_t on_workers = e.workers().switchless_calls.load(), fallbacks = e.workers().fallback_calls.load();
    EXPECT_GT(on_workers, 0u);
    EXPECT_GT(fallbacks, 0u);
    EXPECT_EQ(on_workers + fallbacks, static_cast<uint64_t>(kCallers * kPerCaller));
    std::printf("switchless ECALLs: %llu on enclave workers, %llu fell back to ordinary ECALLs\n",
                static_cast<unsigned long long>(on_workers), static_cast<unsigned long long>(fallbacks));
}

TEST_P(SwitchlessStress, ContendedOcallsAreAnsweredExactlyOnce) {
    Enclave e(GetParam(), 1, 0);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    // The host worker starts held (in host_hold_switchless; retried until the OCALL did not fall
    // back): each caller's first quarter of OCALLs can only fall back. Then the rest contend.
    std::thread holder([&] {
        t_is_caller = true;
        for (int attempt = 0; attempt < 1000; ++attempt) {
            int r = -1;
            ASSERT_EQ(sw_ocall_hold(e, &r, 0), CCBOX_OK);
            std::lock_guard lock(g_hold.mutex);
            if (g_hold.entered > 0)
                return;  // it ran on the worker, and was let go
        }
        ADD_FAILURE() << "the holding OCALL never ran on the host worker";
        std::lock_guard lock(g_hold.mutex);
        g_hold.entered = 1;  // let the test go on (and fail)
        g_hold.cv.notify_all();
    });
    g_hold.wait_entered();
    constexpr int kPerCaller = 2000;
    std::atomic<int> done{0};
    std::atomic<bool> go{false};
    std::vector<int> wrong(kCallers, -1);
    std::vector<ccbox_result_t> results(kCallers, CCBOX_FAILURE);
    std::vector<std::thread> callers;
    for (int c = 0; c < kCallers; ++c)
        callers.emplace_back([&, c] {
            t_is_caller = true;  // a fallback OCALL runs on the thread that made the ECALL
            const uint64_t base = static_cast<uint64_t>(c) * kPerCaller;
            int w1 = -1, w2 = -1;
            ccbox_result_t r1 = sw_ocall_stress(e, &w1, base, kPerCaller / 4);
            done.fetch_add(1);
            while (!go.load())
                std::this_thread::yield();
            ccbox_result_t r2 = sw_ocall_stress(e, &w2, base + kPerCaller / 4, kPerCaller - kPerCaller / 4);
            results[c] = r1 != CCBOX_OK ? r1 : r2;
            wrong[c] = w1 + w2;
        });
    while (done.load() < kCallers)
        std::this_thread::yield();
    const uint64_t held_phase_on_workers = g_ocalls_on_workers.load();
    g_hold.release();
    holder.join();
    go.store(true);
    for (auto& t : callers)
        t.join();
    EXPECT_EQ(held_phase_on_workers, 0u) << "the held worker served OCALLs";
    for (int c = 0; c < kCallers; ++c) {
        EXPECT_EQ(results[c], CCBOX_OK) << "caller " << c;
        EXPECT_EQ(wrong[c], 0) << "caller " << c;
    }
    int not_once = 0;
    for (int id = 0; id < kCallers * kPerCaller; ++id)
        not_once += g_ocall_records[id].load() != 1;
    EXPECT_EQ(not_once, 0) << "OCALLs lost or run twice";
    EXPECT_GT(g_ocalls_on_workers.load(), 0u);
    EXPECT_GT(g_ocalls_on_callers.load(), 0u);
    std::printf("switchless OCALLs: %llu on the host worker, %llu fell back to ordinary OCALLs\n",
                static_cast<unsigned long long>(g_ocalls_on_workers.load()),
                static_cast<unsigned long long>(g_ocalls_on_callers.load()));
}

INSTANTIATE_TEST_SUITE_P(Backends, SwitchlessStress, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

}  // namespace
