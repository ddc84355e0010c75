// Helpers shared by the isolated backend's test programs (isolation_test.cpp,
// hostile_host_test.cpp): the runtime test images, platform settings, a platform of a test's
// own, and raw connections to a platform's socket.
#pragma once

#include <ccbox/host.h>

#include "runtime_test_u.h"
#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

namespace ccbox::test::isolation {

inline std::string image(const std::string& name) { return ccbox::test::built_file("runtime/" + name); }

inline ccbox_enclave_setting_t settings_for(ccbox_enclave_setting_platform_t* platform) {
    ccbox_enclave_setting_t s{};
    s.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
    s.u.platform = platform;
    return s;
}

inline ccbox_result_t create(const std::string& path, const ccbox_enclave_setting_t* settings, ccbox_enclave_t** e,
                             uint32_t flags = CCBOX_ENCLAVE_FLAG_ISOLATED) {
    return ccbox_create_runtime_test_enclave(path.c_str(), flags, settings, settings ? 1 : 0, e);
}

inline bool process_alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

inline bool wait_until_gone(pid_t pid, int seconds) {
    for (int i = 0; i < seconds * 50; ++i) {
        if (!process_alive(pid))
            return true;
        ::usleep(20000);
    }
    return false;
}

// A platform of its own for the tests that stop it or change its SKU.
struct OwnPlatform {
    ccbox::test::TempDir dir;
    ccbox_enclave_setting_platform_t platform{nullptr, nullptr};
    ccbox_enclave_setting_t setting{};
    explicit OwnPlatform(const std::vector<std::string>& start = {}) {
        platform.state_dir = dir.path().c_str();
        setting = settings_for(&platform);
        if (!start.empty()) {
            std::vector<std::string> argv{ccbox::test::ccbox_tool(), "platform", "start", "--state-dir",
                                          dir.path().string()};
            argv.insert(argv.end(), start.begin(), start.end());
            auto r = ccbox::test::run(argv);
            EXPECT_EQ(r.exit_code, 0) << r.err;
        }
    }
    ~OwnPlatform() { (void)ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "stop", "--state-dir", dir.path().string()}); }
    nlohmann::json status() {
        auto r = ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "status", "--json", "--state-dir",
                                   dir.path().string()});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return nlohmann::json::parse(r.out);
    }
};

inline int connect_raw(const std::string& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// One protocol frame, byte by byte (header fields as given, so tests can get them wrong).
inline std::vector<uint8_t> frame(uint32_t magic, uint16_t version, uint16_t type, uint32_t length,
                                  const std::vector<uint8_t>& payload = {}) {
    std::vector<uint8_t> out(16 + payload.size(), 0);
    std::memcpy(out.data(), &magic, 4);
    std::memcpy(out.data() + 4, &version, 2);
    std::memcpy(out.data() + 6, &type, 2);
    std::memcpy(out.data() + 8, &length, 4);
    if (!payload.empty())
        std::memcpy(out.data() + 16, payload.data(), payload.size());
    return out;
}

}  // namespace ccbox::test::isolation
