// Creating an enclave without stalling anyone (docs/isolation.md): the platform takes the image
// in on a thread of its own (one read into a sealed copy, measured there), books its EPC, starts
// the enclave process on that same copy, checks the process's report against its own
// computation, and only then tells the process to start and answers the host. Every stage has a
// deadline; a host that goes away, or a process that never answers, leaves nothing behind.
// Trust domain: platform.
#include "platform/service/server_state.hpp"

#include "common/arena_abi.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ccbox {
namespace {

constexpr auto kLoadTimeout = std::chrono::seconds(120);
constexpr uint64_t kPage = 4096;
constexpr int kRequiredArenaSeals = F_SEAL_SHRINK | F_SEAL_GROW;
// What loads may hold at once: the platform copies each image twice for a moment (its own
// copy and the sealed memfd), so no client may make it hold more than this.
constexpr size_t kMaxLoadsPerUid = 4;
constexpr size_t kMaxLoads = 32;
constexpr uint64_t kMaxIntakeBytes = uint64_t(2) << 30;
constexpr uint32_t kMaxIntakeThreads = 8;

// The arena is the host's memfd, and the platform writes to it when the enclave dies: it must
// be a shmem memfd sealed so that no client can shrink it under the platform's mapping
// (SIGBUS), and be exactly the size the request names.
Result<void> check_arena(int fd, const wire::LoadRequest& request) {
    const int seals = ::fcntl(fd, F_GET_SEALS);
    if (seals < 0)
        return Error(CCBOX_INVALID_PARAMETER, "the arena must be a memfd (F_GET_SEALS: " +
                                                  std::string(std::strerror(errno)) + ")");
    if ((seals & kRequiredArenaSeals) != kRequiredArenaSeals)
        return Error(CCBOX_INVALID_PARAMETER, "the arena memfd must be sealed with F_SEAL_SHRINK and F_SEAL_GROW");
    // A hugetlbfs memfd takes the same seals, but its host can punch a hole in it and exhaust
    // the huge page pool, and the platform's next write there is a SIGBUS all the same. Only
    // shmem refills a punched page on demand.
    struct statfs fs {};
    if (::fstatfs(fd, &fs) != 0 || fs.f_type != TMPFS_MAGIC)
        return Error(CCBOX_INVALID_PARAMETER, "the arena must be an ordinary memfd (memfd_create without MFD_HUGETLB)");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || static_cast<uint64_t>(st.st_size) != request.arena_size ||
        request.arena_size < arena::kHeapOffset)
        return Error(CCBOX_INVALID_PARAMETER, "the arena memfd's size does not match the request (at least " +
                                                  std::to_string(arena::kHeapOffset) + " bytes)");
    return ok_result();
}

// Whether the enclave process's report states what the platform computed.
Result<void> check_report(const wire::LoadedReply& r, const ImageIntake& intake) {
    const wire::LoadedReply expected =
        wire::loaded_reply_of(intake.identity, r.base, intake.enclave_size, intake.tcs_count, intake.epc_pages);
    if (std::memcmp(&r, &expected, sizeof r) != 0)
        return Error(CCBOX_MEASUREMENT_MISMATCH,
                     "the enclave process reported an identity or layout that differs from the platform's own "
                     "measurement of the image");
    if (r.base == 0 || r.base % intake.enclave_size != 0 || r.base + intake.enclave_size < r.base)
        return Error(CCBOX_MEASUREMENT_MISMATCH, "the enclave process reported a misaligned ELRANGE");
    return ok_result();
}

void close_fd(int& fd) {
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

}  // namespace

