// The enclave process of the isolated backend (see enclave_process.cpp).
// Trust domain: platform.
#pragma once

#include "platform/service/enclave_privileges.hpp"

#include <string>
#include <sys/types.h>

namespace ccbox {

// `ccboxd --enclave-process PLATFORM_PID UID GID STATE_DIR`, the control socket on descriptor 3.
struct EnclaveProcessArguments {
    pid_t platform_pid = 0;
    EnclaveCredentials credentials;  // the ids to drop to, when the process may change ids
    std::string state_dir;           // hidden from the process where a mount namespace allows
};

// Returns only on failure before the enclave runs.
int run_enclave_process(const EnclaveProcessArguments& arguments);

}  // namespace ccbox
