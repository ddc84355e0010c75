#include "platform/service/server.hpp"

#include "common/arena_abi.h"
#include "platform/quoting/quote_service.hpp"
#include "platform/enclave_config.hpp"
#include "platform/enclave_image.hpp"
#include "platform/key_derivation.hpp"
#include "platform/layout.hpp"
#include "platform/report.hpp"
#include "platform/service/protocol.hpp"
#include "platform/service/raw_syscall.h"
#include "platform/service/wire.hpp"
#include "support/hex.hpp"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include <algorithm>

#include <cerrno>
#include <csignal>
#include <cstdarg>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <poll.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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
constexpr int kLoadTimeoutMs = 120000;

struct Enclave {
    uint64_t id = 0;
    int client = -1;          // the host connection that owns it
    pid_t pid = -1;
    int pidfd = -1;
    int control = -1;         // socket to the enclave process
    uint64_t epc_pages = 0;
    uint32_t tcs_count = 0;
    EnclaveIdentity identity{};
    EnclaveKeyIdentity key_identity{};  // what EGETKEY and EREPORT read of its SECS
    std::string image;
    void* arena = nullptr;    // the platform's own mapping, to mark the enclave dead
    uint64_t arena_size = 0;
    protocol::FrameReader control_reader;  // requests from the enclave process, as they arrive
};

// A host connection: the enclaves it owns, and its requests as they arrive.
struct Client {
    std::vector<uint64_t> owned;
    protocol::FrameReader reader;
};

class Server {
public:
    Server(const ServerOptions& options, PlatformSecrets secrets)
        : options_(options), secrets_(std::move(secrets)) {}
    ~Server();

    Result<void> listen();
    Result<void> run();

private:
    void accept_client();
    void serve_client(int fd);
    void handle_client_request(int fd, protocol::Message& m);
    void serve_enclave(Enclave& enclave);
    void handle_enclave_request(Enclave& enclave, protocol::Message& m);
    void drop_client(int fd);
    Result<void> create_enclave(int client, protocol::Message& request);
    Result<wire::LoadedReply> spawn_and_load(Enclave& enclave, const wire::LoadRequest& request, int image_fd,
                                             int arena_fd);
    void destroy(uint64_t id, const char* why);
    std::string status_json() const;
    uint64_t epc_capacity_pages() const { return options_.sku.epc_bytes / kPage; }

    ServerOptions options_;
    PlatformSecrets secrets_;
    int listen_fd_ = -1;
    int signal_fd_ = -1;
    bool stopping_ = false;
    std::map<int, Client> clients_;
    std::map<uint64_t, Enclave> enclaves_;
    uint64_t next_id_ = 1;
    uint64_t epc_used_pages_ = 0;
};

Server::~Server() {
    std::vector<uint64_t> ids;
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
}

Result<void> Server::listen() {
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
    signal_fd_ = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    ::signal(SIGPIPE, SIG_IGN);
    return ok_result();
}

