/* The secrets of setjmp/longjmp's pointer mangling (setjmp.S). Trust domain: enclave (libc).
 * guard[0] mangles the saved rbp, rsp and return address (glibc's pointer guard); guard[1]
 * keys the jmp_buf's check word. Both come from RDRAND, inside the enclave, when the enclave
 * runs its constructors (CCBOX_ECALL_INIT) or at the first setjmp if that comes earlier, so
 * the host can neither choose nor predict them. guard[0] is never 0: 0 means "not drawn". */
#include "libc_export.h"

#include <stdint.h>
#include <stdlib.h>

#ifdef CCBOX_ENCLAVE_LIBC
#include "enclave/core/runtime_c.h"
#else
#include <sys/random.h>
#endif

__attribute__((visibility("hidden"))) uint64_t ccbox_libc_jmp_guard[2];

static int draw(uint64_t out[2]) {
#ifdef CCBOX_ENCLAVE_LIBC
    return ccbox_rt_random(out, 2 * sizeof out[0]);
#else
    return getrandom(out, 2 * sizeof out[0], 0) == (ssize_t)(2 * sizeof out[0]) ? 0 : -1;
#endif
}

__attribute__((visibility("hidden"))) void ccbox_libc__jmp_guard_init(void) {
    static int lock;
    uint64_t fresh[2];
    if (__atomic_load_n(&ccbox_libc_jmp_guard[0], __ATOMIC_ACQUIRE) != 0) return;
    while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE)) __builtin_ia32_pause();
    if (ccbox_libc_jmp_guard[0] == 0) {
        if (draw(fresh) != 0) abort(); /* no randomness: refuse to run with a known guard */
        fresh[0] |= (uint64_t)1 << 63;
        ccbox_libc_jmp_guard[1] = fresh[1];
        __atomic_store_n(&ccbox_libc_jmp_guard[0], fresh[0], __ATOMIC_RELEASE);
    }
    __atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}

/* setjmp.S is linked into every enclave that uses setjmp, and with it this constructor. */
__attribute__((constructor(101))) static void draw_at_initialisation(void) { ccbox_libc__jmp_guard_init(); }

/* why: 1 the jmp_buf's check word does not match (it was changed), 2 __longjmp_chk's target
 * frame lies below the current stack pointer (it has returned). */
__attribute__((visibility("hidden"), noreturn)) void ccbox_libc__jmp_fatal(int why) {
#ifdef CCBOX_ENCLAVE_LIBC
    extern void __fortify_fail(const char* message) __attribute__((noreturn));
    __fortify_fail(why == 2 ? "longjmp causes uninitialized stack frame" : "longjmp: jmp_buf was tampered with");
#else
    (void)why;
    abort();
#endif
}
