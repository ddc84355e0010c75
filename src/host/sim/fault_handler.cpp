#include "host/sim/fault_handler.hpp"

#include <asm/prctl.h>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sys/syscall.h>
#include <unistd.h>

namespace ccbox::host::sim {
namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
struct sigaction g_previous[sizeof kSignals / sizeof kSignals[0]];

// TD address -> frame, for the threads that run a TLS enclave with FS switched.
struct FsEntry {
    std::atomic<uintptr_t> td{0};
    std::atomic<EnterFrame*> frame{nullptr};
};
constexpr size_t kFsEntries = 1024;
FsEntry g_fs_entries[kFsEntries];

// Raw arch_prctl: glibc's syscall() would touch errno, which lives behind FS.
__attribute__((no_stack_protector)) long raw_arch_prctl(long code, unsigned long address) {
    long ret;
    asm volatile("syscall" : "=a"(ret) : "0"(SYS_arch_prctl), "D"(code), "S"(address) : "rcx", "r11", "memory");
    return ret;
}

__attribute__((no_stack_protector)) uintptr_t read_fs() {
    unsigned long fs = 0;
    raw_arch_prctl(ARCH_GET_FS, reinterpret_cast<unsigned long>(&fs));
    return fs;
}

__attribute__((no_stack_protector)) EnterFrame* frame_for_fs(uintptr_t fs) {
    for (auto& entry : g_fs_entries)
        if (entry.td.load(std::memory_order_acquire) == fs)
            return entry.frame.load(std::memory_order_acquire);
    return nullptr;
}

void chain_to_previous(int sig, siginfo_t* info, void* context) {
    size_t i = 0;
    while (kSignals[i] != sig)
        ++i;
    const struct sigaction& prev = g_previous[i];
    if ((prev.sa_flags & SA_SIGINFO) && prev.sa_sigaction) {
        prev.sa_sigaction(sig, info, context);
    } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
        prev.sa_handler(sig);
    } else {
        // Default action: uninstall and let the faulting instruction run again.
        signal(sig, SIG_DFL);
    }
}

__attribute__((no_stack_protector)) void on_fault(int sig, siginfo_t* info, void* context) {
    EnterFrame* frame = frame_for_fs(read_fs());
    if (frame)
        raw_arch_prctl(ARCH_SET_FS, frame->host_fs);  // glibc's TLS is reachable again
    else
        frame = current_frame();
    if (frame && frame->in_enclave) {
        frame->signal = sig;
        frame->in_enclave = false;
        siglongjmp(frame->jump, 1);
    }
    chain_to_previous(sig, info, context);
}

void install_handlers() {
    struct sigaction action {};
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; ++i)
        sigaction(kSignals[i], &action, &g_previous[i]);
}

struct AlternateStack {
    void* memory = nullptr;
    size_t size = 0;
    AlternateStack() {
        size = 256 * 1024;
        memory = std::malloc(size);
        stack_t ss{};
        ss.ss_sp = memory;
        ss.ss_size = size;
        stack_t old{};
        if (!memory || sigaltstack(nullptr, &old) != 0 || (old.ss_flags & SS_DISABLE) == 0) {
            // The application already gave this thread an alternate stack; keep it.
            std::free(memory);
            memory = nullptr;
            return;
        }
        sigaltstack(&ss, nullptr);
    }
    ~AlternateStack() {
        if (!memory)
            return;
        stack_t ss{};
        ss.ss_flags = SS_DISABLE;
        sigaltstack(&ss, nullptr);
        std::free(memory);
    }
};

}  // namespace

EnterFrame*& current_frame() {
    thread_local EnterFrame* frame = nullptr;
    return frame;
}

void prepare_thread_for_enclave_calls() {
    static std::once_flag once;
    std::call_once(once, install_handlers);
    thread_local AlternateStack stack;
    (void)stack;
}

void switch_fs_to_enclave(EnterFrame& frame, uintptr_t td) {
    frame.host_fs = read_fs();
    frame.td = td;
    for (auto& entry : g_fs_entries) {
        uintptr_t expected = 0;
        if (entry.td.compare_exchange_strong(expected, td, std::memory_order_acq_rel)) {
            entry.frame.store(&frame, std::memory_order_release);
            break;
        }
    }
    frame.fs_switched = true;
    raw_arch_prctl(ARCH_SET_FS, td);
}

void switch_fs_to_host(EnterFrame& frame) {
    if (!frame.fs_switched)
        return;
    if (read_fs() != frame.host_fs)
        raw_arch_prctl(ARCH_SET_FS, frame.host_fs);
    for (auto& entry : g_fs_entries)
        if (entry.td.load(std::memory_order_acquire) == frame.td &&
            entry.frame.load(std::memory_order_acquire) == &frame) {
            entry.frame.store(nullptr, std::memory_order_release);
            entry.td.store(0, std::memory_order_release);
            break;
        }
    frame.fs_switched = false;
}

HostFsScope::HostFsScope() {
    const uintptr_t fs = read_fs();
    if (EnterFrame* frame = frame_for_fs(fs)) {
        enclave_fs_ = fs;
        raw_arch_prctl(ARCH_SET_FS, frame->host_fs);
    }
}

HostFsScope::~HostFsScope() {
    if (enclave_fs_)
        raw_arch_prctl(ARCH_SET_FS, enclave_fs_);
}

}  // namespace ccbox::host::sim
