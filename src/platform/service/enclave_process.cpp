// The enclave process of the isolated backend: started by the platform (ccboxd re-executed
// with --enclave-process, so it inherits none of the platform's memory or secrets), it drops
// its privileges, maps the arena, loads and measures the enclave, starts one worker thread per
// TCS (held at a gate in its own memory), locks itself down and reports what it measured. Only
// when the platform, having checked that report against its own measurement, says start does
// it clear the doorbells and open the gate; from then on it only runs enclave code
// (docs/isolation.md). Trust domain: platform.
#include "platform/service/enclave_process.hpp"

#include "common/arena_abi.h"
#include "common/call_abi.h"
#include "platform/loader.hpp"
#include "platform/service/enclave_privileges.hpp"
#include "platform/service/protocol.hpp"
#include "platform/service/raw_syscall.h"
#include "platform/service/wire.hpp"

#include <linux/futex.h>
#include <linux/userfaultfd.h>
#include <seccomp.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <csignal>
#include <cstring>
#include <pthread.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ccbox {
namespace {

constexpr int kControlFd = 3;

struct ProcessState {
    std::unique_ptr<LoadedEnclave> enclave;
    void* arena = nullptr;
    ccbox_enclu_t enclu{};
    std::atomic<uint32_t> workers_ready{0};
    std::atomic<uint32_t> control_lock{0};
    // Workers wait here, in memory the host cannot reach, until the platform says start: no
    // doorbell the host rang before then, or rings meanwhile, runs enclave code earlier.
    std::atomic<uint32_t> gate{0};
};
ProcessState g_state;

// ---- EGETKEY / EREPORT: forwarded to the platform, which holds the secrets ----
// These run on worker threads after lockdown: raw system calls on the control socket only,
// no allocation.

// The largest request: TARGETINFO + REPORTDATA (EREPORT).
constexpr uint32_t kMaxPlatformRequest = 512 + 64;

void lock_control() {
    while (g_state.control_lock.exchange(1, std::memory_order_acquire))
        __builtin_ia32_pause();
}
void unlock_control() { g_state.control_lock.store(0, std::memory_order_release); }

// The buffers the kernel reads and writes are in the process's own memory, never on the enclave's
// stack: an enclave page may be evicted, and the platform's userfaultfd serves only faults of user
// mode (docs/paging.md), so a system call must not touch one. Used under the control lock.
struct PlatformCallBuffers {
    uint8_t frame[sizeof(protocol::FrameHeader) + kMaxPlatformRequest];
    protocol::FrameHeader answer;
    uint8_t reply[4 + sgx::kReportSize];
};
PlatformCallBuffers g_call;

uint32_t platform_call(protocol::Type type, const uint8_t* request, uint32_t request_size, protocol::Type reply_type,
                       uint8_t* reply, uint32_t reply_size) {
    if (request_size > kMaxPlatformRequest || reply_size > sizeof g_call.reply)
        return CCBOX_PLATFORM_ERROR;
    lock_control();
    // One write per frame: the platform wakes once and finds the whole request.
    uint8_t* frame = g_call.frame;
    const protocol::FrameHeader header{protocol::kMagic, protocol::kVersion, static_cast<uint16_t>(type), request_size,
                                       0};
    std::memcpy(frame, &header, sizeof header);
    std::memcpy(frame + sizeof header, request, request_size);
    bool ok = raw::write_all(kControlFd, frame, sizeof header + request_size);
    protocol::FrameHeader& answer = g_call.answer;
    ok = ok && raw::read_all(kControlFd, &answer, sizeof answer) && answer.magic == protocol::kMagic &&
         answer.type == static_cast<uint16_t>(reply_type) && answer.length == reply_size &&
         raw::read_all(kControlFd, g_call.reply, reply_size);
    if (ok)
        std::memcpy(reply, g_call.reply, reply_size);
    std::memset(g_call.reply, 0, sizeof g_call.reply);
    unlock_control();
    return ok ? CCBOX_OK : CCBOX_PLATFORM_ERROR;
}

uint32_t forward_egetkey(void*, const void* keyrequest, uint8_t key[16]) {
    uint8_t reply[4 + 16];
    uint32_t r = platform_call(protocol::Type::kEgetkey, static_cast<const uint8_t*>(keyrequest), 512,
                               protocol::Type::kEgetkeyReply, reply, sizeof reply);
    if (r != CCBOX_OK)
        return r;
    std::memcpy(&r, reply, 4);
    if (r == CCBOX_OK)
        std::memcpy(key, reply + 4, 16);
    std::memset(reply, 0, sizeof reply);
    return r;
}

uint32_t forward_ereport(void*, const void* targetinfo, const uint8_t reportdata[64], void* report) {
    uint8_t request[512 + 64];
    std::memcpy(request, targetinfo, 512);
    std::memcpy(request + 512, reportdata, 64);
    uint8_t reply[4 + sgx::kReportSize];
    uint32_t r = platform_call(protocol::Type::kEreport, request, sizeof request, protocol::Type::kEreportReply, reply,
                               sizeof reply);
    if (r != CCBOX_OK)
        return r;
    std::memcpy(&r, reply, 4);
    if (r == CCBOX_OK)
        std::memcpy(report, reply + 4, sgx::kReportSize);
    return r;
}

// ---- workers: one per TCS, EENTER on request ----

struct WorkerArgument {
    uint32_t tcs;
};
WorkerArgument g_worker_arguments[arena::kMaxDoorbells];

[[noreturn]] void worker_loop(uint32_t tcs) {
    arena::Header* header = arena::header_of(g_state.arena);
    arena::Doorbell* d = arena::doorbell_of(g_state.arena, tcs);
    const uintptr_t td = g_state.enclave->thread_data()[tcs];
    const auto entry = reinterpret_cast<ccbox_enclave_entry_t>(g_state.enclave->entry());
    // A worker spins for the next request only after it has just served one (calls come in
    // bursts); an idle TCS sleeps at once and leaves the CPU to the threads doing work.
    bool served = false;
    for (;;) {
        const uint32_t spins = served ? header->worker_spin.load(std::memory_order_relaxed) : 0;
        served = true;
        uint32_t seen;
        for (uint32_t i = 0; (seen = d->state.load(std::memory_order_acquire)) != arena::kRequest; ++i) {
            if (i < spins) {
                __builtin_ia32_pause();
                continue;
            }
            d->worker_waiting.store(1, std::memory_order_seq_cst);
            if (d->state.load(std::memory_order_seq_cst) != arena::kRequest)
                raw::futex_wait(&d->state, seen);
            d->worker_waiting.store(0, std::memory_order_relaxed);
        }
        const uint64_t op = d->op, slot = d->slot;
        const ccbox_exit_t exit = entry(td, op, slot, &g_state.enclu);
        d->exit_code = exit.code;
        d->exit_arg = exit.arg;
        d->state.store(arena::kResponse, std::memory_order_seq_cst);
        if (d->host_waiting.load(std::memory_order_seq_cst))
            raw::futex_wake(&d->state, 1);
    }
}

void* worker_main(void* argument) {
    const uint32_t tcs = static_cast<WorkerArgument*>(argument)->tcs;
    // From here on this thread's FS is the enclave's TD page (TCS.OFSBASE): no glibc calls.
    raw::set_fs(g_state.enclave->thread_data()[tcs]);
    g_state.workers_ready.fetch_add(1, std::memory_order_release);
    raw::futex_wake(&g_state.workers_ready, 1);
    while (g_state.gate.load(std::memory_order_acquire) == 0)
        raw::futex_wait(&g_state.gate, 0);
    worker_loop(tcs);
}

Result<void> start_workers() {
    const uint32_t count = static_cast<uint32_t>(g_state.enclave->thread_data().size());
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (uint32_t t = 0; t < count; ++t) {
        g_worker_arguments[t].tcs = t;
        pthread_t thread;
        if (int e = pthread_create(&thread, &attr, worker_main, &g_worker_arguments[t]); e != 0)
            return Error(CCBOX_THREAD_CREATE_ERROR, std::string("cannot start enclave threads: ") + std::strerror(e));
    }
    pthread_attr_destroy(&attr);
    for (uint32_t ready; (ready = g_state.workers_ready.load(std::memory_order_acquire)) != count;)
        raw::futex_wait(&g_state.workers_ready, ready);
    return ok_result();
}

// ---- lockdown ----

Result<void> lock_down() {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return Error(CCBOX_PLATFORM_ERROR, std::string("PR_SET_NO_NEW_PRIVS: ") + std::strerror(errno));
    scmp_filter_ctx filter = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (!filter)
        return Error(CCBOX_PLATFORM_ERROR, "seccomp_init failed");
    // Exactly what the runtime's call path needs: futexes for the doorbells, the control
    // socket for EGETKEY/EREPORT, and exiting.
    // datum_b (unused by SCMP_CMP_EQ) is given so that every field is initialised (clang's
    // -Wmissing-field-initializers sees through the macro).
    // Only the two operations the doorbells and the gate use (with or without the private
    // flag): not the PI and requeue operations, on memory the host shares.
    int rc = 0;
    for (int op : {FUTEX_WAIT, FUTEX_WAKE, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, FUTEX_WAKE | FUTEX_PRIVATE_FLAG})
        rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(futex), 1,
                               SCMP_A1(SCMP_CMP_EQ, static_cast<scmp_datum_t>(op), 0));
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, kControlFd, 0));
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, kControlFd, 0));
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0);
    rc |= seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0);
    rc |= seccomp_attr_set(filter, SCMP_FLTATR_CTL_TSYNC, 1);
    // Every descriptor but the control socket goes before the filter does.
    for (int fd = 0; fd < 3; ++fd)
        ::close(fd);
    ::close_range(kControlFd + 1, ~0u, 0);
    if (rc == 0)
        rc = seccomp_load(filter);
    seccomp_release(filter);
    if (rc != 0)
        return Error(CCBOX_PLATFORM_ERROR, "cannot install the seccomp filter (" + std::to_string(rc) + ")");
    return ok_result();
}

