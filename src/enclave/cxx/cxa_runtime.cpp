// The parts of the C++ ABI runtime that Debian's libsupc++/libgcc_eh expect from the C
// library or that must not use native TLS inside an enclave. Trust domain: enclave.
//   - static-local guards (__cxa_guard_*): spin, since enclaves cannot futex;
//   - per-thread exception globals (__cxa_get_globals*): kept in the TCS's thread state;
//   - _dl_find_object: tells the unwinder where the image's unwind tables are.
#include "enclave/core/enclave_state.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <string.h>

extern "C" {
extern const char __ehdr_start[] __attribute__((visibility("hidden")));
// glibc's marker that the process has one thread; enclaves always may have several.
char __libc_single_threaded = 0;
}

namespace {

// Guard object (Itanium C++ ABI): byte 0 set = initialised; byte 1 = initialisation in progress.
bool guard_done(const uint64_t* guard) {
    return __atomic_load_n(reinterpret_cast<const uint8_t*>(guard), __ATOMIC_ACQUIRE) != 0;
}

struct EhGlobals {
    void* caught_exceptions;
    unsigned int uncaught_exceptions;
};
static_assert(offsetof(ccbox::enclave::ThreadState, eh_uncaught_exceptions) ==
              offsetof(ccbox::enclave::ThreadState, eh_caught_exceptions) + offsetof(EhGlobals, uncaught_exceptions));

}  // namespace

extern "C" int __cxa_guard_acquire(uint64_t* guard) {
    if (guard_done(guard))
        return 0;
    auto* busy = reinterpret_cast<uint8_t*>(guard) + 1;
    for (;;) {
        if (guard_done(guard))
            return 0;
        if (__atomic_exchange_n(busy, 1, __ATOMIC_ACQUIRE) == 0) {
            if (guard_done(guard)) {
                __atomic_store_n(busy, 0, __ATOMIC_RELEASE);
                return 0;
            }
            return 1;
        }
        __builtin_ia32_pause();
    }
}

extern "C" void __cxa_guard_release(uint64_t* guard) {
    __atomic_store_n(reinterpret_cast<uint8_t*>(guard), 1, __ATOMIC_RELEASE);
    __atomic_store_n(reinterpret_cast<uint8_t*>(guard) + 1, 0, __ATOMIC_RELEASE);
}

extern "C" void __cxa_guard_abort(uint64_t* guard) {
    __atomic_store_n(reinterpret_cast<uint8_t*>(guard) + 1, 0, __ATOMIC_RELEASE);
}

extern "C" void* __cxa_get_globals_fast() noexcept {
    return &ccbox::enclave::current_thread_state()->eh_caught_exceptions;
}

extern "C" void* __cxa_get_globals() noexcept { return __cxa_get_globals_fast(); }

extern "C" int _dl_find_object(void* pc, struct dl_find_object* result) {
    const auto base = reinterpret_cast<uintptr_t>(__ehdr_start);
    const auto* eh = reinterpret_cast<const Elf64_Ehdr*>(base);
    const auto* ph = reinterpret_cast<const Elf64_Phdr*>(base + eh->e_phoff);
    const uintptr_t end = base + ccbox::enclave::g_enclave.layout.image_size;
    const auto address = reinterpret_cast<uintptr_t>(pc);
    if (address < base || address >= end)
        return -1;
    memset(result, 0, sizeof *result);
    result->dlfo_map_start = reinterpret_cast<void*>(base);
    result->dlfo_map_end = reinterpret_cast<void*>(end);
    for (int i = 0; i < eh->e_phnum; ++i)
        if (ph[i].p_type == PT_GNU_EH_FRAME)
            result->dlfo_eh_frame = reinterpret_cast<void*>(base + ph[i].p_vaddr);
    return 0;
}

extern "C" int dl_iterate_phdr(int (*callback)(struct dl_phdr_info*, size_t, void*), void* data) {
    const auto base = reinterpret_cast<uintptr_t>(__ehdr_start);
    const auto* eh = reinterpret_cast<const Elf64_Ehdr*>(base);
    struct dl_phdr_info info;
    memset(&info, 0, sizeof info);
    info.dlpi_addr = base;
    info.dlpi_name = "";
    info.dlpi_phdr = reinterpret_cast<const Elf64_Phdr*>(base + eh->e_phoff);
    info.dlpi_phnum = eh->e_phnum;
    info.dlpi_adds = 1;
    return callback(&info, sizeof info, data);
}
