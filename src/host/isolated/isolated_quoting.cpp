// The isolated backend's quoting: the host passes the QE's TARGETINFO to the enclave and the
// enclave's REPORT to ccboxd, which checks its MAC and quotes it (DCAP's flow: the enclave
// EREPORTs to the QE's TARGETINFO, the host hands the report to the quoting service).
// Trust domain: host (untrusted): the host learns nothing it could not read from the quote.
#include "host/isolated/isolated_backend.hpp"

#include "host/isolated/platform_client.hpp"

#include <cstdio>
#include <cstring>

namespace ccbox::host {

ccbox_result_t IsolatedBackend::qe_target_info(void* targetinfo) {
    std::lock_guard lock(connection_mutex_);
    auto reply = platform_request(connection_, protocol::Type::kQeTargetInfo);
    if (!reply)
        return reply.error().code();
    reply->close_fds();
    if (reply->type != protocol::Type::kQeTargetInfoReply || reply->payload.size() != 512)
        return CCBOX_PROTOCOL_ERROR;
    std::memcpy(targetinfo, reply->payload.data(), 512);
    return CCBOX_OK;
}

ccbox_result_t IsolatedBackend::quote(const void* report, std::vector<uint8_t>* out) {
    std::lock_guard lock(connection_mutex_);
    auto reply = platform_request(connection_, protocol::Type::kGetQuote,
                                  std::span(static_cast<const uint8_t*>(report), 432));
    if (!reply) {
        std::fprintf(stderr, "ccbox: quote: %s\n", reply.error().message().c_str());
        return reply.error().code();
    }
    reply->close_fds();
    if (reply->type != protocol::Type::kQuoteReply)
        return CCBOX_PROTOCOL_ERROR;
    *out = std::move(reply->payload);
    return CCBOX_OK;
}

}  // namespace ccbox::host
