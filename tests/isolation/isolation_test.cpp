// The isolated backend's promises (issue "Isolated enclaves"): the host cannot read or write
// enclave memory, enclave code cannot touch the machine, enclave processes never outlive
// their host or platform, EPC is accounted, and the platform survives garbage.
#include "enclave_test_support.hpp"
#include "host/isolated/platform_client.hpp"
#include "isolation_support.hpp"
#include "runtime_test_u.h"
#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <future>
#include <grp.h>
#include <map>
#include <pwd.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

// OCALLs of runtime_test.edl (unused here but part of its table).
// OCALLs counted per host thread: an OCALL must run on the thread that made the ECALL.
thread_local int t_ocalls_here = 0;
extern "C" void host_empty(void) { ++t_ocalls_here; }
extern "C" void host_log(const char*) {}
extern "C" void host_wait_for_release(void) {}
extern "C" int host_nested(int) { return 0; }

namespace {

namespace fs = std::filesystem;
using ccbox::test::TempDir;
using namespace ccbox::test::isolation;

// ---------------------------------------------------------------- isolation

// Everything the unprivileged host learns, sent back to the test through a pipe.
struct Observations {
    int created = -1;
    int vm_read_errno = 0, vm_write_errno = 0, proc_mem_errno = 0, ptrace_errno = 0;
    int secret_found_before = -1, secret_found_after = -1, still_works = -1;
    int enclave_pid = 0, host_pid = 0;
    // The enclave process runs as the host's user, yet its /proc files belong to root: the
    // kernel does that for non-dumpable processes (and so refuses ptrace and /proc/PID/mem).
    long enclave_uid = -1, proc_files_uid = -1;
};

// A copy of every readable memory of this process that could hold data: anonymous
// mappings, heap, stacks and the arena (a memfd). Files mapped from disk are left out
// (reading past their end would fault, and they hold no runtime data).
std::vector<uint8_t> snapshot_memory() {
    std::ifstream maps("/proc/self/maps");
    std::vector<std::pair<unsigned long, unsigned long>> ranges;
    std::string line;
    while (std::getline(maps, line)) {
        unsigned long start, end;
        char perms[5];
        if (std::sscanf(line.c_str(), "%lx-%lx %4s", &start, &end, perms) != 3 || perms[0] != 'r')
            continue;
        if (line.find("[vvar") != std::string::npos || line.find("[vsyscall]") != std::string::npos)
            continue;  // kernel pages that fault when read
        const size_t slash = line.find('/');
        if (slash != std::string::npos && line.find("/memfd:") == std::string::npos)
            continue;  // a file
#if defined(__SANITIZE_ADDRESS__)
        // ASan's shadow memory: terabytes of address space that holds only shadow bytes.
        if (end - start >= (1ul << 30))
            continue;
#endif
        ranges.emplace_back(start, end);
    }
    size_t total = 0;
    for (auto [start, end] : ranges)
        total += end - start;
    // Copied by the kernel through /proc/self/mem: a plain memcpy of memory the program does
    // not own is what ASan reports (its redzones and metadata are in these ranges).
    std::vector<uint8_t> out(total + (64 << 20));  // no reallocation while copying (the copy lives in memory too)
    const int mem = ::open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    size_t used = 0;
    for (auto [start, end] : ranges) {
        const ssize_t n = mem < 0 ? -1 : ::pread(mem, out.data() + used, end - start, static_cast<off_t>(start));
        if (n > 0)
            used += static_cast<size_t>(n);
    }
    if (mem >= 0)
        ::close(mem);
    out.resize(used);
    return out;
}

void unprivileged_host(const std::string& state_dir, int report_fd) {
    Observations o;
    ccbox_enclave_setting_platform_t platform{nullptr, state_dir.c_str()};
    ccbox_enclave_setting_t settings = settings_for(&platform);
    ccbox_enclave_t* e = nullptr;
    o.created = create(image("runtime_enclave.signed"), &settings, &e);
    if (o.created == CCBOX_OK) {
        ccbox_enclave_identity_t id;
        ccbox_get_enclave_identity(e, &id);
        o.enclave_pid = id.process_id;
        o.host_pid = ::getpid();
        rt_make_secret(e);
        uint8_t probe[64];
        struct iovec local {probe, sizeof probe};
        struct iovec remote {reinterpret_cast<void*>(id.enclave_base), sizeof probe};
        errno = 0;
        if (process_vm_readv(id.process_id, &local, 1, &remote, 1, 0) < 0)
            o.vm_read_errno = errno;
        errno = 0;
        if (process_vm_writev(id.process_id, &local, 1, &remote, 1, 0) < 0)
            o.vm_write_errno = errno;
        std::string mem = "/proc/" + std::to_string(id.process_id) + "/mem";
        struct stat proc_stat {};
        if (::stat(mem.c_str(), &proc_stat) == 0)
            o.proc_files_uid = proc_stat.st_uid;
        std::ifstream status("/proc/" + std::to_string(id.process_id) + "/status");
        for (std::string line; std::getline(status, line);)
            if (line.rfind("Uid:", 0) == 0)
                o.enclave_uid = std::stol(line.substr(4));
        int fd = ::open(mem.c_str(), O_RDWR);
        o.proc_mem_errno = fd < 0 ? errno : 0;
        if (fd >= 0)
            ::close(fd);
        errno = 0;
        if (::ptrace(PTRACE_ATTACH, id.process_id, nullptr, nullptr) < 0)
            o.ptrace_errno = errno;
        else
            ::ptrace(PTRACE_DETACH, id.process_id, nullptr, nullptr);

        // Before the enclave hands it out, its secret is nowhere in this process's memory
        // (the arena included): snapshot every readable mapping, then ask for the secret and
        // look for it in the snapshot. Then check that the search finds it once revealed.
        std::vector<uint8_t> snapshot = snapshot_memory();
        uint8_t secret[32] = {};
        ccbox_result_t reveal = rt_reveal_secret(e, secret);
        o.secret_found_before =
            std::search(snapshot.begin(), snapshot.end(), secret, secret + 32) != snapshot.end() ? 1 : 0;
        std::vector<uint8_t> after = snapshot_memory();
        o.secret_found_after =
            reveal == CCBOX_OK && std::search(after.begin(), after.end(), secret, secret + 32) != after.end() ? 1 : 0;
        int sum = 0;
        o.still_works = rt_add(e, &sum, 2, 3) == CCBOX_OK && sum == 5;
        ccbox_terminate_enclave(e);
    }
    (void)!::write(report_fd, &o, sizeof o);
}

TEST(Isolation, AnUnprivilegedHostCannotReadOrWriteEnclaveMemory) {
    TempDir dir;
    struct passwd* nobody = ::getpwnam("nobody");
    ASSERT_NE(nobody, nullptr);
    const std::string state = (dir.path() / "state").string();
    fs::create_directory(state);
    ASSERT_EQ(::chown(dir.path().c_str(), nobody->pw_uid, nobody->pw_gid), 0);
    ASSERT_EQ(::chown(state.c_str(), nobody->pw_uid, nobody->pw_gid), 0);
    ::chmod(state.c_str(), 0700);
    int pipe_fds[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    pid_t child = ::fork();
    if (child == 0) {
        ::close(pipe_fds[0]);
        // Drop every privilege: the host is an ordinary user process.
        if (::setgroups(0, nullptr) != 0 || ::setresgid(nobody->pw_gid, nobody->pw_gid, nobody->pw_gid) != 0 ||
            ::setresuid(nobody->pw_uid, nobody->pw_uid, nobody->pw_uid) != 0)
            ::_exit(3);
        // An ordinary user process is dumpable; the switch from root made this one not (and
        // its /proc/self/mem, which snapshot_memory reads, root's).
        ::prctl(PR_SET_DUMPABLE, 1);
        ::setenv("HOME", state.c_str(), 1);
        unprivileged_host(state, pipe_fds[1]);
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    Observations o;
    ssize_t n = ::read(pipe_fds[0], &o, sizeof o);
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_EQ(n, static_cast<ssize_t>(sizeof o)) << "the unprivileged host did not report (exit " << status << ")";
    ASSERT_EQ(o.created, CCBOX_OK) << "the unprivileged host created an isolated enclave";
    ASSERT_GT(o.enclave_pid, 0);
    ASSERT_NE(o.enclave_pid, o.host_pid) << "the enclave is another process";
    // Refused for lack of permission: not a missing process (ESRCH/ENOENT) or a bad address
    // (EFAULT), which would also make the calls fail.
    EXPECT_EQ(o.vm_read_errno, EPERM) << "process_vm_readv must be refused: " << std::strerror(o.vm_read_errno);
    EXPECT_EQ(o.vm_write_errno, EPERM) << "process_vm_writev must be refused: " << std::strerror(o.vm_write_errno);
    EXPECT_EQ(o.proc_mem_errno, EACCES) << "/proc/PID/mem must not open: " << std::strerror(o.proc_mem_errno);
    EXPECT_EQ(o.ptrace_errno, EPERM) << "ptrace attach must be refused: " << std::strerror(o.ptrace_errno);
    EXPECT_EQ(o.enclave_uid, static_cast<long>(nobody->pw_uid)) << "the enclave process is the host user's";
    EXPECT_EQ(o.proc_files_uid, 0) << "and non-dumpable: its /proc files belong to root";
    EXPECT_EQ(o.secret_found_before, 0) << "the secret is not in host memory or the arena before it is revealed";
    EXPECT_EQ(o.secret_found_after, 1) << "and is found once the enclave hands it out (the scan works)";
    EXPECT_EQ(o.still_works, 1) << "the enclave is unharmed";
    (void)ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "stop", "--state-dir", state});
}

// ---------------------------------------------------------------- containment

TEST(Containment, ARawSystemCallKillsTheEnclave) {
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), ccbox::test::platform_settings(), &e), CCBOX_OK)
        << ccbox_get_last_error();
    ccbox_enclave_identity_t id;
    ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
    EXPECT_EQ(rt_fault(e, RT_FAULT_SYSCALL), CCBOX_ENCLAVE_ABORTED);
    int sum = 0;
    EXPECT_EQ(rt_add(e, &sum, 1, 1), CCBOX_ENCLAVE_ABORTED);
    EXPECT_TRUE(wait_until_gone(id.process_id, 10)) << "seccomp killed the enclave process";
    ccbox_terminate_enclave(e);
}

