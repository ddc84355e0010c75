// The baselines of the call benchmarks: two processes bounce a token through a shared page,
// waiting on futexes (`sleep`) or spinning. Used by call_bench and switchless_bench.
#pragma once

#include <benchmark/benchmark.h>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <linux/futex.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ccbox::bench {

inline long futex(std::atomic<uint32_t>* word, int op, uint32_t value) {
    return ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, value, nullptr, nullptr, 0);
}

// Two CPUs of this process's affinity mask, for the spinning ping-pong: spinning peers that the
// scheduler leaves on one CPU take turns a time slice at a time (milliseconds per round trip on a
// loaded machine), which measures the scheduler, not shared memory. -1: fewer than two CPUs.
inline void two_cpus(int* a, int* b) {
    *a = *b = -1;
    cpu_set_t set;
    if (::sched_getaffinity(0, sizeof set, &set) != 0)
        return;
    for (int c = 0; c < CPU_SETSIZE && *b < 0; ++c)
        if (CPU_ISSET(c, &set))
            (*a < 0 ? *a : *b) = c;
}

inline void pin_to(int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    ::sched_setaffinity(0, sizeof one, &one);
}

// Two processes bounce a token through a shared page: `sleep` waits on futexes, otherwise spins
// (each on a CPU of its own).
inline void ping_pong(benchmark::State& state, bool sleep) {
    cpu_set_t saved;
    ::sched_getaffinity(0, sizeof saved, &saved);
    int cpu_a = -1, cpu_b = -1;
    if (!sleep)
        two_cpus(&cpu_a, &cpu_b);
    auto* word = static_cast<std::atomic<uint32_t>*>(
        ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    word->store(0);
    pid_t child = ::fork();
    if (child == 0) {
        if (cpu_b >= 0)
            pin_to(cpu_b);
        for (uint32_t expect = 1;; expect += 2) {
            while (word->load(std::memory_order_acquire) != expect) {
                if (sleep)
                    futex(word, FUTEX_WAIT, expect - 1);
                else
                    __builtin_ia32_pause();
            }
            word->store(expect + 1, std::memory_order_release);
            if (sleep)
                futex(word, FUTEX_WAKE, 1);
            if (expect > 0x7ffffff0)
                ::_exit(0);
        }
    }
    if (cpu_a >= 0)
        pin_to(cpu_a);
    uint32_t value = 0;
    for (auto _ : state) {
        word->store(++value, std::memory_order_release);
        if (sleep)
            futex(word, FUTEX_WAKE, 1);
        ++value;
        while (word->load(std::memory_order_acquire) != value) {
            if (sleep)
                futex(word, FUTEX_WAIT, value - 1);
            else
                __builtin_ia32_pause();
        }
    }
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    ::sched_setaffinity(0, sizeof saved, &saved);
    ::munmap(word, 4096);
}

}  // namespace ccbox::bench
