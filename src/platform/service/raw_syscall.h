// System calls without glibc, for threads whose FS register points at an enclave's TD page
// (glibc keeps errno and its thread state behind FS) and for code that runs under the
// enclave process's seccomp filter. Trust domain: platform.
#pragma once

#include <cstdint>
#include <linux/futex.h>
#include <sys/syscall.h>

namespace ccbox::raw {

inline long syscall6(long number, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0, long a6 = 0) {
    long ret;
    register long r10 asm("r10") = a4;
    register long r8 asm("r8") = a5;
    register long r9 asm("r9") = a6;
    asm volatile("syscall"
                 : "=a"(ret)
                 : "0"(number), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                 : "rcx", "r11", "memory");
    return ret;
}

inline long futex_wait(const void* word, uint32_t expected) {
    return syscall6(SYS_futex, reinterpret_cast<long>(word), FUTEX_WAIT, expected, 0);
}
inline long futex_wake(const void* word, int count) {
    return syscall6(SYS_futex, reinterpret_cast<long>(word), FUTEX_WAKE, count);
}
inline long read(int fd, void* buffer, uint64_t size) {
    return syscall6(SYS_read, fd, reinterpret_cast<long>(buffer), static_cast<long>(size));
}
inline long write(int fd, const void* buffer, uint64_t size) {
    return syscall6(SYS_write, fd, reinterpret_cast<long>(buffer), static_cast<long>(size));
}
inline long set_fs(uintptr_t base) { return syscall6(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, static_cast<long>(base)); }

// Reads or writes exactly `size` bytes; false on error or end of file.
inline bool read_all(int fd, void* buffer, uint64_t size) {
    auto* p = static_cast<uint8_t*>(buffer);
    while (size > 0) {
        long n = read(fd, p, size);
        if (n == -4 /* EINTR */)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= static_cast<uint64_t>(n);
    }
    return true;
}
inline bool write_all(int fd, const void* buffer, uint64_t size) {
    const auto* p = static_cast<const uint8_t*>(buffer);
    while (size > 0) {
        long n = write(fd, p, size);
        if (n == -4 /* EINTR */)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= static_cast<uint64_t>(n);
    }
    return true;
}

}  // namespace ccbox::raw
