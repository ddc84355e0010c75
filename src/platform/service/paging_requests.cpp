// The platform's side of paging (docs/paging.md): an enclave's faults, served by the pager on
// the serving thread, and the test hook's backing-store request. Trust domain: platform.
#include "platform/service/server_state.hpp"

#include <unistd.h>

namespace ccbox {

// Faults of a loading or running enclave. One that does not verify aborts that enclave only.
void Server::serve_paging(uint64_t id) {
    auto served = pager_->serve(id);
    if (served.ok())
        return;
    platform_log("enclave %llu: paging: %s", static_cast<unsigned long long>(id), served.error().message().c_str());
    if (loads_.count(id))
        fail_load(id, served.error());
    else
        destroy(id, served.error().code() == CCBOX_ENCLAVE_ABORTED ? "aborted: a page failed verification on reload"
                                                                  : "aborted: paging failed");
}

// The test hook (docs/paging.md): an enclave's untrusted backing memory, to its own host.
Result<void> Server::send_backing_store(int fd, protocol::Message& m) {
    protocol::Reader r(m.payload);
    uint64_t id = 0;
    if (!r.get(&id) || !r.at_end())
        return Error(CCBOX_PROTOCOL_ERROR, "malformed backing-store request");
    if (!options_.paging_test_hook)
        return Error(CCBOX_UNSUPPORTED, "this platform was not started with --paging-test-hook");
    auto it = enclaves_.find(id);
    const Client& asking = clients_.at(fd);
    if (it == enclaves_.end() || (it->second.owner_uid != asking.uid && !is_administrator(asking)))
        return Error(CCBOX_NOT_FOUND, "no enclave " + std::to_string(id) + " of this user");
    paging::BackingLayout layout;
    CCBOX_ASSIGN_OR_RETURN(const int backing, pager_->backing_fd(id, &layout));
    wire::BackingStoreReply reply{it->second.base, layout.pages,      layout.data_offset,    layout.pcmd_offset,
                                  layout.va_pages, layout.va_data_offset, layout.va_pcmd_offset, layout.size};
    const int fds[1] = {backing};
    auto sent = protocol::send_message(fd, protocol::Type::kBackingStoreReply,
                                       std::span(reinterpret_cast<const uint8_t*>(&reply), sizeof reply), fds);
    ::close(backing);
    return sent;
}

}  // namespace ccbox
