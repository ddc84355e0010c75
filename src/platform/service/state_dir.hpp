// The platform's state directory: its root secrets, its SKU and its socket.
// Trust domain: platform. The directory is 0700 and the files 0600, owned by the user the
// platform runs as; anything else is refused.
#pragma once

#include "platform/platform_secrets.hpp"
#include "platform/service/sku.hpp"
#include "support/result.hpp"

#include <string>

namespace ccbox {

struct PlatformPaths {
    std::string state_dir;
    std::string socket;
};

// CCBOX_STATE_DIR, or /var/lib/ccbox for root, or $XDG_STATE_HOME/ccbox (~/.local/state/ccbox);
// the socket is CCBOX_PLATFORM_SOCKET or <state dir>/platform.sock.
PlatformPaths default_platform_paths();
// ccboxd's exit status when another platform already holds the state directory's lock.
inline constexpr int kExitPlatformAlreadyRunning = 3;
// Paths for an explicit state directory (socket inside it unless given).
PlatformPaths platform_paths_for(const std::string& state_dir, const std::string& socket = "");
// What --state-dir / --socket (or the settings) choose, each empty for "not given": a state
// directory brings its own socket unless one is given; otherwise the defaults, with the
// socket replaced if one is given.
PlatformPaths platform_paths_chosen(const std::string& state_dir, const std::string& socket);

// Creates the directory (0700) if missing and checks owner and permissions.
Result<void> prepare_state_dir(const std::string& dir);
// The root secrets: generated from a CSPRNG on first use, then read back. Refuses a file with
// wrong permissions or contents.
Result<PlatformSecrets> load_or_create_secrets(const std::string& dir);
// The SKU the platform was started with (sku.json), or `fallback` when there is none.
Result<SkuProfile> load_sku(const std::string& dir, const SkuProfile& fallback);
Result<void> store_sku(const std::string& dir, const SkuProfile& sku);
// Takes the single-instance lock of the directory; returns the lock descriptor, or
// CCBOX_ALREADY_EXISTS when another platform holds it.
Result<int> lock_state_dir(const std::string& dir);

}  // namespace ccbox
