// The platform stays responsive while an enclave loads (issue "The platform's own trust
// boundary"): EGETKEY round trips of one enclave while another host loads a 512 MiB enclave,
// next to the same round trips with the platform idle, in the same run.
//   ratio "worst EGETKEY during 512 MiB loads / idle median"   (target <= 5)
// Run: build/bench/platform_bench [--loads N]. A private platform with 2 GiB of EPC is started
// for the run (its own state directory) and stopped at the end.
#include "bench_u.h"
#include "host/isolated/platform_client.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

extern "C" void b_host_empty(void) {}

namespace {

using Clock = std::chrono::steady_clock;

double egetkey_us(ccbox_enclave_t* e) {
    int r = -1;
    const auto start = Clock::now();
    if (b_egetkey(e, &r, 1) != CCBOX_OK || r != CCBOX_OK) {
        std::fprintf(stderr, "EGETKEY failed\n");
        std::exit(1);
    }
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

ccbox_enclave_t* create(const std::string& image, const ccbox_enclave_setting_t& setting) {
    ccbox_enclave_t* e = nullptr;
    if (ccbox_create_bench_enclave(image.c_str(), CCBOX_ENCLAVE_FLAG_ISOLATED, &setting, 1, &e) != CCBOX_OK) {
        std::fprintf(stderr, "cannot create %s: %s\n", image.c_str(), ccbox_get_last_error());
        std::exit(1);
    }
    return e;
}

}  // namespace

int main(int argc, char** argv) {
    int loads = 5;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--loads")
            loads = std::max(1, std::atoi(argv[i + 1]));
    const std::string dir = std::filesystem::path(argv[0]).parent_path().string();
    char tmpl[] = "/tmp/ccbox-bench-XXXXXX";
    const std::string state = ::mkdtemp(tmpl);
    const ccbox::PlatformPaths paths = ccbox::platform_paths_for(state);
    if (auto started = ccbox::host::start_platform(paths, {"--epc", "2GiB"}); !started.ok()) {
        std::fprintf(stderr, "%s\n", started.error().message().c_str());
        return 1;
    }
    ccbox_enclave_setting_platform_t platform{nullptr, state.c_str()};
    ccbox_enclave_setting_t setting{};
    setting.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
    setting.u.platform = &platform;

    ccbox_enclave_t* e = create(dir + "/bench_enclave.signed", setting);
    for (int i = 0; i < 200; ++i)
        egetkey_us(e);  // warm up
    std::vector<double> idle;
    for (int i = 0; i < 2000; ++i)
        idle.push_back(egetkey_us(e));
    std::sort(idle.begin(), idle.end());
    const double idle_median = idle[idle.size() / 2];

    // Another host loads (and ends) the 512 MiB enclave again and again; every round trip made
    // while a load is under way counts.
    std::atomic<bool> loading{false}, done{false};
    double load_ms = 0;
    std::thread loader([&] {
        for (int i = 0; i < loads; ++i) {
            loading = true;
            const auto start = Clock::now();
            ccbox_enclave_t* big = create(dir + "/bench_enclave.512mib.signed", setting);
            load_ms += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            loading = false;
            ccbox_terminate_enclave(big);
        }
        done = true;
    });
    std::vector<double> during;
    while (!done) {
        const bool was_loading = loading;
        const double us = egetkey_us(e);
        if (was_loading && loading)
            during.push_back(us);
    }
    loader.join();
    ccbox_terminate_enclave(e);
    if (auto fd = ccbox::host::connect_platform(paths, false); fd.ok()) {
        (void)ccbox::host::platform_request(*fd, ccbox::protocol::Type::kStop);
        ::close(*fd);
    }
    std::error_code ec;
    std::filesystem::remove_all(state, ec);

    if (during.empty()) {
        std::fprintf(stderr, "no EGETKEY completed during a load\n");
        return 1;
    }
    std::sort(during.begin(), during.end());
    std::printf("idle EGETKEY round trip: median %.1f us, p99 %.1f us, worst %.1f us over %zu\n", idle_median,
                idle[idle.size() * 99 / 100], idle.back(), idle.size());
    std::printf("during %d loads of 512 MiB (%.0f ms each): %zu round trips, median %.1f us, p99 %.1f us, worst %.1f us\n",
                loads, load_ms / loads, during.size(), during[during.size() / 2], during[during.size() * 99 / 100],
                during.back());
    std::printf("ratio worst EGETKEY during 512 MiB loads / idle median: %.2f (target <= 5)\n",
                during.back() / idle_median);
    return 0;
}
