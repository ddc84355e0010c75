// ccboxd: the ccbox platform service (docs/isolation.md).
//   ccboxd [--state-dir DIR] [--socket PATH] [--sku NAME | --epc SIZE] [--daemon] [--socket-mode 0600|0660]
// With --daemon it detaches, logs to DIR/platform.log, and its first process exits once the
// socket accepts connections (0) or the platform failed to start (1, reason on stderr; 3 when
// another platform already runs with the state directory).
#include "platform/service/enclave_process.hpp"
#include "platform/service/server.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

int fail(const ccbox::Error& error) {
    std::fprintf(stderr, "ccboxd: %s\n", error.message().c_str());
    return 1;
}

// Production when the uid that runs the platform is not one its clients run as: root (trusted by
// the model), or the system account dedicated to the platform (`ccbox platform install`). Any
// other user's platform has secrets that user can read: development.
ccbox::PlatformMode mode_of_this_process(const std::string& platform_user, bool force_development) {
    if (force_development)
        return ccbox::PlatformMode::kDevelopment;
    const uid_t uid = ::geteuid();
    if (uid == 0)
        return ccbox::PlatformMode::kProduction;
    const passwd* account = ::getpwuid(uid);
    constexpr uid_t kSystemUidMax = 999;  // Debian's SYS_UID_MAX
    if (account && platform_user == account->pw_name && uid <= kSystemUidMax)
        return ccbox::PlatformMode::kProduction;
    return ccbox::PlatformMode::kDevelopment;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 6 && std::string(argv[1]) == "--enclave-process") {
        ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);  // the kernel already made it so (an unreadable image)
        ccbox::EnclaveProcessArguments arguments;
        arguments.platform_pid = static_cast<pid_t>(std::atol(argv[2]));
        arguments.credentials = {static_cast<uint32_t>(std::strtoul(argv[3], nullptr, 10)),
                                 static_cast<uint32_t>(std::strtoul(argv[4], nullptr, 10))};
        arguments.state_dir = argv[5];
        return ccbox::run_enclave_process(arguments);
    }
    // The platform holds the root secrets: nothing of the same uid may trace it or read its
    // memory, and it leaves no core dump.
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

    CLI::App app{"ccboxd: the ccbox platform service"};
    std::string state_dir, socket, sku_name, epc, socket_mode = "0600", platform_user = "ccbox";
    std::string commit_limit;
    bool daemon = false, development = false, paging_test_hook = false;
    app.add_option("--state-dir", state_dir, "state directory (secrets, SKU, socket)");
    app.add_option("--socket", socket, "Unix socket path (default: STATE_DIR/platform.sock)");
    auto* sku_option = app.add_option("--sku", sku_name, "SKU profile, e.g. DC1s_v2, DC4s_v3");
    app.add_option("--epc", epc, "custom EPC size, e.g. 64MiB")->excludes(sku_option);
    app.add_flag("--daemon", daemon, "detach and log to STATE_DIR/platform.log");
    app.add_option("--socket-mode", socket_mode,
                   "0600 (default: only this user may connect) or 0660 (this group too, for a system service)");
    app.add_option("--platform-user", platform_user,
                   "the system account dedicated to the platform (default ccbox): running as it is production");
    app.add_option("--commit-limit", commit_limit,
                   "hard limit on committed enclave memory, e.g. 1GiB (default: 8 times the EPC); past it, "
                   "creation fails with CCBOX_OUT_OF_EPC");
    app.add_flag("--paging-test-hook", paging_test_hook,
                 "give hosts their enclaves' encrypted backing memory, for tests (development platforms only)");
    app.add_flag("--development", development, "run as a development platform even as root or the platform user");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }

    if (socket_mode != "0600" && socket_mode != "0660") {
        std::fprintf(stderr, "ccboxd: --socket-mode: '%s' is not allowed (use 0600 or 0660)\n", socket_mode.c_str());
        return 2;
    }

    const ccbox::PlatformPaths paths = ccbox::platform_paths_chosen(state_dir, socket);
    if (auto prepared = ccbox::prepare_state_dir(paths.state_dir); !prepared.ok())
        return fail(prepared.error());
    auto lock = ccbox::lock_state_dir(paths.state_dir);
    if (!lock.ok()) {
        fail(lock.error());
        return lock.error().code() == CCBOX_ALREADY_EXISTS ? ccbox::kExitPlatformAlreadyRunning : 1;
    }
    auto secrets = ccbox::load_or_create_secrets(paths.state_dir);
    if (!secrets.ok())
        return fail(secrets.error());
    // The mode is attested: every report and key carries it in CPUSVN's isolation SVN.
    const ccbox::PlatformMode mode = mode_of_this_process(platform_user, development);
    secrets->cpusvn = ccbox::cpusvn_for_mode(secrets->cpusvn, mode);
    auto stored = ccbox::load_sku(paths.state_dir, ccbox::default_sku());
    if (!stored.ok())
        return fail(stored.error());
    ccbox::SkuProfile sku = *stored;
    if (!sku_name.empty() || !epc.empty()) {
        auto chosen = sku_name.empty() ? ccbox::sku_with_epc(epc) : ccbox::sku_by_name(sku_name);
        if (!chosen.ok())
            return fail(chosen.error());
        sku = *chosen;
        if (auto saved = ccbox::store_sku(paths.state_dir, sku); !saved.ok())
            return fail(saved.error());
    }

    uint64_t commit_limit_bytes = 0;
    if (!commit_limit.empty()) {
        auto limit = ccbox::sku_with_epc(commit_limit);  // the same size syntax
        if (!limit.ok()) {
            std::fprintf(stderr, "ccboxd: --commit-limit: '%s' is not a size between 1 MiB and 1 TiB\n",
                         commit_limit.c_str());
            return 2;
        }
        commit_limit_bytes = limit->epc_bytes;
    }
    if (paging_test_hook && mode != ccbox::PlatformMode::kDevelopment) {
        std::fprintf(stderr, "ccboxd: --paging-test-hook is honoured only by a development platform (it hands "
                             "out enclaves' evicted pages)\n");
        return 2;
    }

    int ready_pipe[2] = {-1, -1};
    if (daemon) {
        if (::pipe2(ready_pipe, O_CLOEXEC) != 0)
            return 1;
        pid_t child = ::fork();
        if (child < 0)
            return 1;
        if (child > 0) {
            // The first process reports whether the platform came up, then leaves.
            ::close(ready_pipe[1]);
            char ok = 0;
            ssize_t n = ::read(ready_pipe[0], &ok, 1);
            return n == 1 && ok == 1 ? 0 : 1;
        }
        ::close(ready_pipe[0]);
        ::setsid();
        std::string log = paths.state_dir + "/platform.log";
        int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        ::dup2(null_fd, 0);
        if (log_fd >= 0) {
            ::dup2(log_fd, 1);
            ::dup2(log_fd, 2);
        }
    }

    ccbox::ServerOptions options;
    options.paths = paths;
    options.sku = sku;
    options.socket_mode = socket_mode == "0660" ? 0660 : 0600;
    options.mode = mode;
    options.commit_limit_bytes = commit_limit_bytes;
    options.paging_test_hook = paging_test_hook;
    // Platforms started for tests ask to go away by themselves once unused.
    if (const char* idle = std::getenv("CCBOX_PLATFORM_IDLE_EXIT"))
        options.idle_exit_seconds = std::atoi(idle);
    options.on_ready = [&] {
        if (ready_pipe[1] >= 0) {
            char ok = 1;
            (void)!::write(ready_pipe[1], &ok, 1);
            ::close(ready_pipe[1]);
            ready_pipe[1] = -1;
        }
    };
    auto served = ccbox::run_platform(options, std::move(secrets).value());
    if (!served.ok())
        return fail(served.error());
    return 0;
}
