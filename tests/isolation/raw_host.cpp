#include "raw_host.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <grp.h>
#include <sstream>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ccbox::test::isolation {
namespace fs = std::filesystem;

ChildPlatform::ChildPlatform(const std::vector<std::string>& arguments, gid_t gid,
                             const std::vector<std::string>& environment) {
    const fs::path state = dir_.path() / "state", run = dir_.path() / "run";
    fs::create_directory(run);
    ::chmod(dir_.path().c_str(), 0755);
    ::chmod(run.c_str(), 0755);
    socket_ = (run / "platform.sock").string();
    platform_.socket_path = socket_.c_str();
    platform_.state_dir = nullptr;
    setting_ = settings_for(&platform_);

    const char* from_env = std::getenv("CCBOX_PLATFORM_PATH");
    const std::string ccboxd = from_env ? from_env : host::platform_executable();
    std::vector<std::string> argv{ccboxd, "--state-dir", state.string(), "--socket", socket_, "--socket-mode", "0660"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    std::vector<char*> args;
    for (auto& a : argv)
        args.push_back(a.data());
    args.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "CCBOX_PLATFORM_IDLE_EXIT=", 25) != 0)
            env_strings.emplace_back(*e);
    env_strings.insert(env_strings.end(), environment.begin(), environment.end());
    std::vector<char*> env;
    for (auto& e : env_strings)
        env.push_back(e.data());
    env.push_back(nullptr);
    const std::string log_path = (dir_.path() / "platform.log").string();

    pid_ = ::fork();
    if (pid_ == 0) {
        const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (log < 0 || ::dup2(log, 1) < 0 || ::dup2(log, 2) < 0)
            ::_exit(120);
        if (::setgroups(0, nullptr) != 0 || ::setresgid(gid, gid, gid) != 0)
            ::_exit(121);
        ::execve(ccboxd.c_str(), args.data(), env.data());
        ::_exit(122);
    }
    // Ready once the socket answers a status request (bounded: a platform that fails to start
    // has exited, and its log says why).
    for (int i = 0; i < 1000 && pid_ > 0 && running(); ++i) {
        if (status()) {
            ready_ = true;
            break;
        }
        ::usleep(10000);
    }
}

ChildPlatform::~ChildPlatform() {
    if (pid_ > 0 && running()) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        for (int i = 0; i < 500 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
            ::usleep(10000);
        if (::waitpid(pid_, &status, WNOHANG) == 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
        }
    }
}

bool ChildPlatform::running() {
    if (wait_status_)
        return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        wait_status_ = status;
        return false;
    }
    return true;
}

std::string ChildPlatform::how_it_ended() {
    if (running())
        return "still running";
    const int s = *wait_status_;
    if (WIFSIGNALED(s))
        return "killed by signal " + std::to_string(WTERMSIG(s)) + " (" + ::strsignal(WTERMSIG(s)) + ")";
    return "exited with status " + std::to_string(WEXITSTATUS(s));
}

std::vector<pid_t> ChildPlatform::children() const {
    std::vector<pid_t> out;
    std::error_code ec;
    for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid_) + "/task", ec)) {
        std::ifstream list(task.path() / "children");
        for (pid_t child; list >> child;)
            out.push_back(child);
    }
    return out;
}

std::string ChildPlatform::log() const {
    std::ifstream in(dir_.path() / "platform.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<nlohmann::json> ChildPlatform::status() const {
    const int fd = connect_with_timeout(socket_, 10);
    if (fd < 0)
        return std::nullopt;
    auto reply = host::platform_request(fd, protocol::Type::kStatus);
    ::close(fd);
    if (!reply.ok() || reply->type != protocol::Type::kStatusReply)
        return std::nullopt;
    return nlohmann::json::parse(std::string(reply->payload.begin(), reply->payload.end()), nullptr, false);
}

bool ChildPlatform::settles(size_t keep, uint64_t epc_bytes, std::string* last) {
    for (int i = 0; i < 1000 && running(); ++i) {
        if (auto s = status()) {
            *last = s->dump();
            if ((*s)["loading"] == 0 && (*s)["enclaves"].size() == keep && (*s)["epc_used_bytes"] == epc_bytes &&
                children().size() == keep)
                return true;
        }
        ::usleep(10000);
    }
    return false;
}

HostArena::HostArena(uint32_t tcs_count, int seals, size_t bytes) : size(bytes) {
    fd = ::memfd_create("ccbox-arena", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(size)) != 0)
        return;
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return;
    mapping = p;
    auto* header = arena::header_of(mapping);
    header->magic = arena::kMagic;
    header->version = arena::kVersion;
    header->tcs_count = tcs_count;
    header->size = size;
    header->dead.store(0);
    header->worker_spin.store(0);
    if (seals)
        (void)::fcntl(fd, F_ADD_SEALS, seals);
}

HostArena::~HostArena() {
    if (mapping)
        ::munmap(mapping, size);
    if (fd >= 0)
        ::close(fd);
}

Result<void> send_create(int connection, int image_fd, int arena_fd, uint64_t arena_address, uint64_t arena_size,
                         const std::string& image_name) {
    wire::LoadRequest request;
    std::memset(&request, 0, sizeof request);
    request.arena_address = arena_address;
    request.arena_size = arena_size;
    std::strncpy(request.image_name, image_name.c_str(), sizeof request.image_name - 1);
    const int fds[2] = {image_fd, arena_fd};
    return protocol::send_message(connection, protocol::Type::kCreateEnclave,
                                  std::span(reinterpret_cast<const uint8_t*>(&request), sizeof request), fds);
}

Result<protocol::Message> receive_within(int connection, int seconds) {
    timeval tv{seconds, 0};
    ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return protocol::receive_message(connection);
}

int connect_with_timeout(const std::string& socket, int seconds) {
    const int fd = connect_raw(socket);
    if (fd >= 0) {
        timeval tv{seconds, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    return fd;
}

ImageSwapper::ImageSwapper(const std::string& path, std::vector<uint8_t> a, std::vector<uint8_t> b)
    : fd_(::open(path.c_str(), O_WRONLY | O_CLOEXEC)), images_{std::move(a), std::move(b)},
      thread_([this] { run(); }) {}

void ImageSwapper::stop() {
    stopping_ = true;
    if (thread_.joinable())
        thread_.join();
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
}

void ImageSwapper::await_switch() {
    for (int i = 0; i < 10000 && switches_ == seen_ && !stopping_; ++i)
        ::usleep(1000);
    seen_ = switches_;
}

void ImageSwapper::run() {
    constexpr size_t kChunk = 64 << 10;
    for (unsigned long n = 0; !stopping_; ++n) {
        const std::vector<uint8_t>& image = images_[n % 2];
        if (n % 4 == 3)
            (void)!::ftruncate(fd_, 0);
        for (size_t at = 0; at < image.size() && !stopping_; at += kChunk)
            (void)!::pwrite(fd_, image.data() + at, std::min(kChunk, image.size() - at), static_cast<off_t>(at));
        ++switches_;
        ::usleep(static_cast<useconds_t>(500 * (1 + n % 7)));
    }
}

Inspected inspect(const std::string& image_path) {
    auto r = ccbox::test::run({ccbox::test::ccbox_tool(), "inspect", "--json", image_path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Inspected out;
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    if (j.is_discarded())
        return out;
    out.mrenclave = j.value("mrenclave", "");
    out.epc_pages = j.value("epc_pages", uint64_t(0));
    out.tcs_count = j["properties"].value("NumTCS", 0u);
    return out;
}

}  // namespace ccbox::test::isolation