// ---- paging (docs/paging.md) ----

// ELRANGE is the platform's memfd, mapped here. Before any enclave page is written, a
// userfaultfd registered on it goes to the platform, which from then on installs every page of
// it: the process cannot populate enclave memory behind the platform's back. Unprivileged
// processes may create one for user-mode faults only (vm.unprivileged_userfaultfd = 0), which
// is all enclave code makes: its system calls go through buffers outside ELRANGE.
Result<void> hand_faults_to_platform(uintptr_t base, uint64_t size) {
    const int uffd = static_cast<int>(::syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY));
    if (uffd < 0)
        return Error(CCBOX_PLATFORM_ERROR, std::string("userfaultfd (needs Linux 5.11 or later): ") + std::strerror(errno));
    uffdio_api api{};
    api.api = UFFD_API;
    api.features = UFFD_FEATURE_MISSING_SHMEM | UFFD_FEATURE_WP_HUGETLBFS_SHMEM;
    uffdio_register reg{};
    reg.range = {base, size};
    reg.mode = UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP;
    if (::ioctl(uffd, UFFDIO_API, &api) != 0 || ::ioctl(uffd, UFFDIO_REGISTER, &reg) != 0 ||
        !(reg.ioctls & (uint64_t(1) << _UFFDIO_COPY)) || !(reg.ioctls & (uint64_t(1) << _UFFDIO_WRITEPROTECT))) {
        const int e = errno;
        ::close(uffd);
        return Error(CCBOX_PLATFORM_ERROR, std::string("userfaultfd on the enclave's memory (needs Linux 5.19 or "
                                                       "later for write protection of shared memory): ") +
                                               std::strerror(e));
    }
    const wire::PagingReady ready{base, size};
    const int fds[1] = {uffd};
    auto sent = protocol::send_message(kControlFd, protocol::Type::kPaging,
                                       std::span(reinterpret_cast<const uint8_t*>(&ready), sizeof ready), fds);
    ::close(uffd);
    return sent;
}

