#include "platform/quoting/quote_service.hpp"

#include "platform/quoting/provisioning.hpp"
#include "platform/quoting/quoting_enclave.hpp"

#include <cstdio>
#include <cstring>
#include <ctime>

namespace ccbox::quoting {

Result<void> serve_quoting_request(int fd, const protocol::Message& request, const std::string& state_dir,
                                   const PlatformSecrets& secrets) {
    if (!request.fds.empty())
        return Error(CCBOX_PROTOCOL_ERROR, "quoting request: unexpected descriptors");
    if (request.type == protocol::Type::kQeTargetInfo) {
        if (!request.payload.empty())
            return Error(CCBOX_PROTOCOL_ERROR, "QE target info request: expected an empty payload");
        const sgx::Targetinfo ti = qe_target_info();
        return protocol::send_message(fd, protocol::Type::kQeTargetInfoReply,
                                      std::span(reinterpret_cast<const uint8_t*>(&ti), sizeof ti));
    }
    if (request.type != protocol::Type::kGetQuote || request.payload.size() != sgx::kReportSize)
        return Error(CCBOX_PROTOCOL_ERROR, "quote request: expected a 432-byte REPORT");
    alignas(512) sgx::Report report{};
    std::memcpy(&report, request.payload.data(), sgx::kReportSize);
    std::string notice;
    CCBOX_ASSIGN_OR_RETURN(std::string chain,
                           pck_chain(state_dir, secrets, static_cast<int64_t>(std::time(nullptr)), &notice));
    if (!notice.empty())
        std::fprintf(stderr, "ccboxd: %s\n", notice.c_str());
    CCBOX_ASSIGN_OR_RETURN(std::vector<uint8_t> quote, make_quote(secrets, report, chain));
    return protocol::send_message(fd, protocol::Type::kQuoteReply, quote);
}

}  // namespace ccbox::quoting
