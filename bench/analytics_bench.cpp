// Issue 13's end-to-end throughput: the confidential-analytics job (samples/
// confidential-analytics) on 200 MB of encrypted CSV in an isolated enclave, on a platform whose
// EPC is a quarter of the input (47 MiB), next to the same aggregation (the same source,
// common/aggregate.cpp) computed natively on the plaintext in this process, in the same run.
// Target: ratio >= 0.5. Both read their input from memory (as from the page cache): the
// enclave's through the ca_read OCALL in 1 MiB pieces, verifying and decrypting every chunk,
// and it encrypts its result through ca_write; the native run parses the plaintext directly.
//   analytics_bench [--size MB] [benchmark flags]
#include "aggregate.hpp"
#include "analytics_u.h"
#include "ratio_reporter.hpp"

#include <ccbox/box.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

struct Input {
    std::string plain;
    std::vector<uint8_t> box;
    size_t at = 0;
    size_t written = 0;
} g_in;

const uint8_t kDataKey[32] = {1}, kResultKey[32] = {2};

// Rows like generate.py's: 24 groups, integer values of 3 to 8 digits, a few negative.
std::string generate(size_t size) {
    std::mt19937_64 rng(13);
    std::string csv = "group,value\n";
    csv.reserve(size + 64);
    char row[64];
    while (csv.size() < size) {
        const unsigned g = unsigned(rng() % 24);
        const long hi = long(std::pow(10.0, 3 + g % 6));
        const long v = long(rng() % uint64_t(hi + 1000 * (g % 3))) - 1000 * long(g % 3);
        const int n = std::snprintf(row, sizeof row, "region-%02u,%ld\n", g, v);
        csv.append(row, size_t(n));
    }
    return csv;
}

bool append(void* context, const uint8_t* data, size_t size, bool) {
    auto* out = static_cast<std::vector<uint8_t>*>(context);
    out->insert(out->end(), data, data + size);
    return true;
}

ccbox_enclave_t* g_enclave = nullptr;

void native(benchmark::State& state) {
    for (auto _ : state) {
        analytics::Aggregator a;
        for (size_t at = 0; at < g_in.plain.size(); at += 1 << 20)
            a.feed(g_in.plain.data() + at, std::min<size_t>(1 << 20, g_in.plain.size() - at));
        if (!a.finish())
            state.SkipWithError(a.error().c_str());
        benchmark::DoNotOptimize(a.result_csv());
    }
    state.SetBytesProcessed(int64_t(state.iterations() * g_in.plain.size()));
}

void enclave(benchmark::State& state) {
    for (auto _ : state) {
        g_in.at = 0;
        int r = -1;
        char error[256] = {};
        uint64_t rows = 0;
        if (ca_use_development_keys(g_enclave, &r, kDataKey, kResultKey) != CCBOX_OK || r != 0 ||
            ca_run(g_enclave, &r, "results", error, &rows) != CCBOX_OK || r != 0)
            state.SkipWithError(error);
    }
    state.SetBytesProcessed(int64_t(state.iterations() * g_in.plain.size()));
}

}  // namespace

extern "C" int ca_read(uint8_t* buffer, size_t capacity, size_t* size) {
    const size_t n = std::min(capacity, g_in.box.size() - g_in.at);
    std::memcpy(buffer, g_in.box.data() + g_in.at, n);
    g_in.at += n;
    *size = n;
    return 0;
}

extern "C" int ca_write(const uint8_t*, size_t size, int) {
    g_in.written += size;
    return 0;
}

int main(int argc, char** argv) {
    size_t mb = 200;
    std::vector<char*> rest{argv[0]};
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--size") == 0 && i + 1 < argc)
            mb = size_t(std::atoi(argv[++i]));
        else
            rest.push_back(argv[i]);
    }
    const std::string dir = std::filesystem::path(argv[0]).parent_path().string();
    char tmpl[] = "/tmp/ccbox-analytics-bench-XXXXXX";
    const std::string state_dir = ::mkdtemp(tmpl);
    // A quarter of the input, rounded down (the enclave itself needs 28.2 MiB of EPC).
    const size_t quarter = mb * 1000 * 1000 / 4 / (1 << 20);
    const size_t epc_mib = quarter > 32 ? quarter : 32;
    const std::string start = dir + "/../bin/ccbox platform start --state-dir " + state_dir + " --epc " +
                              std::to_string(epc_mib) + "MiB >/dev/null";
    if (std::system(start.c_str()) != 0) {
        std::fprintf(stderr, "cannot start a platform: %s\n", start.c_str());
        return 1;
    }
    g_in.plain = generate(mb * 1000 * 1000);
    uint8_t file_id[32] = {3};
    {
        ccbox::box::Encryptor enc(kDataKey, 32, "data", ccbox::box::kDefaultChunkSize, file_id, append, &g_in.box);
        enc.commit_result_key(kResultKey, 32);  // the enclave requires the owner's commitment
        enc.feed(reinterpret_cast<const uint8_t*>(g_in.plain.data()), g_in.plain.size());
        enc.finish();
    }
    ccbox_enclave_setting_platform_t platform{nullptr, state_dir.c_str()};
    ccbox_enclave_setting_t setting{};
    setting.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
    setting.u.platform = &platform;
    const std::string image = dir + "/../samples/confidential-analytics/analytics_enc.signed";
    if (ccbox_create_analytics_enclave(image.c_str(), CCBOX_ENCLAVE_FLAG_ISOLATED, &setting, 1, &g_enclave) !=
        CCBOX_OK) {
        std::fprintf(stderr, "cannot create %s: %s\n", image.c_str(), ccbox_get_last_error());
        return 1;
    }
    std::printf("input: %zu MB of CSV (%zu bytes enveloped), platform EPC %zu MiB (input = %.1f x EPC)\n",
                g_in.plain.size() / 1000000, g_in.box.size(), epc_mib,
                double(g_in.box.size()) / double(epc_mib << 20));
    benchmark::RegisterBenchmark("native_aggregation", native)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
    benchmark::RegisterBenchmark("enclave_end_to_end/isolated", enclave)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
    ccbox::bench::RatioReporter reporter;
    reporter.add_speed_ratio("end-to-end throughput (isolated enclave, encrypted) / native aggregation (target >= 0.5)",
                             "enclave_end_to_end/isolated/iterations:3",
                             "native_aggregation/iterations:3");
    int argc2 = int(rest.size());
    const int rc = ccbox::bench::run_benchmarks(argc2, rest.data(), reporter);
    ccbox_terminate_enclave(g_enclave);
    std::system((dir + "/../bin/ccbox platform stop --state-dir " + state_dir + " >/dev/null 2>&1").c_str());
    std::filesystem::remove_all(state_dir);
    return rc;
}
