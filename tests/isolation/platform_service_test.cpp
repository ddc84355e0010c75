// The platform as a service (issue "The platform's own trust boundary"): a system platform of
// its own user keeps its secrets from its clients, the development/production mode is reported
// and attested so that a verifier tells them apart, and a long load stalls no one.
#include "identity_enclaves.hpp"
#include "shared_platform.hpp"

#include <ccbox/bits/report.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>

namespace {

namespace fs = std::filesystem;
using ccbox::test::run_as_nobody;
using ccbox::test::SharedPlatform;
using ccbox::test::TempDir;

using ccbox::test::identity_image;
using ccbox::test::seals;
ccbox_result_t create(const std::string& path, const ccbox_enclave_setting_t* setting, ccbox_enclave_t** e,
                      uint32_t flags = CCBOX_ENCLAVE_FLAG_ISOLATED) {
    return ccbox::test::create_identity_enclave(path, setting, e, flags);
}

ccbox_enclave_setting_t setting_for(ccbox_enclave_setting_platform_t* p) {
    ccbox_enclave_setting_t s{};
    s.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
    s.u.platform = p;
    return s;
}

// The platform mode a report made by `e` for itself states, or -1.
int report_mode(ccbox_enclave_t* e) {
    uint8_t target[512], data[64] = {1}, report[432];
    int r = -1;
    if (id_target_info(e, &r, target) != CCBOX_OK || r != CCBOX_OK)
        return -1;
    if (id_report(e, &r, target, data, report) != CCBOX_OK || r != CCBOX_OK)
        return -1;
    ccbox_report_identity_t identity{};
    if (ccbox_parse_report(report, sizeof report, &identity) != CCBOX_OK)
        return -1;
    if ((identity.cpusvn[CCBOX_CPUSVN_ISOLATION_COMPONENT] >= 1) != (identity.platform_mode == CCBOX_PLATFORM_MODE_PRODUCTION))
        return -1;
    return identity.platform_mode;
}

std::vector<pid_t> children_of(pid_t pid) {
    std::vector<pid_t> out;
    std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
    for (pid_t child; in >> child;)
        out.push_back(child);
    return out;
}

char process_state(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string all((std::istreambuf_iterator<char>(in)), {});
    const size_t paren = all.rfind(')');
    return paren == std::string::npos || paren + 2 >= all.size() ? '?' : all[paren + 2];
}

// ---------------------------------------------------------------- the mode

// The on-demand platform of an ordinary user is a development platform, in status and reports.
int development_platform_as_nobody(const std::string& state_dir) {
    ccbox_enclave_setting_platform_t p{nullptr, state_dir.c_str()};
    ccbox_enclave_setting_t s = setting_for(&p);
    ccbox_enclave_t* e = nullptr;
    if (create(identity_image(), &s, &e) != CCBOX_OK)
        return 10;
    const int mode = report_mode(e);
    ccbox_terminate_enclave(e);
    auto status = ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "status", "--json", "--state-dir", state_dir});
    auto text = ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "status", "--state-dir", state_dir});
    (void)ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "stop", "--state-dir", state_dir});
    if (mode != CCBOX_PLATFORM_MODE_DEVELOPMENT)
        return 11;
    if (nlohmann::json::parse(status.out, nullptr, false).value("mode", "") != "development")
        return 12;
    if (text.out.find("NOT CONFIDENTIAL") == std::string::npos)
        return 13;
    return 0;
}

TEST(PlatformMode, ReportsTellDevelopmentAndProductionPlatformsApart) {
    SharedPlatform production;
    EXPECT_EQ(production.status().value("mode", ""), "production");
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(identity_image(), production.setting(), &e), CCBOX_OK) << ccbox_get_last_error();
    EXPECT_EQ(report_mode(e), CCBOX_PLATFORM_MODE_PRODUCTION) << "a root platform's reports say production";
    ccbox_terminate_enclave(e);

    ASSERT_EQ(create(identity_image(), nullptr, &e, CCBOX_ENCLAVE_FLAG_SIMULATE), CCBOX_OK) << ccbox_get_last_error();
    EXPECT_EQ(report_mode(e), CCBOX_PLATFORM_MODE_DEVELOPMENT) << "the sim backend's reports say development";
    ccbox_terminate_enclave(e);

    TempDir dir;
    const auto& nobody = ccbox::test::nobody_account();
    ASSERT_EQ(::chown(dir.path().c_str(), nobody.pw_uid, nobody.pw_gid), 0);
    const std::string state = (dir.path() / "state").string();
    EXPECT_EQ(run_as_nobody({}, [&] { return development_platform_as_nobody(state); }), 0);
}

// ---------------------------------------------------------------- a system platform of its own user

