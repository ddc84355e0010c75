// Call costs, each next to a baseline measured in the same run:
//   sim backend:      empty ECALL, empty OCALL, ECALL with 4 KiB [in] + 4 KiB [out]
//                     vs a plain indirect function call; an empty ECALL into an enclave with
//                     thread-local storage vs the same plus two writes of the FS base;
//   isolated backend: empty ECALL with the enclave thread asleep vs a cross-process futex
//                     ping-pong, and with it spinning vs a shared-memory spin ping-pong;
//   creation:         creating a 16 MiB enclave vs measuring the same image alone.
#include "bench_enclaves.hpp"
#include "ping_pong.hpp"
#include "platform/enclave_image.hpp"
#include "platform/layout.hpp"
#include "ratio_reporter.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <linux/futex.h>
#include <asm/prctl.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern "C" void b_host_empty(void) {}

namespace {

const ccbox::bench::BenchEnclaves* g_enclaves = nullptr;
std::string g_image, g_image_tls, g_image_16mib;

ccbox_enclave_t* create(uint32_t flags, const std::string& image = g_image) { return g_enclaves->create(flags, image); }

// ---------------------------------------------------------------- baselines

__attribute__((noinline)) void noop() { asm volatile(""); }
void (*volatile g_indirect)() = noop;

void BM_IndirectCall(benchmark::State& state) {
    for (auto _ : state)
        g_indirect();
}

// What the sim backend pays to point FS at an enclave's thread data: WRFSBASE where the kernel
// allows it, else the arch_prctl system call (here: setting FS to its current value).
void BM_SetFsBase(benchmark::State& state) {
    uintptr_t fs;
    asm volatile("mov %%fs:0, %0" : "=r"(fs));
    const bool fsgsbase = (getauxval(AT_HWCAP2) & (1u << 1)) != 0;
    for (auto _ : state) {
        if (fsgsbase)
            asm volatile("wrfsbase %0" : : "r"(fs) : "memory");
        else
            ::syscall(SYS_arch_prctl, ARCH_SET_FS, fs);
    }
}

void BM_FutexPingPong(benchmark::State& state) { ccbox::bench::ping_pong(state, true); }
void BM_SpinPingPong(benchmark::State& state) { ccbox::bench::ping_pong(state, false); }

// ---------------------------------------------------------------- enclave calls

void BM_SimEcall(benchmark::State& state) {
    static ccbox_enclave_t* e = create(CCBOX_ENCLAVE_FLAG_SIMULATE);
    for (auto _ : state)
        b_empty(e);
}

void BM_SimEcallTls(benchmark::State& state) {
    static ccbox_enclave_t* e = create(CCBOX_ENCLAVE_FLAG_SIMULATE, g_image_tls);
    for (auto _ : state)
        b_empty(e);
}

void BM_SimOcall(benchmark::State& state) {
    static ccbox_enclave_t* e = create(CCBOX_ENCLAVE_FLAG_SIMULATE);
    constexpr int kBatch = 1000;  // OCALLs per ECALL: the ECALL's own cost is amortised
    for (auto _ : state)
        b_ocalls(e, kBatch);
    state.SetItemsProcessed(state.iterations() * kBatch);
}

void BM_SimEcall4KiB(benchmark::State& state) {
    static ccbox_enclave_t* e = create(CCBOX_ENCLAVE_FLAG_SIMULATE);
    std::vector<uint8_t> in(4096, 1), out(4096);
    for (auto _ : state)
        b_buffers(e, in.data(), out.data());
}

ccbox_enclave_t* isolated(bool spinning) {
    // The spin settings are read when the enclave is created. Asleep: the enclave's worker
    // sleeps on its futex between calls (the host keeps its default short spin).
    ::setenv("CCBOX_WORKER_SPIN", spinning ? "100000000" : "0", 1);
    if (spinning)
        ::setenv("CCBOX_HOST_SPIN", "100000000", 1);
    else
        ::unsetenv("CCBOX_HOST_SPIN");
    return create(CCBOX_ENCLAVE_FLAG_ISOLATED);
}

void isolated_ecall(benchmark::State& state, bool spinning) {
    ccbox_enclave_t* e = isolated(spinning);  // per run: a spinning worker must not outlive it
    b_empty(e);
    for (auto _ : state)
        b_empty(e);
    ccbox_terminate_enclave(e);
}

void BM_IsolatedEcallAsleep(benchmark::State& state) { isolated_ecall(state, false); }
void BM_IsolatedEcallSpinning(benchmark::State& state) { isolated_ecall(state, true); }

// ---------------------------------------------------------------- creation

void BM_Create16MiBIsolated(benchmark::State& state) {
    for (auto _ : state)
        ccbox_terminate_enclave(create(CCBOX_ENCLAVE_FLAG_ISOLATED, g_image_16mib));
}

void BM_Create16MiBSim(benchmark::State& state) {
    for (auto _ : state)
        ccbox_terminate_enclave(create(CCBOX_ENCLAVE_FLAG_SIMULATE, g_image_16mib));
}

void BM_Measure16MiB(benchmark::State& state) {
    auto image = ccbox::EnclaveImage::load(g_image_16mib).value();
    auto layout = ccbox::EnclaveLayout::compute(image.elf(), image.signature()->config).value();
    state.counters["epc_MiB"] = static_cast<double>(layout.epc_pages()) * 4096 / (1 << 20);
    for (auto _ : state)
        benchmark::DoNotOptimize(layout.mrenclave());
}

}  // namespace

