// Hosts that attack the platform they share (issue 16 §3 and §4): an arena the host shrinks
// under the platform's mapping (SIGBUS), descriptors that are not images, hosts that leave
// half-way through a load, and loads that race for the EPC. The platform must survive all of
// them and leave nothing behind. (hostile_load_test.cpp: the image swap, the forged identity.)
#include "raw_host.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <memory>
#include <grp.h>
#include <pwd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

// OCALLs of runtime_test.edl (part of its table; these tests make none).
extern "C" void host_empty(void) {}
extern "C" void host_log(const char*) {}
extern "C" void host_wait_for_release(void) {}
extern "C" int host_nested(int) { return 0; }

namespace {

namespace fs = std::filesystem;
using namespace ccbox;
using namespace ccbox::test::isolation;

// The shared platform's group: its members (and root) may use its socket.
constexpr gid_t kPlatformGroup = 4242;

// Runs `attack` in a child process as user nobody, a member of the platform's group (and of no
// other), and returns what it wrote to its report pipe, and how the child ended.
template <typename Report>
Report as_group_member(const fs::path& home, const std::function<void(Report&, int report_fd)>& attack,
                       int* wait_status) {
    struct passwd* nobody = ::getpwnam("nobody");
    EXPECT_NE(nobody, nullptr);
    Report report{};
    if (!nobody)
        return report;
    fs::create_directories(home);
    (void)!::chown(home.c_str(), nobody->pw_uid, nobody->pw_gid);
    int pipe_fds[2];
    EXPECT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(pipe_fds[0]);
        const gid_t groups[] = {kPlatformGroup};
        if (::setgroups(1, groups) != 0 || ::setresgid(nobody->pw_gid, nobody->pw_gid, nobody->pw_gid) != 0 ||
            ::setresuid(nobody->pw_uid, nobody->pw_uid, nobody->pw_uid) != 0)
            ::_exit(120);
        ::setenv("HOME", home.c_str(), 1);
        Report mine{};
        attack(mine, pipe_fds[1]);
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    auto* bytes = reinterpret_cast<uint8_t*>(&report);
    size_t got = 0;
    for (ssize_t n; got < sizeof report && (n = ::read(pipe_fds[0], bytes + got, sizeof report - got)) > 0;)
        got += static_cast<size_t>(n);
    ::close(pipe_fds[0]);
    ::waitpid(child, wait_status, 0);
    EXPECT_EQ(got, sizeof report) << "the attacker did not report (wait status " << *wait_status << ")";
    return report;
}

template <typename Report>
void send_report(int fd, const Report& report) {
    (void)!::write(fd, &report, sizeof report);
}

// ---------------------------------------------------------------- the SIGBUS attack

// An arena memfd the platform could fault on is refused before anything is made of it.
struct ShrinkReport {
    int connect_errno = -1;
    uint16_t reply_type = 0;
    uint32_t code = 0;
    char message[512] = {};
    int truncate_errno = -1;  // 0: the attacker shrank its memfd
};

// Acceptance 3, first half: a member of a shared root platform's group sends a create request
// of its own making with an arena memfd that has no seals, shrinks the memfd to nothing and
// disconnects. A platform that mapped such an arena (it writes the arena's `dead` word when
// the enclave goes) would take SIGBUS there; this one refuses the arena, names the seals it
// needs, and goes on serving everyone else. (With the seal check taken out of check_arena the
// create succeeds, and ccboxd is "killed by signal 7 (Bus error)" at the disconnect.)
TEST(HostileHost, AShrunkArenaCannotCrashASharedPlatform) {
    ChildPlatform platform({"--sku", "DC2s_v2"}, kPlatformGroup);
    ASSERT_TRUE(platform.ready()) << platform.log();
    ccbox_enclave_t* mine = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), platform.setting(), &mine), CCBOX_OK) << ccbox_get_last_error();
    int sum = 0;
    ASSERT_EQ(rt_add(mine, &sum, 2, 3), CCBOX_OK);
    const uint64_t my_epc = (*platform.status())["epc_used_bytes"].get<uint64_t>();
    const Inspected small = inspect(image("runtime_enclave.signed"));

    int wait_status = 0;
    const std::string socket = platform.socket(), small_image = image("runtime_enclave.signed");
    auto report = as_group_member<ShrinkReport>(
        platform.dir() / "home",
        [&](ShrinkReport& r, int report_fd) {
            const int connection = connect_raw(socket);
            r.connect_errno = connection < 0 ? errno : 0;
            HostArena arena(small.tcs_count, 0);  // no seals
            const int image_fd = ::open(small_image.c_str(), O_RDONLY | O_CLOEXEC);
            if (connection >= 0 &&
                send_create(connection, image_fd, arena.fd, reinterpret_cast<uintptr_t>(arena.mapping), arena.size)
                    .ok()) {
                // The naive platform creates the enclave (and maps its arena): shrink it only
                // then, so that the platform's write at the end faults.
                if (auto reply = receive_within(connection, 30); reply.ok()) {
                    r.reply_type = static_cast<uint16_t>(reply->type);
                    if (reply->type == protocol::Type::kError) {
                        const Error e = protocol::error_from(*reply);
                        r.code = e.code();
                        std::snprintf(r.message, sizeof r.message, "%s", e.message().c_str());
                    }
                    reply->close_fds();
                }
            }
            ::munmap(arena.mapping, arena.size);
            arena.mapping = nullptr;
            r.truncate_errno = ::ftruncate(arena.fd, 0) == 0 ? 0 : errno;
            ::close(connection);
            send_report(report_fd, r);
        },
        &wait_status);
    ASSERT_EQ(report.connect_errno, 0) << "a member of the platform's group may connect: "
                                       << std::strerror(report.connect_errno);
    EXPECT_EQ(report.truncate_errno, 0) << "the attacker's memfd was its own to shrink";
    EXPECT_EQ(report.reply_type, static_cast<uint16_t>(protocol::Type::kError)) << "the arena is refused";
    EXPECT_EQ(report.code, CCBOX_INVALID_PARAMETER) << report.message;
    EXPECT_NE(std::string(report.message).find("must be sealed with F_SEAL_SHRINK and F_SEAL_GROW"),
              std::string::npos)
        << report.message;

    std::string last;
    EXPECT_TRUE(platform.settles(1, my_epc, &last)) << "the platform " << platform.how_it_ended() << "; " << last;
    EXPECT_EQ(rt_add(mine, &sum, 20, 22), CCBOX_OK) << "another user's enclave keeps answering";
    EXPECT_EQ(sum, 42);
    EXPECT_EQ(ccbox_terminate_enclave(mine), CCBOX_OK);
    EXPECT_TRUE(platform.running()) << "the platform " << platform.how_it_ended() << "\n" << platform.log();
}

