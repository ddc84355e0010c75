// The least privilege of an enclave process (docs/isolation.md, "Least privilege"). It runs
// first thing in the enclave process, before the process holds anything of the enclave.
// Trust domain: platform.
#pragma once

#include "support/result.hpp"

#include <string>
#include <sys/types.h>

namespace ccbox {

// The uid and gid of enclave processes are drawn from this range, one per live enclave: ids no
// account uses, which own no file and no other process (docs/isolation.md).
inline constexpr uint32_t kEnclaveIdBase = 0x7ffe0000;  // 2147352576
inline constexpr uint32_t kEnclaveIdCount = 65536;

struct EnclaveCredentials {
    uint32_t uid = 0;
    uint32_t gid = 0;
};

// With CAP_SETUID, CAP_SETGID and CAP_KILL (a root platform, or the system unit's ambient
// capabilities; without CAP_KILL the platform could not end a process of another uid):
// private mount, IPC and network namespaces (with CAP_SYS_ADMIN, where the kernel allows), the
// state directory hidden under an empty tmpfs, an empty capability bounding set (with
// CAP_SETPCAP), no supplementary groups, and real, effective and saved uid and gid set to
// `credentials`, which leaves no capability at all. Without them (the platform of an ordinary
// user, a development platform) nothing changes: the process keeps that user's uid, and is
// non-dumpable from its execve on because it runs an image it may not read. Each fallback is
// logged to stderr (the platform's log). Fails only when a step that was possible fails.
Result<void> drop_enclave_privileges(const EnclaveCredentials& credentials, const std::string& state_dir);

}  // namespace ccbox
