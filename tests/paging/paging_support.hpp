// Helpers for the paging tests (issue 14): a ccboxd of the test's own, in the foreground, with
// the paging test hook, as root or as an unprivileged user; its status; an enclave's backing
// memory through the hook.
#pragma once

#include <ccbox/host.h>

#include "host/isolated/platform_client.hpp"
#include "paging_test_u.h"
#include "platform/service/protocol.hpp"
#include "platform/service/wire.hpp"
#include "test_support.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <grp.h>
#include <optional>
#include <string>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace ccbox::test::paging {

inline constexpr uint64_t kMiB = 1 << 20;
inline constexpr uint64_t kPage = 4096;

inline std::string image(const std::string& name) { return ccbox::test::built_file("paging/" + name); }

class PagingPlatform {
public:
    // `uid` 0: root (started with --development, which the hook needs); otherwise that user.
    explicit PagingPlatform(const std::vector<std::string>& arguments, uid_t uid = 0) {
        namespace fs = std::filesystem;
        ::chmod(dir_.path().c_str(), 0755);
        const fs::path state = dir_.path() / "state";
        fs::create_directory(state);
        ::chmod(state.c_str(), 0700);
        if (uid != 0 && ::chown(state.c_str(), uid, uid) != 0)
            std::perror("chown");
        socket_ = (state / "platform.sock").string();
        platform_.socket_path = socket_.c_str();
        platform_.state_dir = nullptr;
        setting_.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
        setting_.u.platform = &platform_;
        const char* from_env = std::getenv("CCBOX_PLATFORM_PATH");
        std::string ccboxd = from_env ? from_env : host::platform_executable();
        std::vector<std::string> argv{ccboxd, "--state-dir", state.string(), "--socket", socket_,
                                      "--socket-mode", "0660", "--development", "--paging-test-hook"};
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        const std::string log = (dir_.path() / "platform.log").string();
        pid_ = ::fork();
        if (pid_ == 0) {
            std::vector<char*> args;
            for (auto& a : argv)
                args.push_back(a.data());
            args.push_back(nullptr);
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            // The host (this test, root) must reach the socket: the platform's group is root's.
            if (uid != 0 && (::setgroups(0, nullptr) != 0 || ::setresgid(0, 0, 0) != 0 || ::setresuid(uid, uid, uid) != 0))
                ::_exit(121);
            ::unsetenv("CCBOX_PLATFORM_IDLE_EXIT");
            ::execv(ccboxd.c_str(), args.data());
            ::_exit(122);
        }
        for (int i = 0; i < 1000 && !ready_; ++i) {
            if (status())
                ready_ = true;
            else
                ::usleep(10000);
        }
    }
    ~PagingPlatform() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    bool ready() const { return ready_; }
    const ccbox_enclave_setting_t* setting() const { return &setting_; }
    std::string log() const {
        auto bytes = ccbox::test::read_bytes(dir_.path() / "platform.log");
        return std::string(bytes.begin(), bytes.end());
    }
    bool running() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }

    int connect() const {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, socket_.c_str(), sizeof addr.sun_path - 1);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(fd);
            return -1;
        }
        return fd;
    }
    std::optional<nlohmann::json> status() const {
        const int fd = connect();
        if (fd < 0)
            return std::nullopt;
        std::optional<nlohmann::json> j;
        if (protocol::send_message(fd, protocol::Type::kStatus, {}).ok())
            if (auto m = protocol::receive_message(fd); m.ok() && m->type == protocol::Type::kStatusReply)
                j = nlohmann::json::parse(std::string(m->payload.begin(), m->payload.end()));
        ::close(fd);
        return j;
    }

private:
    ccbox::test::TempDir dir_;
    std::string socket_;
    ccbox_enclave_setting_platform_t platform_{nullptr, nullptr};
    ccbox_enclave_setting_t setting_{};
    pid_t pid_ = -1;
    bool ready_ = false;
};

// An enclave's backing memory, mapped, through the test hook. The hook answers only the host
// connection that owns the enclave: the host library's. It is found through the enclave's id
// (status) and asked on that connection.
struct Backing {
    wire::BackingStoreReply layout{};
    uint8_t* memory = nullptr;
    int fd = -1;
    ~Backing() {
        if (memory)
            ::munmap(memory, layout.size);
        if (fd >= 0)
            ::close(fd);
    }
    uint8_t* data(uint64_t page) const { return memory + layout.data_offset + page * kPage; }
    uint8_t* pcmd(uint64_t page) const { return memory + layout.pcmd_offset + page * 128; }
    uint8_t* va_data(uint64_t i) const { return memory + layout.va_data_offset + i * kPage; }
    uint8_t* va_pcmd(uint64_t i) const { return memory + layout.va_pcmd_offset + i * 128; }
    bool va_evicted(uint64_t i) const {
        uint64_t enclave_id;
        std::memcpy(&enclave_id, va_pcmd(i) + 64, 8);
        return enclave_id != 0;
    }
    bool evicted(uint64_t page) const {
        uint64_t enclave_id;
        std::memcpy(&enclave_id, pcmd(page) + 64, 8);
        return enclave_id != 0;
    }
    std::vector<uint64_t> evicted_pages() const {
        std::vector<uint64_t> out;
        for (uint64_t p = 0; p < layout.pages; ++p)
            if (evicted(p))
                out.push_back(p);
        return out;
    }
};

// Asks `platform` for enclave `id`'s backing memory (the test hook) and maps it writable.
inline bool get_backing(const PagingPlatform& platform, uint64_t id, Backing* out) {
    const int fd = platform.connect();
    if (fd < 0)
        return false;
    bool ok = protocol::send_message(fd, protocol::Type::kBackingStore,
                                     std::span(reinterpret_cast<const uint8_t*>(&id), sizeof id))
                  .ok();
    auto m = protocol::receive_message(fd);
    ::close(fd);
    ok = ok && m.ok() && m->type == protocol::Type::kBackingStoreReply && m->fds.size() == 1 &&
         m->payload.size() == sizeof out->layout;
    if (!ok) {
        if (m.ok())
            m->close_fds();
        return false;
    }
    std::memcpy(&out->layout, m->payload.data(), sizeof out->layout);
    out->fd = m->fds[0];
    void* p = ::mmap(nullptr, out->layout.size, PROT_READ | PROT_WRITE, MAP_SHARED, out->fd, 0);
    out->memory = p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
    return out->memory != nullptr;
}

// The ids of the platform's enclaves, oldest first.
inline std::vector<uint64_t> enclave_ids(const PagingPlatform& platform) {
    std::vector<uint64_t> ids;
    if (auto s = platform.status())
        for (const auto& e : (*s)["enclaves"])
            ids.push_back(e["id"].get<uint64_t>());
    return ids;
}

}  // namespace ccbox::test::paging
