// Catching faults of sim-backend enclaves. The enclave runs on the host's thread; a fault
// (SIGSEGV, SIGBUS, SIGILL, SIGFPE) while the thread is inside an enclave jumps back to the
// ECALL that entered it, which reports CCBOX_ENCLAVE_ABORTED; every other fault goes to the
// handler that was installed before (or the default action). Trust domain: host.
#pragma once

#include <csetjmp>
#include <cstdint>

namespace ccbox::host::sim {

struct EnterFrame {
    sigjmp_buf jump;
    EnterFrame* outer = nullptr;
    volatile bool in_enclave = false;
    volatile bool fs_switched = false;
    uintptr_t host_fs = 0;
    uintptr_t td = 0;
    volatile int signal = 0;
};

// Installs the process-wide handlers (once) and this thread's alternate signal stack (once
// per thread), so that even a stack overflow into a guard page is caught.
void prepare_thread_for_enclave_calls();

// The innermost frame of the calling thread.
EnterFrame*& current_frame();

// For enclaves with native TLS, FS points at the enclave's TD while it runs. These switch
// FS and register the frame so that the handler can restore the host's FS before anything
// touches glibc's thread-local data.
void switch_fs_to_enclave(EnterFrame& frame, uintptr_t td);
void switch_fs_to_host(EnterFrame& frame);

// For the sim platform's leaf functions, which enclave code calls directly: while one is
// alive, FS is the host's again (glibc and OpenSSL may run), then the enclave's.
class HostFsScope {
public:
    HostFsScope();
    ~HostFsScope();
    HostFsScope(const HostFsScope&) = delete;
    HostFsScope& operator=(const HostFsScope&) = delete;

private:
    uintptr_t enclave_fs_ = 0;
};

}  // namespace ccbox::host::sim
