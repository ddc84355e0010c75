#include "host/sim/fault_handler.hpp"

#include <asm/prctl.h>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sys/auxv.h>
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

// Whether the kernel lets user code read and write the FS base itself (RDFSBASE/WRFSBASE,
// Linux 5.9+ on CPUs with FSGSBASE). Without it, each switch is an arch_prctl system call,
// which costs 0.1 µs on bare metal and several µs in some VMs (docs/performance.md).
const bool g_fsgsbase = (getauxval(AT_HWCAP2) & (1u << 1) /* HWCAP2_FSGSBASE */) != 0;

// The FS base as the kernel knows it (also right after enclave code changed what FS points to).
__attribute__((no_stack_protector)) uintptr_t read_fs() {
    unsigned long fs = 0;
    if (g_fsgsbase)
        asm volatile("rdfsbase %0" : "=r"(fs));
    else
        raw_arch_prctl(ARCH_GET_FS, reinterpret_cast<unsigned long>(&fs));
    return fs;
}

// The FS base from the thread's own TCB: the x86-64 TLS ABI keeps a pointer to the TCB at
// %fs:0 (glibc's threads, and the enclave's thread data, whose prefix follows the ABI).
__attribute__((no_stack_protector)) uintptr_t fs_self_pointer() {
    uintptr_t fs;
    asm volatile("mov %%fs:0, %0" : "=r"(fs));
    return fs;
}

__attribute__((no_stack_protector)) void write_fs(uintptr_t fs) {
    if (g_fsgsbase)
        asm volatile("wrfsbase %0" : : "r"(fs) : "memory");
    else
        raw_arch_prctl(ARCH_SET_FS, fs);
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
        write_fs(frame->host_fs);  // glibc's TLS is reachable again
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
    frame.host_fs = fs_self_pointer();  // a host thread: glibc's TCB
    frame.td = td;
    for (auto& entry : g_fs_entries) {
        uintptr_t expected = 0;
        if (entry.td.compare_exchange_strong(expected, td, std::memory_order_acq_rel)) {
            entry.frame.store(&frame, std::memory_order_release);
            break;
        }
    }
    frame.fs_switched = true;
    write_fs(td);
}

void switch_fs_to_host(EnterFrame& frame) {
    if (!frame.fs_switched)
        return;
    write_fs(frame.host_fs);
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
    // The enclave's thread data normally holds its own address at %fs:0; if enclave code
    // overwrote it, ask the kernel.
    uintptr_t fs = fs_self_pointer();
    EnterFrame* frame = frame_for_fs(fs);
    if (!frame) {
        fs = read_fs();
        frame = frame_for_fs(fs);
    }
    if (frame) {
        enclave_fs_ = fs;
        write_fs(frame->host_fs);
    }
}

HostFsScope::~HostFsScope() {
    if (enclave_fs_)
        write_fs(enclave_fs_);
}

}  // namespace ccbox::host::sim
