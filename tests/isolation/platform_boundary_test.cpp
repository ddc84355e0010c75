// The platform's own trust boundary (issue "The platform's own trust boundary"): no enclave code
// before the lockdown whatever the host wrote, enclave processes with the least privilege, the
// development/production mode reported and attested, clients told apart, and a platform that
// stays responsive while an enclave loads. Every test attacks as a host would.
#include "common/arena_abi.h"
#include "common/call_abi.h"
#include "host/isolated/isolated_backend.hpp"
#include "identity_enclaves.hpp"
#include "platform/service/enclave_privileges.hpp"
#include "shared_platform.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <linux/futex.h>
#include <sstream>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <thread>

namespace {

namespace fs = std::filesystem;
using ccbox::test::run_as_nobody;
using ccbox::test::SharedPlatform;
using ccbox::test::TempDir;

constexpr const char* kMarker = "/tmp/ccbox-prelockdown-marker";  // marker_enclave.c

using ccbox::test::identity_image;
using ccbox::test::seals;
std::string marker_image() { return ccbox::test::built_file("isolation/marker_enclave.signed"); }
ccbox_result_t create(const std::string& path, const ccbox_enclave_setting_t* setting, ccbox_enclave_t** e,
                      uint32_t flags = CCBOX_ENCLAVE_FLAG_ISOLATED) {
    return ccbox::test::create_identity_enclave(path, setting, e, flags);
}

std::map<std::string, std::string> proc_status(pid_t pid) {
    std::map<std::string, std::string> fields;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        const size_t colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        fields[line.substr(0, colon)] = value;
    }
    return fields;
}

// ---------------------------------------------------------------- the pre-lockdown attack

// A host that fills every doorbell with a valid INIT request before it asks for the enclave and
// keeps ringing until the platform's reply is in.
struct Ringer {
    std::atomic<bool> stop{false};
    std::thread thread;
    static void before(void* context, void* arena, size_t size, uint32_t tcs_count) {
        auto* self = static_cast<Ringer*>(context);
        // The slot, its INIT input and its scratch memory, at the top of the arena.
        auto* top = static_cast<uint8_t*>(arena) + size - (1 << 20);
        auto* args = reinterpret_cast<ccbox_init_args_t*>(top + 4096);
        *args = {0, 0};
        auto* slot = reinterpret_cast<ccbox_call_slot_t*>(top);
        *slot = {};
        slot->function_id = CCBOX_ECALL_INIT;
        slot->input_buffer = reinterpret_cast<uintptr_t>(args);
        slot->input_size = sizeof *args;
        slot->scratch_buffer = reinterpret_cast<uintptr_t>(top + 8192);
        slot->scratch_size = 64 * 1024;
        auto ring = [arena, tcs_count, slot] {
            for (uint32_t t = 0; t < tcs_count; ++t) {
                ccbox::arena::Doorbell* d = ccbox::arena::doorbell_of(arena, t);
                d->op = CCBOX_ENTER_ECALL;
                d->slot = reinterpret_cast<uintptr_t>(slot);
                d->state.store(ccbox::arena::kRequest);
                ::syscall(SYS_futex, &d->state, FUTEX_WAKE, INT32_MAX, nullptr, nullptr, 0);
            }
        };
        ring();
        self->thread = std::thread([self, ring] {
            while (!self->stop.load())
                ring();
        });
    }
    static void after(void* context) {
        auto* self = static_cast<Ringer*>(context);
        self->stop = true;
        if (self->thread.joinable())
            self->thread.join();
    }
};