IntakeJob::IntakeJob() : event(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

IntakeJob::~IntakeJob() {
    if (result && result->ok() && result->value().memfd >= 0)
        ::close(result->value().memfd);
    if (budget)
        budget->bytes.fetch_sub(charged);
    if (event >= 0)
        ::close(event);
}

Result<void> Server::start_load(int client, protocol::Message& m) {
    protocol::Reader r(m.payload);
    wire::LoadRequest request{};
    if (!r.get(&request) || !r.at_end() || m.fds.size() != 2 || request.reserved != 0 ||
        (request.flags & ~wire::kLoadDebug) != 0)
        return Error(CCBOX_PROTOCOL_ERROR, "malformed create request");
    request.image_name[sizeof request.image_name - 1] = '\0';
    for (char& c : request.image_name)  // it goes into the log: one line per message
        if (c && (static_cast<unsigned char>(c) < 0x20 || c == 0x7f))
            c = '?';
    CCBOX_TRY(check_arena(m.fds[1], request));
    const uid_t uid = clients_.at(client).uid;
    size_t of_uid = 0;
    for (const auto& [id, load] : loads_)
        of_uid += load.owner_uid == uid;
    if (of_uid >= kMaxLoadsPerUid || loads_.size() >= kMaxLoads)
        return Error(CCBOX_BUSY, "too many enclave creations under way (at most " + std::to_string(kMaxLoadsPerUid) +
                                     " per user, " + std::to_string(kMaxLoads) + " in all); try again when one ends");
    // Nothing about the image is looked at here (even fstat can block on a hostile file system):
    // the intake thread does that, within the budget.
    if (intake_budget_->threads.load() >= kMaxIntakeThreads)
        return Error(CCBOX_BUSY, "the platform is taking in too many images at once; try again when one ends");

    auto job = std::make_shared<IntakeJob>();
    const int image_fd = ::fcntl(m.fds[0], F_DUPFD_CLOEXEC, 0);
    const int arena_fd = ::fcntl(m.fds[1], F_DUPFD_CLOEXEC, 0);
    if (job->event < 0 || image_fd < 0 || arena_fd < 0) {
        for (int fd : {image_fd, arena_fd})
            if (fd >= 0)
                ::close(fd);
        return Error(CCBOX_PLATFORM_ERROR, std::string("cannot take the request in: ") + std::strerror(errno));
    }
    PendingLoad& load = loads_[next_id_];
    load.id = next_id_++;
    load.client = client;
    load.owner_uid = uid;
    load.request = request;
    load.arena_fd = arena_fd;
    load.job = job;
    load.deadline = Clock::now() + kLoadTimeout;
    LoadOptions options;
    options.debug = request.flags & wire::kLoadDebug;
    // The thread owns its descriptor and shares the job; a load abandoned meanwhile just
    // leaves the result unclaimed.
    job->budget = intake_budget_;
    intake_budget_->threads.fetch_add(1);
    std::thread([job, image_fd, name = std::string(request.image_name), options] {
        // Bulk work: the serving thread, which answers EGETKEY and EREPORT, goes first.
        (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 19);
        auto reserve = [&job](uint64_t bytes) -> Result<void> {
            // Its copy and the memfd: twice the image, held until the load ends.
            const uint64_t need = 2 * bytes;
            uint64_t held = job->budget->bytes.load();
            do {
                if (need > kMaxIntakeBytes || held > kMaxIntakeBytes - need)
                    return Error(CCBOX_BUSY, "the platform is taking in too many image bytes at once; try again "
                                             "when a creation ends");
            } while (!job->budget->bytes.compare_exchange_weak(held, held + need));
            job->charged = need;
            return ok_result();
        };
        job->result = take_in_image(image_fd, name, options, reserve);
        ::close(image_fd);  // on this thread: a close that blocks holds up only this intake
        job->ready.store(true, std::memory_order_release);
        job->budget->threads.fetch_sub(1);
        const uint64_t one = 1;
        (void)!::write(job->event, &one, sizeof one);
    }).detach();
    return ok_result();
}

void Server::intake_finished(uint64_t id) {
    PendingLoad& load = loads_.at(id);
    uint64_t count;
    if (::read(load.job->event, &count, sizeof count) != sizeof count ||
        !load.job->ready.load(std::memory_order_acquire))
        return;
    Result<ImageIntake> taken = std::move(*load.job->result);
    load.job->result.reset();
    if (!taken.ok())
        return fail_load(id, taken.error());
    load.intake = std::move(taken).value();
    // Paging lets enclaves together exceed the EPC; what they may commit is bounded
    // (docs/paging.md).
    const uint64_t need = load.intake->epc_pages, limit = commit_limit_pages(), used = epc_used_pages();
    const uint64_t free_pages = used <= limit ? limit - used : 0;
    if (need > free_pages)
        return fail_load(id, Error(CCBOX_OUT_OF_EPC,
                                   std::string(load.request.image_name) + ": the enclave needs " +
                                       std::to_string(need) + " EPC pages (" + std::to_string(need * kPage >> 20) +
                                       " MiB) but only " + std::to_string(free_pages) + " of " +
                                       std::to_string(limit) + " pages are free under the commit limit of this " +
                                       options_.sku.name + " platform (" +
                                       std::to_string(options_.sku.epc_bytes >> 20) + " MiB of EPC, at most " +
                                       std::to_string(limit * kPage >> 20) + " MiB committed)"));
    load.reserved_pages = need;
    epc_reserved_pages_ += need;
    if (auto spawned = spawn_enclave_process(load); !spawned.ok())
        return fail_load(id, spawned.error());
    load.stage = PendingLoad::Stage::kLoading;
}

Result<void> Server::spawn_enclave_process(PendingLoad& load) {
    uint32_t slot = 0;
    while (id_slots_.count(slot) && slot < kEnclaveIdCount)
        ++slot;
    if (slot == kEnclaveIdCount)
        return Error(CCBOX_BUSY, "every enclave uid is in use");
    id_slots_.insert(slot);
    load.id_slot = slot;
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return Error(CCBOX_PLATFORM_ERROR, std::string("socketpair: ") + std::strerror(errno));
    // Everything the child needs is built before fork: the platform has threads, so the child
    // may only dup and exec.
    const std::string parent = std::to_string(::getpid()), id = std::to_string(kEnclaveIdBase + slot);
    const char* argv[] = {"ccboxd", "--enclave-process", parent.c_str(), id.c_str(), id.c_str(),
                          options_.paths.state_dir.c_str(), nullptr};
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(sv[0]);
        ::close(sv[1]);
        return Error(CCBOX_PLATFORM_ERROR, std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        // A fresh image: the enclave process inherits nothing of the platform's memory.
        ::dup2(sv[1], 3);
        ::syscall(SYS_execveat, enclave_exe_, "", argv, environ, AT_EMPTY_PATH);
        ::_exit(127);
    }
    ::close(sv[1]);
    load.pid = pid;
    load.control = sv[0];
    load.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (load.pidfd < 0)
        return Error(CCBOX_PLATFORM_ERROR, std::string("pidfd_open: ") + std::strerror(errno));
    CCBOX_ASSIGN_OR_RETURN(const int epc_fd,
                           pager_->create_space(load.id, load.intake->enclave_size, load.intake->page_flags));
    int fds[3] = {load.intake->memfd, load.arena_fd, epc_fd};
    auto sent = protocol::send_message(load.control, protocol::Type::kLoad,
                                       std::span(reinterpret_cast<const uint8_t*>(&load.request), sizeof load.request),
                                       fds);
    ::close(epc_fd);
    CCBOX_TRY(sent);
    // From now on the process's messages are read as they arrive.
    (void)::fcntl(load.control, F_SETFL, ::fcntl(load.control, F_GETFL) | O_NONBLOCK);
    return ok_result();
}

void Server::serve_pending(uint64_t id) {
    for (;;) {
        auto it = loads_.find(id);
        if (it == loads_.end())
            return;
        auto message = it->second.control_reader.receive(it->second.control);
        if (!message.ok())
            return fail_load(id, Error(CCBOX_PLATFORM_ERROR, "the enclave process failed while loading: " +
                                                                 message.error().message()));
        if (!message->has_value())
            return;
        handle_pending_message(it->second, **message);
    }
}

void Server::handle_pending_message(PendingLoad& load, protocol::Message& m) {
    const uint64_t id = load.id;
    if (load.stage == PendingLoad::Stage::kLoading && m.type == protocol::Type::kPaging && m.fds.size() == 1) {
        // The process mapped ELRANGE and hands over its faults before it writes a page.
        protocol::Reader r(m.payload);
        wire::PagingReady ready{};
        const int uffd = m.fds[0];
        m.fds.clear();
        if (!r.get(&ready) || !r.at_end() || ready.size != load.intake->enclave_size) {
            ::close(uffd);
            return fail_load(id, Error(CCBOX_PROTOCOL_ERROR, "the enclave process announced a bad paging range"));
        }
        if (auto attached = pager_->attach(id, uffd, ready.base); !attached.ok())
            return fail_load(id, attached.error());
        return;
    }
    m.close_fds();
    if (m.type == protocol::Type::kError)
        return fail_load(id, protocol::error_from(m));
    if (load.stage == PendingLoad::Stage::kLoading && m.type == protocol::Type::kLoaded) {
        // Every page of the enclave goes through the pager: a process that loaded without
        // handing over its faults has pages the EPC does not account.
        if (pager_->uffd_of(id) < 0)
            return fail_load(id, Error(CCBOX_PROTOCOL_ERROR, "the enclave process loaded without paging"));
        protocol::Reader r(m.payload);
        if (!r.get(&load.loaded) || !r.at_end())
            return fail_load(id, Error(CCBOX_PROTOCOL_ERROR, "the enclave process sent a malformed report"));
        if (auto matches = check_report(load.loaded, *load.intake); !matches.ok()) {
            platform_log("refusing %s: %s", load.request.image_name, matches.error().message().c_str());
            return fail_load(id, Error(matches.error().code(),
                                       std::string(load.request.image_name) + ": " + matches.error().message()));
        }
        if (auto sent = protocol::send_message(load.control, protocol::Type::kStart, {}); !sent.ok())
            return fail_load(id, sent.error());
        load.stage = PendingLoad::Stage::kStarting;
        return;
    }
    if (load.stage == PendingLoad::Stage::kStarting && m.type == protocol::Type::kStarted && m.payload.empty())
        return finish_load(load);
    fail_load(id, Error(CCBOX_PROTOCOL_ERROR, "the enclave process sent an unexpected message while loading"));
}

void Server::finish_load(PendingLoad& load) {
    const uint64_t id = load.id;
    const ImageIntake& intake = *load.intake;
    Enclave enclave;
    enclave.id = id;
    enclave.client = load.client;
    enclave.owner_uid = load.owner_uid;
    enclave.pid = load.pid;
    enclave.pidfd = load.pidfd;
    enclave.control = load.control;
    enclave.id_slot = *load.id_slot;
    enclave.epc_pages = intake.epc_pages;
    enclave.base = load.loaded.base;
    enclave.tcs_count = intake.tcs_count;
    enclave.identity = intake.identity;
    enclave.key_identity = key_identity_of(intake.identity);
    enclave.image = load.request.image_name;
    enclave.control_reader = std::move(load.control_reader);
    void* header = ::mmap(nullptr, arena::kHeapOffset, PROT_READ | PROT_WRITE, MAP_SHARED, load.arena_fd, 0);
    enclave.arena = header == MAP_FAILED ? nullptr : header;

    wire::CreatedReply reply;
    std::memset(&reply, 0, sizeof reply);
    reply.enclave_id = id;
    reply.pid = load.pid;
    reply.loaded = wire::loaded_reply_of(intake.identity, load.loaded.base, intake.enclave_size, intake.tcs_count,
                                         intake.epc_pages);
    // The booking moves from the load to the enclave; the descriptors now belong to it.
    epc_reserved_pages_ -= load.reserved_pages;
    epc_committed_pages_ += intake.epc_pages;
    load.reserved_pages = 0;
    load.id_slot.reset();
    load.pid = load.pidfd = load.control = -1;
    const int client = load.client, pidfd = enclave.pidfd;
    enclaves_[id] = std::move(enclave);
    abandon_load(id, nullptr);  // after: the paging space stays with the enclave
    clients_.at(client).owned.push_back(id);
    platform_log("enclave %llu (%s, pid %d, uid %u, %llu EPC pages) created for uid %u",
                 static_cast<unsigned long long>(id), enclaves_[id].image.c_str(), enclaves_[id].pid,
                 kEnclaveIdBase + enclaves_[id].id_slot, static_cast<unsigned long long>(enclaves_[id].epc_pages),
                 enclaves_[id].owner_uid);
    int fds[1] = {pidfd};
    if (!protocol::send_message(client, protocol::Type::kEnclaveCreated,
                                std::span(reinterpret_cast<const uint8_t*>(&reply), sizeof reply), fds)
             .ok())
        drop_client(client);
}

void Server::fail_load(uint64_t id, const Error& error) {
    auto it = loads_.find(id);
    if (it == loads_.end())
        return;
    const int client = it->second.client;
    abandon_load(id, nullptr);
    if (clients_.count(client))
        reply_failure(client, error.code() == CCBOX_PROTOCOL_ERROR ? Error(CCBOX_PLATFORM_ERROR, error.message())
                                                                   : error);
}

void Server::abandon_load(uint64_t id, const char* why) {
    auto it = loads_.find(id);
    if (it == loads_.end())
        return;
    PendingLoad& load = it->second;
    end_enclave_process(load.pid);
    close_fd(load.pidfd);
    close_fd(load.control);
    close_fd(load.arena_fd);
    if (load.intake)
        close_fd(load.intake->memfd);
    epc_reserved_pages_ -= load.reserved_pages;
    if (!enclaves_.count(id))
        pager_->remove(id);  // unless the load became that enclave
    if (load.id_slot)
        id_slots_.erase(*load.id_slot);
    if (why)
        platform_log("load of %s abandoned: %s", load.request.image_name, why);
    loads_.erase(it);
}

void Server::expire_loads() {
    const auto now = Clock::now();
    std::vector<uint64_t> late;
    for (const auto& [id, load] : loads_)
        if (load.deadline <= now)
            late.push_back(id);
    for (uint64_t id : late)
        fail_load(id, Error(CCBOX_PLATFORM_ERROR, "the enclave did not load within " +
                                                      std::to_string(kLoadTimeout.count()) + " s"));
}

std::optional<Clock::time_point> Server::next_deadline() const {
    std::optional<Clock::time_point> next;
    for (const auto& [id, load] : loads_)
        if (!next || load.deadline < *next)
            next = load.deadline;
    return next;
}

}  // namespace ccbox
