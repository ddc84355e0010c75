/* POSIX threads inside the enclave: synchronisation only. Trust domain: enclave (libc).
 * Enclave threads are the host threads that entered through a TCS, so there is no thread
 * creation: pthread_create() fails with ENOSYS. Waiting spins with `pause` and, after a
 * while, yields to the host through an OCALL (an enclave cannot sleep on a futex). The
 * glibc object layouts are kept, so zero-filled static initialisers work as glibc's. */
#include "enclave/core/runtime_c.h"
#include "libc_export.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>

static void relax(unsigned* spins)
{
    if (++*spins % 1024 == 0)
        ccbox_rt_host_yield();
    else
        __builtin_ia32_pause();
}

/* ---------------------------------------------------------------- mutexes */
int ccbox_libc_pthread_mutexattr_init(pthread_mutexattr_t* attr)
{
    memset(attr, 0, sizeof *attr);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_mutexattr_init)

int ccbox_libc_pthread_mutexattr_destroy(pthread_mutexattr_t* attr)
{
    (void)attr;
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_mutexattr_destroy)

int ccbox_libc_pthread_mutexattr_settype(pthread_mutexattr_t* attr, int type)
{
    if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE && type != PTHREAD_MUTEX_ERRORCHECK &&
        type != PTHREAD_MUTEX_ADAPTIVE_NP)
        return EINVAL;
    attr->__align = type;
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_mutexattr_settype)

int ccbox_libc_pthread_mutexattr_gettype(const pthread_mutexattr_t* restrict attr, int* restrict type)
{
    *type = attr->__align;
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_mutexattr_gettype)

int ccbox_libc_pthread_mutex_init(pthread_mutex_t* restrict mutex, const pthread_mutexattr_t* restrict attr)
{
    memset(mutex, 0, sizeof *mutex);
    mutex->__data.__kind = attr ? attr->__align : PTHREAD_MUTEX_NORMAL;
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_mutex_init)

int ccbox_libc_pthread_mutex_destroy(pthread_mutex_t* mutex)
{
    return __atomic_load_n(&mutex->__data.__lock, __ATOMIC_RELAXED) ? EBUSY : 0;
}
CCBOX_LIBC_EXPORT(pthread_mutex_destroy)

static int mutex_try(pthread_mutex_t* m, int self)
{
    int kind = m->__data.__kind & 3;
    if (kind != PTHREAD_MUTEX_NORMAL && kind != PTHREAD_MUTEX_ADAPTIVE_NP &&
        __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED) == self) {
        if (kind == PTHREAD_MUTEX_ERRORCHECK)
            return EDEADLK;
        if (m->__data.__count == 0xffffffffu)
            return EAGAIN;
        ++m->__data.__count;
        return 0;
    }
    int expected = 0;
    if (!__atomic_compare_exchange_n(&m->__data.__lock, &expected, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return EBUSY;
    __atomic_store_n(&m->__data.__owner, self, __ATOMIC_RELAXED);
    m->__data.__count = 1;
    return 0;
}

int ccbox_libc_pthread_mutex_trylock(pthread_mutex_t* mutex)
{
    return mutex_try(mutex, (int)ccbox_rt_thread_id());
}
CCBOX_LIBC_EXPORT(pthread_mutex_trylock)

int ccbox_libc_pthread_mutex_lock(pthread_mutex_t* mutex)
{
    int self = (int)ccbox_rt_thread_id();
    unsigned spins = 0;
    for (;;) {
        int r = mutex_try(mutex, self);
        if (r != EBUSY)
            return r;
        while (__atomic_load_n(&mutex->__data.__lock, __ATOMIC_RELAXED))
            relax(&spins);
    }
}
CCBOX_LIBC_EXPORT(pthread_mutex_lock)

int ccbox_libc_pthread_mutex_unlock(pthread_mutex_t* mutex)
{
    int kind = mutex->__data.__kind & 3;
    if (kind != PTHREAD_MUTEX_NORMAL && kind != PTHREAD_MUTEX_ADAPTIVE_NP) {
        if (__atomic_load_n(&mutex->__data.__owner, __ATOMIC_RELAXED) != (int)ccbox_rt_thread_id())
            return EPERM;
        if (--mutex->__data.__count != 0)
            return 0;
    }
    __atomic_store_n(&mutex->__data.__owner, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&mutex->__data.__lock, 0, __ATOMIC_RELEASE);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_mutex_unlock)

/* ---------------------------------------------------------------- spin locks */
int ccbox_libc_pthread_spin_init(pthread_spinlock_t* lock, int shared)
{
    (void)shared;
    *lock = 0;
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_spin_init)

int ccbox_libc_pthread_spin_destroy(pthread_spinlock_t* lock)
{
    (void)lock;
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_spin_destroy)

int ccbox_libc_pthread_spin_trylock(pthread_spinlock_t* lock)
{
    return __atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}
CCBOX_LIBC_EXPORT(pthread_spin_trylock)

int ccbox_libc_pthread_spin_lock(pthread_spinlock_t* lock)
{
    unsigned spins = 0;
    while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(lock, __ATOMIC_RELAXED))
            relax(&spins);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_spin_lock)