// 0: the marker never appeared, creation failed cleanly or the constructor died on its first
// real entry, and the same host then created and used another enclave.
int attack_before_lockdown(const ccbox_enclave_setting_t* setting) {
    Ringer ringer;
    ccbox::host::testing::set_arena_hook({Ringer::before, Ringer::after, &ringer});
    ccbox_enclave_t* e = nullptr;
    const ccbox_result_t created = create(marker_image(), setting, &e);
    ccbox::host::testing::set_arena_hook({});
    if (fs::exists(kMarker))
        return 10;
    // Created (its constructor then died on its first real entry, locked down), or refused
    // cleanly: nothing half-made is handed out. Which refusal depends on which of the host's
    // INITs the lifecycle saw first.
    if (created != CCBOX_OK && e)
        return 11;
    if (e)
        ccbox_terminate_enclave(e);
    ccbox_enclave_t* other = nullptr;
    if (create(identity_image(), setting, &other) != CCBOX_OK || !seals(other))
        return 12;
    ccbox_terminate_enclave(other);
    return 0;
}

TEST(PlatformBoundary, DoorbellsRungBeforeCreationNeverRunEnclaveCode) {
    fs::remove(kMarker);
    SharedPlatform platform;
    ccbox_enclave_t* bystander = nullptr;
    ASSERT_EQ(create(identity_image(), platform.setting(), &bystander), CCBOX_OK) << ccbox_get_last_error();

    EXPECT_EQ(attack_before_lockdown(platform.setting()), 0) << "as root";
    EXPECT_EQ(run_as_nobody({platform.group()}, [&] { return attack_before_lockdown(platform.setting()); }), 0)
        << "as an unprivileged member of the platform's group";
    EXPECT_FALSE(fs::exists(kMarker));
    EXPECT_TRUE(platform.alive());
    EXPECT_TRUE(seals(bystander)) << "the other enclave keeps working";
    ccbox_terminate_enclave(bystander);
}

// ---------------------------------------------------------------- least privilege

TEST(PlatformBoundary, EnclaveProcessesRunAsAnUnprivilegedUidWithNoCapabilities) {
    SharedPlatform platform;
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(identity_image(), platform.setting(), &e), CCBOX_OK) << ccbox_get_last_error();
    ccbox_enclave_identity_t id{};
    ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
    auto st = proc_status(id.process_id);

    std::istringstream uids(st["Uid"]), gids(st["Gid"]);
    std::vector<long> u{std::istream_iterator<long>(uids), {}}, g{std::istream_iterator<long>(gids), {}};
    ASSERT_EQ(u.size(), 4u);
    ASSERT_EQ(g.size(), 4u);
    const long uid = u[0], gid = g[0];
    EXPECT_GE(uid, static_cast<long>(ccbox::kEnclaveIdBase));
    EXPECT_LT(uid, static_cast<long>(ccbox::kEnclaveIdBase + ccbox::kEnclaveIdCount));
    for (long v : u)
        EXPECT_EQ(v, uid) << "real, effective, saved and filesystem uid";
    for (long v : g)
        EXPECT_EQ(v, gid) << "real, effective, saved and filesystem gid";
    EXPECT_EQ(st["Groups"], "") << "no supplementary groups";
    for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"})
        EXPECT_EQ(st[set], "0000000000000000") << set;
    EXPECT_EQ(st["NoNewPrivs"], "1");
    EXPECT_EQ(st["Seccomp"], "2");
    // Namespaces of its own: no network, no IPC, its own mounts (the state directory hidden).
    for (const char* ns : {"net", "ipc", "mnt"})
        EXPECT_NE(fs::read_symlink("/proc/" + std::to_string(id.process_id) + "/ns/" + ns),
                  fs::read_symlink(std::string("/proc/self/ns/") + ns))
            << ns;

    // That uid cannot open the state directory or the secrets.
    const pid_t child = ::fork();
    if (child == 0) {
        if (::setgroups(0, nullptr) != 0 || ::setresgid(gid, gid, gid) != 0 || ::setresuid(uid, uid, uid) != 0)
            ::_exit(120);
        const int dir = ::open(platform.state_dir().c_str(), O_RDONLY | O_DIRECTORY);
        const int dir_errno = errno;
        const int secrets = ::open((platform.state_dir() + "/secrets").c_str(), O_RDONLY);
        const int secrets_errno = errno;
        ::_exit(dir < 0 && dir_errno == EACCES && secrets < 0 && secrets_errno == EACCES ? 0 : 1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the enclave's uid reached the state directory";
    EXPECT_TRUE(seals(e));
    ccbox_terminate_enclave(e);
}

// A same-uid process can neither trace the platform nor read its memory.
int probe_platform_as_its_own_user(const std::string& state_dir) {
    ccbox_enclave_setting_platform_t p{nullptr, state_dir.c_str()};
    ccbox_enclave_setting_t s{};
    s.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
    s.u.platform = &p;
    ccbox_enclave_t* e = nullptr;
    if (create(identity_image(), &s, &e) != CCBOX_OK)
        return 10;
    auto fd = ccbox::host::connect_platform(ccbox::platform_paths_for(state_dir), false);
    if (!fd.ok())
        return 11;
    auto reply = ccbox::host::platform_request(*fd, ccbox::protocol::Type::kStatus);
    ::close(*fd);
    if (!reply.ok())
        return 12;
    auto j = nlohmann::json::parse(reply->payload.begin(), reply->payload.end());
    const pid_t pid = j["pid"];
    int result = 0;
    if (j["mode"] != "development")
        result = 13;
    else if (::ptrace(PTRACE_ATTACH, pid, nullptr, nullptr) == 0 || errno != EPERM)
        result = 14;
    else if (::open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY) >= 0 || errno != EACCES)
        result = 15;
    ccbox_terminate_enclave(e);
    (void)ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "stop", "--state-dir", state_dir});
    return result;
}

