#include "platform/quoting/quote_service.hpp"

#include "platform/quoting/provisioning.hpp"
#include "platform/quoting/quoting_enclave.hpp"
#include "support/file_io.hpp"

#include <cstdio>
#include <cstring>
#include <ctime>

#include <sys/socket.h>
#include <unistd.h>

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
    if (request.type == protocol::Type::kPckRequest) {
        if (!request.payload.empty())
            return Error(CCBOX_PROTOCOL_ERROR, "PCK request: expected an empty payload");
        CCBOX_ASSIGN_OR_RETURN(std::vector<uint8_t> csr, pck_certificate_request(secrets));
        CCBOX_ASSIGN_OR_RETURN(attestation::SgxExtension fields, platform_sgx_fields(secrets));
        CCBOX_ASSIGN_OR_RETURN(std::vector<uint8_t> fields_der, attestation::encode_sgx_extension(fields));
        std::vector<uint8_t> reply(4);
        const uint32_t size = static_cast<uint32_t>(csr.size());
        std::memcpy(reply.data(), &size, 4);
        reply.insert(reply.end(), csr.begin(), csr.end());
        reply.insert(reply.end(), fields_der.begin(), fields_der.end());
        return protocol::send_message(fd, protocol::Type::kPckRequestReply, reply);
    }
    if (request.type == protocol::Type::kStorePckChain) {
        // Replacing the platform's certificate is the owner's act: its own uid or root.
        struct ucred peer {};
        socklen_t len = sizeof peer;
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 || (peer.uid != 0 && peer.uid != ::geteuid()))
            return Error(CCBOX_NOT_OWNER, "store PCK chain: only the platform's user or root may provision it");
        const std::string pem(request.payload.begin(), request.payload.end());
        CCBOX_TRY(check_pck_chain_for(secrets, pem));
        CCBOX_TRY(write_file_atomic(pck_chain_path(state_dir, secrets), request.payload, 0600));
        return protocol::send_message(fd, protocol::Type::kOk, {});
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