// The lockdown comes before the first enclave instruction: a static constructor (the first
// code of the enclave's own) that makes a raw system call kills the enclave process, and
// creation fails cleanly. The sim backend, which has no lockdown, runs the same image.
TEST(Containment, TheLockdownPrecedesTheEnclavesFirstCode) {
    const std::string early = ccbox::test::built_file("isolation/early_syscall_enclave.signed");
    ccbox_enclave_t* e = nullptr;
    EXPECT_EQ(ccbox_create_enclave(early.c_str(), CCBOX_ENCLAVE_FLAG_ISOLATED, ccbox::test::platform_settings(), 1,
                                   nullptr, 0, &e),
              CCBOX_ENCLAVE_ABORTED);
    EXPECT_EQ(e, nullptr) << "no enclave is left half-created";

    ASSERT_EQ(ccbox_create_enclave(early.c_str(), CCBOX_ENCLAVE_FLAG_SIMULATE, nullptr, 0, nullptr, 0, &e), CCBOX_OK)
        << ccbox_get_last_error();
    long pid = 0;
    size_t written = 0;
    ASSERT_EQ(ccbox_call_enclave_function(e, 0, nullptr, 0, &pid, sizeof pid, &written), CCBOX_OK);
    EXPECT_EQ(pid, ::getpid()) << "in sim the constructor's system call ran (in this process)";
    ccbox_terminate_enclave(e);
    // The platform is unharmed.
    ASSERT_EQ(create(image("runtime_enclave.signed"), ccbox::test::platform_settings(), &e), CCBOX_OK);
    ccbox_terminate_enclave(e);
}