// ---- loading ----

void trace(const char* what) {
    static const bool on = std::getenv("CCBOX_PLATFORM_TRACE") != nullptr;
    if (on) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        std::fprintf(stderr, "enclave process %d: %ld.%06ld %s\n", getpid(), ts.tv_sec, ts.tv_nsec / 1000, what);
    }
}

Result<void> load(const protocol::Message& message) {
    trace("load request received");
    protocol::Reader r(message.payload);
    wire::LoadRequest request{};
    if (!r.get(&request) || !r.at_end() || message.fds.size() != 3)
        return Error(CCBOX_PROTOCOL_ERROR, "malformed load request");
    const int image_fd = message.fds[0], arena_fd = message.fds[1], epc_fd = message.fds[2];

    void* arena = ::mmap(reinterpret_cast<void*>(request.arena_address), request.arena_size, PROT_READ | PROT_WRITE,
                         MAP_SHARED | MAP_FIXED_NOREPLACE, arena_fd, 0);
    if (arena == MAP_FAILED || arena != reinterpret_cast<void*>(request.arena_address))
        return Error(CCBOX_BUSY, std::string("cannot map the arena at the host's address: ") + std::strerror(errno));
    g_state.arena = arena;
    arena::Header* header = arena::header_of(arena);
    if (request.arena_size < arena::kHeapOffset || header->magic != arena::kMagic || header->version != arena::kVersion)
        return Error(CCBOX_INVALID_PARAMETER, "the arena is not initialised");

    std::string name(request.image_name, strnlen(request.image_name, sizeof request.image_name));
    CCBOX_ASSIGN_OR_RETURN(EnclaveImage image, EnclaveImage::from_fd(image_fd, name));
    LoadOptions options;
    options.debug = request.flags & wire::kLoadDebug;
    options.epc_memfd = epc_fd;
    options.on_mapped = hand_faults_to_platform;
    trace("image parsed");
    CCBOX_ASSIGN_OR_RETURN(g_state.enclave, load_enclave(image, options));
    trace("enclave loaded and measured");
    if (g_state.enclave->thread_data().size() > arena::kMaxDoorbells ||
        g_state.enclave->thread_data().size() != header->tcs_count)
        return Error(CCBOX_INVALID_PARAMETER, "the arena has room for a different number of TCS");

    g_state.enclu.version = CCBOX_ENCLU_VERSION;
    g_state.enclu.platform = &g_state;
    g_state.enclu.egetkey = forward_egetkey;
    g_state.enclu.ereport = forward_ereport;
    g_state.enclu.untrusted_base = request.arena_address;
    g_state.enclu.untrusted_size = request.arena_size;
    return start_workers();
}

