// SKU profiles: how much EPC the modeled machine has (Azure DCsv2/DCsv3 sizes, or custom).
// Trust domain: platform.
#pragma once

#include "support/result.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ccbox {

struct SkuProfile {
    std::string name;
    uint64_t epc_bytes = 0;
};

const std::vector<SkuProfile>& known_skus();
// The platform's default when started on demand.
SkuProfile default_sku();
// A known name (case-insensitive, e.g. "DC1s_v2", "dc48s_v3").
Result<SkuProfile> sku_by_name(const std::string& name);
// A custom EPC size: "28MiB", "4GiB", "1048576" (bytes); at least 1 MiB, at most 1 TiB.
Result<SkuProfile> sku_with_epc(const std::string& size);

}  // namespace ccbox