TEST(PlatformBoundary, ThePlatformIsNotDumpable) {
    TempDir dir;
    const auto& nobody = ccbox::test::nobody_account();
    ASSERT_EQ(::chown(dir.path().c_str(), nobody.pw_uid, nobody.pw_gid), 0);
    const std::string state = (dir.path() / "state").string();
    EXPECT_EQ(run_as_nobody({}, [&] { return probe_platform_as_its_own_user(state); }), 0);
}

// ---------------------------------------------------------------- clients told apart

int stop_and_look(const SharedPlatform& platform, pid_t root_enclave_pid) {
    auto fd = ccbox::host::connect_platform({"", platform.socket()}, false);
    if (!fd.ok())
        return 10;
    auto stopped = ccbox::host::platform_request(*fd, ccbox::protocol::Type::kStop);
    ::close(*fd);
    if (stopped.ok() || stopped.error().code() != CCBOX_NOT_OWNER ||
        stopped.error().message().find("administrative") == std::string::npos)
        return 11;
    const nlohmann::json status = platform.status();
    if (status.is_null() || !status["enclaves"].empty() || status["other_enclaves"] != 1)
        return 12;
    if (status.dump().find(std::to_string(root_enclave_pid)) != std::string::npos ||
        status.dump().find("identity_enclave") != std::string::npos)
        return 13;
    return 0;
}

TEST(PlatformBoundary, AGroupMemberCannotStopASharedPlatformNorSeeOthersEnclaves) {
    SharedPlatform platform;
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(identity_image(), platform.setting(), &e), CCBOX_OK) << ccbox_get_last_error();
    ccbox_enclave_identity_t id{};
    ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
    EXPECT_EQ(run_as_nobody({platform.group()}, [&] { return stop_and_look(platform, id.process_id); }), 0);
    EXPECT_TRUE(platform.alive());
    EXPECT_TRUE(seals(e)) << "its enclaves keep running";
    const nlohmann::json status = platform.status();
    ASSERT_FALSE(status.is_null());
    EXPECT_EQ(status["enclaves"].size(), 1u) << "root sees its enclave in detail";
    ccbox_terminate_enclave(e);
}

}  // namespace