// Arenas that are not sealed memfds of the size the request names are refused, each with an
// error that says what is wrong, and none costs the platform anything.
TEST(HostileHost, ArenasThatCouldChangeUnderThePlatformAreRefused) {
    ChildPlatform platform({"--sku", "DC2s_v2"});
    ASSERT_TRUE(platform.ready()) << platform.log();
    const Inspected small = inspect(image("runtime_enclave.signed"));
    const int image_fd = ::open(image("runtime_enclave.signed").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(image_fd, 0);
    HostArena unsealed(small.tcs_count, 0), shrink_only(small.tcs_count, F_SEAL_SHRINK),
        grow_only(small.tcs_count, F_SEAL_GROW), sealed(small.tcs_count, kArenaSeals),
        tiny(small.tcs_count, kArenaSeals, arena::kHeapOffset - kPage);
    int pipe_fds[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    const int regular = ::open(platform.dir().c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    ASSERT_GE(regular, 0);
    ASSERT_EQ(::ftruncate(regular, static_cast<off_t>(sealed.size)), 0);
    // A hugetlbfs memfd takes the same seals, yet a hole punched in it after creation leaves the
    // platform's mapping without a page, and a fault there with the pool exhausted is SIGBUS.
    const int huge = ::memfd_create("ccbox-arena", MFD_HUGETLB | MFD_ALLOW_SEALING | MFD_CLOEXEC);
    const bool have_huge = huge >= 0 && ::ftruncate(huge, 2 << 20) == 0 && ::fcntl(huge, F_ADD_SEALS, kArenaSeals) == 0;
    const auto address = [](const HostArena& a) { return reinterpret_cast<uintptr_t>(a.mapping); };
    struct Case {
        const char* what;
        int fd;
        uint64_t address, size;
        const char* expected;
    } cases[] = {
        {"no seals", unsealed.fd, address(unsealed), unsealed.size, "must be sealed with F_SEAL_SHRINK and F_SEAL_GROW"},
        {"F_SEAL_SHRINK only", shrink_only.fd, address(shrink_only), shrink_only.size, "must be sealed"},
        {"F_SEAL_GROW only", grow_only.fd, address(grow_only), grow_only.size, "must be sealed"},
        {"larger than the memfd", sealed.fd, address(sealed), sealed.size * 2, "size does not match the request"},
        {"smaller than the memfd", sealed.fd, address(sealed), sealed.size / 2, "size does not match the request"},
        {"smaller than the header and doorbells", tiny.fd, address(tiny), tiny.size, "size does not match"},
        {"a pipe", pipe_fds[0], address(sealed), sealed.size, "the arena must be a memfd"},
        // (On tmpfs a file has seals, F_SEAL_SEAL alone; elsewhere it has none.)
        {"a regular file", regular, address(sealed), sealed.size, "must be a memfd|must be sealed"},
        {"a hugetlbfs memfd", huge, address(sealed), 2 << 20, "must be an ordinary memfd"},
    };
    for (const Case& c : cases) {
        if (c.fd == huge && !have_huge) {
            std::printf("no hugetlbfs memfd on this kernel: that case is left out\n");
            continue;
        }
        const int connection = connect_with_timeout(platform.socket(), 10);
        ASSERT_GE(connection, 0);
        ASSERT_TRUE(send_create(connection, image_fd, c.fd, c.address, c.size).ok()) << c.what;
        auto reply = receive_within(connection, 10);
        ASSERT_TRUE(reply.ok()) << c.what << ": " << reply.error().message();
        ASSERT_EQ(reply->type, protocol::Type::kError) << c.what;
        const Error e = protocol::error_from(*reply);
        EXPECT_EQ(e.code(), CCBOX_INVALID_PARAMETER) << c.what << ": " << e.message();
        const std::string expected = c.expected, first = expected.substr(0, expected.find('|')),
                          second = expected.substr(expected.find('|') + 1);
        EXPECT_TRUE(e.message().find(first) != std::string::npos || e.message().find(second) != std::string::npos)
            << c.what << ": " << e.message();
        // The connection is still served: a refusal is an answer, not a protocol error.
        auto status = host::platform_request(connection, protocol::Type::kStatus);
        EXPECT_TRUE(status.ok() && status->type == protocol::Type::kStatusReply) << c.what;
        ::close(connection);
    }
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    ::close(regular);
    if (huge >= 0)
        ::close(huge);
    ::close(image_fd);
    std::string last;
    EXPECT_TRUE(platform.settles(0, 0, &last)) << last;
    // And a well-made arena on the same platform is taken.
    const int connection = connect_with_timeout(platform.socket(), 30);
    const int fd = ::open(image("runtime_enclave.signed").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_TRUE(send_create(connection, fd, sealed.fd, address(sealed), sealed.size).ok());
    auto created = receive_within(connection, 30);
    ASSERT_TRUE(created.ok()) << created.error().message();
    EXPECT_EQ(created->type, protocol::Type::kEnclaveCreated)
        << (created->type == protocol::Type::kError ? protocol::error_from(*created).message() : "");
    created->close_fds();
    ::close(fd);
    ::close(connection);
    EXPECT_TRUE(platform.settles(0, 0, &last)) << "its host left: " << last;
}

// The arena's address is the host's word too: the enclave process maps the arena there only
// where nothing of its own is (MAP_FIXED_NOREPLACE) and user space allows, so an address that is
// unaligned, null, in the kernel's half or wrapping around fails the load cleanly, and a
// well-placed arena still works afterwards.
TEST(HostileHost, ArenaAddressesTheEnclaveProcessCannotUseFailCleanly) {
    ChildPlatform platform({"--sku", "DC2s_v2"});
    ASSERT_TRUE(platform.ready()) << platform.log();
    const Inspected small = inspect(image("runtime_enclave.signed"));
    HostArena arena(small.tcs_count, kArenaSeals);
    const uint64_t base = reinterpret_cast<uintptr_t>(arena.mapping);
    const std::pair<const char*, uint64_t> addresses[] = {
        {"unaligned", base + 1},
        {"null", 0},
        {"in the kernel's half", 0xffff800000000000ull},
        {"wrapping around", (~uint64_t(0) - arena.size / 2) & ~(kPage - 1)},
        {"the vsyscall page", 0xffffffffff600000ull},
    };
    for (const auto& [what, address] : addresses) {
        const int connection = connect_with_timeout(platform.socket(), 30);
        const int fd = ::open(image("runtime_enclave.signed").c_str(), O_RDONLY | O_CLOEXEC);
        ASSERT_TRUE(send_create(connection, fd, arena.fd, address, arena.size).ok());
        ::close(fd);
        auto reply = receive_within(connection, 30);
        ASSERT_TRUE(reply.ok()) << what << ": " << reply.error().message();
        EXPECT_EQ(reply->type, protocol::Type::kError) << what << ": the load fails";
        if (reply->type == protocol::Type::kError) {
            const Error e = protocol::error_from(*reply);
            EXPECT_NE(e.message().find("cannot map the arena at the host's address"), std::string::npos)
                << what << ": " << e.message();
        }
        reply->close_fds();
        ::close(connection);
        std::string last;
        EXPECT_TRUE(platform.settles(0, 0, &last)) << what << ": " << last;
    }
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), platform.setting(), &e), CCBOX_OK) << ccbox_get_last_error();
    ccbox_terminate_enclave(e);
    EXPECT_TRUE(platform.running()) << platform.how_it_ended();
}

struct TamperReport {
    ccbox_result_t created = CCBOX_FAILURE;
    int enclave_pid = 0;
    int arena_fd = -1;
    int shrink_errno = -1, grow_errno = -1, write_seal_errno = -1, punch_errno = -1, remap_errno = -1;
    int added_after = -1;
};

// Acceptance 3, second half: through the host library, a member of the group creates an
// enclave, then does to its (sealed) arena everything a process may do to its own memfd: shrink
// it, grow it, seal it against writes, punch its pages out, unmap it, map it again and scribble
// over the header and doorbells, close it, and die without a word. Root's enclave on the same
// platform answers before and after, and the platform answers status.
TEST(HostileHost, NothingAHostDoesToItsArenaFaultsThePlatform) {
    ChildPlatform platform({"--sku", "DC2s_v2"}, kPlatformGroup);
    ASSERT_TRUE(platform.ready()) << platform.log();
    ccbox_enclave_t* mine = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), platform.setting(), &mine), CCBOX_OK) << ccbox_get_last_error();
    int sum = 0;
    ASSERT_EQ(rt_add(mine, &sum, 2, 3), CCBOX_OK);
    const uint64_t my_epc = (*platform.status())["epc_used_bytes"].get<uint64_t>();

    int wait_status = 0;
    const ccbox_enclave_setting_t* setting = platform.setting();
    const std::string small_image = image("runtime_enclave.signed");
    auto report = as_group_member<TamperReport>(
        platform.dir() / "home",
        [&](TamperReport& r, int report_fd) {
            ccbox_enclave_t* e = nullptr;
            r.created = create(small_image, setting, &e);
            if (r.created != CCBOX_OK)
                return send_report(report_fd, r);
            ccbox_enclave_identity_t id;
            ccbox_get_enclave_identity(e, &id);
            r.enclave_pid = id.process_id;
            int add = 0;
            r.added_after = rt_add(e, &add, 1, 2) == CCBOX_OK && add == 3 ? 0 : 1;
            for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
                std::error_code ec;
                if (fs::read_symlink(entry.path(), ec).string().rfind("/memfd:ccbox-arena", 0) == 0)
                    r.arena_fd = std::stoi(entry.path().filename().string());
            }
            struct stat st {};
            if (r.arena_fd < 0 || ::fstat(r.arena_fd, &st) != 0)
                return send_report(report_fd, r);
            const size_t size = static_cast<size_t>(st.st_size);
            r.shrink_errno = ::ftruncate(r.arena_fd, 0) == 0 ? 0 : errno;
            r.grow_errno = ::ftruncate(r.arena_fd, st.st_size * 2) == 0 ? 0 : errno;
            r.write_seal_errno = ::fcntl(r.arena_fd, F_ADD_SEALS, F_SEAL_WRITE) == 0 ? 0 : errno;
            // Allowed on a memfd sealed only against size changes: the pages come back as zeros.
            r.punch_errno =
                ::fallocate(r.arena_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, st.st_size) == 0 ? 0 : errno;
            std::ifstream maps("/proc/self/maps");
            for (std::string line; std::getline(maps, line);) {
                unsigned long start = 0, end = 0;
                if (line.find("memfd:ccbox-arena") != std::string::npos &&
                    std::sscanf(line.c_str(), "%lx-%lx", &start, &end) == 2)
                    ::munmap(reinterpret_cast<void*>(start), end - start);
            }
            void* again = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, r.arena_fd, 0);
            r.remap_errno = again == MAP_FAILED ? errno : 0;
            if (again != MAP_FAILED) {
                std::memset(again, 0xff, arena::kHeapOffset);
                ::munmap(again, size);
            }
            ::close(r.arena_fd);
            send_report(report_fd, r);
            ::raise(SIGKILL);  // no terminate, no clean disconnect
        },
        &wait_status);
    ASSERT_EQ(report.created, CCBOX_OK) << "the group member creates an enclave on the shared platform";
    EXPECT_EQ(report.added_after, 0);
    ASSERT_GE(report.arena_fd, 0) << "the arena memfd is found in /proc/self/fd";
    EXPECT_EQ(report.shrink_errno, EPERM) << "the library seals its arena: " << std::strerror(report.shrink_errno);
    EXPECT_EQ(report.grow_errno, EPERM) << std::strerror(report.grow_errno);
    EXPECT_EQ(report.write_seal_errno, EPERM) << "F_SEAL_SEAL: no seal can be added to stop the platform's writes";
    EXPECT_EQ(report.remap_errno, 0);
    EXPECT_TRUE(WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == SIGKILL) << wait_status;
    ASSERT_GT(report.enclave_pid, 0);
    EXPECT_TRUE(wait_until_gone(report.enclave_pid, 10)) << "the attacker's enclave ends with it";

    std::string last;
    EXPECT_TRUE(platform.settles(1, my_epc, &last)) << "the platform " << platform.how_it_ended() << "; " << last;
    EXPECT_EQ(rt_add(mine, &sum, 20, 22), CCBOX_OK) << "root's enclave keeps answering";
    EXPECT_EQ(sum, 42);
    auto text = ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "status", "--socket", platform.socket()});
    EXPECT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("enclaves  1\n"), std::string::npos) << text.out;
    EXPECT_EQ(ccbox_terminate_enclave(mine), CCBOX_OK);
    EXPECT_TRUE(platform.running()) << "the platform " << platform.how_it_ended() << "\n" << platform.log();
}

