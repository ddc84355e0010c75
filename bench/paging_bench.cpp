// The EPC cliff (issue 14): throughput of 4 KiB touches over working sets of 0.25x to 4x the
// EPC, sequential and random, as ratios to the in-EPC case of the same run, and the cost of one
// page-out plus page-in. Prints CSV (scripts/plot_paging.py draws it; docs/performance.md).
//   paging_bench [EPC MiB, default 12] [output.csv]
#include "paging_support.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace ccbox::test::paging;

namespace {

// In the EPC a touch costs nanoseconds: many, so that the ECALL does not dominate. Past it, four
// passes over the set.
uint64_t touches_for(double factor, uint64_t pages) { return factor <= 0.5 ? 400000 : 4 * pages; }

struct Point {
    double factor;
    bool random;
    double touches_per_second;
    uint64_t page_ins;
};

Point measure(PagingPlatform& platform, uint64_t epc_bytes, double factor, bool random) {
    ccbox_enclave_t* e = nullptr;
    if (ccbox_create_paging_test_enclave(image("paging_enclave.64mib.signed").c_str(),
                                         CCBOX_ENCLAVE_FLAG_ISOLATED | CCBOX_ENCLAVE_FLAG_DEBUG, platform.setting(), 1,
                                         &e) != CCBOX_OK) {
        std::fprintf(stderr, "cannot create the enclave: %s\n", ccbox_get_last_error());
        std::exit(1);
    }
    const uint64_t bytes = static_cast<uint64_t>(factor * static_cast<double>(epc_bytes)) / kPage * kPage;
    const uint64_t pages = bytes / kPage;
    uint64_t sum = 0;
    int r = -1;
    // Warm up: every page written once (zero fill), then twice round.
    pg_touch(e, &r, bytes, 2 * pages, 0, &sum);
    const auto before = platform.status();
    // Enough touches for a stable figure, at least four passes over the set.
    const uint64_t touches = touches_for(factor, pages);
    const auto t0 = std::chrono::steady_clock::now();
    pg_touch(e, &r, bytes, touches, random ? 1 : 0, &sum);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto after = platform.status();
    ccbox_terminate_enclave(e);
    if (r != CCBOX_OK) {
        std::fprintf(stderr, "pg_touch failed: %d\n", r);
        std::exit(1);
    }
    const uint64_t ins = (*after)["paging"]["page_ins"].get<uint64_t>() - (*before)["paging"]["page_ins"].get<uint64_t>();
    return {factor, random, static_cast<double>(touches) / seconds, ins};
}

}  // namespace

int main(int argc, char** argv) {
    const uint64_t epc_mib = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 12;
    FILE* out = argc > 2 ? std::fopen(argv[2], "w") : stdout;
    PagingPlatform platform({"--epc", std::to_string(epc_mib) + "MiB"});
    if (!platform.ready()) {
        std::fprintf(stderr, "the platform did not start:\n%s\n", platform.log().c_str());
        return 1;
    }
    const uint64_t epc = epc_mib * kMiB;
    std::fprintf(out, "factor,pattern,touches_per_second,ratio_to_in_epc,page_ins,us_per_page_swap\n");
    for (bool random : {false, true}) {
        double baseline = 0;
        for (double factor : {0.25, 0.5, 1.0, 2.0, 4.0}) {
            const Point p = measure(platform, epc, factor, random);
            if (baseline == 0)
                baseline = p.touches_per_second;
            // A touch that swaps costs its in-EPC time plus one page-out and one page-in.
            const uint64_t touches =
                touches_for(factor, static_cast<uint64_t>(factor * static_cast<double>(epc)) / kPage);
            const double extra =
                (static_cast<double>(touches) / p.touches_per_second - static_cast<double>(touches) / baseline) * 1e6;
            const double swap_us = p.page_ins > 0 ? extra / static_cast<double>(p.page_ins) : 0;
            std::fprintf(out, "%.2f,%s,%.0f,%.4f,%llu,%.2f\n", factor, random ? "random" : "sequential",
                         p.touches_per_second, p.touches_per_second / baseline,
                         static_cast<unsigned long long>(p.page_ins), swap_us);
            std::fflush(out);
        }
    }
    return 0;
}