TEST(Containment, KillingTheHostLeavesNoEnclaveProcess) {
    // The test platform belongs to this process (which removes its state directory at exit),
    // not to the host that gets killed.
    const ccbox_enclave_setting_t* settings = ccbox::test::platform_settings();
    int pipe_fds[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    pid_t host = ::fork();
    if (host == 0) {
        ::close(pipe_fds[0]);
        ccbox_enclave_t* e = nullptr;
        int pid = -1;
        if (create(image("runtime_enclave.signed"), settings, &e) == CCBOX_OK) {
            ccbox_enclave_identity_t id;
            ccbox_get_enclave_identity(e, &id);
            pid = id.process_id;
        }
        (void)!::write(pipe_fds[1], &pid, sizeof pid);
        ::pause();
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    int enclave_pid = -1;
    ASSERT_EQ(::read(pipe_fds[0], &enclave_pid, sizeof enclave_pid), static_cast<ssize_t>(sizeof enclave_pid));
    ::close(pipe_fds[0]);
    ASSERT_GT(enclave_pid, 0);
    EXPECT_TRUE(process_alive(enclave_pid));
    ::kill(host, SIGKILL);
    ::waitpid(host, nullptr, 0);
    EXPECT_TRUE(wait_until_gone(enclave_pid, 10)) << "the enclave process outlived its host";
}

TEST(Containment, KillingTheEnclaveProcessFailsItsCallsCleanly) {
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), ccbox::test::platform_settings(), &e), CCBOX_OK);
    ccbox_enclave_identity_t id;
    ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
    int sum = 0;
    ASSERT_EQ(rt_add(e, &sum, 1, 1), CCBOX_OK);
    ASSERT_EQ(::kill(id.process_id, SIGKILL), 0);
    ASSERT_TRUE(wait_until_gone(id.process_id, 10));
    EXPECT_EQ(rt_add(e, &sum, 1, 1), CCBOX_ENCLAVE_ABORTED);
    EXPECT_EQ(rt_add(e, &sum, 1, 1), CCBOX_ENCLAVE_ABORTED);
    EXPECT_EQ(ccbox_terminate_enclave(e), CCBOX_OK);
}

TEST(Containment, StoppingThePlatformAbortsItsEnclaves) {
    OwnPlatform platform;
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), &platform.setting, &e), CCBOX_OK) << ccbox_get_last_error();
    ccbox_enclave_identity_t id;
    ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
    int sum = 0;
    ASSERT_EQ(rt_add(e, &sum, 1, 1), CCBOX_OK);
    auto stopped = ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "stop", "--state-dir",
                                     platform.dir.path().string()});
    ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
    EXPECT_EQ(rt_add(e, &sum, 1, 1), CCBOX_ENCLAVE_ABORTED);
    EXPECT_TRUE(wait_until_gone(id.process_id, 10));
    EXPECT_EQ(ccbox_terminate_enclave(e), CCBOX_OK);
}