[[noreturn]] void wait_forever() {
    static uint32_t never = 0;
    for (;;)
        raw::futex_wait(&never, 0);
}

// After the lockdown: waits for the platform's start, clears every doorbell (whatever the host
// wrote there so far is not a call), opens the gate and confirms, all before any worker can
// use the control socket.
[[noreturn]] void start_when_told() {
    protocol::FrameHeader start{};
    if (!raw::read_all(kControlFd, &start, sizeof start) || start.magic != protocol::kMagic ||
        start.type != static_cast<uint16_t>(protocol::Type::kStart) || start.length != 0)
        raw::syscall6(SYS_exit_group, 1);
    lock_control();
    for (uint32_t t = 0; t < g_state.enclave->thread_data().size(); ++t) {
        arena::Doorbell* d = arena::doorbell_of(g_state.arena, t);
        d->op = d->slot = 0;
        d->state.store(arena::kIdle, std::memory_order_seq_cst);
    }
    g_state.gate.store(1, std::memory_order_release);
    raw::futex_wake(&g_state.gate, INT32_MAX);
    const protocol::FrameHeader started{protocol::kMagic, protocol::kVersion,
                                        static_cast<uint16_t>(protocol::Type::kStarted), 0, 0};
    const bool sent = raw::write_all(kControlFd, &started, sizeof started);
    unlock_control();
    if (!sent)
        raw::syscall6(SYS_exit_group, 1);
    wait_forever();
}

}  // namespace

int run_enclave_process(const EnclaveProcessArguments& arguments) {
    trace("started");
    // Least privilege first, while the process holds nothing of the enclave. Changing the uid
    // resets the dumpable flag and the parent-death signal, so both come after.
    if (auto dropped = drop_enclave_privileges(arguments.credentials, arguments.state_dir); !dropped.ok()) {
        (void)protocol::send_error(kControlFd, dropped.error());
        return 1;
    }
    // Nothing may look inside from here on: not ptrace, not /proc/PID/mem, not core dumps.
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (::getppid() != arguments.platform_pid)
        return 1;  // the platform is already gone

    auto message = protocol::receive_message(kControlFd);
    if (!message.ok() || message->type != protocol::Type::kLoad)
        return 1;
    // Test hook: a load that stays under way until the test lets it go on (SIGCONT), for the
    // responsiveness tests (docs/testing.md). Matches a part of the image's name.
    if (const char* pause = std::getenv("CCBOX_TEST_PAUSE_LOAD"); pause && *pause && message->payload.size() >= sizeof(wire::LoadRequest)) {
        wire::LoadRequest request;
        std::memcpy(&request, message->payload.data(), sizeof request);
        request.image_name[sizeof request.image_name - 1] = '\0';
        if (std::strstr(request.image_name, pause))
            ::raise(SIGSTOP);
    }
    auto loaded = load(*message);
    message->close_fds();
    if (!loaded.ok()) {
        (void)protocol::send_error(kControlFd, loaded.error());
        return 1;
    }
    // The reply is built before the filter is in place (it allocates), sent after. The platform
    // checks it against its own measurement; the test hook makes it lie, to show that it does.
    wire::LoadedReply reply = wire::loaded_reply_of(*g_state.enclave);
    if (std::getenv("CCBOX_TEST_FORGE_IDENTITY"))
        reply.mrenclave[0] ^= 1;
    const protocol::FrameHeader header{protocol::kMagic, protocol::kVersion,
                                       static_cast<uint16_t>(protocol::Type::kLoaded), sizeof reply, 0};
    trace("workers started");
    if (auto locked = lock_down(); !locked.ok()) {
        (void)protocol::send_error(kControlFd, locked.error());
        return 1;
    }
    if (!raw::write_all(kControlFd, &header, sizeof header) || !raw::write_all(kControlFd, &reply, sizeof reply))
        raw::syscall6(SYS_exit_group, 1);
    start_when_told();
}

}  // namespace ccbox
