// The confidential-analytics aggregation (README.md, "Schema" and "The median").
#include "aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace analytics {

namespace {

const double kGamma = (1 + kMedianRelativeError) / (1 - kMedianRelativeError);
const double kInvLogGamma = 1 / std::log(kGamma);
constexpr size_t kTableSize = 1024;  // > 2 × kMaxGroups: short probe chains

size_t bucket(int64_t magnitude) { return size_t(std::ceil(std::log(double(magnitude)) * kInvLogGamma)); }
double representative(size_t i) { return 2 * std::pow(kGamma, double(i)) / (kGamma + 1); }

uint64_t fnv1a(const char* p, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; ++i)
        h = (h ^ uint8_t(p[i])) * 1099511628211ull;
    return h;
}

bool name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
}

std::string int128_text(__int128 v) {
    if (v == 0)
        return "0";
    const bool negative = v < 0;
    unsigned __int128 u = negative ? -(unsigned __int128)v : (unsigned __int128)v;
    char buf[48];
    size_t i = sizeof buf;
    while (u) {
        buf[--i] = char('0' + int(u % 10));
        u /= 10;
    }
    if (negative)
        buf[--i] = '-';
    return std::string(buf + i, sizeof buf - i);
}

}  // namespace

void Sketch::add(int64_t v) {
    if (v == 0) {
        ++zero_;
        return;
    }
    std::vector<uint32_t>& side = v > 0 ? pos_ : neg_;
    const size_t i = bucket(v > 0 ? v : -v);
    if (i >= side.size())
        side.resize(i + 1, 0);
    ++side[i];
}

int64_t Sketch::lower_median(uint64_t n) const {
    if (n == 0)
        return 0;
    uint64_t rank = (n - 1) / 2;  // 0-based rank of x_(⌈n/2⌉)
    for (size_t i = neg_.size(); i-- > 0;) {
        if (rank < neg_[i])
            return -int64_t(std::llround(representative(i)));
        rank -= neg_[i];
    }
    if (rank < zero_)
        return 0;
    rank -= zero_;
    for (size_t i = 0; i < pos_.size(); ++i) {
        if (rank < pos_[i])
            return int64_t(std::llround(representative(i)));
        rank -= pos_[i];
    }
    return 0;  // unreachable when n is the number of values added
}

Aggregator::Aggregator() : table_(kTableSize, -1) { groups_.reserve(kMaxGroups); }

bool Aggregator::fail(const char* why) {
    failed_ = true;
    char buf[160];
    std::snprintf(buf, sizeof buf, "row %llu: %s", static_cast<unsigned long long>(line_), why);
    error_ = buf;
    return false;
}

size_t Aggregator::find_or_add(const char* name, size_t n) {
    size_t slot = fnv1a(name, n) & (kTableSize - 1);
    for (;; slot = (slot + 1) & (kTableSize - 1)) {
        const int32_t g = table_[slot];
        if (g < 0)
            break;
        const Group& group = groups_[size_t(g)];
        if (group.name.size() == n && std::memcmp(group.name.data(), name, n) == 0)
            return size_t(g);
    }
    if (groups_.size() == kMaxGroups)
        return SIZE_MAX;
    table_[slot] = int32_t(groups_.size());
    groups_.emplace_back();
    groups_.back().name.assign(name, n);
    return groups_.size() - 1;
}

bool Aggregator::row(const char* p, size_t n) {
    ++line_;
    if (n > 0 && p[n - 1] == '\r')
        --n;
    if (n > kMaxRow)
        return fail("longer than 128 bytes");
    if (line_ == 1) {
        if (n != 11 || std::memcmp(p, "group,value", 11) != 0)
            return fail("the header is not 'group,value'");
        return true;
    }
    const char* comma = static_cast<const char*>(std::memchr(p, ',', n));
    if (!comma)
        return fail("no ',' between group and value");
    const size_t name_size = size_t(comma - p);
    if (name_size == 0 || name_size > kMaxGroupName)
        return fail("the group name is empty or longer than 64 bytes");
    for (size_t i = 0; i < name_size; ++i)
        if (!name_char(p[i]))
            return fail("the group name has a character outside [A-Za-z0-9_.-]");
    const char* v = comma + 1;
    const char* end = p + n;
    const bool negative = v < end && *v == '-';
    if (negative)
        ++v;
    if (v == end || end - v > 12)
        return fail("the value is not an integer of 1 to 12 digits");
    int64_t value = 0;
    for (; v < end; ++v) {
        if (*v < '0' || *v > '9')
            return fail("the value is not an integer of 1 to 12 digits");
        value = value * 10 + (*v - '0');
    }
    if (negative)
        value = -value;
    const size_t g = find_or_add(p, name_size);
    if (g == SIZE_MAX)
        return fail("more than 256 groups");
    Group& group = groups_[g];
    if (group.count == 0 || value < group.min)
        group.min = value;
    if (group.count == 0 || value > group.max)
        group.max = value;
    if (group.count == UINT32_MAX)
        return fail("more than 2^32-1 rows in one group");
    ++group.count;
    group.sum += value;
    group.sketch.add(value);
    ++rows_;
    return true;
}

bool Aggregator::feed(const char* data, size_t size) {
    if (failed_)
        return false;
    const char* end = data + size;
    while (data < end) {
        const char* nl = static_cast<const char*>(std::memchr(data, '\n', size_t(end - data)));
        const size_t piece = size_t((nl ? nl : end) - data);
        if (partial_size_ == 0 && nl) {
            if (!row(data, piece))  // the common case: the whole row is in this piece
                return false;
        } else {
            if (partial_size_ + piece > kMaxRow + 1) {
                ++line_;
                return fail("longer than 128 bytes");
            }
            std::memcpy(partial_ + partial_size_, data, piece);
            partial_size_ += piece;
            if (nl) {
                const bool ok = row(partial_, partial_size_);
                partial_size_ = 0;
                if (!ok)
                    return false;
            }
        }
        data += piece + (nl ? 1 : 0);
    }
    return true;
}

bool Aggregator::finish() {
    if (failed_)
        return false;
    if (partial_size_ > 0) {
        const bool ok = row(partial_, partial_size_);
        partial_size_ = 0;
        if (!ok)
            return false;
    }
    if (line_ == 0) {
        line_ = 1;
        return fail("the input is empty (no 'group,value' header)");
    }
    return true;
}

std::string Aggregator::result_csv() const {
    std::vector<const Group*> order;
    for (const Group& g : groups_)
        order.push_back(&g);
    std::sort(order.begin(), order.end(), [](const Group* a, const Group* b) { return a->name < b->name; });
    std::string out = "group,count,sum,mean,min,max,median\n";
    for (const Group* g : order) {
        char buf[160];
        std::snprintf(buf, sizeof buf, ",%llu,%s,%.6f,%lld,%lld,%lld\n", static_cast<unsigned long long>(g->count),
                      int128_text(g->sum).c_str(), double(g->sum) / double(g->count), static_cast<long long>(g->min),
                      static_cast<long long>(g->max), static_cast<long long>(g->sketch.lower_median(g->count)));
        out += g->name;
        out += buf;
    }
    return out;
}

}  // namespace analytics
