// Benchmarks report ratios to a baseline measured in the same run (the machines are shared
// and noisy). RatioReporter prints Google Benchmark's usual table, then one line per ratio.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ccbox::bench {

class RatioReporter : public benchmark::ConsoleReporter {
public:
    // Prints "name: value" for value = time(denominator) / time(numerator) (so > 1 means the
    // numerator is faster), e.g. throughput ratios.
    void add_speed_ratio(std::string label, std::string numerator, std::string denominator);
    // Prints time(numerator) / time(denominator) (how many times slower the numerator is).
    void add_time_ratio(std::string label, std::string numerator, std::string denominator);

    void ReportRuns(const std::vector<Run>& runs) override;
    void Finalize() override;

    double seconds_of(const std::string& name) const;

private:
    struct Ratio {
        std::string label, numerator, denominator;
        bool speed;
    };
    std::map<std::string, double> seconds_;
    std::vector<Ratio> ratios_;
};

// Runs the registered benchmarks with `reporter` (after the usual flag parsing).
int run_benchmarks(int argc, char** argv, RatioReporter& reporter);

}  // namespace ccbox::bench
