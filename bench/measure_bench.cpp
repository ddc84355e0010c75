// Measuring an enclave image (the EEXTEND stream hashes 1.27 bytes per image byte) against
// OpenSSL SHA-256 over the same bytes, in the same run. Target: ratio >= 0.7 (0.79 is the
// ceiling). Also the page rate against real SGX1's ~22-30 us per added page.
#include "platform/elf_image.hpp"
#include "platform/enclave_config.hpp"
#include "platform/layout.hpp"
#include "ratio_reporter.hpp"
#include "support/sha256.hpp"

#include <cstring>
#include <elf.h>

namespace {

constexpr uint64_t kImageBytes = 64ull << 20;

// A static-PIE-shaped image with one 64 MiB read-only segment of pseudo-random bytes.
std::vector<uint8_t> make_image() {
    std::vector<uint8_t> b(0x1000 + kImageBytes, 0);
    Elf64_Ehdr eh{};
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_DYN;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = 0x1000;
    eh.e_phoff = sizeof eh;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = 1;
    std::memcpy(b.data(), &eh, sizeof eh);
    Elf64_Phdr text{PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x1000, kImageBytes, kImageBytes, 0x1000};
    std::memcpy(b.data() + sizeof eh, &text, sizeof text);
    uint64_t state = 1;
    for (size_t i = 0x1000; i + 8 <= b.size(); i += 8) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        std::memcpy(&b[i], &state, 8);
    }
    return b;
}

const ccbox::ElfImage& image() {
    static ccbox::ElfImage elf = ccbox::ElfImage::parse(make_image(), "bench.elf").value();
    return elf;
}

ccbox_enclave_config_t config() {
    ccbox_enclave_config_t c = ccbox::default_enclave_config();
    c.num_heap_pages = 1;
    c.num_stack_pages = 1;
    c.num_tcs = 1;
    return c;
}

void BM_Sha256Baseline(benchmark::State& state) {
    auto bytes = image().bytes().subspan(0x1000, kImageBytes);
    for (auto _ : state)
        benchmark::DoNotOptimize(ccbox::sha256(bytes));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kImageBytes));
}

void BM_MeasureImage(benchmark::State& state) {
    auto layout = ccbox::EnclaveLayout::compute(image(), config()).value();
    for (auto _ : state)
        benchmark::DoNotOptimize(layout.mrenclave());
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kImageBytes));
    state.counters["pages/s"] = benchmark::Counter(static_cast<double>(state.iterations() * (kImageBytes / 4096)),
                                                   benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_Sha256Baseline)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_MeasureImage)->Unit(benchmark::kMillisecond)->MinTime(1.0);

int main(int argc, char** argv) {
    ccbox::bench::RatioReporter reporter;
    reporter.add_speed_ratio("measure 64 MiB / sha256 64 MiB (target >= 0.7)", "BM_MeasureImage/min_time:1.000",
                             "BM_Sha256Baseline/min_time:1.000");
    int rc = ccbox::bench::run_benchmarks(argc, argv, reporter);
    double measure = reporter.seconds_of("BM_MeasureImage/min_time:1.000");
    if (measure > 0) {
        // Real SGX1 adds pages at 22-30 us each, about 150 MB/s (performance-anchors.md §4).
        const double per_page_us = measure / (kImageBytes / 4096) * 1e6;
        std::printf("measure: %.2f us per page, %.0f MB/s\n", per_page_us, kImageBytes / measure / 1e6);
        std::printf("ratio %-48s %.1f\n", "speed vs SGX1 EADD+EEXTEND at 150 MB/s (goal 10)",
                    kImageBytes / measure / 150e6);
    }
    return rc;
}
