/* Randomness inside the enclave. Trust domain: enclave (libc).
 * getrandom(), getentropy() and syscall(SYS_getrandom) draw from the CPU's RDRAND, so
 * libraries that ask the kernel for entropy (Mbed TLS's default entropy source does) get
 * hardware randomness without leaving the enclave. rand()/random() keep their C semantics:
 * a deterministic sequence for a given seed. */
#include "enclave/core/runtime_c.h"
#include "libc_export.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

ssize_t ccbox_libc_getrandom(void* buffer, size_t length, unsigned int flags)
{
    (void)flags;
    if (length > 33554431) /* glibc/Linux cap a single request at 32 MiB - 1 */
        length = 33554431;
    if (ccbox_rt_random(buffer, length) != 0) {
        errno = EIO;
        return -1;
    }
    return (ssize_t)length;
}
CCBOX_LIBC_EXPORT(getrandom)

int ccbox_libc_getentropy(void* buffer, size_t length)
{
    if (length > 256) {
        errno = EIO;
        return -1;
    }
    return ccbox_libc_getrandom(buffer, length, 0) == (ssize_t)length ? 0 : -1;
}
CCBOX_LIBC_EXPORT(getentropy)

/* Enclave code cannot make system calls; the one call libraries issue through syscall()
 * for randomness is served inside. */
long ccbox_libc_syscall(long number, ...)
{
    if (number == SYS_getrandom) {
        va_list ap;
        va_start(ap, number);
        void* buffer = va_arg(ap, void*);
        size_t length = va_arg(ap, size_t);
        unsigned int flags = va_arg(ap, unsigned int);
        va_end(ap);
        return ccbox_libc_getrandom(buffer, length, flags);
    }
    errno = ENOSYS;
    return -1;
}
CCBOX_LIBC_EXPORT(syscall)

/* rand(): a 64-bit linear congruential generator (Knuth's MMIX constants), top 31 bits. */
static uint64_t ccbox_rand_state = 1;
static int ccbox_rand_lock;

static int next_rand(uint64_t* state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return (int)(*state >> 33);
}

int ccbox_libc_rand(void)
{
    while (__atomic_exchange_n(&ccbox_rand_lock, 1, __ATOMIC_ACQUIRE))
        __builtin_ia32_pause();
    int value = next_rand(&ccbox_rand_state);
    __atomic_store_n(&ccbox_rand_lock, 0, __ATOMIC_RELEASE);
    return value;
}
CCBOX_LIBC_EXPORT(rand)

void ccbox_libc_srand(unsigned int seed)
{
    while (__atomic_exchange_n(&ccbox_rand_lock, 1, __ATOMIC_ACQUIRE))
        __builtin_ia32_pause();
    ccbox_rand_state = seed;
    __atomic_store_n(&ccbox_rand_lock, 0, __ATOMIC_RELEASE);
}
CCBOX_LIBC_EXPORT(srand)

int ccbox_libc_rand_r(unsigned int* seed)
{
    uint64_t state = *seed;
    int value = next_rand(&state);
    *seed = (unsigned int)state;
    return value;
}
CCBOX_LIBC_EXPORT(rand_r)

long ccbox_libc_random(void) { return ccbox_libc_rand(); }
CCBOX_LIBC_EXPORT(random)
void ccbox_libc_srandom(unsigned int seed) { ccbox_libc_srand(seed); }
CCBOX_LIBC_EXPORT(srandom)
