// ccboxd, the platform service: owns the root secrets and the EPC, creates enclave
// processes for hosts and answers their EGETKEY/EREPORT (docs/isolation.md).
// Trust domain: platform.
#pragma once

#include "platform/platform_mode.hpp"
#include "platform/platform_secrets.hpp"
#include "platform/service/sku.hpp"
#include "platform/service/state_dir.hpp"

#include <functional>
#include <memory>

namespace ccbox {

struct ServerOptions {
    PlatformPaths paths;
    SkuProfile sku;
    // Called once the socket accepts connections (the daemon signals its parent).
    std::function<void()> on_ready;
    // Stop after this many seconds without clients or enclaves (0: never).
    int idle_exit_seconds = 0;
    // Permissions of the socket: 0600 (only the platform's user may connect) or 0660 (its
    // group too, for a system service shared by the members of a group).
    unsigned socket_mode = 0600;
    // Development or production (platform_mode.hpp); the secrets' CPUSVN already carries it.
    PlatformMode mode = PlatformMode::kDevelopment;
    // The hard limit on committed enclave memory (every enclave's pages, resident or not), past
    // which creation fails with CCBOX_OUT_OF_EPC; 0: kDefaultCommitFactor times the EPC.
    uint64_t commit_limit_bytes = 0;
    // docs/paging.md: hosts may ask for their enclaves' backing memory (development platforms only).
    bool paging_test_hook = false;
};

inline constexpr uint64_t kDefaultCommitFactor = 8;

// Binds the socket, then serves until a client sends kStop or SIGTERM/SIGINT arrives.
// Every enclave process is gone when it returns.
Result<void> run_platform(const ServerOptions& options, PlatformSecrets secrets);

// One line to the platform's log (stderr, or the log file of a daemon).
void platform_log(const char* format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace ccbox
