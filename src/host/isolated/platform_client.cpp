#include "host/isolated/platform_client.hpp"

#include "host/enclave.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

// Defined by the program when it links ccbox::host through the CMake package (a one-line
// source the package adds, cmake/CcboxPlatformLocation.cmake); absent otherwise.
extern "C" __attribute__((weak)) const char ccbox_platform_executable_location[];

namespace ccbox::host {
namespace {

Result<int> try_connect(const std::string& path, int* error) {
    sockaddr_un addr{};
    if (path.size() >= sizeof addr.sun_path)
        return Error(CCBOX_SERVICE_UNAVAILABLE, path + ": socket path is too long");
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return Error(CCBOX_SERVICE_UNAVAILABLE, std::string("socket: ") + std::strerror(errno));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        *error = errno;
        ::close(fd);
        return Error(CCBOX_SERVICE_UNAVAILABLE,
                     "no platform is listening on " + path + " (" + std::strerror(*error) + ")");
    }
    return fd;
}

}  // namespace

std::string platform_executable() {
    if (const char* env = std::getenv("CCBOX_PLATFORM_PATH"); env && *env)
        return env;
    // The location find_package(ccbox) (or ccbox::host inside the ccbox tree) linked into this
    // program: that installation's own ccboxd, wherever it was when the program was built.
    if (ccbox_platform_executable_location && *ccbox_platform_executable_location)
        return ccbox_platform_executable_location;
    // Not linked through the package (the ccbox tool itself, or a program linked by hand):
    // the ccboxd next to the running executable.
    char self[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return {};
    std::string dir(self, static_cast<size_t>(n));
    dir.erase(dir.find_last_of('/') + 1);
    std::string sibling = dir + "ccboxd";
    return ::access(sibling.c_str(), X_OK) == 0 ? sibling : std::string();
}

Result<void> start_platform(const PlatformPaths& paths, const std::vector<std::string>& arguments) {
    const std::string exe = platform_executable();
    if (exe.empty())
        return Error(CCBOX_SERVICE_UNAVAILABLE,
                     "cannot start the platform: no ccboxd to start (this program was not linked with "
                     "ccbox::host from find_package(ccbox), and there is no ccboxd next to it); set "
                     "CCBOX_PLATFORM_PATH to the ccboxd to run");
    debug_log("starting the platform " + exe + " for " + paths.socket);
    std::vector<std::string> argv = {exe, "--daemon", "--state-dir", paths.state_dir, "--socket", paths.socket};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    int err_pipe[2];
    if (::pipe2(err_pipe, O_CLOEXEC) != 0)
        return Error(CCBOX_SERVICE_UNAVAILABLE, std::string("pipe: ") + std::strerror(errno));
    pid_t pid = ::fork();
    if (pid < 0)
        return Error(CCBOX_SERVICE_UNAVAILABLE, std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        ::dup2(err_pipe[1], 2);
        std::vector<char*> args;
        for (auto& a : argv)
            args.push_back(a.data());
        args.push_back(nullptr);
        ::execv(exe.c_str(), args.data());
        std::fprintf(stderr, "cannot run %s: %s", exe.c_str(), std::strerror(errno));
        ::_exit(127);
    }
    ::close(err_pipe[1]);
    std::string messages;
    char buf[512];
    for (ssize_t n; (n = ::read(err_pipe[0], buf, sizeof buf)) > 0;)
        messages.append(buf, static_cast<size_t>(n));
    ::close(err_pipe[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    // Another host may have started the same platform at the same moment: that is fine.
    if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == kExitPlatformAlreadyRunning)) {
        debug_log(WEXITSTATUS(status) == 0 ? "started the platform " + exe
                                           : "a platform was already running on " + paths.socket);
        return ok_result();
    }
    while (!messages.empty() && messages.back() == '\n')
        messages.pop_back();
    return Error(CCBOX_SERVICE_UNAVAILABLE, "cannot start the platform (" + exe + "): " +
                                                (messages.empty() ? "it exited early" : messages));
}

Result<int> connect_platform(const PlatformPaths& paths, bool start_if_missing,
                             const std::vector<std::string>& start_arguments) {
    int error = 0;
    auto fd = try_connect(paths.socket, &error);
    if (fd.ok() || !start_if_missing || (error != ENOENT && error != ECONNREFUSED))
        return fd;
    // Start it, and start it again while it does not answer: a platform that still held the
    // state directory when this one started ("already running") may have been on its way out.
    for (int attempt = 0; attempt < 250; ++attempt) {
        if (attempt % 50 == 0)
            CCBOX_TRY(start_platform(paths, start_arguments));
        fd = try_connect(paths.socket, &error);
        if (fd.ok() || (error != ENOENT && error != ECONNREFUSED))
            return fd;
        ::usleep(20000);
    }
    return fd;
}

Result<protocol::Message> platform_request(int fd, protocol::Type type, std::span<const uint8_t> payload) {
    CCBOX_TRY(protocol::send_message(fd, type, payload));
    CCBOX_ASSIGN_OR_RETURN(protocol::Message reply, protocol::receive_message(fd));
    if (reply.type == protocol::Type::kError) {
        reply.close_fds();
        return protocol::error_from(reply);
    }
    return reply;
}

}  // namespace ccbox::host