Result<void> Server::run() {
    platform_log("serving %s (SKU %s, EPC %llu MiB, state %s)", options_.paths.socket.c_str(),
                 options_.sku.name.c_str(), static_cast<unsigned long long>(options_.sku.epc_bytes >> 20),
                 options_.paths.state_dir.c_str());
    if (options_.on_ready)
        options_.on_ready();
    while (!stopping_) {
        std::vector<pollfd> fds;
        std::vector<std::pair<int, uint64_t>> what;  // 0 listen, 1 signal, 2 client, 3 control, 4 pidfd
        fds.push_back({listen_fd_, POLLIN, 0});
        what.push_back({0, 0});
        fds.push_back({signal_fd_, POLLIN, 0});
        what.push_back({1, 0});
        for (const auto& [fd, client] : clients_) {
            fds.push_back({fd, POLLIN, 0});
            what.push_back({2, static_cast<uint64_t>(fd)});
        }
        for (const auto& [id, e] : enclaves_) {
            fds.push_back({e.control, POLLIN, 0});
            what.push_back({3, id});
            fds.push_back({e.pidfd, POLLIN, 0});
            what.push_back({4, id});
        }
        const bool idle = clients_.empty() && enclaves_.empty();
        const int timeout_ms = idle && options_.idle_exit_seconds > 0 ? options_.idle_exit_seconds * 1000 : -1;
        const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            return Error(CCBOX_PLATFORM_ERROR, std::string("poll: ") + std::strerror(errno));
        }
        if (ready == 0) {
            platform_log("idle for %d s: stopping", options_.idle_exit_seconds);
            break;
        }
        for (size_t i = 0; i < fds.size() && !stopping_; ++i) {
            if (!fds[i].revents)
                continue;
            auto [kind, key] = what[i];
            if (kind == 0) {
                accept_client();
            } else if (kind == 1) {
                signalfd_siginfo info;
                while (::read(signal_fd_, &info, sizeof info) == sizeof info)
                    stopping_ = true;
                platform_log("stopping on a signal");
            } else if (kind == 2) {
                if (clients_.count(static_cast<int>(key)))
                    serve_client(static_cast<int>(key));
            } else if (kind == 3) {
                auto it = enclaves_.find(key);
                if (it != enclaves_.end())
                    serve_enclave(it->second);
            } else {
                if (enclaves_.count(key))
                    destroy(key, "the enclave process exited");
            }
        }
    }
    return ok_result();
}

void Server::accept_client() {
    for (;;) {
        // Non-blocking: a client that sends half a request must not stall everyone else.
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0)
            return;
        clients_[fd] = Client{};
    }
}

void Server::drop_client(int fd) {
    auto it = clients_.find(fd);
    if (it == clients_.end())
        return;
    std::vector<uint64_t> owned = it->second.owned;
    clients_.erase(it);
    ::close(fd);
    // Enclave processes never outlive the host that created them.
    for (uint64_t id : owned)
        if (enclaves_.count(id))
            destroy(id, "its host disconnected");
}