int main(int argc, char** argv) {
    const ccbox::bench::BenchEnclaves enclaves(argv[0]);
    g_enclaves = &enclaves;
    g_image = enclaves.image("bench_enclave.signed");
    g_image_16mib = enclaves.image("bench_enclave.16mib.signed");
    g_image_tls = enclaves.image("bench_enclave_tls.signed");

    benchmark::RegisterBenchmark("IndirectCall", BM_IndirectCall);
    benchmark::RegisterBenchmark("SimEcall", BM_SimEcall);
    benchmark::RegisterBenchmark("SetFsBase", BM_SetFsBase);
    benchmark::RegisterBenchmark("SimEcallTls", BM_SimEcallTls);
    benchmark::RegisterBenchmark("SimOcall", BM_SimOcall)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("SimEcall4KiBInOut", BM_SimEcall4KiB);
    benchmark::RegisterBenchmark("FutexPingPong", BM_FutexPingPong)->Unit(benchmark::kMicrosecond)->UseRealTime();
    benchmark::RegisterBenchmark("IsolatedEcallAsleep", BM_IsolatedEcallAsleep)->Unit(benchmark::kMicrosecond)->UseRealTime();
    benchmark::RegisterBenchmark("SpinPingPong", BM_SpinPingPong)->Unit(benchmark::kMicrosecond)->UseRealTime();
    benchmark::RegisterBenchmark("IsolatedEcallSpinning", BM_IsolatedEcallSpinning)->Unit(benchmark::kMicrosecond)->UseRealTime();
    benchmark::RegisterBenchmark("Measure16MiB", BM_Measure16MiB)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("Create16MiBSim", BM_Create16MiBSim)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("Create16MiBIsolated", BM_Create16MiBIsolated)->Unit(benchmark::kMillisecond)->UseRealTime();

    ccbox::bench::RatioReporter reporter;
    reporter.add_time_ratio("sim empty ECALL / indirect call", "SimEcall", "IndirectCall");
    reporter.add_time_ratio("sim ECALL 4 KiB in+out / indirect call", "SimEcall4KiBInOut", "IndirectCall");
    reporter.add_time_ratio("isolated ECALL, asleep / futex ping-pong (<= 1.5)", "IsolatedEcallAsleep",
                            "FutexPingPong");
    reporter.add_time_ratio("isolated ECALL, spinning / spin ping-pong (<= 3)", "IsolatedEcallSpinning",
                            "SpinPingPong");
    reporter.add_time_ratio("create 16 MiB (sim) / measure it", "Create16MiBSim", "Measure16MiB");
    reporter.add_time_ratio("create 16 MiB (isolated) / measure it", "Create16MiBIsolated", "Measure16MiB");
    int rc = ccbox::bench::run_benchmarks(argc, argv, reporter);
    double ocall = reporter.seconds_of("SimOcall") / 1000, indirect = reporter.seconds_of("IndirectCall");
    if (ocall > 0 && indirect > 0)
        std::printf("ratio %-48s %.3f  (%.0f ns per OCALL)\n", "sim empty OCALL / indirect call", ocall / indirect,
                    ocall * 1e9);
    const double fs = reporter.seconds_of("SetFsBase"), tls = reporter.seconds_of("SimEcallTls");
    const double plain = reporter.seconds_of("SimEcall");
    if (fs > 0 && tls > 0 && plain > 0)
        std::printf("ratio %-48s %.3f  (%.0f ns per ECALL, %.0f ns per FS write)\n",
                    "sim ECALL with TLS / (ECALL + 2 FS writes)", tls / (plain + 2 * fs), tls * 1e9, fs * 1e9);
    std::printf("ns: sim ECALL %.0f, sim ECALL 4 KiB %.0f, indirect call %.1f\n",
                reporter.seconds_of("SimEcall") * 1e9, reporter.seconds_of("SimEcall4KiBInOut") * 1e9, indirect * 1e9);
    return rc;
}
