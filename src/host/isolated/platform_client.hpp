// Talking to ccboxd from untrusted code (the host library and the `ccbox platform` commands):
// connecting, starting a platform on demand, and simple requests. Trust domain: host.
#pragma once

#include "platform/service/protocol.hpp"
#include "platform/service/state_dir.hpp"

#include <string>
#include <vector>

namespace ccbox::host {

// The ccboxd executable to start: CCBOX_PLATFORM_PATH; else the one of the installation (or
// build tree) whose CMake package linked this program; else the ccboxd next to the running
// executable (the ccbox tool's companion); else none (empty). Never searched for on PATH and
// never a path compiled into the library, so a moved installation runs only its own.
std::string platform_executable();

// Connects to the platform's socket. A missing platform is started first when asked to
// (`ccboxd --daemon` with the same state directory and socket).
Result<int> connect_platform(const PlatformPaths& paths, bool start_if_missing,
                             const std::vector<std::string>& start_arguments = {});

// Starts a platform and waits until it accepts connections.
Result<void> start_platform(const PlatformPaths& paths, const std::vector<std::string>& arguments);

// Sends `type` with an empty payload and returns the reply (kError replies become errors).
Result<protocol::Message> platform_request(int fd, protocol::Type type, std::span<const uint8_t> payload = {});

}  // namespace ccbox::host
