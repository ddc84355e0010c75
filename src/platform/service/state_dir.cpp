#include "platform/service/state_dir.hpp"

#include "support/file_io.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ccbox {
namespace {

Error state_error(const std::string& path, const std::string& what) {
    return Error(CCBOX_PLATFORM_ERROR, path + ": " + what);
}

Result<void> check_private(const std::string& path, mode_t allowed) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        return state_error(path, std::string("cannot stat: ") + std::strerror(errno));
    if (st.st_uid != ::geteuid())
        return state_error(path, "is owned by uid " + std::to_string(st.st_uid) + ", not by the platform's user " +
                                     std::to_string(::geteuid()));
    if ((st.st_mode & 0777) & ~allowed) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%03o", st.st_mode & 0777);
        return state_error(path, std::string("has permissions ") + mode + "; the platform requires at most " +
                                     (allowed == 0700 ? "0700" : "0600"));
    }
    return ok_result();
}

std::string env_or(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value && *value ? value : fallback;
}

}  // namespace

PlatformPaths platform_paths_for(const std::string& state_dir, const std::string& socket) {
    return {state_dir, socket.empty() ? state_dir + "/platform.sock" : socket};
}

PlatformPaths platform_paths_chosen(const std::string& state_dir, const std::string& socket) {
    if (!state_dir.empty())
        return platform_paths_for(state_dir, socket);
    PlatformPaths paths = default_platform_paths();
    if (!socket.empty())
        paths.socket = socket;
    return paths;
}

PlatformPaths client_platform_paths() {
    struct stat st {};
    const bool chosen = std::getenv("CCBOX_STATE_DIR") || std::getenv("CCBOX_PLATFORM_SOCKET");
    if (!chosen && ::stat(kSystemSocket, &st) == 0 && S_ISSOCK(st.st_mode) && ::access(kSystemSocket, R_OK | W_OK) == 0)
        return {kSystemStateDir, kSystemSocket, true};
    return default_platform_paths();
}

PlatformPaths client_paths_chosen(const std::string& state_dir, const std::string& socket) {
    return state_dir.empty() && socket.empty() ? client_platform_paths() : platform_paths_chosen(state_dir, socket);
}

PlatformPaths default_platform_paths() {
    std::string dir;
    if (const char* env = std::getenv("CCBOX_STATE_DIR"); env && *env)
        dir = env;
    else if (::geteuid() == 0)
        dir = "/var/lib/ccbox";
    else if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg)
        dir = std::string(xdg) + "/ccbox";
    else
        dir = env_or("HOME", "/tmp") + "/.local/state/ccbox";
    return platform_paths_for(dir, env_or("CCBOX_PLATFORM_SOCKET", ""));
}

Result<void> prepare_state_dir(const std::string& dir) {
    // Create missing parents with the usual mode, the directory itself private.
    for (size_t pos = 1; (pos = dir.find('/', pos)) != std::string::npos; ++pos)
        ::mkdir(dir.substr(0, pos).c_str(), 0755);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        return state_error(dir, std::string("cannot create: ") + std::strerror(errno));
    return check_private(dir, 0700);
}

Result<PlatformSecrets> load_or_create_secrets(const std::string& dir) {
    const std::string path = dir + "/secrets";
    if (::access(path.c_str(), F_OK) != 0) {
        CCBOX_ASSIGN_OR_RETURN(PlatformSecrets fresh, generate_platform_secrets());
        SecretBytes bytes = fresh.serialize();
        // Link, not rename: two platforms racing to create secrets keep the first one.
        std::string tmp = path + ".new." + std::to_string(::getpid());
        CCBOX_TRY(write_file_atomic(tmp, bytes.span(), 0600));
        if (::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
            ::unlink(tmp.c_str());
            return state_error(path, std::string("cannot create: ") + std::strerror(errno));
        }
        ::unlink(tmp.c_str());
    }
    CCBOX_TRY(check_private(path, 0600));
    CCBOX_ASSIGN_OR_RETURN(Bytes bytes, read_file(path, 4096));
    auto secrets = parse_platform_secrets(bytes, path);
    std::fill(bytes.begin(), bytes.end(), 0);
    return secrets;
}

Result<SkuProfile> load_sku(const std::string& dir, const SkuProfile& fallback) {
    const std::string path = dir + "/sku.json";
    if (::access(path.c_str(), F_OK) != 0)
        return fallback;
    CCBOX_ASSIGN_OR_RETURN(Bytes bytes, read_file(path, 4096));
    auto j = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (j.is_discarded() || !j.contains("sku") || !j["sku"].is_string() || !j.contains("epc_bytes") ||
        !j["epc_bytes"].is_number_unsigned())
        return state_error(path, "is not a SKU description ({\"sku\": NAME, \"epc_bytes\": N})");
    return SkuProfile{j["sku"].get<std::string>(), j["epc_bytes"].get<uint64_t>()};
}

Result<void> store_sku(const std::string& dir, const SkuProfile& sku) {
    std::string text = nlohmann::json{{"sku", sku.name}, {"epc_bytes", sku.epc_bytes}}.dump() + "\n";
    return write_file_atomic(dir + "/sku.json", std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                             0600);
}

Result<int> lock_state_dir(const std::string& dir) {
    const std::string path = dir + "/lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return state_error(path, std::string("cannot open: ") + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return Error(CCBOX_ALREADY_EXISTS, "a platform is already running with state directory " + dir);
    }
    return fd;
}

}  // namespace ccbox