// The platform's own death (SIGKILL, no chance to clean up) takes its enclave processes
// with it, and the host sees its enclave as aborted.
TEST(Containment, KillingThePlatformAbortsItsEnclaves) {
    OwnPlatform platform;
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), &platform.setting, &e), CCBOX_OK) << ccbox_get_last_error();
    const pid_t platform_pid = platform.status()["pid"].get<pid_t>();
    ccbox_enclave_identity_t id;
    ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
    ASSERT_EQ(::kill(platform_pid, SIGKILL), 0);
    EXPECT_TRUE(wait_until_gone(id.process_id, 10)) << "the enclave process does not outlive its platform";
    int sum = 0;
    EXPECT_EQ(rt_add(e, &sum, 1, 1), CCBOX_ENCLAVE_ABORTED);
    EXPECT_EQ(ccbox_terminate_enclave(e), CCBOX_OK);
}

// Before the first enclave instruction runs, the enclave process is locked down: no new
// privileges, a seccomp filter, and no descriptor but its control channel (fd 3).
TEST(Containment, TheEnclaveProcessIsLockedDown) {
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), ccbox::test::platform_settings(), &e), CCBOX_OK)
        << ccbox_get_last_error();
    ccbox_enclave_identity_t id;
    ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
    const std::string proc = "/proc/" + std::to_string(id.process_id);
    std::ifstream status_file(proc + "/status");
    std::map<std::string, std::string> status;
    for (std::string line; std::getline(status_file, line);) {
        const size_t colon = line.find(':');
        const size_t value = line.find_first_not_of(" \t", colon + 1);
        if (colon != std::string::npos && value != std::string::npos)
            status[line.substr(0, colon)] = line.substr(value);
    }
    EXPECT_EQ(status["NoNewPrivs"], "1");
    EXPECT_EQ(status["Seccomp"], "2") << "a seccomp filter (mode 2) is installed";
    std::vector<int> fds;
    for (const auto& entry : fs::directory_iterator(proc + "/fd"))
        fds.push_back(std::stoi(entry.path().filename().string()));
    EXPECT_EQ(fds, std::vector<int>{3}) << "only the control channel is open";
    int sum = 0;
    EXPECT_EQ(rt_add(e, &sum, 1, 1), CCBOX_OK);
    ccbox_terminate_enclave(e);
}

// ---------------------------------------------------------------- calls and host memory

// OCALLs run on the host thread that made the ECALL, even with several threads calling.
TEST(Calls, OcallsRunOnTheCallingHostThread) {
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), ccbox::test::platform_settings(), &e), CCBOX_OK)
        << ccbox_get_last_error();
    std::vector<int> seen(3, -1);
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t)
        threads.emplace_back([&, t] {
            t_ocalls_here = 0;
            if (rt_ocall_loop(e, 10 + t) == CCBOX_OK)
                seen[t] = t_ocalls_here;
        });
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(seen, (std::vector<int>{10, 11, 12}));
    ccbox_terminate_enclave(e);
}

// The documented difference from SGX: the enclave reaches host memory only in the arena.
// ccbox_host_malloc memory (arena) works both ways and as a user_check pointer; a pointer to
// the host's own heap, which SGX would let the enclave read, faults and aborts the enclave.
TEST(Calls, UserCheckReachesOnlyTheArena) {
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), ccbox::test::platform_settings(), &e), CCBOX_OK)
        << ccbox_get_last_error();
    constexpr size_t kSize = 4096;
    uint64_t address = 0;
    ASSERT_EQ(rt_host_buffer(e, &address, kSize), CCBOX_OK);
    ASSERT_NE(address, 0u);
    const auto* shared = reinterpret_cast<const uint8_t*>(address);
    uint64_t expected = 0;
    for (size_t i = 0; i < kSize; ++i) {
        ASSERT_EQ(shared[i], static_cast<uint8_t>(i * 7)) << "the host reads what the enclave wrote, at " << i;
        expected += shared[i];
    }
    uint64_t sum = 0;
    ASSERT_EQ(rt_sum_user_check(e, &sum, shared, kSize), CCBOX_OK);
    EXPECT_EQ(sum, expected) << "user_check into the arena works";
    ASSERT_EQ(rt_host_free(e, reinterpret_cast<void*>(address)), CCBOX_OK);

    // The host's own memory, from a mapping of its own (not its heap: a sanitized ccboxd gives
    // the enclave process an ASan heap at the same fixed addresses as the host's).
    void* mapping = ::mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(mapping, MAP_FAILED);
    auto* own = static_cast<uint8_t*>(mapping);
    std::memset(own, 1, kSize);
    EXPECT_EQ(rt_sum_user_check(e, &sum, own, kSize), CCBOX_ENCLAVE_ABORTED)
        << "the host's own memory is out of the enclave's reach";
    ccbox_terminate_enclave(e);

    // In the sim backend (no isolation) the same pointer is readable, as on SGX.
    ASSERT_EQ(create(image("runtime_enclave.signed"), nullptr, &e, CCBOX_ENCLAVE_FLAG_SIMULATE), CCBOX_OK);
    EXPECT_EQ(rt_sum_user_check(e, &sum, own, kSize), CCBOX_OK);
    EXPECT_EQ(sum, kSize);
    ccbox_terminate_enclave(e);
    ::munmap(mapping, kSize);
}