int ccbox_libc_pthread_spin_unlock(pthread_spinlock_t* lock)
{
    __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_spin_unlock)

/* ---------------------------------------------------------------- once */
int ccbox_libc_pthread_once(pthread_once_t* once, void (*init)(void))
{
    /* 0: not run; 1: running; 2: done */
    if (__atomic_load_n(once, __ATOMIC_ACQUIRE) == 2)
        return 0;
    int expected = 0;
    if (__atomic_compare_exchange_n(once, &expected, 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        init();
        __atomic_store_n(once, 2, __ATOMIC_RELEASE);
        return 0;
    }
    unsigned spins = 0;
    while (__atomic_load_n(once, __ATOMIC_ACQUIRE) != 2)
        relax(&spins);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_once)

/* ---------------------------------------------------------------- thread-specific data */
/* Each TCS is a thread that outlives every ECALL and ends when the enclave terminates, which
 * is when the destructors run (ccbox_pthread_run_key_destructors). */
static unsigned char ccbox_key_used[CCBOX_RT_MAX_KEYS];
static void (*ccbox_key_destructor[CCBOX_RT_MAX_KEYS])(void*);
static int ccbox_key_lock;

int ccbox_libc_pthread_key_create(pthread_key_t* key, void (*destructor)(void*))
{
    while (__atomic_exchange_n(&ccbox_key_lock, 1, __ATOMIC_ACQUIRE))
        __builtin_ia32_pause();
    int result = EAGAIN;
    for (unsigned i = 0; i < CCBOX_RT_MAX_KEYS; ++i)
        if (!ccbox_key_used[i]) {
            /* A new key is NULL in every thread, also where a deleted key left a value. */
            void** values;
            for (uint32_t thread = 0; (values = ccbox_rt_thread_key_values(thread)) != NULL; ++thread)
                values[i] = NULL;
            ccbox_key_destructor[i] = destructor;
            ccbox_key_used[i] = 1;
            *key = i;
            result = 0;
            break;
        }
    __atomic_store_n(&ccbox_key_lock, 0, __ATOMIC_RELEASE);
    return result;
}
CCBOX_LIBC_EXPORT(pthread_key_create)

int ccbox_libc_pthread_key_delete(pthread_key_t key)
{
    if (key >= CCBOX_RT_MAX_KEYS || !ccbox_key_used[key])
        return EINVAL;
    __atomic_store_n(&ccbox_key_used[key], 0, __ATOMIC_RELEASE);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_key_delete)

void* ccbox_libc_pthread_getspecific(pthread_key_t key)
{
    return key < CCBOX_RT_MAX_KEYS ? ccbox_rt_key_values()[key] : NULL;
}
CCBOX_LIBC_EXPORT(pthread_getspecific)

int ccbox_libc_pthread_setspecific(pthread_key_t key, const void* value)
{
    if (key >= CCBOX_RT_MAX_KEYS || !ccbox_key_used[key])
        return EINVAL;
    ccbox_rt_key_values()[key] = (void*)value;
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_setspecific)

/* At termination (single-threaded): as at a thread's exit in POSIX, each non-NULL value of a
 * key with a destructor is set to NULL and passed to the destructor, in every TCS, for up to
 * PTHREAD_DESTRUCTOR_ITERATIONS rounds while destructors leave new values. */
void ccbox_pthread_run_key_destructors(void)
{
    for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; ++round) {
        int called = 0;
        void** values;
        for (uint32_t thread = 0; (values = ccbox_rt_thread_key_values(thread)) != NULL; ++thread)
            for (unsigned k = 0; k < CCBOX_RT_MAX_KEYS; ++k) {
                void* value = values[k];
                if (!ccbox_key_used[k] || !ccbox_key_destructor[k] || !value)
                    continue;
                values[k] = NULL;
                ccbox_key_destructor[k](value);
                called = 1;
            }
        if (!called)
            break;
    }
}

