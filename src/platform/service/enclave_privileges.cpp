#include "platform/service/enclave_privileges.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ccbox {
namespace {

void note(const std::string& what) { std::fprintf(stderr, "enclave process %d: %s\n", ::getpid(), what.c_str()); }

Error failed(const std::string& what) {
    return Error(CCBOX_PLATFORM_ERROR, "enclave process privileges: " + what + ": " + std::strerror(errno));
}

bool has_capability(int capability) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (::syscall(SYS_capget, &header, data) != 0)
        return false;
    return (data[capability / 32].effective >> (capability % 32)) & 1;
}

// Empties the bounding set, so that nothing can ever regain a capability (needs CAP_SETPCAP).
Result<void> drop_bounding_set() {
    if (!has_capability(CAP_SETPCAP))
        return ok_result();
    for (int cap = 0; cap <= CAP_LAST_CAP; ++cap)
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
            return failed("PR_CAPBSET_DROP");
    return ok_result();
}

// Empties the permitted, effective and inheritable sets; the ambient set goes with them.
Result<void> clear_capabilities() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (::syscall(SYS_capset, &header, data) != 0)
        return failed("capset");
    return ok_result();
}

// In a fresh mount namespace: nothing propagates back, and the state directory is covered by
// an empty, read-only tmpfs.
Result<void> hide_state_dir(const std::string& state_dir) {
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return failed("making the mounts private");
    if (!state_dir.empty() &&
        ::mount("ccbox-empty", state_dir.c_str(), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                "size=4k,mode=000") != 0)
        return failed("hiding " + state_dir);
    return ok_result();
}

Result<void> drop_as_privileged(const EnclaveCredentials& c, const std::string& state_dir) {
    if (!has_capability(CAP_SYS_ADMIN))
        note("no CAP_SYS_ADMIN: no private mount, IPC and network namespaces");
    else if (::unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET) != 0)
        note(std::string("no private mount, IPC and network namespaces (unshare: ") + std::strerror(errno) + ")");
    else if (auto hidden = hide_state_dir(state_dir); !hidden.ok())
        note(hidden.error().message() + ": the state directory stays visible (its permissions still refuse the "
             "enclave's uid)");
    CCBOX_TRY(drop_bounding_set());
    if (::setgroups(0, nullptr) != 0)
        return failed("setgroups");
    if (::setresgid(c.gid, c.gid, c.gid) != 0)
        return failed("setresgid");
    if (::setresuid(c.uid, c.uid, c.uid) != 0)
        return failed("setresuid");
    uid_t r, e, s;
    gid_t gr, ge, gs;
    if (::getresuid(&r, &e, &s) != 0 || r != c.uid || e != c.uid || s != c.uid || ::getresgid(&gr, &ge, &gs) != 0 ||
        gr != c.gid || ge != c.gid || gs != c.gid)
        return Error(CCBOX_PLATFORM_ERROR, "enclave process privileges: the uid and gid did not change");
    // From root to a non-zero uid the kernel clears the permitted and effective sets; from the
    // ambient capabilities of a system account it does too, unless SECBIT_KEEP_CAPS: make sure.
    return clear_capabilities();
}

// A platform of an ordinary user: its enclave processes are non-dumpable from their execve (an
// image they may not read), which also closes /proc/self/uid_map to them, so no user namespace
// can be set up; they keep the platform's uid and the lockdown alone confines them. Hiding the
// state directory would protect nothing here: that user can read it anyway.
Result<void> drop_as_unprivileged() { return ok_result(); }

}  // namespace

Result<void> drop_enclave_privileges(const EnclaveCredentials& credentials, const std::string& state_dir) {
    // Another uid only when the platform can still kill the process afterwards (CAP_KILL).
    if (has_capability(CAP_SETUID) && has_capability(CAP_SETGID) && has_capability(CAP_KILL))
        return drop_as_privileged(credentials, state_dir);
    return drop_as_unprivileged();
}

}  // namespace ccbox