struct Installed {
    TempDir dir;
    std::string user = "ccboxtestd", state, run, units;
    Installed() {
        ::chmod(dir.path().c_str(), 0755);
        state = (dir.path() / "state").string();
        run = (dir.path() / "run").string();
        units = (dir.path() / "units").string();
    }
    ccbox::test::CommandResult install() {
        return ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "install", "--user", user, "--state-dir", state,
                                 "--run-dir", run, "--unit-dir", units, "--no-start", "--ccboxd",
                                 std::getenv("CCBOX_PLATFORM_PATH")});
    }
    ccbox::test::CommandResult uninstall() {
        return ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "uninstall", "--user", user, "--state-dir",
                                 state, "--run-dir", run, "--unit-dir", units, "--purge"});
    }
    ~Installed() { (void)uninstall(); }
};

int attack_separate_platform(const std::string& socket, const std::string& state, pid_t platform) {
    ccbox_enclave_setting_platform_t p{socket.c_str(), nullptr};
    ccbox_enclave_setting_t s = setting_for(&p);
    ccbox_enclave_t* e = nullptr;
    if (create(identity_image(), &s, &e) != CCBOX_OK)
        return 10;
    if (!seals(e) || report_mode(e) != CCBOX_PLATFORM_MODE_PRODUCTION)
        return 11;
    ccbox_enclave_identity_t id{};
    ccbox_get_enclave_identity(e, &id);
    int result = 0;
    if (::open((state + "/secrets").c_str(), O_RDONLY) >= 0 || ::open(state.c_str(), O_RDONLY) >= 0)
        result = 12;
    for (pid_t pid : {platform, static_cast<pid_t>(id.process_id)}) {
        if (::ptrace(PTRACE_ATTACH, pid, nullptr, nullptr) == 0)
            result = 13;
        if (::open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY) >= 0)
            result = 14;
    }
    ccbox_terminate_enclave(e);
    return result;
}

