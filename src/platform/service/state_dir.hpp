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
    bool system = false;  // the machine's system platform: used when it runs, never started on demand
};

// The system platform of `ccbox platform install` (a production platform of its own user).
inline constexpr const char* kSystemStateDir = "/var/lib/ccbox";
inline constexpr const char* kSystemRunDir = "/run/ccbox";
inline constexpr const char* kSystemSocket = "/run/ccbox/platform.sock";

// CCBOX_STATE_DIR, or /var/lib/ccbox for root, or $XDG_STATE_HOME/ccbox (~/.local/state/ccbox);
// the socket is CCBOX_PLATFORM_SOCKET or <state dir>/platform.sock.
PlatformPaths default_platform_paths();
// ccboxd's exit status when another platform already holds the state directory's lock.
inline constexpr int kExitPlatformAlreadyRunning = 3;
// What hosts and the `ccbox` tool use when nothing is chosen: the system platform when its socket
// exists and this user may connect to it (and neither CCBOX_STATE_DIR nor CCBOX_PLATFORM_SOCKET is
// set), otherwise default_platform_paths(), which a host starts on demand.
PlatformPaths client_platform_paths();
// Paths for an explicit state directory (socket inside it unless given).
PlatformPaths platform_paths_for(const std::string& state_dir, const std::string& socket = "");
// What --state-dir / --socket (or the settings) choose, each empty for "not given": a state
// directory brings its own socket unless one is given; otherwise the defaults, with the
// socket replaced if one is given.
PlatformPaths platform_paths_chosen(const std::string& state_dir, const std::string& socket);
// The same for clients: client_platform_paths() when neither is given.
PlatformPaths client_paths_chosen(const std::string& state_dir, const std::string& socket);

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