// ---------------------------------------------------------------- EPC accounting

// With a commit limit of exactly the EPC (paging lets the default commit 8 times the EPC:
// docs/paging.md).
TEST(Epc, AccountsEveryEnclaveOnADC1sV2AndRefusesWhatDoesNotFit) {
    OwnPlatform platform({"--sku", "DC1s_v2", "--commit-limit", "28MiB"});
    auto status = platform.status();
    ASSERT_EQ(status["sku"], "DC1s_v2");
    ASSERT_EQ(status["epc_capacity_bytes"], 28u << 20);
    const std::string big = image("runtime_enclave.8mib.signed");  // about 8 MiB of EPC
    std::vector<ccbox_enclave_t*> enclaves;
    for (int i = 0; i < 3; ++i) {
        ccbox_enclave_t* e = nullptr;
        ASSERT_EQ(create(big, &platform.setting, &e), CCBOX_OK) << ccbox_get_last_error();
        enclaves.push_back(e);
    }
    status = platform.status();
    ASSERT_EQ(status["enclaves"].size(), 3u);
    // Each enclave accounts exactly the pages of its layout (what `ccbox inspect` computes
    // offline: every page added plus the SECS).
    auto inspected = ccbox::test::run({ccbox::test::ccbox_tool(), "inspect", "--json", big});
    ASSERT_EQ(inspected.exit_code, 0) << inspected.err;
    const uint64_t layout_pages = nlohmann::json::parse(inspected.out)["epc_pages"].get<uint64_t>();
    EXPECT_GT(layout_pages, 7u << 8) << "about 8 MiB";
    uint64_t sum = 0;
    for (const auto& e : status["enclaves"]) {
        EXPECT_EQ(e["epc_pages"].get<uint64_t>(), layout_pages);
        EXPECT_EQ(e["epc_bytes"].get<uint64_t>(), layout_pages * 4096);
        sum += e["epc_bytes"].get<uint64_t>();
    }
    EXPECT_EQ(status["epc_used_bytes"].get<uint64_t>(), sum);
    EXPECT_EQ(status["epc_free_bytes"].get<uint64_t>(), (28u << 20) - sum);
    EXPECT_LT(sum, 28u << 20);
    // The same in the plain-text status: totals and one line per enclave with its pages.
    auto text = ccbox::test::run(
        {ccbox::test::ccbox_tool(), "platform", "status", "--state-dir", platform.dir.path().string()});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("SKU       DC1s_v2\n"), std::string::npos) << text.out;
    char totals[128];
    std::snprintf(totals, sizeof totals, "EPC       28.0 MiB total, %.1f MiB used, %.1f MiB free\n",
                  static_cast<double>(sum) / (1 << 20), static_cast<double>((28u << 20) - sum) / (1 << 20));
    EXPECT_NE(text.out.find(totals), std::string::npos) << totals << "in:\n" << text.out;
    EXPECT_NE(text.out.find("enclaves  3\n"), std::string::npos) << text.out;
    size_t rows = 0;
    for (size_t at = text.out.find(" " + std::to_string(layout_pages) + " "); at != std::string::npos;
         at = text.out.find(" " + std::to_string(layout_pages) + " ", at + 1))
        ++rows;
    EXPECT_EQ(rows, 3u) << "each enclave's pages:\n" << text.out;

    ccbox_enclave_t* one_more = nullptr;
    EXPECT_EQ(create(big, &platform.setting, &one_more), CCBOX_OUT_OF_EPC);
    EXPECT_NE(std::string(ccbox_get_last_error()).find("EPC pages"), std::string::npos) << ccbox_get_last_error();
    EXPECT_EQ(one_more, nullptr);

    ASSERT_EQ(ccbox_terminate_enclave(enclaves.back()), CCBOX_OK);
    enclaves.pop_back();
    status = platform.status();
    EXPECT_EQ(status["enclaves"].size(), 2u);
    EXPECT_EQ(status["epc_used_bytes"].get<uint64_t>(), sum - layout_pages * 4096) << "terminate frees its EPC";
    ASSERT_EQ(create(big, &platform.setting, &one_more), CCBOX_OK) << "and it fits again";
    enclaves.push_back(one_more);
    for (auto* e : enclaves)
        ccbox_terminate_enclave(e);
    EXPECT_EQ(platform.status()["epc_used_bytes"].get<uint64_t>(), 0u);
}

// ---------------------------------------------------------------- the platform socket

// Sends `bytes`, then reports whether the platform closed the connection (after an optional
// error frame) within a few seconds.
bool platform_drops(const std::string& socket, const std::vector<uint8_t>& bytes, bool close_after = false) {
    int fd = connect_raw(socket);
    if (fd < 0)
        return false;
    (void)!::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (close_after) {
        ::close(fd);
        return true;
    }
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    uint8_t buf[4096];
    bool closed = false;
    for (;;) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        // A close with our unread bytes still queued on its side arrives as a reset.
        if (n == 0 || (n < 0 && errno == ECONNRESET)) {
            closed = true;
            break;
        }
        if (n < 0)
            break;
    }
    ::close(fd);
    return closed;
}

