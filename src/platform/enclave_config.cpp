#include "platform/enclave_config.hpp"

#include "platform/elf_image.hpp"

#include <algorithm>

namespace ccbox {

ccbox_enclave_config_t default_enclave_config() {
    ccbox_enclave_config_t c{};
    c.num_tcs = kDefaultTcsCount;
    c.num_heap_pages = kDefaultHeapPages;
    c.num_stack_pages = kDefaultStackPages;
    return c;
}

bool config_allows_debug(const ccbox_enclave_config_t& config) { return config.flags & CCBOX_CONFIG_FLAG_DEBUG; }
bool config_uses_kss(const ccbox_enclave_config_t& config) { return config.flags & CCBOX_CONFIG_FLAG_KSS; }

Result<void> validate_enclave_config(const ccbox_enclave_config_t& c, const std::string& origin) {
    auto bad = [&](const std::string& what) { return Error(CCBOX_INVALID_CONFIG, origin + ": " + what); };
    constexpr uint32_t kKnownFlags = CCBOX_CONFIG_FLAG_DEBUG | CCBOX_CONFIG_FLAG_KSS;
    if (c.flags & ~kKnownFlags)
        return bad("unknown configuration flags " + std::to_string(c.flags & ~kKnownFlags));
    if (c.num_tcs < 1 || c.num_tcs > CCBOX_MAX_TCS)
        return bad("NumTCS " + std::to_string(c.num_tcs) + " is out of range (1..1024)");
    const uint64_t max_pages = kMaxEnclaveSize / sgx::kPageSize;
    if (c.num_heap_pages < 1 || c.num_heap_pages > max_pages)
        return bad("NumHeapPages " + std::to_string(c.num_heap_pages) + " is out of range (1.." +
                   std::to_string(max_pages) + ")");
    if (c.num_stack_pages < 1 || c.num_stack_pages > max_pages)
        return bad("NumStackPages " + std::to_string(c.num_stack_pages) + " is out of range (1.." +
                   std::to_string(max_pages) + ")");
    if (c.reserved != 0)
        return bad("reserved configuration field is not zero");
    bool ids_set = std::any_of(std::begin(c.family_id), std::end(c.family_id), [](uint8_t b) { return b != 0; }) ||
                   std::any_of(std::begin(c.extended_product_id), std::end(c.extended_product_id),
                               [](uint8_t b) { return b != 0; });
    if (ids_set && !config_uses_kss(c))
        return bad("FamilyID/ExtendedProductID are set without the KSS flag");
    return ok_result();
}

sgx::Attributes secs_attributes_for(const ccbox_enclave_config_t& config, bool debug_launch) {
    sgx::Attributes a{sgx::attr::kMode64Bit, sgx::xfrm::kLegacy};
    if (debug_launch)
        a.flags |= sgx::attr::kDebug;
    if (config_uses_kss(config))
        a.flags |= sgx::attr::kKss;
    return a;
}

}  // namespace ccbox
