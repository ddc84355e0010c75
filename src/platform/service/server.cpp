// The platform service's serving loop: clients, created enclaves, and the loads under way,
// none of which may stall another (docs/isolation.md). Trust domain: platform.
#include "platform/service/server_state.hpp"

#include "common/arena_abi.h"
#include "platform/quoting/quote_service.hpp"
#include "platform/report.hpp"
#include "platform/service/raw_syscall.h"
#include "support/hex.hpp"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <csignal>
#include <cstdarg>
#include <cstring>
#include <poll.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ccbox {

void platform_log(const char* format, ...) {
    char line[1024];
    va_list ap;
    va_start(ap, format);
    std::vsnprintf(line, sizeof line, format, ap);
    va_end(ap);
    std::fprintf(stderr, "ccboxd[%d]: %s\n", ::getpid(), line);
}

namespace {

constexpr uint64_t kPage = 4096;
constexpr size_t kMaxFramesPerRound = 16;  // per peer and poll round: no peer monopolises the loop
constexpr size_t kMaxPendingCloses = 4096;

// Descriptors clients sent are closed here, off the serving thread: close() can block for as long
// as the file's owner likes (a FUSE flush, a lingering socket). If the closer itself is stuck,
// descriptors are kept open rather than closed on the serving thread.
struct Closer {
    std::mutex lock;
    std::condition_variable more;
    std::deque<int> fds;
    bool full_logged = false;
};
Closer* g_closer = nullptr;

void close_later(int fd) {
    std::lock_guard<std::mutex> guard(g_closer->lock);
    if (g_closer->fds.size() >= kMaxPendingCloses) {
        if (!g_closer->full_logged)
            platform_log("descriptor closer is stuck: keeping received descriptors open");
        g_closer->full_logged = true;
        return;
    }
    g_closer->fds.push_back(fd);
    g_closer->more.notify_one();
}

void start_closer() {
    if (g_closer)
        return;
    g_closer = new Closer();
    std::thread([] {
        for (;;) {
            std::unique_lock<std::mutex> guard(g_closer->lock);
            g_closer->more.wait(guard, [] { return !g_closer->fds.empty(); });
            const int fd = g_closer->fds.front();
            g_closer->fds.pop_front();
            guard.unlock();
            ::close(fd);
        }
    }).detach();
    protocol::set_received_descriptor_closer(close_later);
}

}  // namespace

Server::~Server() {
    std::vector<uint64_t> ids;
    for (const auto& [id, load] : loads_)
        ids.push_back(id);
    for (uint64_t id : ids)
        abandon_load(id, "platform stopping");
    ids.clear();
    for (const auto& [id, e] : enclaves_)
        ids.push_back(id);
    for (uint64_t id : ids)
        destroy(id, "platform stopping");
    for (const auto& [fd, client] : clients_)
        ::close(fd);
    if (listen_fd_ >= 0) {
        ::close(listen_fd_);
        ::unlink(options_.paths.socket.c_str());
    }
    if (signal_fd_ >= 0)
        ::close(signal_fd_);
    if (enclave_exe_ >= 0)
        ::close(enclave_exe_);
}

