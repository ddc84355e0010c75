// The platform service's quoting requests (protocol kQeTargetInfo, kGetQuote): one entry point
// ccboxd's server calls for both. Trust domain: platform; the request is hostile input.
#pragma once

#include "platform/platform_secrets.hpp"
#include "platform/service/protocol.hpp"

#include <string>

namespace ccbox::quoting {

// Answers `request` on `fd`: kQeTargetInfoReply, kQuoteReply, or an error the caller reports.
Result<void> serve_quoting_request(int fd, const protocol::Message& request, const std::string& state_dir,
                                   const PlatformSecrets& secrets);

}  // namespace ccbox::quoting