// ---------------------------------------------------------------- descriptors and departures

// Image descriptors that are not regular files (a pipe whose writer stays, a socket, a
// character device, a directory) or cannot be read (O_PATH) are refused at once with an
// error that says so, while another client's status is answered; nothing is left behind.
TEST(HostileHost, ImageDescriptorsThatAreNotFilesAreRefusedAtOnce) {
    ChildPlatform platform({"--sku", "DC2s_v2"});
    ASSERT_TRUE(platform.ready()) << platform.log();
    const Inspected small = inspect(image("runtime_enclave.signed"));
    HostArena arena(small.tcs_count, kArenaSeals);
    int pipe_fds[2], pair[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    const auto head = ccbox::test::read_bytes(image("runtime_enclave.signed"));
    ASSERT_EQ(::write(pipe_fds[1], head.data(), 4096), 4096) << "a start of an image, and no end";
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
    const int zero = ::open("/dev/zero", O_RDONLY | O_CLOEXEC);
    const int directory = ::open(platform.dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const int path_only = ::open(image("runtime_enclave.signed").c_str(), O_PATH | O_CLOEXEC);
    const struct {
        const char* what;
        int fd;
        ccbox_result_t code;
        const char* expected;
    } cases[] = {
        {"a pipe", pipe_fds[0], CCBOX_INVALID_IMAGE, "the enclave image must be a regular file"},
        {"a socket", pair[0], CCBOX_INVALID_IMAGE, "the enclave image must be a regular file"},
        {"/dev/zero", zero, CCBOX_INVALID_IMAGE, "the enclave image must be a regular file"},
        {"a directory", directory, CCBOX_INVALID_IMAGE, "the enclave image must be a regular file"},
        {"an O_PATH descriptor", path_only, CCBOX_READ_FAILED, "cannot read the image"},
    };
    for (const auto& c : cases) {
        ASSERT_GE(c.fd, 0) << c.what;
        const int connection = connect_with_timeout(platform.socket(), 10);
        ASSERT_TRUE(send_create(connection, c.fd, arena.fd, reinterpret_cast<uintptr_t>(arena.mapping), arena.size,
                                c.what)
                        .ok());
        EXPECT_TRUE(platform.status()) << c.what << ": another client is served meanwhile";
        auto reply = receive_within(connection, 10);
        ASSERT_TRUE(reply.ok()) << c.what << ": no answer: " << reply.error().message();
        ASSERT_EQ(reply->type, protocol::Type::kError) << c.what;
        const Error e = protocol::error_from(*reply);
        EXPECT_EQ(e.code(), c.code) << c.what << ": " << e.message();
        EXPECT_EQ(e.message().rfind(std::string(c.what) + ": " + c.expected, 0), 0u) << e.message();
        ::close(connection);
    }
    std::string last;
    EXPECT_TRUE(platform.settles(0, 0, &last)) << last;
    for (int fd : {pipe_fds[0], pipe_fds[1], pair[0], pair[1], zero, directory, path_only})
        ::close(fd);
}

// A host that sends a create request and goes away at any point of the load (while the platform
// reads the image, while the enclave process loads, or just as the enclave is made) leaves no
// enclave process and no EPC booked, and the platform goes on.
TEST(HostileHost, AHostThatLeavesMidLoadLeavesNothingBehind) {
    ChildPlatform platform({"--sku", "DC2s_v2"});
    ASSERT_TRUE(platform.ready()) << platform.log();
    const Inspected small = inspect(image("runtime_enclave.signed"));
    int during_process_load = 0;
    // Leave after 0..about 10 ms, and once as soon as the enclave process exists.
    const int delays_us[] = {0, 0, 100, 300, 1000, 2000, 4000, 7000, 10000, -1};
    for (int delay : delays_us) {
        HostArena arena(small.tcs_count, kArenaSeals);
        const int image_fd = ::open(image("runtime_enclave.signed").c_str(), O_RDONLY | O_CLOEXEC);
        const int connection = connect_with_timeout(platform.socket(), 10);
        ASSERT_GE(connection, 0);
        ASSERT_TRUE(
            send_create(connection, image_fd, arena.fd, reinterpret_cast<uintptr_t>(arena.mapping), arena.size).ok());
        ::close(image_fd);
        if (delay < 0) {
            for (int i = 0; i < 20000 && platform.children().empty(); ++i)
                ::usleep(50);
            during_process_load += platform.children().empty() ? 0 : 1;
        } else {
            ::usleep(static_cast<useconds_t>(delay));
        }
        ::close(connection);
        std::string last;
        EXPECT_TRUE(platform.settles(0, 0, &last)) << "left after " << delay << " us: " << last;
    }
    std::printf("left once while the enclave process existed: %d\n", during_process_load);
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), platform.setting(), &e), CCBOX_OK) << ccbox_get_last_error();
    ccbox_terminate_enclave(e);
    EXPECT_TRUE(platform.running()) << platform.how_it_ended();
}