void end_enclave_process(pid_t pid) {
    if (pid <= 0)
        return;
    if (::kill(pid, SIGKILL) != 0) {
        platform_log("cannot end enclave process %d: %s", pid, std::strerror(errno));
        (void)::waitpid(pid, nullptr, WNOHANG);
        return;
    }
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

uint64_t Server::epc_capacity_pages() const { return options_.sku.epc_bytes / kPage; }

uint64_t Server::commit_limit_pages() const {
    return options_.commit_limit_bytes ? options_.commit_limit_bytes / kPage
                                       : kDefaultCommitFactor * epc_capacity_pages();
}

bool Server::is_administrator(const Client& client) const { return client.uid == 0 || client.uid == ::geteuid(); }

// Enclave processes are started from a copy of ccboxd that its own user may execute but not read:
// the kernel then makes them non-dumpable from their execve on, so no process of that uid can
// open their memory or attach to them in the moment before they make themselves non-dumpable.
Result<int> unreadable_copy_of_this_program() {
    const int self = ::open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (self < 0)
        return Error(CCBOX_PLATFORM_ERROR, std::string("/proc/self/exe: ") + std::strerror(errno));
    const int copy = ::memfd_create("ccboxd-enclave", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    struct stat st {};
    bool ok = copy >= 0 && ::fstat(self, &st) == 0;
    for (off_t done = 0; ok && done < st.st_size;) {
        const ssize_t n = ::sendfile(copy, self, nullptr, static_cast<size_t>(st.st_size - done));
        ok = n > 0;
        done += n > 0 ? n : 0;
    }
    ::close(self);
    ok = ok && ::fchmod(copy, 0111) == 0 &&
         ::fcntl(copy, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) == 0;
    if (!ok) {
        const int e = errno;
        if (copy >= 0)
            ::close(copy);
        return Error(CCBOX_PLATFORM_ERROR, std::string("cannot copy ccboxd for its enclave processes: ") +
                                               std::strerror(e));
    }
    return copy;
}

Result<void> Server::listen() {
    CCBOX_ASSIGN_OR_RETURN(enclave_exe_, unreadable_copy_of_this_program());
    const std::string& path = options_.paths.socket;
    sockaddr_un addr{};
    if (path.size() >= sizeof addr.sun_path)
        return Error(CCBOX_PLATFORM_ERROR, path + ": socket path is too long (at most " +
                                               std::to_string(sizeof addr.sun_path - 1) + " bytes)");
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (listen_fd_ < 0)
        return Error(CCBOX_PLATFORM_ERROR, std::string("socket: ") + std::strerror(errno));
    ::unlink(path.c_str());  // the state directory lock guarantees no other platform uses it
    mode_t old = ::umask(0077);
    int rc = ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::umask(old);
    if (rc != 0 || ::listen(listen_fd_, 64) != 0)
        return Error(CCBOX_PLATFORM_ERROR, path + ": cannot listen: " + std::strerror(errno));
    if (options_.socket_mode != 0600 && ::chmod(path.c_str(), options_.socket_mode) != 0)
        return Error(CCBOX_PLATFORM_ERROR, path + ": cannot set the socket's mode: " + std::strerror(errno));

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigprocmask(SIG_BLOCK, &signals, nullptr);
    start_closer();  // after the mask: its thread, like every later one, never takes SIGTERM
    signal_fd_ = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    ::signal(SIGPIPE, SIG_IGN);
    return ok_result();
}

Result<void> Server::run() {
    platform_log("serving %s (SKU %s, EPC %llu MiB, state %s, %s platform)", options_.paths.socket.c_str(),
                 options_.sku.name.c_str(), static_cast<unsigned long long>(options_.sku.epc_bytes >> 20),
                 options_.paths.state_dir.c_str(), std::string(platform_mode_name(options_.mode)).c_str());
    if (options_.on_ready)
        options_.on_ready();
    enum Kind { kListen, kSignal, kClient, kControl, kPidfd, kIntake, kLoadControl, kLoadPidfd, kPaging };
    while (!stopping_) {
        std::vector<pollfd> fds;
        std::vector<std::pair<Kind, uint64_t>> what;
        auto watch = [&](int fd, Kind kind, uint64_t key) {
            fds.push_back({fd, POLLIN, 0});
            what.push_back({kind, key});
        };
        watch(listen_fd_, kListen, 0);
        watch(signal_fd_, kSignal, 0);
        for (const auto& [fd, client] : clients_)
            watch(fd, kClient, static_cast<uint64_t>(fd));
        for (const auto& [id, e] : enclaves_) {
            watch(e.control, kControl, id);
            watch(e.pidfd, kPidfd, id);
            if (const int uffd = pager_->uffd_of(id); uffd >= 0)
                watch(uffd, kPaging, id);
        }
        for (const auto& [id, load] : loads_) {
            if (load.stage == PendingLoad::Stage::kIntake) {
                watch(load.job->event, kIntake, id);
            } else {
                watch(load.control, kLoadControl, id);
                watch(load.pidfd, kLoadPidfd, id);
                if (const int uffd = pager_->uffd_of(id); uffd >= 0)
                    watch(uffd, kPaging, id);
            }
        }
        const bool idle = clients_.empty() && enclaves_.empty() && loads_.empty();
        int timeout_ms = idle && options_.idle_exit_seconds > 0 ? options_.idle_exit_seconds * 1000 : -1;
        if (auto deadline = next_deadline()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
            timeout_ms = static_cast<int>(std::clamp<long long>(left + 1, 0, 60000));
        }
        const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            return Error(CCBOX_PLATFORM_ERROR, std::string("poll: ") + std::strerror(errno));
        }
        if (ready == 0 && idle) {
            platform_log("idle for %d s: stopping", options_.idle_exit_seconds);
            break;
        }
        for (size_t i = 0; i < fds.size() && !stopping_; ++i) {
            if (!fds[i].revents)
                continue;
            auto [kind, key] = what[i];
            switch (kind) {
                case kListen:
                    accept_client();
                    break;
                case kSignal: {
                    signalfd_siginfo info;
                    while (::read(signal_fd_, &info, sizeof info) == sizeof info)
                        stopping_ = true;
                    platform_log("stopping on a signal");
                    break;
                }
                case kClient:
                    if (clients_.count(static_cast<int>(key)))
                        serve_client(static_cast<int>(key));
                    break;
                case kControl:
                    if (auto it = enclaves_.find(key); it != enclaves_.end())
                        serve_enclave(it->second);
                    break;
                case kPidfd:
                    if (enclaves_.count(key))
                        destroy(key, "the enclave process exited");
                    break;
                case kIntake:
                    if (loads_.count(key))
                        intake_finished(key);
                    break;
                case kLoadControl:
                    if (loads_.count(key))
                        serve_pending(key);
                    break;
                case kPaging:
                    if (pager_->has(key))
                        serve_paging(key);
                    break;
                case kLoadPidfd:
                    if (loads_.count(key))
                        fail_load(key, Error(CCBOX_PLATFORM_ERROR, "the enclave process exited while loading"));
                    break;
            }
        }
        expire_loads();
    }
    return ok_result();
}

void Server::accept_client() {
    for (;;) {
        // Non-blocking: a client that sends half a request must not stall everyone else.
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0)
            return;
        ucred credentials{};
        socklen_t length = sizeof credentials;
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
            ::close(fd);
            continue;
        }
        Client& client = clients_[fd];
        client.uid = credentials.uid;
        client.gid = credentials.gid;
        client.pid = credentials.pid;
    }
}

