// What the hostile-host tests need to play a host that does not use the host library, or
// misuses it: a platform that is the test's own child process (so the test sees how it ends),
// root with a socket its group may use, as a shared system platform is; create requests built
// by hand; and status requests on connections of their own.
#pragma once

#include "common/arena_abi.h"
#include "host/isolated/platform_client.hpp"
#include "isolation_support.hpp"
#include "platform/service/protocol.hpp"
#include "platform/service/wire.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <fcntl.h>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace ccbox::test::isolation {

inline constexpr uint64_t kPage = 4096;
// The seals the platform requires on an arena memfd.
inline constexpr int kArenaSeals = F_SEAL_SHRINK | F_SEAL_GROW;

// ccboxd in the foreground as a child of the test, root with group `gid`: its state directory
// private (0700), its socket outside it, mode 0660, in a directory anyone may traverse (like
// /run/ccbox of `ccbox platform install`). It logs to log(). Stopped (SIGTERM) and reaped when
// the object goes away.
class ChildPlatform {
public:
    explicit ChildPlatform(const std::vector<std::string>& arguments = {}, gid_t gid = 0,
                           const std::vector<std::string>& environment = {});
    ~ChildPlatform();
    ChildPlatform(const ChildPlatform&) = delete;
    ChildPlatform& operator=(const ChildPlatform&) = delete;

    bool ready() const { return ready_; }
    pid_t pid() const { return pid_; }
    const std::string& socket() const { return socket_; }
    const std::filesystem::path& dir() const { return dir_.path(); }
    // Host library settings that reach this platform.
    const ccbox_enclave_setting_t* setting() const { return &setting_; }
    // Whether it still runs; once it ended, how ("killed by signal 7 (Bus error)").
    bool running();
    std::string how_it_ended();
    // Its processes: the enclave processes it started (children of any of its threads).
    std::vector<pid_t> children() const;
    std::string log() const;
    // A status request on a connection of its own (as this process, root: an administrator).
    std::optional<nlohmann::json> status() const;
    // Waits (at most 10 s) until the platform has nothing left but `keep` enclaves (the test's
    // own): no load under way, no other enclave or enclave process, exactly `epc_bytes` booked.
    // `last` gets the last status seen.
    bool settles(size_t keep, uint64_t epc_bytes, std::string* last);

private:
    TempDir dir_;
    std::string socket_;
    pid_t pid_ = -1;
    bool ready_ = false;
    std::optional<int> wait_status_;
    ccbox_enclave_setting_platform_t platform_{};
    ccbox_enclave_setting_t setting_{};
};

// An arena like the host library's (a memfd with an initialised header for `tcs_count` TCS,
// mapped here), with the given seals added.
struct HostArena {
    int fd = -1;
    void* mapping = nullptr;
    size_t size = 0;
    HostArena(uint32_t tcs_count, int seals, size_t size = size_t(4) << 20);
    ~HostArena();
    HostArena(const HostArena&) = delete;
    HostArena& operator=(const HostArena&) = delete;
};

// The descriptors and fields of a create request as a host would send it (`arena_size` 0: the
// arena's own size).
Result<void> send_create(int connection, int image_fd, int arena_fd, uint64_t arena_address, uint64_t arena_size,
                         const std::string& image_name = "hostile");
// The platform's answer to a request on `connection`, waited for at most `seconds`.
Result<protocol::Message> receive_within(int connection, int seconds);
// A connection to `socket` whose receives give up after `seconds`.
int connect_with_timeout(const std::string& socket, int seconds);

// Rewrites `path` in place (same inode) until stopped, alternating between two images of the
// same size: each is written whole (in pieces) and left for a moment, and every fourth switch
// first truncates the file to nothing, so readers see either image, or a torn or short file.
class ImageSwapper {
public:
    ImageSwapper(const std::string& path, std::vector<uint8_t> a, std::vector<uint8_t> b);
    ~ImageSwapper() { stop(); }
    ImageSwapper(const ImageSwapper&) = delete;
    ImageSwapper& operator=(const ImageSwapper&) = delete;
    void stop();
    unsigned long switches() const { return switches_; }
    // Waits (at most 10 s) until the file has changed since the last call.
    void await_switch();

private:
    void run();
    int fd_;
    std::vector<uint8_t> images_[2];
    std::atomic<bool> stopping_{false};
    std::atomic<unsigned long> switches_{0};
    unsigned long seen_ = 0;
    std::thread thread_;
};

// What `ccbox inspect --json` computes offline about an image.
struct Inspected {
    std::string mrenclave;
    uint64_t epc_pages = 0;
    uint32_t tcs_count = 0;
};
Inspected inspect(const std::string& image_path);

}  // namespace ccbox::test::isolation
