// Switchless calls in the isolated backend (issue 15), each next to baselines measured in the
// same run:
//   a switchless ECALL round trip (an enclave worker runs it) and a switchless OCALL round trip
//   (a host worker runs it) vs a cross-process shared-memory spin ping-pong (target <= 2);
//   the same empty ECALL and OCALL made the ordinary way (default spin settings: in a tight loop
//   the enclave's TCS thread is still spinning from the last call), and the ordinary ECALL with
//   that thread asleep (a call spaced out from the last one), for the gain.
// Each switchless benchmark checks that its calls did go through the workers (a fallback to an
// ordinary call measures something else): it reports the share that fell back
// (`fallback_share`), and the ratio lines say when more than 5% did: then the machine is too
// loaded for spinning threads, and the switchless figures are not switchless ones.
#include "host/enclave.hpp"
#include "ping_pong.hpp"
#include "ratio_reporter.hpp"
#include "switchless_bench_u.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

extern "C" void sb_host_empty(void) {}
extern "C" void sb_host_switchless_empty(void) {}

namespace {

std::string g_image, g_state_dir;
constexpr int kOcallBatch = 1000;  // OCALLs per ECALL: the ECALL's own cost is amortised
double g_ecall_fallback_share = 0, g_ocall_fallback_share = 0;

ccbox_enclave_t* create(uint32_t host_workers, uint32_t enclave_workers) {
    ccbox_enclave_setting_platform_t platform{};
    platform.state_dir = g_state_dir.c_str();
    ccbox_enclave_setting_switchless_t switchless{host_workers, enclave_workers};
    ccbox_enclave_setting_t settings[2] = {};
    settings[0].setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
    settings[0].u.platform = &platform;
    settings[1].setting_type = CCBOX_ENCLAVE_SETTING_SWITCHLESS;
    settings[1].u.switchless = &switchless;
    ccbox_enclave_t* e = nullptr;
    if (ccbox_create_switchless_bench_enclave(g_image.c_str(), CCBOX_ENCLAVE_FLAG_ISOLATED, settings, 2, &e) !=
        CCBOX_OK) {
        std::fprintf(stderr, "cannot create %s: %s\n", g_image.c_str(), ccbox_get_last_error());
        std::exit(1);
    }
    return e;
}

void BM_SpinPingPong(benchmark::State& state) { ccbox::bench::ping_pong(state, false); }

void BM_IsolatedEcall(benchmark::State& state) {
    ccbox_enclave_t* e = create(0, 0);
    sb_empty(e);
    for (auto _ : state)
        sb_empty(e);
    ccbox_terminate_enclave(e);
}

// The same ordinary ECALL when the enclave's TCS thread sleeps between calls (as after an idle
// moment longer than its short spin): what a call spaced out from the last one costs.
void BM_IsolatedEcallAsleep(benchmark::State& state) {
    ::setenv("CCBOX_WORKER_SPIN", "0", 1);  // read when the enclave is created
    ccbox_enclave_t* e = create(0, 0);
    ::unsetenv("CCBOX_WORKER_SPIN");
    sb_empty(e);
    for (auto _ : state)
        sb_empty(e);
    ccbox_terminate_enclave(e);
}

void BM_IsolatedSwitchlessEcall(benchmark::State& state) {
    ccbox_enclave_t* e = create(0, 1);
    sb_switchless_empty(e);
    const uint64_t fell_back = e->enclave_workers->fallback_calls.load();
    for (auto _ : state)
        sb_switchless_empty(e);
    const double fallbacks = static_cast<double>(e->enclave_workers->fallback_calls.load() - fell_back);
    g_ecall_fallback_share = fallbacks / static_cast<double>(state.iterations());
    state.counters["fallback_share"] = g_ecall_fallback_share;
    ccbox_terminate_enclave(e);
}

void BM_IsolatedOcall(benchmark::State& state) {
    ccbox_enclave_t* e = create(0, 0);
    sb_ocalls(e, 1);
    for (auto _ : state)
        sb_ocalls(e, kOcallBatch);
    state.SetItemsProcessed(state.iterations() * kOcallBatch);
    ccbox_terminate_enclave(e);
}

void BM_IsolatedSwitchlessOcall(benchmark::State& state) {
    ccbox_enclave_t* e = create(1, 0);
    sb_switchless_ocalls(e, 1);
    const uint64_t served = e->switchless->served.load();
    for (auto _ : state)
        sb_switchless_ocalls(e, kOcallBatch);
    const double calls = static_cast<double>(state.iterations()) * kOcallBatch;
    const double on_worker = static_cast<double>(e->switchless->served.load() - served);
    state.SetItemsProcessed(state.iterations() * kOcallBatch);
    g_ocall_fallback_share = 1 - on_worker / calls;
    state.counters["fallback_share"] = g_ocall_fallback_share;
    ccbox_terminate_enclave(e);
}

}  // namespace