/* ---------------------------------------------------------------- condition variables */
/* pthread_cond_t's storage holds a sequence number; a waiter waits for it to change.
 * Every signal wakes every waiter (POSIX allows spurious wake-ups). */
static unsigned* cond_sequence(pthread_cond_t* cond) { return (unsigned*)(void*)cond; }

int ccbox_libc_pthread_cond_init(pthread_cond_t* restrict cond, const pthread_condattr_t* restrict attr)
{
    (void)attr;
    memset(cond, 0, sizeof *cond);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_cond_init)

int ccbox_libc_pthread_cond_destroy(pthread_cond_t* cond)
{
    (void)cond;
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_cond_destroy)

int ccbox_libc_pthread_cond_signal(pthread_cond_t* cond)
{
    __atomic_add_fetch(cond_sequence(cond), 1, __ATOMIC_RELEASE);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_cond_signal)

int ccbox_libc_pthread_cond_broadcast(pthread_cond_t* cond)
{
    __atomic_add_fetch(cond_sequence(cond), 1, __ATOMIC_RELEASE);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_cond_broadcast)

static int cond_wait_until(pthread_cond_t* cond, pthread_mutex_t* mutex, const struct timespec* deadline)
{
    unsigned seen = __atomic_load_n(cond_sequence(cond), __ATOMIC_ACQUIRE);
    int r = ccbox_libc_pthread_mutex_unlock(mutex);
    if (r != 0)
        return r;
    unsigned spins = 0;
    int result = 0;
    while (__atomic_load_n(cond_sequence(cond), __ATOMIC_ACQUIRE) == seen) {
        relax(&spins);
        if (deadline && spins % 1024 == 0) {
            struct timespec now;
            if (clock_gettime(CLOCK_REALTIME, &now) == 0 &&
                (now.tv_sec > deadline->tv_sec ||
                 (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec))) {
                result = ETIMEDOUT;
                break;
            }
        }
    }
    ccbox_libc_pthread_mutex_lock(mutex);
    return result;
}

int ccbox_libc_pthread_cond_wait(pthread_cond_t* restrict cond, pthread_mutex_t* restrict mutex)
{
    return cond_wait_until(cond, mutex, NULL);
}
CCBOX_LIBC_EXPORT(pthread_cond_wait)

int ccbox_libc_pthread_cond_timedwait(pthread_cond_t* restrict cond, pthread_mutex_t* restrict mutex,
                                      const struct timespec* restrict deadline)
{
    return cond_wait_until(cond, mutex, deadline);
}
CCBOX_LIBC_EXPORT(pthread_cond_timedwait)

