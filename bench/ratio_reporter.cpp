#include "ratio_reporter.hpp"

#include <cstdio>

namespace ccbox::bench {
namespace {

// The name a ratio refers to: without the "/real_time" that UseRealTime() appends.
std::string name_of(const benchmark::BenchmarkReporter::Run& run) {
    std::string name = run.benchmark_name();
    const std::string suffix = "/real_time";
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        name.resize(name.size() - suffix.size());
    return name;
}

}  // namespace

void RatioReporter::add_speed_ratio(std::string label, std::string numerator, std::string denominator) {
    ratios_.push_back({std::move(label), std::move(numerator), std::move(denominator), true});
}

void RatioReporter::add_time_ratio(std::string label, std::string numerator, std::string denominator) {
    ratios_.push_back({std::move(label), std::move(numerator), std::move(denominator), false});
}

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
    for (const auto& run : runs)
        if (run.run_type == Run::RT_Iteration && run.iterations > 0)
            seconds_[name_of(run)] = run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
    ConsoleReporter::ReportRuns(runs);
}

double RatioReporter::seconds_of(const std::string& name) const {
    auto it = seconds_.find(name);
    return it == seconds_.end() ? 0 : it->second;
}

void RatioReporter::Finalize() {
    ConsoleReporter::Finalize();
    for (const auto& r : ratios_) {
        double num = seconds_of(r.numerator), den = seconds_of(r.denominator);
        if (num <= 0 || den <= 0) {
            std::printf("ratio %-48s n/a (missing %s or %s)\n", r.label.c_str(), r.numerator.c_str(),
                        r.denominator.c_str());
            continue;
        }
        std::printf("ratio %-48s %.3f\n", r.label.c_str(), r.speed ? den / num : num / den);
    }
    std::fflush(stdout);
}

int run_benchmarks(int argc, char** argv, RatioReporter& reporter) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}

}  // namespace ccbox::bench