int main(int argc, char** argv) {
    g_image = (std::filesystem::path(argv[0]).parent_path() / "switchless_bench_enclave.signed").string();
    char tmpl[] = "/tmp/ccbox-bench-XXXXXX";
    g_state_dir = ::mkdtemp(tmpl);
    ::setenv("CCBOX_PLATFORM_IDLE_EXIT", "5", 1);

    benchmark::RegisterBenchmark("SpinPingPong", BM_SpinPingPong)->Unit(benchmark::kMicrosecond)->UseRealTime();
    benchmark::RegisterBenchmark("IsolatedSwitchlessEcall", BM_IsolatedSwitchlessEcall)
        ->Unit(benchmark::kMicrosecond)->UseRealTime();
    benchmark::RegisterBenchmark("IsolatedSwitchlessOcall", BM_IsolatedSwitchlessOcall)
        ->Unit(benchmark::kMicrosecond)->UseRealTime();
    benchmark::RegisterBenchmark("IsolatedEcall", BM_IsolatedEcall)->Unit(benchmark::kMicrosecond)->UseRealTime();
    benchmark::RegisterBenchmark("IsolatedOcall", BM_IsolatedOcall)->Unit(benchmark::kMicrosecond)->UseRealTime();
    benchmark::RegisterBenchmark("IsolatedEcallAsleep", BM_IsolatedEcallAsleep)
        ->Unit(benchmark::kMicrosecond)->UseRealTime();

    ccbox::bench::RatioReporter reporter;
    reporter.add_time_ratio("switchless ECALL / spin ping-pong (<= 2)", "IsolatedSwitchlessEcall", "SpinPingPong");
    reporter.add_time_ratio("ordinary isolated ECALL / switchless ECALL", "IsolatedEcall", "IsolatedSwitchlessEcall");
    reporter.add_time_ratio("ordinary ECALL, enclave thread asleep / switchless", "IsolatedEcallAsleep",
                            "IsolatedSwitchlessEcall");
    int rc = ccbox::bench::run_benchmarks(argc, argv, reporter);
    const double ping = reporter.seconds_of("SpinPingPong");
    const double ocall = reporter.seconds_of("IsolatedOcall") / kOcallBatch;
    const double sw_ocall = reporter.seconds_of("IsolatedSwitchlessOcall") / kOcallBatch;
    const double ecall = reporter.seconds_of("IsolatedEcall"), sw_ecall = reporter.seconds_of("IsolatedSwitchlessEcall");
    if (ping > 0 && sw_ocall > 0)
        std::printf("ratio %-48s %.3f\n", "switchless OCALL / spin ping-pong (<= 2)", sw_ocall / ping);
    if (ocall > 0 && sw_ocall > 0)
        std::printf("ratio %-48s %.3f\n", "ordinary isolated OCALL / switchless OCALL", ocall / sw_ocall);
    std::printf("ns: spin ping-pong %.0f, switchless ECALL %.0f, ordinary ECALL %.0f, switchless OCALL %.0f, "
                "ordinary OCALL %.0f\n",
                ping * 1e9, sw_ecall * 1e9, ecall * 1e9, sw_ocall * 1e9, ocall * 1e9);
    std::printf("fallback share: switchless ECALLs %.4f, switchless OCALLs %.4f\n", g_ecall_fallback_share,
                g_ocall_fallback_share);
    if (g_ecall_fallback_share > 0.05 || g_ocall_fallback_share > 0.05)
        std::printf("WARNING: more than 5%% of the switchless calls fell back to ordinary ones: the machine is too "
                    "loaded for spinning workers, and the switchless figures above are not switchless ones\n");
    std::error_code ec;
    std::filesystem::remove_all(g_state_dir, ec);
    return rc;
}
