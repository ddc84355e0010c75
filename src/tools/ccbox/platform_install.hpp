// `ccbox platform install|uninstall`: the system platform's set-up (docs/isolation.md).
#pragma once

#include "platform/service/state_dir.hpp"
#include "support/result.hpp"

#include <string>

namespace ccbox {

struct PlatformInstallOptions {
    std::string user = "ccbox";             // the system account and group
    std::string state_dir = kSystemStateDir;
    std::string run_dir = kSystemRunDir;    // holds the socket
    std::string unit_dir = "/etc/systemd/system";
    std::string ccboxd;                     // default: the ccboxd next to this ccbox
    std::string sku = "DC4s_v2";
    bool start = true;                      // enable and start the unit when systemd runs
    bool purge = false;                     // uninstall: remove the state directory (the secrets) too
};

// The unit that runs `ccboxd` as the platform's system account (packaging/systemd/ccboxd.service
// is this text for the defaults and /usr/bin/ccboxd).
std::string systemd_unit_text(const PlatformInstallOptions& options, const std::string& ccboxd);

// Creates the account and group if missing, the state directory (0700) and run directory (0750)
// owned by it, and the unit; records what it did in STATE_DIR/installed.json. Root only.
Result<void> platform_install(const PlatformInstallOptions& options);
// Undoes what installed.json records; the state directory stays unless options.purge.
Result<void> platform_uninstall(const PlatformInstallOptions& options);

}  // namespace ccbox
