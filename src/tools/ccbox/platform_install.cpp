// `ccbox platform install|uninstall`: the production platform's system set-up in one command
// (docs/isolation.md, "The system platform"): a system account and group of its own, its state
// and run directories, and the systemd unit that runs ccboxd as that account.
#include "tools/ccbox/platform_install.hpp"

#include "platform/service/state_dir.hpp"
#include "support/file_io.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ccbox {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = "installed.json";

Error install_error(const std::string& what) { return Error(CCBOX_PLATFORM_ERROR, "platform install: " + what); }

int run_command(const std::vector<std::string>& argv) {
    const pid_t pid = ::fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool systemd_running() { return ::access("/run/systemd/system", F_OK) == 0; }

Result<void> make_owned_dir(const std::string& dir, mode_t mode, uid_t uid, gid_t gid) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return install_error(dir + ": cannot create: " + ec.message());
    if (::chown(dir.c_str(), uid, gid) != 0 || ::chmod(dir.c_str(), mode) != 0)
        return install_error(dir + ": cannot set owner and mode: " + std::strerror(errno));
    return ok_result();
}

std::string ccboxd_next_to_this_tool() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("ccboxd") : (self.parent_path() / "ccboxd").string();
}

}  // namespace

std::string systemd_unit_text(const PlatformInstallOptions& o, const std::string& ccboxd) {
    const std::string socket = o.run_dir + "/platform.sock";
    const std::string location = " --state-dir " + o.state_dir + " --socket " + socket;
    return "# ccboxd as the system platform (docs/isolation.md, \"The system platform\"), as written by\n"
           "# `ccbox platform install`. It runs as the system account " + o.user + ", which owns the state\n"
           "# directory (0700) and nothing else; the socket is 0660 in " + o.run_dir + " (0750), group " + o.user +
           ":\n# add the users that may create enclaves to that group. This is a production platform: its\n"
           "# clients cannot reach its secrets. The capabilities let it give each enclave process a uid of\n"
           "# its own and private namespaces; each enclave process drops them all before enclave code runs.\n"
           "[Unit]\n"
           "Description=ccbox platform service (modeled SGX CPU: EPC, keys, enclave processes)\n"
           "After=local-fs.target\n\n"
           "[Service]\n"
           "Type=simple\n"
           "ExecStart=" + ccboxd + location + " --socket-mode 0660 --platform-user " + o.user + " --sku " + o.sku +
           "\n"
           "User=" + o.user + "\nGroup=" + o.user + "\n"
           "RuntimeDirectory=" + fs::path(o.run_dir).filename().string() + "\nRuntimeDirectoryMode=0750\n"
           "AmbientCapabilities=CAP_SETUID CAP_SETGID CAP_KILL CAP_SETPCAP CAP_SYS_ADMIN\n"
           "CapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_KILL CAP_SETPCAP CAP_SYS_ADMIN\n"
           "ProtectSystem=strict\nReadWritePaths=" + o.state_dir + "\nProtectHome=yes\nPrivateTmp=yes\n"
           "PrivateNetwork=yes\nRestrictAddressFamilies=AF_UNIX\nProtectKernelTunables=yes\n"
           "ProtectKernelModules=yes\nProtectKernelLogs=yes\nProtectControlGroups=yes\nProtectClock=yes\n"
           "ProtectHostname=yes\nLockPersonality=yes\nRestrictRealtime=yes\nRestrictSUIDSGID=yes\n"
           "UMask=0077\nRestart=on-failure\n\n"
           "[Install]\nWantedBy=multi-user.target\n";
}

