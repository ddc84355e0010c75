// The platform service's state: its clients, its enclaves and the loads under way, and the
// Server that owns them (server.cpp serves, enclave_loading.cpp creates enclaves).
// Trust domain: platform.
#pragma once

#include "platform/key_derivation.hpp"
#include "platform/loader.hpp"
#include "platform/paging/pager.hpp"
#include "platform/service/enclave_privileges.hpp"
#include "platform/service/image_intake.hpp"
#include "platform/service/protocol.hpp"
#include "platform/service/server.hpp"
#include "platform/service/wire.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ccbox {

using Clock = std::chrono::steady_clock;

// SIGKILL and reap an enclave process. It never blocks: a process the platform may not signal
// (it lost CAP_KILL) is logged, not waited for.
void end_enclave_process(pid_t pid);

struct Enclave {
    uint64_t id = 0;
    int client = -1;          // the host connection that owns it
    uid_t owner_uid = 0;      // that host's uid (SO_PEERCRED)
    pid_t pid = -1;
    int pidfd = -1;
    int control = -1;         // socket to the enclave process
    uint32_t id_slot = 0;     // its uid and gid: kEnclaveIdBase + id_slot
    uint64_t epc_pages = 0;
    uint64_t base = 0;        // ELRANGE in the enclave process
    uint32_t tcs_count = 0;
    EnclaveIdentity identity{};         // the platform's own computation, never the process's word
    EnclaveKeyIdentity key_identity{};  // what EGETKEY and EREPORT read of its SECS
    std::string image;
    void* arena = nullptr;    // the platform's mapping of the arena's header, to mark the enclave dead
    protocol::FrameReader control_reader;  // requests from the enclave process, as they arrive
};

// The platform's copy and measurement of an image, made on a thread of its own; `event` becomes
// readable when `result` is set. Shared with that thread, which may outlive the load.
// What the intake threads hold at once, shared with them: image bytes (their copy and the sealed
// memfd, until the load ends) and threads.
struct IntakeBudget {
    std::atomic<uint64_t> bytes{0};
    std::atomic<uint32_t> threads{0};
};

struct IntakeJob {
    int event = -1;
    std::shared_ptr<IntakeBudget> budget;
    uint64_t charged = 0;  // bytes of the budget this job holds (released when it goes)
    std::atomic<bool> ready{false};  // `result` is set (release by the thread, acquire by the loop)
    std::optional<Result<ImageIntake>> result;
    IntakeJob();
    ~IntakeJob();  // closes the event and an unclaimed copy
};

// A create request under way. Stages: the platform takes the image in (off the serving thread),
// then the enclave process loads, locks down and reports; the report must match the intake;
// then the platform tells it to start and answers the host once it has.
struct PendingLoad {
    enum class Stage { kIntake, kLoading, kStarting };
    Stage stage = Stage::kIntake;
    uint64_t id = 0;
    int client = -1;
    uid_t owner_uid = 0;
    wire::LoadRequest request{};
    int arena_fd = -1;
    std::shared_ptr<IntakeJob> job;
    std::optional<ImageIntake> intake;
    uint64_t reserved_pages = 0;  // EPC booked for it from the intake on
    std::optional<uint32_t> id_slot;
    pid_t pid = -1;
    int pidfd = -1;
    int control = -1;
    protocol::FrameReader control_reader;
    wire::LoadedReply loaded{};
    Clock::time_point deadline;
};

// A host connection: who it is, the enclaves it owns, and its requests as they arrive.
struct Client {
    uid_t uid = 0;
    gid_t gid = 0;
    pid_t pid = 0;
    std::vector<uint64_t> owned;
    protocol::FrameReader reader;
};

class Server {
public:
    Server(const ServerOptions& options, PlatformSecrets secrets)
        : options_(options),
          secrets_(std::move(secrets)),
          pager_(std::make_unique<paging::Pager>(options.sku.epc_bytes / 4096)) {}
    ~Server();

    Result<void> listen();
    Result<void> run();

private:
    // server.cpp
    void accept_client();
    void serve_client(int fd);
    void handle_client_request(int fd, protocol::Message& m);
    void reply_failure(int fd, const Error& error);
    void serve_enclave(Enclave& enclave);
    void handle_enclave_request(Enclave& enclave, protocol::Message& m);
    void drop_client(int fd);
    void destroy(uint64_t id, const char* why);
    std::string status_json(const Client& asking) const;
    bool is_administrator(const Client& client) const;
    uint64_t epc_capacity_pages() const;
    uint64_t commit_limit_pages() const;
    void serve_paging(uint64_t id);
    Result<void> send_backing_store(int fd, protocol::Message& m);
    uint64_t epc_used_pages() const { return epc_committed_pages_ + epc_reserved_pages_; }

    // enclave_loading.cpp
    Result<void> start_load(int client, protocol::Message& request);
    void intake_finished(uint64_t id);
    void serve_pending(uint64_t id);
    void handle_pending_message(PendingLoad& load, protocol::Message& m);
    Result<void> spawn_enclave_process(PendingLoad& load);
    void finish_load(PendingLoad& load);
    void fail_load(uint64_t id, const Error& error);
    void abandon_load(uint64_t id, const char* why);
    void expire_loads();
    std::optional<Clock::time_point> next_deadline() const;

    ServerOptions options_;
    PlatformSecrets secrets_;
    int listen_fd_ = -1;
    int enclave_exe_ = -1;  // ccboxd's own image in a memfd nobody may read: what enclave processes run
    int signal_fd_ = -1;
    bool stopping_ = false;
    std::map<int, Client> clients_;
    std::map<uint64_t, Enclave> enclaves_;
    std::map<uint64_t, PendingLoad> loads_;
    std::set<uint32_t> id_slots_;  // the enclave uids in use
    uint64_t next_id_ = 1;
    uint64_t epc_committed_pages_ = 0;
    uint64_t epc_reserved_pages_ = 0;
    std::shared_ptr<IntakeBudget> intake_budget_ = std::make_shared<IntakeBudget>();
    std::unique_ptr<paging::Pager> pager_;  // the EPC: every enclave's resident pages (docs/paging.md)
};

}  // namespace ccbox