void Server::drop_client(int fd) {
    auto it = clients_.find(fd);
    if (it == clients_.end())
        return;
    std::vector<uint64_t> owned = it->second.owned;
    clients_.erase(it);
    ::close(fd);
    // Enclave processes never outlive the host that created them, nor do its loads.
    for (uint64_t id : owned)
        if (enclaves_.count(id))
            destroy(id, "its host disconnected");
    std::vector<uint64_t> loading;
    for (const auto& [id, load] : loads_)
        if (load.client == fd)
            loading.push_back(id);
    for (uint64_t id : loading)
        abandon_load(id, "its host disconnected while it loaded");
}

void Server::serve_client(int fd) {
    for (size_t frames = 0; frames < kMaxFramesPerRound; ++frames) {
        auto it = clients_.find(fd);
        if (it == clients_.end())
            return;  // dropped while handling a request
        auto message = it->second.reader.receive(fd);
        if (!message.ok()) {
            if (!protocol::is_connection_closed(message.error())) {
                platform_log("dropping a client: %s", message.error().message().c_str());
                (void)protocol::send_error(fd, message.error());
            }
            drop_client(fd);
            return;
        }
        if (!message->has_value())
            return;  // the rest of the request has not arrived yet
        handle_client_request(fd, **message);
    }
}