TEST(PlatformService, ASeparatePlatformUserKeepsTheSecrets) {
    Installed installed;
    auto r = installed.install();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const passwd* account = ::getpwnam(installed.user.c_str());
    ASSERT_NE(account, nullptr);
    EXPECT_LE(account->pw_uid, 999u) << "a system account";
    struct stat st {};
    ASSERT_EQ(::stat(installed.state.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, account->pw_uid);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(::stat(installed.run.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0750u);
    std::ifstream unit_file(installed.units + "/ccboxd.service");
    const std::string unit((std::istreambuf_iterator<char>(unit_file)), {});
    EXPECT_NE(unit.find("User=" + installed.user), std::string::npos) << unit;

    // Run the platform as the unit does: its own account, with the capabilities the unit grants.
    const std::string socket = installed.run + "/platform.sock";
    const std::string ccboxd = std::getenv("CCBOX_PLATFORM_PATH");
    const pid_t platform = ::fork();
    if (platform == 0) {
        const std::string id = std::to_string(account->pw_uid), gid = std::to_string(account->pw_gid);
        const std::string caps = "+setuid,+setgid,+kill,+setpcap,+sys_admin";
        ::execl("/usr/bin/setpriv", "setpriv", ("--reuid=" + id).c_str(), ("--regid=" + gid).c_str(),
                "--clear-groups", ("--inh-caps=" + caps).c_str(), ("--ambient-caps=" + caps).c_str(), ccboxd.c_str(),
                "--state-dir", installed.state.c_str(), "--socket", socket.c_str(), "--socket-mode", "0660",
                "--platform-user", installed.user.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    for (int i = 0; i < 1000 && !fs::exists(socket); ++i)
        ::usleep(5000);
    ASSERT_TRUE(fs::exists(socket));
    EXPECT_EQ(run_as_nobody({account->pw_gid}, [&] { return attack_separate_platform(socket, installed.state, platform); }),
              0);
    ::kill(platform, SIGTERM);
    int status = 0;
    ::waitpid(platform, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

    // The installation record lives where the platform's account can write: a record that
    // points elsewhere is refused, and nothing is removed.
    const std::string record = installed.state + "/installed.json";
    const std::vector<uint8_t> kept = ccbox::test::read_bytes(record);
    const std::string forged = R"({"user": "root", "created_user": true, "unit": "/etc/passwd", "run_dir": "/"})";
    ccbox::test::write_bytes(record, std::vector<uint8_t>(forged.begin(), forged.end()));
    r = installed.uninstall();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("not an installation record"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(installed.run)) << "nothing was removed";
    ccbox::test::write_bytes(record, kept);
    r = installed.uninstall();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(::getpwnam(installed.user.c_str()), nullptr) << "the account install created is gone";
    EXPECT_FALSE(fs::exists(installed.run));
    EXPECT_FALSE(fs::exists(installed.units + "/ccboxd.service"));
}

TEST(PlatformService, TheShippedUnitIsTheOneInstallWrites) {
    auto r = ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "install", "--print-unit"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream shipped(std::string(CCBOX_SOURCE_DIR) + "/packaging/systemd/ccboxd.service");
    const std::string text((std::istreambuf_iterator<char>(shipped)), {});
    EXPECT_EQ(r.out, text);
}

TEST(PlatformService, InstallAndUninstallRefuseNonRootAndMissingRecords) {
    TempDir dir;
    EXPECT_EQ(run_as_nobody({}, [] {
                  auto r = ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "install", "--no-start"});
                  return r.exit_code == 1 && r.err.find("must run as root") != std::string::npos ? 0 : 1;
              }),
              0);
    auto r = ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "uninstall", "--state-dir", dir.path().string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no installation recorded"), std::string::npos) << r.err;
}

// Hosts use the system platform when its socket exists and they may connect, else their own
// platform; the environment still overrides.
TEST(PlatformService, HostsUseTheSystemPlatformWhenTheyMayConnect) {
    if (fs::exists(ccbox::kSystemRunDir))
        GTEST_SKIP() << ccbox::kSystemRunDir << " exists: a system platform is installed on this machine";
    const gid_t group = 4242;  // the platform's group: not nobody's own
    ASSERT_TRUE(fs::create_directory(ccbox::kSystemRunDir));
    ::chmod(ccbox::kSystemRunDir, 0755);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strcpy(addr.sun_path, ccbox::kSystemSocket);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::chown(ccbox::kSystemSocket, 0, group), 0);
    ASSERT_EQ(::chmod(ccbox::kSystemSocket, 0660), 0);
    auto system_chosen = [] {
        ::unsetenv("CCBOX_STATE_DIR");
        ::unsetenv("CCBOX_PLATFORM_SOCKET");
        const ccbox::PlatformPaths p = ccbox::client_platform_paths();
        if (!p.system || p.socket != ccbox::kSystemSocket)
            return 1;
        ::setenv("CCBOX_STATE_DIR", "/tmp/elsewhere", 1);
        return ccbox::client_platform_paths().system ? 2 : 0;
    };
    auto own_chosen = [] {
        ::unsetenv("CCBOX_STATE_DIR");
        ::unsetenv("CCBOX_PLATFORM_SOCKET");
        return ccbox::client_platform_paths().system ? 1 : 0;
    };
    EXPECT_EQ(run_as_nobody({group}, system_chosen), 0) << "a member of the platform's group uses it";
    EXPECT_EQ(run_as_nobody({}, own_chosen), 0) << "anyone else falls back to an own platform";
    ::close(fd);
    fs::remove_all(ccbox::kSystemRunDir);
}

// ---------------------------------------------------------------- responsiveness

// A 512 MiB enclave whose load stays under way (the test hook stops its enclave process before
// it loads): meanwhile another enclave's seals and the status keep being answered, and killing
// the loading host leaves no enclave process and no EPC booked.
TEST(PlatformService, ALongLoadStallsNoOne) {
    SharedPlatform platform({"--epc", "2GiB"}, {"CCBOX_TEST_PAUSE_LOAD=512mib"});
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(identity_image(), platform.setting(), &e), CCBOX_OK) << ccbox_get_last_error();
    const uint64_t small_used = platform.status()["epc_used_bytes"];

    const pid_t host = ::fork();
    if (host == 0) {
        ccbox_enclave_t* big = nullptr;
        ::_exit(create(identity_image("identity_enclave.512mib.signed"), platform.setting(), &big) == CCBOX_OK ? 0 : 1);
    }
    // The load is under way once its enclave process has stopped itself.
    pid_t loading = 0;
    for (int i = 0; i < 2000 && !loading; ++i) {
        for (pid_t child : children_of(platform.pid()))
            if (process_state(child) == 'T')
                loading = child;
        if (!loading)
            ::usleep(5000);
    }
    ASSERT_NE(loading, 0) << "the big enclave's load never got under way";
    int answered = 0;
    for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(seals(e)) << "a seal during the load";
        const nlohmann::json status = platform.status();
        ASSERT_FALSE(status.is_null()) << "status during the load";
        ASSERT_EQ(status["loading"], 1u) << "the load is still under way";
        EXPECT_GT(status["epc_used_bytes"].get<uint64_t>(), small_used) << "its EPC is booked while it loads";
        ++answered;
    }
    EXPECT_EQ(answered, 20);
    ::kill(host, SIGKILL);
    ::waitpid(host, nullptr, 0);
    bool gone = false;
    for (int i = 0; i < 500 && !gone; ++i) {
        const nlohmann::json status = platform.status();
        gone = status["loading"] == 0u && ::kill(loading, 0) != 0;
        if (!gone)
            ::usleep(10000);
    }
    EXPECT_TRUE(gone) << "the loading enclave process outlived its host";
    EXPECT_EQ(platform.status()["epc_used_bytes"], small_used) << "nothing of the abandoned load stays booked";
    EXPECT_TRUE(seals(e));
    ccbox_terminate_enclave(e);
}

}  // namespace
