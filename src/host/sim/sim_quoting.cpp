// The sim backend's quoting: the platform's QE runs in-process over the same secrets and state
// directory as ccboxd (docs/attestation.md). Trust domain: host — the sim backend is a
// development platform by definition, its secrets are in the host's reach.
#include "host/sim/sim_backend.hpp"

#include "platform/quoting/provisioning.hpp"
#include "platform/quoting/quoting_enclave.hpp"

#include <cstdio>
#include <cstring>
#include <ctime>

namespace ccbox::host {

ccbox_result_t SimBackend::qe_target_info(void* targetinfo) {
    const sgx::Targetinfo ti = quoting::qe_target_info();
    std::memcpy(targetinfo, &ti, sizeof ti);
    return CCBOX_OK;
}

ccbox_result_t SimBackend::quote(const void* report_bytes, std::vector<uint8_t>* out) {
    const PlatformSecrets* s = secrets();
    if (!s)
        return CCBOX_PLATFORM_ERROR;
    std::string notice;
    auto chain = quoting::pck_chain(state_dir_, *s, static_cast<int64_t>(std::time(nullptr)), &notice);
    if (!chain) {
        std::fprintf(stderr, "ccbox: sim platform: %s\n", chain.error().message().c_str());
        return chain.error().code();
    }
    if (!notice.empty())
        std::fprintf(stderr, "ccbox: sim platform: %s\n", notice.c_str());
    alignas(512) sgx::Report report{};
    std::memcpy(&report, report_bytes, sgx::kReportSize);
    auto quote = quoting::make_quote(*s, report, *chain);
    if (!quote)
        return quote.error().code();
    *out = std::move(*quote);
    return CCBOX_OK;
}

}  // namespace ccbox::host
