// A root platform shared with an unprivileged group, as a system platform is, and a way to run
// code as a member of that group (user nobody). Used by the platform-boundary tests.
#pragma once

#include "host/isolated/platform_client.hpp"
#include "test_support.hpp"

#include <ccbox/host.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <grp.h>
#include <pwd.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace ccbox::test {

struct Account {
    uid_t pw_uid;
    gid_t pw_gid;
};
// User nobody's ids, copied (getpwnam's result is overwritten by the next look-up).
inline const Account& nobody_account() {
    static const Account nobody = [] {
        const passwd* p = ::getpwnam("nobody");
        if (!p)
            std::abort();
        return Account{p->pw_uid, p->pw_gid};
    }();
    return nobody;
}

// ccboxd run directly (not as a daemon) by root with the group of user nobody, its socket 0660
// outside the state directory, and `environment` added to its environment.
class SharedPlatform {
public:
    explicit SharedPlatform(std::vector<std::string> arguments = {}, std::vector<std::string> environment = {})
        : group_(nobody_account().pw_gid) {
        ::chmod(dir_.path().c_str(), 0755);
        run_dir_ = dir_.path() / "run";
        std::filesystem::create_directory(run_dir_);
        ::chmod(run_dir_.c_str(), 0755);
        socket_ = (run_dir_ / "platform.sock").string();
        state_ = (dir_.path() / "state").string();
        const std::string ccboxd = std::getenv("CCBOX_PLATFORM_PATH");
        std::vector<std::string> argv = {ccboxd, "--state-dir", state_, "--socket", socket_, "--socket-mode", "0660"};
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        pid_ = ::fork();
        if (pid_ == 0) {
            if (::setgroups(0, nullptr) != 0 || ::setresgid(group_, group_, group_) != 0)
                ::_exit(120);
            for (auto& e : environment)
                ::putenv(e.data());
            std::vector<char*> args;
            for (auto& a : argv)
                args.push_back(a.data());
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            ::_exit(121);
        }
        // Ready when it answers, not when its socket file exists: bind() makes the file before
        // listen() and the chmod to 0660 (a status request then is refused, and a test that
        // asked first saw a null status).
        for (int i = 0; i < 2000 && status().is_null(); ++i)
            ::usleep(5000);
        platform_ = {socket_.c_str(), nullptr};
        setting_.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
        setting_.u.platform = &platform_;
    }
    ~SharedPlatform() {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
    }
    SharedPlatform(const SharedPlatform&) = delete;
    SharedPlatform& operator=(const SharedPlatform&) = delete;

    pid_t pid() const { return pid_; }
    gid_t group() const { return group_; }
    const std::string& socket() const { return socket_; }
    const std::string& state_dir() const { return state_; }
    const ccbox_enclave_setting_t* setting() const { return &setting_; }
    bool alive() const { return ::kill(pid_, 0) == 0; }

    // The status this process (or, in a child, that child) is shown.
    nlohmann::json status() const {
        auto fd = host::connect_platform({"", socket_}, false);
        if (!fd.ok())
            return nullptr;
        auto reply = host::platform_request(*fd, protocol::Type::kStatus);
        ::close(*fd);
        if (!reply.ok())
            return nullptr;
        return nlohmann::json::parse(reply->payload.begin(), reply->payload.end(), nullptr, false);
    }

private:
    TempDir dir_;
    std::filesystem::path run_dir_;
    std::string socket_, state_;
    gid_t group_;
    pid_t pid_ = -1;
    ccbox_enclave_setting_platform_t platform_{};
    ccbox_enclave_setting_t setting_{};
};

// Runs `body` in a child as user nobody with `groups` as its supplementary groups; returns the
// value it returns (its exit status), or -1 if it did not exit normally.
inline int run_as_nobody(const std::vector<gid_t>& groups, const std::function<int()>& body) {
    const pid_t child = ::fork();
    if (child == 0) {
        const Account& nobody = nobody_account();
        if (::setgroups(groups.size(), groups.data()) != 0 ||
            ::setresgid(nobody.pw_gid, nobody.pw_gid, nobody.pw_gid) != 0 ||
            ::setresuid(nobody.pw_uid, nobody.pw_uid, nobody.pw_uid) != 0)
            ::_exit(125);
        ::_exit(body());
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace ccbox::test