// Every Azure SKU profile of the issue, with its EPC, as `status --json` reports it.
TEST(PlatformSku, EveryProfileHasItsEpc) {
    constexpr uint64_t MiB = 1ull << 20, GiB = 1ull << 30;
    const std::pair<const char*, uint64_t> profiles[] = {
        {"DC1s_v2", 28 * MiB},  {"DC2s_v2", 56 * MiB},   {"DC4s_v2", 112 * MiB},  {"DC8_v2", 168 * MiB},
        {"DC1s_v3", 4 * GiB},   {"DC2s_v3", 8 * GiB},    {"DC4s_v3", 16 * GiB},   {"DC8s_v3", 32 * GiB},
        {"DC16s_v3", 64 * GiB}, {"DC24s_v3", 128 * GiB}, {"DC32s_v3", 192 * GiB}, {"DC48s_v3", 256 * GiB}};
    for (const auto& [sku, epc] : profiles) {
        OwnPlatform platform({"--sku", sku});
        auto status = platform.status();
        EXPECT_EQ(status["sku"], sku);
        EXPECT_EQ(status["epc_capacity_bytes"].get<uint64_t>(), epc) << sku;
        EXPECT_EQ(status["epc_used_bytes"].get<uint64_t>(), 0u) << sku;
    }
    TempDir dir;
    auto unknown = ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "start", "--state-dir",
                                     dir.path().string(), "--sku", "DC3s_v2"});
    EXPECT_NE(unknown.exit_code, 0);
    EXPECT_NE(unknown.err.find("DC3s_v2"), std::string::npos) << unknown.err;
}

// The backend: isolated by default, sim with CCBOX_SIMULATE=1 or the SIMULATE flag, and the
// ISOLATED flag wins over the environment.
TEST(Backends, IsolatedIsTheDefaultAndSimIsChosenExplicitly) {
    auto backend_of = [](uint32_t flags) {
        ccbox_enclave_t* e = nullptr;
        uint32_t backend = 0;
        if (create(image("runtime_enclave.signed"), ccbox::test::platform_settings(), &e, flags) == CCBOX_OK) {
            ccbox_enclave_identity_t id;
            if (ccbox_get_enclave_identity(e, &id) == CCBOX_OK)
                backend = id.backend;
            ccbox_terminate_enclave(e);
        }
        return backend;
    };
    ::unsetenv("CCBOX_SIMULATE");
    EXPECT_EQ(backend_of(0), CCBOX_BACKEND_ISOLATED);
    EXPECT_EQ(backend_of(CCBOX_ENCLAVE_FLAG_SIMULATE), CCBOX_BACKEND_SIM);
    ::setenv("CCBOX_SIMULATE", "1", 1);
    EXPECT_EQ(backend_of(0), CCBOX_BACKEND_SIM);
    EXPECT_EQ(backend_of(CCBOX_ENCLAVE_FLAG_ISOLATED), CCBOX_BACKEND_ISOLATED);
    ::unsetenv("CCBOX_SIMULATE");
}

TEST(PlatformSocket, GarbageIsRejectedAndEveryoneElseIsStillServed) {
    OwnPlatform platform({"--sku", "DC2s_v2"});
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), &platform.setting, &e), CCBOX_OK) << ccbox_get_last_error();
    const std::string socket = (platform.dir.path() / "platform.sock").string();
    const uint32_t kMagic = 0x50584243;

    std::vector<uint8_t> junk(100);
    for (size_t i = 0; i < junk.size(); ++i)
        junk[i] = static_cast<uint8_t>(i * 37 + 1);
    EXPECT_TRUE(platform_drops(socket, junk)) << "garbage";
    EXPECT_TRUE(platform_drops(socket, frame(kMagic, 99, 6, 0))) << "wrong version";
    EXPECT_TRUE(platform_drops(socket, frame(kMagic, 1, 6, 0x7fffffff))) << "oversized";
    EXPECT_TRUE(platform_drops(socket, frame(kMagic, 1, 1234, 0))) << "unknown type";
    EXPECT_TRUE(platform_drops(socket, frame(kMagic, 1, 2, 3, {1, 2, 3}))) << "malformed create";
    EXPECT_TRUE(platform_drops(socket, frame(kMagic, 1, 6, 8, {1, 2}), true)) << "truncated, then gone";
    EXPECT_TRUE(platform_drops(socket, {0x43, 0x42}, true)) << "truncated header, then gone";

    int sum = 0;
    EXPECT_EQ(rt_add(e, &sum, 20, 22), CCBOX_OK) << "the existing enclave keeps working";
    EXPECT_EQ(sum, 42);
    auto status = platform.status();
    EXPECT_EQ(status["enclaves"].size(), 1u) << "the platform keeps serving";
    ccbox_enclave_t* second = nullptr;
    EXPECT_EQ(create(image("runtime_enclave.signed"), &platform.setting, &second), CCBOX_OK);
    ccbox_terminate_enclave(second);
    ccbox_terminate_enclave(e);
}

