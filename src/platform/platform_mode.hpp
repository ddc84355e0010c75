// Production and development platforms (docs/isolation.md, "Production and development").
// A development platform's secrets are readable by the uid that runs its hosts (the per-user
// platform started on demand, the sim backend's in-process platform); a production platform
// runs as root or as its own user, out of its clients' reach. The mode is attested through
// CPUSVN: component 15 is the platform's isolation SVN, 0 on a development platform and 1 on
// a production one. It is an SVN like the others, so "at least this TCB" comparisons (EGETKEY's
// CPUSVN check, TCB levels in collateral) already rank a development platform below a
// production one; no reserved bit of SGX is given a meaning. Trust domain: platform.
#pragma once

#include <ccbox/bits/report.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ccbox {

enum class PlatformMode : uint8_t { kDevelopment = 0, kProduction = 1 };

// The CPUSVN component that carries the isolation SVN.
inline constexpr size_t kCpusvnModeComponent = CCBOX_CPUSVN_ISOLATION_COMPONENT;

// `cpusvn` with its isolation SVN set for `mode`.
inline std::array<uint8_t, 16> cpusvn_for_mode(std::array<uint8_t, 16> cpusvn, PlatformMode mode) {
    cpusvn[kCpusvnModeComponent] = static_cast<uint8_t>(mode);
    return cpusvn;
}

// What a verifier reads off a REPORTBODY's CPUSVN: production only for isolation SVN >= 1.
inline PlatformMode platform_mode_of_cpusvn(const uint8_t (&cpusvn)[16]) {
    return cpusvn[kCpusvnModeComponent] >= 1 ? PlatformMode::kProduction : PlatformMode::kDevelopment;
}

inline constexpr std::string_view platform_mode_name(PlatformMode mode) {
    return mode == PlatformMode::kProduction ? "production" : "development";
}

}  // namespace ccbox
