#include "host/isolated/isolated_backend.hpp"

#include <ccbox/host.h>

#include "common/arena_abi.h"
#include "host/isolated/platform_client.hpp"
#include "platform/service/wire.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ccbox::host {
namespace {

constexpr uint32_t kDefaultSpin = 2000;
constexpr size_t kArenaBaseSize = size_t(64) << 20;
constexpr size_t kArenaPerTcs = size_t(256) << 10;

uint32_t env_u32(const char* name, uint32_t fallback) {
    const char* v = std::getenv(name);
    if (!v || !*v)
        return fallback;
    char* end = nullptr;
    unsigned long value = std::strtoul(v, &end, 10);
    return end && *end == '\0' && value <= UINT32_MAX ? static_cast<uint32_t>(value) : fallback;
}

long futex(void* word, int op, uint32_t value, const struct timespec* timeout) {
    return ::syscall(SYS_futex, word, op, value, timeout, nullptr, 0);
}

testing::ArenaHook g_arena_hook;

}  // namespace

void testing::set_arena_hook(const ArenaHook& hook) { g_arena_hook = hook; }

Result<void> IsolatedBackend::map_arena(size_t size) {
    arena_fd_ = static_cast<int>(::syscall(SYS_memfd_create, "ccbox-arena", MFD_CLOEXEC | MFD_ALLOW_SEALING));
    if (arena_fd_ < 0 || ::ftruncate(arena_fd_, static_cast<off_t>(size)) != 0)
        return Error(CCBOX_OUT_OF_MEMORY, std::string("cannot create the arena: ") + std::strerror(errno));
    // The platform maps it too and refuses an arena whose size could change under it.
    if (::fcntl(arena_fd_, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0)
        return Error(CCBOX_OUT_OF_MEMORY, std::string("cannot seal the arena: ") + std::strerror(errno));
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, arena_fd_, 0);
    if (p == MAP_FAILED)
        return Error(CCBOX_OUT_OF_MEMORY, std::string("cannot map the arena: ") + std::strerror(errno));
    arena_ = static_cast<uint8_t*>(p);
    arena_size_ = size;
    auto* header = arena::header_of(arena_);
    header->magic = arena::kMagic;
    header->version = arena::kVersion;
    header->tcs_count = tcs_count_;
    header->size = size;
    header->dead.store(0);
    header->worker_spin.store(env_u32("CCBOX_WORKER_SPIN", kDefaultSpin));
    heap_ = std::make_unique<ArenaHeap>(arena_ + arena::kHeapOffset, size - arena::kHeapOffset);
    return ok_result();
}

