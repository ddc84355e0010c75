// The enclave process of the isolated backend (see enclave_process.cpp).
// Trust domain: platform.
#pragma once

#include <sys/types.h>

namespace ccbox {

// Runs as `ccboxd --enclave-process PLATFORM_PID` with the control socket on descriptor 3.
// Returns only on failure before the enclave runs.
int run_enclave_process(pid_t platform_pid);

}  // namespace ccbox
