// The confidential-analytics job: per-group count, sum, mean, min, max and median of a
// `group,value` CSV (README.md defines the schema). Plain C++ with no ccbox dependency: the
// enclave runs it on the decrypted stream, and the benchmark runs the same code natively on the
// plaintext as its baseline. Input arrives in pieces of any size (row boundaries need not line
// up with chunks); memory is bounded by the number of groups, never by the input's size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace analytics {

inline constexpr size_t kMaxGroups = 256;
inline constexpr size_t kMaxGroupName = 64;
inline constexpr size_t kMaxRow = 128;
inline constexpr int64_t kMaxAbsValue = 999999999999;  // 12 digits
inline constexpr double kMedianRelativeError = 0.005;  // the sketch's bound (README.md)

// The median sketch: log-spaced buckets, γ = (1+α)/(1−α) with α = kMedianRelativeError, so every
// value in bucket i lies within α of the bucket's representative 2γ^i/(γ+1) (DDSketch's scheme).
// Counts for negative values mirror those for positive ones; zero has its own count.
class Sketch {
  public:
    void add(int64_t v);
    // The lower median x_(⌈n/2⌉), within α·|x| (+0.5 after rounding to an integer).
    int64_t lower_median(uint64_t n) const;

  private:
    std::vector<uint32_t> pos_, neg_;
    uint64_t zero_ = 0;
};

struct Group {
    std::string name;
    uint64_t count = 0;
    __int128 sum = 0;
    int64_t min = 0, max = 0;
    Sketch sketch;
};

class Aggregator {
  public:
    Aggregator();
    // Consumes CSV bytes. False once the input is malformed; error() then says where and what,
    // by row number and rule, never quoting the data (the message goes to the untrusted host).
    bool feed(const char* data, size_t size);
    // The input is complete (a last row without a newline is accepted).
    bool finish();
    const std::string& error() const { return error_; }
    uint64_t rows() const { return rows_; }
    // `group,count,sum,mean,min,max,median`, one line per group in byte order of the names.
    std::string result_csv() const;

  private:
    bool row(const char* p, size_t n);
    bool fail(const char* why);
    size_t find_or_add(const char* name, size_t n);

    std::vector<Group> groups_;
    std::vector<int32_t> table_;  // open addressing: index into groups_, -1 empty
    char partial_[kMaxRow + 2];
    size_t partial_size_ = 0;
    uint64_t line_ = 0;  // lines seen, the header included
    uint64_t rows_ = 0;
    bool failed_ = false;
    std::string error_;
};

}  // namespace analytics