// EGETKEY and EREPORT are answered only on an enclave process's own control channel, for the
// identity the platform measured itself. Sent on the host socket (where a host, or anything
// able to connect, could claim any identity), well-formed key, report and load messages are
// refused with an error and no key or report comes back.
TEST(PlatformSocket, KeyAndReportRequestsFromHostsAreRefused) {
    OwnPlatform platform({"--sku", "DC2s_v2"});
    const std::string socket = (platform.dir.path() / "platform.sock").string();
    const uint32_t kMagic = 0x50584243;
    std::vector<uint8_t> keyrequest(512, 0);
    keyrequest[0] = 4;  // KEYNAME SEAL
    keyrequest[2] = 1;  // KEYPOLICY MRENCLAVE
    const std::pair<uint16_t, std::vector<uint8_t>> requests[] = {
        {22, keyrequest},                     // EGETKEY: KEYREQUEST
        {24, std::vector<uint8_t>(576, 0)},   // EREPORT: TARGETINFO + REPORTDATA
        {21, std::vector<uint8_t>(256, 0)},   // LOADED, as if an enclave process had loaded
    };
    for (const auto& [type, payload] : requests) {
        int fd = connect_raw(socket);
        ASSERT_GE(fd, 0);
        auto bytes = frame(kMagic, 1, type, static_cast<uint32_t>(payload.size()), payload);
        ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
        timeval tv{10, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        std::vector<uint8_t> reply;
        uint8_t buf[4096];
        ssize_t n;
        while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0)
            reply.insert(reply.end(), buf, buf + n);
        ::close(fd);
        ASSERT_GE(reply.size(), 16u) << "type " << type << ": no answer";
        uint16_t reply_type = 0;
        uint32_t length = 0;
        std::memcpy(&reply_type, reply.data() + 6, 2);
        std::memcpy(&length, reply.data() + 8, 4);
        EXPECT_EQ(reply_type, 1) << "type " << type << " must get an error, not a reply";
        EXPECT_EQ(reply.size(), 16u + length) << "type " << type << ": nothing after the error";
        const std::string text(reply.begin() + 16, reply.end());
        EXPECT_NE(text.find("unexpected message type " + std::to_string(type)), std::string::npos) << text;
    }
    EXPECT_EQ(platform.status()["enclaves"].size(), 0u) << "the platform keeps serving";
}