// Create requests that race for the EPC: one host sends four at once (as many as the platform
// lets one user have under way), without waiting for any answer, for enclaves of about 8 MiB on
// a 28 MiB platform. The platform books each one from the end of its intake on, so exactly three
// are made and one refused, in whatever order they finish; status never shows more than the capacity; the host's departure frees it all.
TEST(HostileHost, CreatesThatRaceForTheEpcNeverOverbookIt) {
    ChildPlatform platform({"--sku", "DC1s_v2", "--commit-limit", "28MiB"});  // docs/paging.md
    ASSERT_TRUE(platform.ready()) << platform.log();
    const std::string path = image("runtime_enclave.8mib.signed");
    const Inspected eight = inspect(path);
    const uint64_t capacity = 28ull << 20;
    ASSERT_EQ(capacity / (eight.epc_pages * kPage), 3u) << "three fit, four do not";
    const int connection = connect_with_timeout(platform.socket(), 60);
    ASSERT_GE(connection, 0);
    const int image_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    std::vector<std::unique_ptr<HostArena>> arenas;
    for (int i = 0; i < 4; ++i) {
        arenas.push_back(std::make_unique<HostArena>(eight.tcs_count, kArenaSeals));
        ASSERT_TRUE(send_create(connection, image_fd, arenas.back()->fd,
                                reinterpret_cast<uintptr_t>(arenas.back()->mapping), arenas.back()->size)
                        .ok());
    }
    ::close(image_fd);
    int created = 0, refused = 0;
    for (int i = 0; i < 4; ++i) {
        auto reply = receive_within(connection, 60);
        ASSERT_TRUE(reply.ok()) << reply.error().message();
        if (reply->type == protocol::Type::kEnclaveCreated) {
            ++created;
        } else {
            const Error e = protocol::error_from(*reply);
            EXPECT_EQ(e.code(), CCBOX_OUT_OF_EPC) << e.message();
            ++refused;
        }
        reply->close_fds();
        auto status = platform.status();
        ASSERT_TRUE(status);
        EXPECT_LE((*status)["epc_used_bytes"].get<uint64_t>(), capacity) << status->dump();
    }
    EXPECT_EQ(created, 3);
    EXPECT_EQ(refused, 1);
    auto status = platform.status();
    ASSERT_TRUE(status);
    EXPECT_EQ((*status)["epc_used_bytes"].get<uint64_t>(), 3 * eight.epc_pages * kPage);
    EXPECT_EQ((*status)["enclaves"].size(), 3u);
    ::close(connection);
    std::string last;
    EXPECT_TRUE(platform.settles(0, 0, &last)) << "its host left: " << last;
}

}  // namespace