/* ---------------------------------------------------------------- read-write locks */
/* The first int of pthread_rwlock_t: -1 while written, otherwise the number of readers. */
static int* rwlock_state(pthread_rwlock_t* lock) { return (int*)(void*)lock; }

int ccbox_libc_pthread_rwlock_init(pthread_rwlock_t* restrict lock, const pthread_rwlockattr_t* restrict attr)
{
    (void)attr;
    memset(lock, 0, sizeof *lock);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_rwlock_init)

int ccbox_libc_pthread_rwlock_destroy(pthread_rwlock_t* lock)
{
    return __atomic_load_n(rwlock_state(lock), __ATOMIC_RELAXED) ? EBUSY : 0;
}
CCBOX_LIBC_EXPORT(pthread_rwlock_destroy)

int ccbox_libc_pthread_rwlock_tryrdlock(pthread_rwlock_t* lock)
{
    int* s = rwlock_state(lock);
    int v = __atomic_load_n(s, __ATOMIC_RELAXED);
    while (v >= 0)
        if (__atomic_compare_exchange_n(s, &v, v + 1, 1, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return 0;
    return EBUSY;
}
CCBOX_LIBC_EXPORT(pthread_rwlock_tryrdlock)

int ccbox_libc_pthread_rwlock_rdlock(pthread_rwlock_t* lock)
{
    unsigned spins = 0;
    while (ccbox_libc_pthread_rwlock_tryrdlock(lock) != 0)
        relax(&spins);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_rwlock_rdlock)

int ccbox_libc_pthread_rwlock_trywrlock(pthread_rwlock_t* lock)
{
    int expected = 0;
    return __atomic_compare_exchange_n(rwlock_state(lock), &expected, -1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)
               ? 0
               : EBUSY;
}
CCBOX_LIBC_EXPORT(pthread_rwlock_trywrlock)

int ccbox_libc_pthread_rwlock_wrlock(pthread_rwlock_t* lock)
{
    unsigned spins = 0;
    while (ccbox_libc_pthread_rwlock_trywrlock(lock) != 0)
        relax(&spins);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_rwlock_wrlock)

int ccbox_libc_pthread_rwlock_unlock(pthread_rwlock_t* lock)
{
    int* s = rwlock_state(lock);
    if (__atomic_load_n(s, __ATOMIC_RELAXED) < 0)
        __atomic_store_n(s, 0, __ATOMIC_RELEASE);
    else
        __atomic_sub_fetch(s, 1, __ATOMIC_RELEASE);
    return 0;
}
CCBOX_LIBC_EXPORT(pthread_rwlock_unlock)

/* ---------------------------------------------------------------- threads */
pthread_t ccbox_libc_pthread_self(void) { return (pthread_t)ccbox_rt_thread_id(); }
CCBOX_LIBC_EXPORT(pthread_self)

int ccbox_libc_pthread_equal(pthread_t a, pthread_t b) { return a == b; }
CCBOX_LIBC_EXPORT(pthread_equal)

int ccbox_libc_pthread_create(pthread_t* restrict thread, const pthread_attr_t* restrict attr,
                              void* (*start)(void*), void* restrict arg)
{
    (void)thread;
    (void)attr;
    (void)start;
    (void)arg;
    return ENOSYS; /* enclaves run on the host's threads, one per TCS */
}
CCBOX_LIBC_EXPORT(pthread_create)

int ccbox_libc_pthread_join(pthread_t thread, void** result)
{
    (void)thread;
    (void)result;
    return ESRCH;
}
CCBOX_LIBC_EXPORT(pthread_join)

int ccbox_libc_pthread_detach(pthread_t thread)
{
    (void)thread;
    return ESRCH;
}
CCBOX_LIBC_EXPORT(pthread_detach)

int ccbox_libc_sched_yield(void)
{
    ccbox_rt_host_yield();
    return 0;
}
CCBOX_LIBC_EXPORT(sched_yield)