// A system service shared by a group (packaging/systemd/ccboxd.service): with
// --socket-mode 0660 the platform's group may connect, other users may not; the default
// stays 0600, and any other mode is refused.
TEST(PlatformSocket, SocketModeOpensThePlatformToItsGroupOnly) {
    struct passwd* nobody = ::getpwnam("nobody");
    ASSERT_NE(nobody, nullptr);
    const gid_t group = nobody->pw_gid;  // the platform's group in this test (systemd: Group=ccbox)
    const gid_t other_group = group == 1 ? 2 : 1;
    TempDir dir;
    const std::filesystem::path run = dir.path() / "run", socket = run / "platform.sock";
    std::filesystem::create_directory(run);
    ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
    // Open to all, so that what refuses other users below is the socket's own mode (the
    // systemd unit adds RuntimeDirectoryMode=0750 on top).
    ASSERT_EQ(::chmod(run.c_str(), 0755), 0);
    const std::string ccboxd = std::getenv("CCBOX_PLATFORM_PATH");
    const std::string state = (dir.path() / "state").string();

    auto bad = ccbox::test::run({ccboxd, "--state-dir", state, "--socket", socket.string(), "--socket-mode", "0666"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("--socket-mode: '0666' is not allowed"), std::string::npos) << bad.err;

    pid_t platform = ::fork();
    ASSERT_GE(platform, 0);
    if (platform == 0) {  // root, running with the service's group
        if (::setgroups(0, nullptr) != 0 || ::setresgid(group, group, group) != 0)
            ::_exit(120);
        ::execl(ccboxd.c_str(), ccboxd.c_str(), "--state-dir", state.c_str(), "--socket", socket.c_str(),
                "--socket-mode", "0660", "--sku", "DC1s_v2", static_cast<char*>(nullptr));
        ::_exit(121);
    }
    for (int i = 0; i < 500 && !std::filesystem::exists(socket); ++i)
        ::usleep(10000);
    struct stat st {};
    ASSERT_EQ(::stat(socket.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0660u);
    EXPECT_EQ(st.st_gid, group);

    // A status request as user nobody with the given group: the exit code is errno of
    // connect(), or 100 if the platform answered.
    auto connect_as = [&](gid_t gid) {
        pid_t child = ::fork();
        if (child == 0) {
            if (::setgroups(1, &gid) != 0 || ::setresgid(gid, gid, gid) != 0 ||
                ::setresuid(nobody->pw_uid, nobody->pw_uid, nobody->pw_uid) != 0)
                ::_exit(120);
            int fd = connect_raw(socket.string());
            if (fd < 0)
                ::_exit(errno);
            auto request = frame(0x50584243, 1, 6, 0);
            uint8_t reply[16];
            const bool answered = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == 16 &&
                                  ::recv(fd, reply, sizeof reply, MSG_WAITALL) == 16 && reply[6] == 7;
            ::_exit(answered ? 100 : 110);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };
    EXPECT_EQ(connect_as(group), 100) << "a member of the platform's group is served";
    EXPECT_EQ(connect_as(other_group), EACCES) << "anyone else is refused";

    ::kill(platform, SIGTERM);
    int status = 0;
    ::waitpid(platform, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// Half a request, and then nothing: the platform reads requests as they arrive, so clients
// that stop mid-frame (in the header or in the payload) stall no one while they stay connected.
TEST(PlatformSocket, ClientsThatStopMidRequestStallNoOne) {
    OwnPlatform platform({"--sku", "DC2s_v2"});
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), &platform.setting, &e), CCBOX_OK) << ccbox_get_last_error();
    const std::string socket = (platform.dir.path() / "platform.sock").string();
    const uint32_t kMagic = 0x50584243;
    std::vector<int> stalled;
    for (const std::vector<uint8_t>& part : {std::vector<uint8_t>{0x43, 0x42}, frame(kMagic, 1, 6, 8, {1, 2})}) {
        int fd = connect_raw(socket);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(::send(fd, part.data(), part.size(), MSG_NOSIGNAL), static_cast<ssize_t>(part.size()));
        stalled.push_back(fd);
    }
    // Everyone else is served while those stay open. (A liveness guard, not a timing assertion:
    // before the fix these requests never returned.)
    auto served = std::async(std::launch::async, [&] {
        int sum = 0;
        ccbox_enclave_t* second = nullptr;
        const bool ok = platform.status()["enclaves"].size() == 1 && rt_add(e, &sum, 20, 22) == CCBOX_OK &&
                        sum == 42 && create(image("runtime_enclave.signed"), &platform.setting, &second) == CCBOX_OK;
        if (second)
            ccbox_terminate_enclave(second);
        return ok;
    });
    const bool in_time = served.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
    for (int fd : stalled)  // (which lets a stalled platform go on, so the test ends either way)
        ::close(fd);
    EXPECT_TRUE(in_time) << "the platform stalled behind a half-sent request";
    EXPECT_TRUE(served.get());
    ccbox_terminate_enclave(e);
}

// The state directory holds the root secrets: created 0700 with secrets 0600; a directory or
// secrets file that others could read, or a damaged secrets file, stops the platform with a
// message naming the file, and the secrets are never replaced.
TEST(PlatformState, PermissionsAndDamagedSecretsAreRefused) {
    TempDir dir;
    const fs::path state = dir.path() / "state";
    auto start = [&] {
        return ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "start", "--state-dir", state.string()});
    };
    auto stop = [&] {
        (void)ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "stop", "--state-dir", state.string()});
    };
    ASSERT_EQ(start().exit_code, 0);
    stop();
    EXPECT_EQ(fs::status(state).permissions() & fs::perms::all, fs::perms::owner_all);
    EXPECT_EQ(fs::status(state / "secrets").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    const auto secrets = ccbox::test::read_bytes(state / "secrets");

    ::chmod(state.c_str(), 0755);
    auto r = start();
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find(state.string() + ": has permissions 755; the platform requires at most 0700"),
              std::string::npos)
        << r.err;
    ::chmod(state.c_str(), 0700);

    ::chmod((state / "secrets").c_str(), 0644);
    r = start();
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find((state / "secrets").string() + ": has permissions 644"), std::string::npos) << r.err;
    ::chmod((state / "secrets").c_str(), 0600);

    auto damaged = secrets;
    damaged.resize(damaged.size() / 2);
    ccbox::test::write_bytes(state / "secrets", damaged);
    ::chmod((state / "secrets").c_str(), 0600);
    r = start();
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find((state / "secrets").string()), std::string::npos) << r.err;
    EXPECT_EQ(ccbox::test::read_bytes(state / "secrets"), damaged) << "a damaged secrets file is not replaced";

    ccbox::test::write_bytes(state / "secrets", secrets);
    ::chmod((state / "secrets").c_str(), 0600);
    EXPECT_EQ(start().exit_code, 0) << "and the restored one is used again";
    stop();
    EXPECT_EQ(ccbox::test::read_bytes(state / "secrets"), secrets);
}

TEST(PlatformSocket, TwoPlatformsRunSideBySide) {
    OwnPlatform one({"--sku", "DC1s_v2"}), two({"--epc", "64MiB"});
    EXPECT_EQ(one.status()["sku"], "DC1s_v2");
    EXPECT_EQ(two.status()["epc_capacity_bytes"], 64u << 20);
    EXPECT_NE(one.status()["pid"], two.status()["pid"]);
    auto secrets_one = ccbox::test::read_bytes(one.dir.path() / "secrets");
    auto secrets_two = ccbox::test::read_bytes(two.dir.path() / "secrets");
    EXPECT_EQ(secrets_one.size(), 144u);
    EXPECT_NE(secrets_one, secrets_two) << "each platform has its own root secrets";
    EXPECT_EQ(fs::status(one.dir.path() / "secrets").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
}

}  // namespace
