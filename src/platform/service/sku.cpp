#include "platform/service/sku.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace ccbox {
namespace {

constexpr uint64_t kMiB = uint64_t(1) << 20;
constexpr uint64_t kGiB = uint64_t(1) << 30;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

}  // namespace

const std::vector<SkuProfile>& known_skus() {
    // Azure documentation (shared/reference/performance-anchors.md §2).
    static const std::vector<SkuProfile> skus = {
        {"DC1s_v2", 28 * kMiB},  {"DC2s_v2", 56 * kMiB},   {"DC4s_v2", 112 * kMiB},  {"DC8_v2", 168 * kMiB},
        {"DC1s_v3", 4 * kGiB},   {"DC2s_v3", 8 * kGiB},    {"DC4s_v3", 16 * kGiB},   {"DC8s_v3", 32 * kGiB},
        {"DC16s_v3", 64 * kGiB}, {"DC24s_v3", 128 * kGiB}, {"DC32s_v3", 192 * kGiB}, {"DC48s_v3", 256 * kGiB},
    };
    return skus;
}

SkuProfile default_sku() { return known_skus()[3]; }  // DC8_v2: the largest DCsv2 EPC

Result<SkuProfile> sku_by_name(const std::string& name) {
    for (const auto& sku : known_skus())
        if (lower(sku.name) == lower(name))
            return sku;
    std::string names;
    for (const auto& sku : known_skus())
        names += (names.empty() ? "" : ", ") + sku.name;
    return Error(CCBOX_INVALID_PARAMETER, "unknown SKU '" + name + "' (known: " + names + ")");
}

Result<SkuProfile> sku_with_epc(const std::string& size) {
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), value);
    std::string unit = lower(std::string(end, size.data() + size.size()));
    uint64_t multiplier = 0;
    if (unit.empty() || unit == "b")
        multiplier = 1;
    else if (unit == "k" || unit == "kib")
        multiplier = 1024;
    else if (unit == "m" || unit == "mib")
        multiplier = kMiB;
    else if (unit == "g" || unit == "gib")
        multiplier = kGiB;
    if (ec != std::errc() || end == size.data() || multiplier == 0 || value > (uint64_t(1) << 40) / multiplier)
        return Error(CCBOX_INVALID_PARAMETER, "EPC size '" + size + "' is not a size (e.g. 28MiB, 4GiB)");
    uint64_t bytes = value * multiplier;
    if (bytes < kMiB || bytes > (uint64_t(1) << 40))
        return Error(CCBOX_INVALID_PARAMETER, "EPC size '" + size + "' is outside 1 MiB .. 1 TiB");
    return SkuProfile{"custom", bytes / 4096 * 4096};
}

}  // namespace ccbox