void Server::handle_client_request(int fd, protocol::Message& m) {
    Result<void> result = ok_result();
    Client& client = clients_.at(fd);
    switch (m.type) {
        case protocol::Type::kCreateEnclave:
            result = start_load(fd, m);  // answered when the load ends
            break;
        case protocol::Type::kTerminateEnclave: {
            protocol::Reader r(m.payload);
            uint64_t id = 0;
            if (!r.get(&id) || !r.at_end()) {
                result = Error(CCBOX_PROTOCOL_ERROR, "malformed terminate request");
            } else if (!enclaves_.count(id) || enclaves_[id].client != fd) {
                result = Error(CCBOX_NOT_FOUND, "no enclave " + std::to_string(id) + " of this host");
            } else {
                destroy(id, "terminated by its host");
                auto& list = client.owned;
                list.erase(std::remove(list.begin(), list.end(), id), list.end());
                result = protocol::send_message(fd, protocol::Type::kOk, {});
            }
            break;
        }
        case protocol::Type::kStatus: {
            std::string json = status_json(client);
            result = m.payload.empty()
                         ? protocol::send_message(fd, protocol::Type::kStatusReply,
                                                  std::span(reinterpret_cast<const uint8_t*>(json.data()), json.size()))
                         : Result<void>(Error(CCBOX_PROTOCOL_ERROR, "malformed status request"));
            break;
        }
        case protocol::Type::kQeTargetInfo:
        case protocol::Type::kGetQuote:
        case protocol::Type::kPckRequest:
        case protocol::Type::kStorePckChain:
            result = quoting::serve_quoting_request(fd, m, options_.paths.state_dir, secrets_);
            break;
        case protocol::Type::kBackingStore:
            result = send_backing_store(fd, m);
            break;
        case protocol::Type::kStop:
            if (!is_administrator(client)) {
                platform_log("refused stop from uid %u (pid %d): not an administrator", client.uid, client.pid);
                result = Error(CCBOX_NOT_OWNER, "stop is an administrative request: only root or the platform's "
                                                "user (uid " + std::to_string(::geteuid()) +
                                                    ") may stop it, and this client is uid " +
                                                    std::to_string(client.uid));
                break;
            }
            platform_log("stopping on request of uid %u (pid %d)", client.uid, client.pid);
            (void)protocol::send_message(fd, protocol::Type::kOk, {});
            stopping_ = true;
            break;
        default:
            result = Error(CCBOX_PROTOCOL_ERROR, "unexpected message type " + std::to_string(static_cast<int>(m.type)));
            break;
    }
    m.close_fds();
    if (!result.ok())
        reply_failure(fd, result.error());
}

void Server::reply_failure(int fd, const Error& error) {
    if (error.code() == CCBOX_PROTOCOL_ERROR) {
        (void)protocol::send_error(fd, error);
        platform_log("dropping a client: %s", error.message().c_str());
        drop_client(fd);
    } else if (!protocol::send_error(fd, error).ok()) {
        drop_client(fd);
    }
}

void Server::serve_enclave(Enclave& enclave) {
    const uint64_t id = enclave.id;
    for (size_t frames = 0; frames < kMaxFramesPerRound; ++frames) {
        auto it = enclaves_.find(id);
        if (it == enclaves_.end())
            return;  // destroyed while handling a request
        auto message = it->second.control_reader.receive(it->second.control);
        if (!message.ok()) {
            destroy(id, "its control channel failed");
            return;
        }
        if (!message->has_value())
            return;
        handle_enclave_request(it->second, **message);
    }
}

void Server::handle_enclave_request(Enclave& enclave, protocol::Message& m) {
    m.close_fds();
    const EnclaveKeyIdentity& identity = enclave.key_identity;
    if (m.type == protocol::Type::kEgetkey && m.payload.size() == sizeof(sgx::Keyrequest)) {
        sgx::Keyrequest request;
        std::memcpy(&request, m.payload.data(), sizeof request);
        auto key = derive_key(secrets_, identity, request);
        uint8_t reply[4 + 16] = {};
        uint32_t code = key.ok() ? CCBOX_OK : key.error().code();
        std::memcpy(reply, &code, 4);
        if (key.ok())
            std::memcpy(reply + 4, key->data(), 16);
        const bool sent = protocol::send_message(enclave.control, protocol::Type::kEgetkeyReply, reply).ok();
        OPENSSL_cleanse(reply, sizeof reply);
        if (!sent)  // its socket is full: it sends requests and does not read the answers
            destroy(enclave.id, "it does not read the platform's replies");
        return;
    }
    if (m.type == protocol::Type::kEreport && m.payload.size() == 512 + 64) {
        sgx::Targetinfo target;
        std::memcpy(&target, m.payload.data(), sizeof target);
        auto report = make_report(secrets_, identity, target, std::span<const uint8_t, 64>(m.payload.data() + 512, 64));
        uint8_t reply[4 + sgx::kReportSize] = {};
        uint32_t code = report.ok() ? CCBOX_OK : report.error().code();
        std::memcpy(reply, &code, 4);
        if (report.ok())
            std::memcpy(reply + 4, &report.value(), sgx::kReportSize);
        if (!protocol::send_message(enclave.control, protocol::Type::kEreportReply, reply).ok())
            destroy(enclave.id, "it does not read the platform's replies");
        return;
    }
    destroy(enclave.id, "it sent a malformed platform request");
}