void Server::serve_client(int fd) {
    for (;;) {
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
    switch (m.type) {
        case protocol::Type::kCreateEnclave:
            result = create_enclave(fd, m);
            break;
        case protocol::Type::kTerminateEnclave: {
            protocol::Reader r(m.payload);
            uint64_t id = 0;
            auto owner = clients_.find(fd);
            if (!r.get(&id) || !r.at_end()) {
                result = Error(CCBOX_PROTOCOL_ERROR, "malformed terminate request");
            } else if (!enclaves_.count(id) || enclaves_[id].client != fd) {
                result = Error(CCBOX_NOT_FOUND, "no enclave " + std::to_string(id) + " of this host");
            } else {
                destroy(id, "terminated by its host");
                auto& list = owner->second.owned;
                list.erase(std::remove(list.begin(), list.end(), id), list.end());
                result = protocol::send_message(fd, protocol::Type::kOk, {});
            }
            break;
        }
        case protocol::Type::kStatus: {
            std::string json = status_json();
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
        case protocol::Type::kStop:
            platform_log("stopping on request");
            (void)protocol::send_message(fd, protocol::Type::kOk, {});
            stopping_ = true;
            break;
        default:
            result = Error(CCBOX_PROTOCOL_ERROR, "unexpected message type " + std::to_string(static_cast<int>(m.type)));
            break;
    }
    m.close_fds();
    if (!result.ok()) {
        if (result.error().code() == CCBOX_PROTOCOL_ERROR) {
            (void)protocol::send_error(fd, result.error());
            platform_log("dropping a client: %s", result.error().message().c_str());
            drop_client(fd);
        } else if (!protocol::send_error(fd, result.error()).ok()) {
            drop_client(fd);
        }
    }
}

Result<void> Server::create_enclave(int client, protocol::Message& m) {
    protocol::Reader r(m.payload);
    wire::LoadRequest request{};
    if (!r.get(&request) || !r.at_end() || m.fds.size() != 2 || request.reserved != 0 ||
        (request.flags & ~wire::kLoadDebug) != 0)
        return Error(CCBOX_PROTOCOL_ERROR, "malformed create request");
    request.image_name[sizeof request.image_name - 1] = '\0';
    const int image_fd = m.fds[0], arena_fd = m.fds[1];

    // The EPC the enclave needs, from the same layout the enclave process will load.
    CCBOX_ASSIGN_OR_RETURN(EnclaveImage image, EnclaveImage::from_fd(image_fd, request.image_name));
    CCBOX_ASSIGN_OR_RETURN(EnclaveLayout layout, image.layout());
    const uint64_t need = layout.epc_pages();
    const uint64_t free_pages = epc_capacity_pages() - epc_used_pages_;
    if (need > free_pages)
        return Error(CCBOX_OUT_OF_EPC,
                     std::string(request.image_name) + ": the enclave needs " + std::to_string(need) + " EPC pages (" +
                         std::to_string(need * kPage >> 20) + " MiB) but only " + std::to_string(free_pages) +
                         " of " + std::to_string(epc_capacity_pages()) + " pages are free on this " +
                         options_.sku.name + " platform (" + std::to_string(options_.sku.epc_bytes >> 20) +
                         " MiB of EPC)");

    Enclave enclave;
    enclave.id = next_id_++;
    enclave.client = client;
    enclave.image = request.image_name;
    enclave.arena_size = request.arena_size;
    auto loaded = spawn_and_load(enclave, request, image_fd, arena_fd);
    if (!loaded.ok()) {
        if (enclave.pid > 0) {
            ::kill(enclave.pid, SIGKILL);
            ::waitpid(enclave.pid, nullptr, 0);
        }
        for (int fd : {enclave.pidfd, enclave.control})
            if (fd >= 0)
                ::close(fd);
        return std::move(loaded).error();
    }
    enclave.epc_pages = loaded->epc_pages;
    enclave.tcs_count = loaded->tcs_count;
    enclave.identity = wire::identity_of(*loaded);
    enclave.key_identity = key_identity_of(enclave.identity);
    enclave.arena = ::mmap(nullptr, arena::kHeapOffset, PROT_READ | PROT_WRITE, MAP_SHARED, arena_fd, 0);
    if (enclave.arena == MAP_FAILED)
        enclave.arena = nullptr;

    wire::CreatedReply reply;
    std::memset(&reply, 0, sizeof reply);
    reply.enclave_id = enclave.id;
    reply.pid = enclave.pid;
    reply.loaded = *loaded;
    epc_used_pages_ += enclave.epc_pages;
    const uint64_t id = enclave.id;
    const int pidfd = enclave.pidfd;
    // From now on the platform reads the enclave process's requests as they arrive: a
    // hostile enclave that writes half a frame on its channel stalls nothing.
    const int flags = ::fcntl(enclave.control, F_GETFL);
    (void)::fcntl(enclave.control, F_SETFL, flags | O_NONBLOCK);
    enclaves_[id] = std::move(enclave);
    clients_[client].owned.push_back(id);
    platform_log("enclave %llu (%s, pid %d, %llu EPC pages) created",
                 static_cast<unsigned long long>(id), request.image_name, enclaves_[id].pid,
                 static_cast<unsigned long long>(enclaves_[id].epc_pages));
    int fds[1] = {pidfd};
    return protocol::send_message(client, protocol::Type::kEnclaveCreated,
                                  std::span(reinterpret_cast<const uint8_t*>(&reply), sizeof reply), fds);
}

Result<wire::LoadedReply> Server::spawn_and_load(Enclave& enclave, const wire::LoadRequest& request, int image_fd,
                                                 int arena_fd) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return Error(CCBOX_PLATFORM_ERROR, std::string("socketpair: ") + std::strerror(errno));
    const pid_t platform = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
        ::close(sv[0]);
        ::close(sv[1]);
        return Error(CCBOX_PLATFORM_ERROR, std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        // A fresh image: the enclave process inherits nothing of the platform's memory.
        ::dup2(sv[1], 3);
        std::string parent = std::to_string(platform);
        const char* argv[] = {"ccboxd", "--enclave-process", parent.c_str(), nullptr};
        ::execv("/proc/self/exe", const_cast<char* const*>(argv));
        ::_exit(127);
    }
    ::close(sv[1]);
    enclave.pid = pid;
    enclave.control = sv[0];
    enclave.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (enclave.pidfd < 0)
        return Error(CCBOX_PLATFORM_ERROR, std::string("pidfd_open: ") + std::strerror(errno));

    int fds[2] = {image_fd, arena_fd};
    CCBOX_TRY(protocol::send_message(enclave.control, protocol::Type::kLoad,
                                     std::span(reinterpret_cast<const uint8_t*>(&request), sizeof request), fds));
    pollfd p{enclave.control, POLLIN, 0};
    if (::poll(&p, 1, kLoadTimeoutMs) <= 0)
        return Error(CCBOX_PLATFORM_ERROR, "the enclave process did not answer");
    CCBOX_ASSIGN_OR_RETURN(protocol::Message reply, protocol::receive_message(enclave.control));
    reply.close_fds();
    if (reply.type == protocol::Type::kError)
        return protocol::error_from(reply);
    protocol::Reader r(reply.payload);
    wire::LoadedReply loaded{};
    if (reply.type != protocol::Type::kLoaded || !r.get(&loaded) || !r.at_end())
        return Error(CCBOX_PROTOCOL_ERROR, "the enclave process sent a malformed reply");
    return loaded;
}

void Server::serve_enclave(Enclave& enclave) {
    const uint64_t id = enclave.id;
    for (;;) {
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
        (void)protocol::send_message(enclave.control, protocol::Type::kEgetkeyReply, reply);
        OPENSSL_cleanse(reply, sizeof reply);
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
        (void)protocol::send_message(enclave.control, protocol::Type::kEreportReply, reply);
        return;
    }
    destroy(enclave.id, "it sent a malformed platform request");
}

void Server::destroy(uint64_t id, const char* why) {
    auto it = enclaves_.find(id);
    if (it == enclaves_.end())
        return;
    Enclave& e = it->second;
    ::kill(e.pid, SIGKILL);
    ::waitpid(e.pid, nullptr, 0);
    if (e.arena) {
        // Wake the host threads that wait on this enclave's doorbells: their calls now fail as
        // aborted.
        arena::header_of(e.arena)->dead.store(1, std::memory_order_seq_cst);
        for (uint32_t t = 0; t < e.tcs_count && t < arena::kMaxDoorbells; ++t)
            raw::futex_wake(&arena::doorbell_of(e.arena, t)->state, INT32_MAX);
        ::munmap(e.arena, arena::kHeapOffset);
    }
    ::close(e.control);
    ::close(e.pidfd);
    epc_used_pages_ -= e.epc_pages;
    platform_log("enclave %llu (%s) destroyed: %s", static_cast<unsigned long long>(id), e.image.c_str(), why);
    enclaves_.erase(it);
}

std::string Server::status_json() const {
    nlohmann::json enclaves = nlohmann::json::array();
    for (const auto& [id, e] : enclaves_)
        enclaves.push_back({{"id", id},
                            {"pid", e.pid},
                            {"image", e.image},
                            {"epc_pages", e.epc_pages},
                            {"epc_bytes", e.epc_pages * kPage},
                            {"mrenclave", to_hex(e.identity.mrenclave)},
                            {"mrsigner", to_hex(e.identity.mrsigner)},
                            {"debug", (e.identity.attributes.flags & sgx::attr::kDebug) != 0}});
    nlohmann::json j{{"sku", options_.sku.name},
                     {"epc_capacity_bytes", options_.sku.epc_bytes},
                     {"epc_used_bytes", epc_used_pages_ * kPage},
                     {"epc_free_bytes", options_.sku.epc_bytes - epc_used_pages_ * kPage},
                     {"state_dir", options_.paths.state_dir},
                     {"socket", options_.paths.socket},
                     {"pid", ::getpid()},
                     {"protocol_version", protocol::kVersion},
                     {"enclaves", enclaves}};
    return j.dump();
}

}  // namespace

Result<void> run_platform(const ServerOptions& options, PlatformSecrets secrets) {
    Server server(options, std::move(secrets));
    CCBOX_TRY(server.listen());
    return server.run();
}

}  // namespace ccbox