Result<void> platform_install(const PlatformInstallOptions& o) {
    if (::geteuid() != 0)
        return install_error("must run as root (sudo ccbox platform install)");
    bool created_user = false;
    if (!::getpwnam(o.user.c_str())) {
        const int rc = run_command({"useradd", "--system", "--user-group", "--no-create-home", "--home-dir",
                                    o.state_dir, "--shell", "/usr/sbin/nologin", "--comment",
                                    "ccbox platform service", o.user});
        if (rc != 0)
            return install_error("useradd " + o.user + " failed (exit " + std::to_string(rc) + ")");
        created_user = true;
    }
    const passwd* account = ::getpwnam(o.user.c_str());
    if (!account)
        return install_error("no account " + o.user + " after useradd");
    const uid_t uid = account->pw_uid;
    const gid_t gid = account->pw_gid;
    if (uid == 0 || uid > 999)
        return install_error(o.user + " (uid " + std::to_string(uid) + ") is not a system account");
    CCBOX_TRY(make_owned_dir(o.state_dir, 0700, uid, gid));
    CCBOX_TRY(make_owned_dir(o.run_dir, 0750, uid, gid));
    const std::string unit_path = o.unit_dir + "/ccboxd.service";
    std::error_code ec;
    fs::create_directories(o.unit_dir, ec);
    const std::string unit = systemd_unit_text(o, o.ccboxd.empty() ? ccboxd_next_to_this_tool() : o.ccboxd);
    CCBOX_TRY(write_file_atomic(unit_path, Bytes(unit.begin(), unit.end())));
    ::chmod(unit_path.c_str(), 0644);
    const nlohmann::json manifest{{"user", o.user},         {"created_user", created_user}, {"unit", unit_path},
                                  {"run_dir", o.run_dir},   {"state_dir", o.state_dir}};
    const std::string text = manifest.dump(2) + "\n";
    CCBOX_TRY(write_file_atomic(o.state_dir + "/" + kManifest, Bytes(text.begin(), text.end())));
    std::printf("created %s%s, %s (0700), %s (0750) and %s\n", created_user ? "the system account " : "account ",
                o.user.c_str(), o.state_dir.c_str(), o.run_dir.c_str(), unit_path.c_str());
    if (systemd_running() && o.start) {
        if (run_command({"systemctl", "daemon-reload"}) != 0 ||
            run_command({"systemctl", "enable", "--now", "ccboxd.service"}) != 0)
            return install_error("systemctl could not enable and start ccboxd.service");
        std::printf("ccboxd.service enabled and started; add users to group %s to let them create enclaves\n",
                    o.user.c_str());
    } else {
        std::printf("start it with `systemctl enable --now ccboxd` (add users to group %s to let them in)\n",
                    o.user.c_str());
    }
    return ok_result();
}

Result<void> platform_uninstall(const PlatformInstallOptions& o) {
    if (::geteuid() != 0)
        return install_error("must run as root (sudo ccbox platform uninstall)");
    const std::string manifest_path = o.state_dir + "/" + kManifest;
    auto bytes = read_file(manifest_path, 1 << 16);
    if (!bytes.ok())
        return Error(CCBOX_NOT_FOUND, manifest_path + ": no installation recorded here (" + bytes.error().message() + ")");
    auto manifest = nlohmann::json::parse(bytes->begin(), bytes->end(), nullptr, false);
    // The record lives in a directory the platform's account owns: it says only whether
    // install created the account, and must name the account and unit these options name.
    const std::string unit_path = o.unit_dir + "/ccboxd.service";
    if (manifest.is_discarded() || !manifest.is_object() || !manifest["created_user"].is_boolean() ||
        manifest.value("user", "") != o.user || manifest.value("unit", "") != unit_path ||
        manifest.value("run_dir", "") != o.run_dir)
        return Error(CCBOX_INVALID_CONFIG, manifest_path + ": not an installation record of account " + o.user +
                                               " with unit " + unit_path + " and run directory " + o.run_dir);
    if (systemd_running())
        (void)run_command({"systemctl", "disable", "--now", "ccboxd.service"});
    std::error_code ec;
    fs::remove(unit_path, ec);
    fs::remove_all(o.run_dir, ec);
    if (systemd_running())
        (void)run_command({"systemctl", "daemon-reload"});
    fs::remove(manifest_path, ec);
    if (o.purge)
        fs::remove_all(o.state_dir, ec);
    const std::string user = o.user;
    const bool created = manifest["created_user"].get<bool>();
    if (created && run_command({"userdel", user}) != 0)
        return install_error("userdel " + user + " failed");
    if (created && ::getgrnam(user.c_str()))
        (void)run_command({"groupdel", user});
    std::printf("removed the platform installation of %s%s\n", user.c_str(),
                o.purge ? " and its state (secrets included)" : "; its state directory and secrets are kept");
    return ok_result();
}

}  // namespace ccbox