void Server::destroy(uint64_t id, const char* why) {
    auto it = enclaves_.find(id);
    if (it == enclaves_.end())
        return;
    Enclave& e = it->second;
    end_enclave_process(e.pid);
    if (e.arena) {
        // Wake the host threads that wait on this enclave's doorbells: their calls now fail as
        // aborted. The arena's memfd is sealed against shrinking, so these writes cannot fault.
        arena::header_of(e.arena)->dead.store(1, std::memory_order_seq_cst);
        for (uint32_t t = 0; t < e.tcs_count && t < arena::kMaxDoorbells; ++t)
            raw::futex_wake(&arena::doorbell_of(e.arena, t)->state, INT32_MAX);
        ::munmap(e.arena, arena::kHeapOffset);
    }
    ::close(e.control);
    ::close(e.pidfd);
    epc_committed_pages_ -= e.epc_pages;
    pager_->remove(id);  // its resident pages, backing memory and version slots
    id_slots_.erase(e.id_slot);
    platform_log("enclave %llu (%s) destroyed: %s", static_cast<unsigned long long>(id), e.image.c_str(), why);
    enclaves_.erase(it);
}

namespace {

nlohmann::json paging_json(const paging::PagingCounters& c) {
    return {{"page_ins", c.page_ins},       {"page_outs", c.page_outs},     {"zero_fills", c.zero_fills},
            {"resident_pages", c.resident}, {"evicted_pages", c.evicted},   {"va_resident_pages", c.va_resident},
            {"va_evicted_pages", c.va_evicted}};
}

}  // namespace

std::string Server::status_json(const Client& asking) const {
    // A client sees its own enclaves in detail, everyone else's only as totals; administrators
    // see every enclave.
    const bool all = is_administrator(asking);
    nlohmann::json enclaves = nlohmann::json::array();
    uint64_t others = 0, others_pages = 0;
    for (const auto& [id, e] : enclaves_) {
        if (!all && e.owner_uid != asking.uid) {
            ++others;
            others_pages += e.epc_pages;
            continue;
        }
        enclaves.push_back({{"id", id},
                            {"pid", e.pid},
                            {"uid", e.owner_uid},
                            {"image", e.image},
                            {"epc_pages", e.epc_pages},
                            {"epc_bytes", e.epc_pages * kPage},
                            {"mrenclave", to_hex(e.identity.mrenclave)},
                            {"mrsigner", to_hex(e.identity.mrsigner)},
                            {"debug", (e.identity.attributes.flags & sgx::attr::kDebug) != 0},
                            {"paging", paging_json(pager_->counters_of(id))}});
    }
    std::string executable(4096, '\0');
    const ssize_t n = ::readlink("/proc/self/exe", executable.data(), executable.size());
    executable.resize(n > 0 ? static_cast<size_t>(n) : 0);
    const uint64_t used = epc_used_pages() * kPage;
    nlohmann::json j{{"sku", options_.sku.name},
                     {"mode", platform_mode_name(options_.mode)},
                     {"epc_capacity_bytes", options_.sku.epc_bytes},
                     {"epc_used_bytes", used},
                     {"epc_free_bytes", used <= options_.sku.epc_bytes ? options_.sku.epc_bytes - used : 0},
                     {"state_dir", options_.paths.state_dir},
                     {"socket", options_.paths.socket},
                     {"pid", ::getpid()},
                     {"uid", ::geteuid()},
                     {"executable", executable},
                     {"protocol_version", protocol::kVersion},
                     {"loading", loads_.size()},
                     {"enclaves", enclaves},
                     {"other_enclaves", others},
                     {"other_epc_bytes", others_pages * kPage},
                     {"commit_limit_bytes", commit_limit_pages() * kPage},
                     {"epc_resident_bytes", pager_->resident_pages() * kPage},
                     {"epc_resident_high_water_bytes", pager_->high_water_pages() * kPage},
                     {"paging", paging_json(pager_->totals())},
                     {"paging_test_hook", options_.paging_test_hook}};
    return j.dump();
}

Result<void> run_platform(const ServerOptions& options, PlatformSecrets secrets) {
    Server server(options, std::move(secrets));
    CCBOX_TRY(server.listen());
    return server.run();
}

}  // namespace ccbox