Result<std::unique_ptr<IsolatedBackend>> IsolatedBackend::create(const std::string& image_path,
                                                                 const IsolatedOptions& options) {
    std::unique_ptr<IsolatedBackend> b(new IsolatedBackend());
    if (options.tcs_count == 0 || options.tcs_count > arena::kMaxDoorbells)
        return Error(CCBOX_INVALID_PARAMETER, "bad TCS count");
    b->tcs_count_ = options.tcs_count;
    b->host_spin_ = env_u32("CCBOX_HOST_SPIN", kDefaultSpin);
    const uint32_t arena_mib = env_u32("CCBOX_ARENA_MIB", 0);
    const size_t arena_size = arena_mib ? size_t(arena_mib) << 20 : kArenaBaseSize + options.tcs_count * kArenaPerTcs;
    int image_fd = ::open(image_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (image_fd < 0)
        return Error(CCBOX_IO_ERROR, image_path + ": cannot open: " + std::strerror(errno));
    CCBOX_ASSIGN_OR_RETURN(b->connection_, connect_platform(options.platform, !options.platform.system));

    wire::LoadRequest request;
    std::memset(&request, 0, sizeof request);
    request.flags = options.debug ? wire::kLoadDebug : 0;
    std::strncpy(request.image_name, image_path.c_str(), sizeof request.image_name - 1);
    Result<protocol::Message> reply = Error(CCBOX_UNEXPECTED, "not attempted");
    // The enclave process maps the arena at the host's address; on the rare collision with
    // its own mappings, try another address.
    for (int attempt = 0; attempt < 4; ++attempt) {
        if (b->arena_) {
            ::munmap(b->arena_, b->arena_size_);
            ::close(b->arena_fd_);
            b->arena_ = nullptr;
        }
        if (auto mapped = b->map_arena(arena_size); !mapped.ok()) {
            ::close(image_fd);
            return std::move(mapped).error();
        }
        request.arena_address = reinterpret_cast<uintptr_t>(b->arena_);
        request.arena_size = arena_size;
        if (g_arena_hook.before_create)
            g_arena_hook.before_create(g_arena_hook.context, b->arena_, arena_size, b->tcs_count_);
        int fds[2] = {image_fd, b->arena_fd_};
        if (auto sent = protocol::send_message(b->connection_, protocol::Type::kCreateEnclave,
                                               std::span(reinterpret_cast<const uint8_t*>(&request), sizeof request),
                                               fds);
            !sent.ok()) {
            ::close(image_fd);
            return std::move(sent).error();
        }
        auto received = protocol::receive_message(b->connection_);
        if (g_arena_hook.after_create)
            g_arena_hook.after_create(g_arena_hook.context);
        if (received.ok() && received->type == protocol::Type::kError) {
            Error e = protocol::error_from(*received);
            received->close_fds();
            reply = e;
            if (e.code() == CCBOX_BUSY)
                continue;
            break;
        }
        reply = std::move(received);
        break;
    }
    ::close(image_fd);
    if (!reply.ok())
        return std::move(reply).error();
    protocol::Reader r(reply->payload);
    wire::CreatedReply created{};
    if (reply->type != protocol::Type::kEnclaveCreated || !r.get(&created) || !r.at_end() || reply->fds.size() != 1) {
        reply->close_fds();
        return Error(CCBOX_PROTOCOL_ERROR, "the platform sent a malformed reply");
    }
    b->pidfd_ = reply->fds[0];
    b->pid_ = created.pid;
    b->enclave_id_ = created.enclave_id;
    b->identity_ = wire::identity_of(created.loaded);
    b->base_ = created.loaded.base;
    b->size_ = created.loaded.size;
    if (created.loaded.tcs_count != b->tcs_count_)
        return Error(CCBOX_PROTOCOL_ERROR, "the platform created an enclave with another TCS count");
    return b;
}

IsolatedBackend::~IsolatedBackend() {
    if (connection_ >= 0 && enclave_id_ != 0 && !dead_) {
        protocol::Writer w;
        w.put(enclave_id_);
        (void)platform_request(connection_, protocol::Type::kTerminateEnclave, w.bytes());
    }
    if (connection_ >= 0)
        ::close(connection_);  // the platform also ends every enclave of a closed connection
    if (pidfd_ >= 0)
        ::close(pidfd_);
    if (arena_)
        ::munmap(arena_, arena_size_);
    if (arena_fd_ >= 0)
        ::close(arena_fd_);
}

uint32_t IsolatedBackend::backend_id() const { return CCBOX_BACKEND_ISOLATED; }

bool IsolatedBackend::process_gone() {
    if (dead_ || arena::header_of(arena_)->dead.load(std::memory_order_acquire))
        return dead_ = true;
    pollfd p{pidfd_, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0)
        dead_ = true;
    return dead_;
}

ccbox_exit_t IsolatedBackend::enter(uint32_t tcs, uint64_t op, ccbox_call_slot_t* slot) {
    // The platform marks the arena dead when the enclave process ends; the pidfd is only
    // polled while waiting, in case the platform itself is gone.
    if (dead_ || arena::header_of(arena_)->dead.load(std::memory_order_acquire))
        return {CCBOX_EXIT_ABORTED, 0};
    arena::Doorbell* d = arena::doorbell_of(arena_, tcs);
    d->op = op;
    d->slot = reinterpret_cast<uintptr_t>(slot);
    d->state.store(arena::kRequest, std::memory_order_seq_cst);
    if (d->worker_waiting.load(std::memory_order_seq_cst))
        futex(&d->state, FUTEX_WAKE, 1, nullptr);
    for (uint32_t i = 0;; ++i) {
        if (d->state.load(std::memory_order_acquire) == arena::kResponse)
            return {d->exit_code, d->exit_arg};
        if (i < host_spin_) {
            __builtin_ia32_pause();
            continue;
        }
        d->host_waiting.store(1, std::memory_order_seq_cst);
        if (d->state.load(std::memory_order_seq_cst) == arena::kRequest) {
            const struct timespec timeout {0, 100 * 1000 * 1000};
            futex(&d->state, FUTEX_WAIT, arena::kRequest, &timeout);
        }
        d->host_waiting.store(0, std::memory_order_relaxed);
        if (d->state.load(std::memory_order_acquire) != arena::kResponse && process_gone())
            return {CCBOX_EXIT_ABORTED, 0};
    }
}

void* IsolatedBackend::allocate_shared(size_t size) { return heap_->allocate(size); }
void IsolatedBackend::free_shared(void* pointer) { heap_->free(pointer); }
void* IsolatedBackend::reallocate_shared(void* pointer, size_t size) { return heap_->reallocate(pointer, size); }

bool IsolatedBackend::overlaps_enclave(uintptr_t address, size_t size) const {
    return address < base_ + size_ && base_ < address + size;
}

bool IsolatedBackend::reachable(const void* pointer, size_t size) const {
    auto p = reinterpret_cast<uintptr_t>(pointer), a = reinterpret_cast<uintptr_t>(arena_);
    return p >= a && size <= arena_size_ && p - a <= arena_size_ - size;
}

}  // namespace ccbox::host
