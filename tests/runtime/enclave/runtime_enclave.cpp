// The runtime test enclave: each ECALL exercises one part of the trusted runtime and its
// libc, and returns something the host can check independently.
#undef NDEBUG  // the assertion fault test needs assert() in every build type
#include "../shared/cxx_workload.hpp"
#include "common/enclave_layout_abi.h"
#include "runtime_test_t.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/entropy.h>
#include <mbedtls/gcm.h>
#include <mbedtls/sha256.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <atomic>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

CCBOX_SET_ENCLAVE_PROPERTIES(/*product*/ 1, /*svn*/ 1, /*debug*/ 1, /*heap*/ 1024, /*stack*/ 32, /*tcs*/ 4);

// ---------------------------------------------------------------- static state
namespace {

int g_constructed = 0;
struct Constructed {
    Constructed() { g_constructed = 42; }
    ~Constructed() { host_log("static destructor ran"); }
} g_constructed_object;

thread_local int t_counter = 0;
// Thread-local storage with initial values (.tdata) and without (.tbss): every TCS starts
// with its own copy of the image's values.
thread_local int t_initialised = 0x5eed;
thread_local char t_name[16] = "tdata-image";
thread_local int t_owner = -1;

std::atomic<int> g_arrived{0};
uint8_t g_secret[32];

}  // namespace

int rt_add(int a, int b) { return a + b; }

void rt_empty(void) {}

void rt_buffers(const uint8_t* in, uint8_t* out) { memcpy(out, in, 4096); }

void rt_ocall_loop(int count) {
    for (int i = 0; i < count; ++i)
        host_empty();
}

// ---------------------------------------------------------------- libc

int rt_format(char* text, size_t size, int i, double d, uint64_t u) {
    return snprintf(text, size, "[%d|%+08.3f|%e|%g|%#llx|%s|%5.2s|%c|%%]", i, d, d, d,
                    static_cast<unsigned long long>(u), "enclave", "libc", 'Z');
}

void rt_sort(int32_t* values, size_t count) {
    qsort(values, count, sizeof(int32_t), [](const void* a, const void* b) {
        int32_t x = *static_cast<const int32_t*>(a), y = *static_cast<const int32_t*>(b);
        return (x > y) - (x < y);
    });
}

double rt_parse_double(const char* text) { return strtod(text, nullptr); }

int64_t rt_time(void) { return static_cast<int64_t>(time(nullptr)); }

// A mix of libc behaviour checked inside; returns the number of the first failed check.
int rt_libc_misc(void) {
    char buf[64];
    if (strlen("enclave") != 7 || strcmp("a", "b") >= 0 || memcmp("xy", "xz", 2) >= 0)
        return 1;
    if (strtol("-0x1f", nullptr, 16) != -31 || strtoull("18446744073709551615", nullptr, 10) != UINT64_MAX)
        return 2;
    errno = 0;
    if (strtol("99999999999999999999", nullptr, 10) != LONG_MAX || errno != ERANGE)
        return 3;
    void* p = calloc(100, 10);
    if (!p || static_cast<uint8_t*>(p)[999] != 0)
        return 4;
    p = realloc(p, 5000);
    free(p);
    int key = 3;
    static const int sorted[] = {1, 2, 3, 5, 8};
    if (!bsearch(&key, sorted, 5, sizeof(int), [](const void* a, const void* b) {
            return *static_cast<const int*>(a) - *static_cast<const int*>(b);
        }))
        return 5;
    struct tm tm;
    time_t epoch = 951782400;  // 2000-02-29
    if (!gmtime_r(&epoch, &tm) || tm.tm_year != 100 || tm.tm_mon != 1 || tm.tm_mday != 29 || tm.tm_wday != 2)
        return 6;
    if (fopen("/etc/passwd", "r") != nullptr || errno != ENOSYS)
        return 7;
    uint8_t random[32] = {};
    if (ccbox_random(random, sizeof random) != CCBOX_OK || !memcmp(random, "\0\0\0\0\0\0\0\0", 8))
        return 8;
    snprintf(buf, sizeof buf, "%s", strerror(ENOENT));
    if (strcmp(buf, "No such file or directory") != 0)
        return 9;
    if (!isalpha('q') || isdigit('x') || toupper('a') != 'A')
        return 10;
    return 0;
}

// Known text through each kind of stdio call; the host captures its descriptors 1 and 2.
// Returns the number of the first call whose result was wrong.
int rt_stdio(size_t long_size) {
    if (printf("printf %d %s %.2f\n", 42, "enclave", 2.5) != 23)
        return 1;
    if (puts("puts adds the newline") < 0)
        return 2;
    if (fputs("fputs to stdout", stdout) < 0 || putchar('!') != '!' || putchar('\n') != '\n')
        return 3;
    // Longer than the formatter's buffer and than one write OCALL carries.
    std::string text(long_size, '\0');
    for (size_t i = 0; i < long_size; ++i)
        text[i] = static_cast<char>('a' + i % 26);
    if (printf("%s|\n", text.c_str()) != static_cast<int>(long_size) + 2)
        return 4;
    if (fwrite(text.data(), 1, long_size, stdout) != long_size || fputc('\n', stdout) != '\n')
        return 5;
    if (fprintf(stderr, "fprintf to stderr %#x\n", 0xbeef) != 25)
        return 6;
    if (fputs("fputs to stderr\n", stderr) < 0)
        return 7;
    return 0;
}

// ---------------------------------------------------------------- pthread

// One thread's view of the synchronisation primitives; returns the number of the first failed
// check.
int rt_pthread_misc(void) {
    pthread_t thread;
    if (pthread_create(&thread, nullptr, [](void*) -> void* { return nullptr; }, nullptr) != ENOSYS)
        return 1;  // enclaves run on the host's threads (docs/enclave-libc.md)
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    if (pthread_mutex_lock(&m) != 0 || pthread_mutex_trylock(&m) != EBUSY || pthread_mutex_unlock(&m) != 0 ||
        pthread_mutex_trylock(&m) != 0 || pthread_mutex_unlock(&m) != 0 || pthread_mutex_destroy(&m) != 0)
        return 2;
    pthread_mutexattr_t attr;
    pthread_mutex_t recursive, checked;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&recursive, &attr);
    if (pthread_mutex_lock(&recursive) != 0 || pthread_mutex_trylock(&recursive) != 0 ||
        pthread_mutex_unlock(&recursive) != 0 || pthread_mutex_unlock(&recursive) != 0 ||
        pthread_mutex_unlock(&recursive) != EPERM)
        return 3;
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&checked, &attr);
    if (pthread_mutex_lock(&checked) != 0 || pthread_mutex_lock(&checked) != EDEADLK ||
        pthread_mutex_unlock(&checked) != 0 || pthread_mutex_unlock(&checked) != EPERM)
        return 4;
    pthread_spinlock_t spin;
    if (pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE) != 0 || pthread_spin_trylock(&spin) != 0 ||
        pthread_spin_trylock(&spin) != EBUSY || pthread_spin_unlock(&spin) != 0 || pthread_spin_lock(&spin) != 0 ||
        pthread_spin_trylock(&spin) != EBUSY || pthread_spin_unlock(&spin) != 0 || pthread_spin_destroy(&spin) != 0)
        return 5;
    static int destructor_calls = 0;
    pthread_key_t key, again;
    int value = 1;
    if (pthread_key_create(&key, [](void*) { ++destructor_calls; }) != 0 || pthread_getspecific(key) != nullptr ||
        pthread_setspecific(key, &value) != 0 || pthread_getspecific(key) != &value)
        return 6;
    if (pthread_key_delete(key) != 0 || pthread_setspecific(key, &value) != EINVAL || destructor_calls != 0)
        return 7;  // deleting a key runs no destructor
    // A new key is NULL in every thread, even when it reuses the slot of a deleted one.
    if (pthread_key_create(&again, nullptr) != 0 || pthread_getspecific(again) != nullptr ||
        pthread_key_delete(again) != 0)
        return 8;
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    static int once_runs = 0;
    if (pthread_once(&once, [] { ++once_runs; }) != 0 || pthread_once(&once, [] { ++once_runs; }) != 0 ||
        once_runs != 1)
        return 9;
    return 0;
}

namespace {

// rt_pthread_thread runs on four host threads at once (NumTCS = 4) in a fresh enclave.
constexpr int kThreads = 4;
constexpr int kIncrements = 2000;
std::atomic<int> g_threads_in{0}, g_values_set{0}, g_lock_held{0}, g_lock_tried{0}, g_threads_done{0};
std::atomic<int> g_once_runs{0};
int g_once_saw = 0;
int g_key_created = -1;
pthread_once_t g_once = PTHREAD_ONCE_INIT;
pthread_key_t g_key;
pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
pthread_spinlock_t g_spin;
int g_thread_values[kThreads];
int g_mutex_count = 0, g_spin_count = 0;

// Waits, yielding to the host, until `counter` reaches `target`. Gives up after a minute, so
// that a broken primitive fails the test instead of hanging it.
bool wait_for(const std::atomic<int>& counter, int target) {
    const time_t start = time(nullptr);
    while (counter.load() < target) {
        sched_yield();
        if (time(nullptr) - start > 60)
            return false;
    }
    return true;
}

// Runs when the TCS threads end, at termination: each thread's value says which it was.
void log_key_value(void* value) {
    char message[64];
    snprintf(message, sizeof message, "pthread key destructor %d", *static_cast<int*>(value));
    host_log(message);
}

// Holds every thread in pthread_once until all four are inside the enclave.
void once_routine() {
    g_once_saw = wait_for(g_threads_in, kThreads) ? kThreads : g_threads_in.load();
    g_key_created = pthread_key_create(&g_key, log_key_value);
    pthread_spin_init(&g_spin, PTHREAD_PROCESS_PRIVATE);
    ++g_once_runs;
}

}  // namespace

// Returns the number of the first failed check of thread `index`.
int rt_pthread_thread(int index) {
    if (index < 0 || index >= kThreads)
        return 100;
    ++g_threads_in;
    // The routine ran once, and had finished when pthread_once returned, in every thread.
    if (pthread_once(&g_once, once_routine) != 0 || g_once_runs.load() != 1)
        return 1;
    if (g_once_saw != kThreads)
        return 2;
    // Each TCS keeps its own value of the key.
    if (g_key_created != 0 || pthread_getspecific(g_key) != nullptr)
        return 3;
    g_thread_values[index] = index;
    if (pthread_setspecific(g_key, &g_thread_values[index]) != 0)
        return 4;
    ++g_values_set;
    if (!wait_for(g_values_set, kThreads))
        return 5;
    if (pthread_getspecific(g_key) != &g_thread_values[index])
        return 6;
    // Thread 0 holds the mutex and the spin lock while the others try them.
    if (index == 0) {
        if (pthread_mutex_lock(&g_mutex) != 0 || pthread_spin_lock(&g_spin) != 0)
            return 7;
        ++g_lock_held;
        if (!wait_for(g_lock_tried, kThreads - 1))
            return 8;
        if (pthread_spin_unlock(&g_spin) != 0 || pthread_mutex_unlock(&g_mutex) != 0)
            return 9;
    } else {
        if (!wait_for(g_lock_held, 1))
            return 8;
        const bool busy = pthread_mutex_trylock(&g_mutex) == EBUSY && pthread_spin_trylock(&g_spin) == EBUSY;
        ++g_lock_tried;
        if (!busy)
            return 10;
    }
    // Mutual exclusion under contention: plain increments, each under its lock.
    for (int i = 0; i < kIncrements; ++i) {
        pthread_mutex_lock(&g_mutex);
        ++g_mutex_count;
        pthread_mutex_unlock(&g_mutex);
        pthread_spin_lock(&g_spin);
        ++g_spin_count;
        pthread_spin_unlock(&g_spin);
    }
    ++g_threads_done;
    if (!wait_for(g_threads_done, kThreads))
        return 11;
    if (g_mutex_count != kThreads * kIncrements || g_spin_count != kThreads * kIncrements)
        return 12;
    return g_once_runs.load() == 1 ? 0 : 13;
}

// ---------------------------------------------------------------- C++

int rt_cxx_workload(uint32_t seed, char* summary, size_t size) {
    std::string result = cxx_workload::run(seed);
    snprintf(summary, size, "%s", result.c_str());
    return static_cast<int>(result.size());
}

namespace {
struct CustomError : std::runtime_error {
    int code;
    explicit CustomError(int c) : std::runtime_error("custom"), code(c) {}
};
int thrower(int depth) {
    if (depth == 0)
        throw CustomError(7);
    std::vector<std::string> live(3, "stack object with a destructor");
    return thrower(depth - 1) + static_cast<int>(live.size());
}
}  // namespace

// Returns a bit mask of the exception scenarios that behaved.
int rt_cxx_exceptions(void) {
    int ok = 0;
    try {
        thrower(10);
    } catch (const CustomError& e) {
        ok |= e.code == 7 ? 1 : 0;
    }
    try {
        std::vector<int> v(3);
        (void)v.at(5);
    } catch (const std::out_of_range&) {
        ok |= 2;
    }
    try {
        try {
            throw std::string("inner");
        } catch (...) {
            throw;
        }
    } catch (const std::string& s) {
        ok |= s == "inner" ? 4 : 0;
    }
    try {
        throw 42;
    } catch (int i) {
        ok |= i == 42 ? 8 : 0;
    }
    return ok;
}

int rt_static_state(void) {
    static int initialised_once = [] { return g_constructed + 1; }();
    return initialised_once;
}

int rt_tls_counter(void) { return ++t_counter; }

// ---------------------------------------------------------------- Mbed TLS

int rt_sha256(const uint8_t* data, size_t size, uint8_t digest[32]) {
    return mbedtls_sha256_ret(data, size, digest, 0);
}

int rt_aes_gcm(const uint8_t key[32], const uint8_t iv[12], const uint8_t* plaintext, size_t size,
               uint8_t* ciphertext, uint8_t tag[16]) {
    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    int rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256);
    if (rc == 0)
        rc = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, size, iv, 12, nullptr, 0, plaintext, ciphertext,
                                       16, tag);
    mbedtls_gcm_free(&gcm);
    return rc;
}

int rt_ecdsa_sign(const uint8_t* message, size_t size, uint8_t* signature, size_t sig_capacity, size_t* sig_size,
                  uint8_t public_key[65]) {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ecdsa_context ecdsa;
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_ecdsa_init(&ecdsa);
    uint8_t hash[32];
    size_t key_size = 0;
    int rc = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, nullptr, 0);
    if (rc == 0)
        rc = mbedtls_ecdsa_genkey(&ecdsa, MBEDTLS_ECP_DP_SECP256R1, mbedtls_ctr_drbg_random, &drbg);
    if (rc == 0)
        rc = mbedtls_sha256_ret(message, size, hash, 0);
    if (rc == 0)
        rc = mbedtls_ecdsa_write_signature(&ecdsa, MBEDTLS_MD_SHA256, hash, sizeof hash, signature, sig_size,
                                           mbedtls_ctr_drbg_random, &drbg);
    if (rc == 0 && *sig_size > sig_capacity)
        rc = -1;
    if (rc == 0)  // the enclave verifies its own signature too
        rc = mbedtls_ecdsa_read_signature(&ecdsa, hash, sizeof hash, signature, *sig_size);
    if (rc == 0)
        rc = mbedtls_ecp_point_write_binary(&ecdsa.grp, &ecdsa.Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &key_size, public_key,
                                            65);
    mbedtls_ecdsa_free(&ecdsa);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
    return rc;
}

// ---------------------------------------------------------------- threads and memory

// Counts the threads inside, then blocks in an OCALL (keeping its TCS) until released.
// Called on four TCSs at once. Returns the order of arrival, or -1 if this TCS's thread-local
// storage did not start with the image's values, -2 if another thread's writes reached it.
int rt_hold(int index) {
    const bool fresh = t_initialised == 0x5eed && strcmp(t_name, "tdata-image") == 0 && t_owner == -1;
    t_owner = index;
    t_initialised = index * 7;
    snprintf(t_name, sizeof t_name, "thread %d", index);
    int arrived = ++g_arrived;
    host_wait_for_release();  // all four threads are inside now, each having written its copy
    char expected[16];
    snprintf(expected, sizeof expected, "thread %d", index);
    if (!fresh)
        return -1;
    if (t_owner != index || t_initialised != index * 7 || strcmp(t_name, expected) != 0)
        return -2;
    return arrived;
}

uint32_t rt_bounds(uint64_t base, uint64_t size) {
    const auto at = [](uint64_t address) { return reinterpret_cast<const void*>(static_cast<uintptr_t>(address)); };
    int local = 0;
    void* heap = malloc(16);
    void* host = ccbox_host_malloc(64);
    const bool checks[] = {
        ccbox_is_within_enclave(at(base), size),
        !ccbox_is_within_enclave(at(base), size + 1),
        !ccbox_is_within_enclave(at(base - 1), 2),
        ccbox_is_within_enclave(at(base + size - 1), 1),
        !ccbox_is_within_enclave(at(base + size), 1),
        !ccbox_is_within_enclave(at(base + 16), UINT64_MAX - 8),  // wraps
        ccbox_is_within_enclave(&local, sizeof local),
        heap && ccbox_is_within_enclave(heap, 16),
        !ccbox_is_within_enclave(host, 1),
        host && ccbox_is_outside_enclave(host, 64),
        !ccbox_is_outside_enclave(host, UINT64_MAX),  // wraps
        !ccbox_is_outside_enclave(at(base), 1),
        !ccbox_is_outside_enclave(at(base + size - 1), 1),
        !ccbox_is_outside_enclave(at(base - 1), 2),         // straddles the start
        !ccbox_is_outside_enclave(at(base + size - 1), 2),  // straddles the end
        !ccbox_is_outside_enclave(at(base - 4096), 1 << 20),  // covers the enclave's first pages
        !ccbox_is_outside_enclave(at(UINT64_MAX - 1), 4),
        !ccbox_is_outside_enclave(&local, sizeof local),
    };
    free(heap);
    ccbox_host_free(host);
    uint32_t failed = 0;
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; ++i)
        if (!checks[i])
            failed |= 1u << i;
    return failed;
}

uint64_t rt_heap_exhaust_malloc(void) {
    std::vector<void*>* blocks = new std::vector<void*>();
    blocks->reserve(1 << 16);
    uint64_t total = 0;
    for (;;) {
        void* p = malloc(4096);
        if (!p)
            break;
        memset(p, 0xab, 4096);
        total += 4096;
        if (blocks->size() == blocks->capacity())
            break;
        blocks->push_back(p);
    }
    if (errno != ENOMEM)
        total = 0;
    for (void* p : *blocks)
        free(p);
    delete blocks;
    return total;
}

int rt_heap_exhaust_new(void) {
    std::vector<std::unique_ptr<char[]>> blocks;
    try {
        for (;;)
            blocks.emplace_back(new char[1 << 20]);
    } catch (const std::bad_alloc&) {
        return 1;
    }
}

extern "C" void __cxa_pure_virtual();

namespace {
// Unbounded in practice: the stack guard page is hit long before n could reach its limit.
int recurse(int n) {
    volatile char frame[512];
    frame[0] = static_cast<char>(n);
    if (n == INT_MAX)
        return frame[0];
    return recurse(n + 1) + frame[0];
}

// A page of .rodata to itself: no writable segment shares its page.
alignas(4096) const char kReadOnlyPage[4096] = "read-only data";

// Hides where a pointer came from, so that the compiler emits the access or call as written.
template <typename T>
T* opaque(T* p) {
    asm volatile("" : "+r"(p) : : "memory");
    return p;
}

// Calls `code` as a function (faults unless its page is executable). Kept out of rt_fault so
// that its frame stays as the stack smash case expects.
constexpr uint8_t kRet = 0xc3;
__attribute__((noinline)) void call_code(uint8_t* code) { reinterpret_cast<void (*)()>(opaque(code))(); }
__attribute__((noinline)) void execute_from_stack() {
    uint8_t code[64] = {kRet};
    call_code(code);
}

// The current TCS's stack, from the measured layout in its TD page (docs/image-format.md):
// FS points at the TD page, whose first word is its own address (the glibc TCB).
struct StackBounds {
    uintptr_t bottom = 0, top = 0;
};
StackBounds current_stack() {
    uintptr_t td;
    asm volatile("mov %%fs:0, %0" : "=r"(td));
    const auto* layout = reinterpret_cast<const ccbox::abi::LayoutInfo*>(td + ccbox::abi::kLayoutInfoOffset);
    if (layout->magic != ccbox::abi::kThreadDataMagic)
        return {};
    const uintptr_t stack = td - layout->td_offset_in_span + layout->stack_offset_in_span;
    return {stack, stack + layout->stack_size};
}

// Recursion with a fixed frame: each call writes all of its frame and recurses while one more
// frame fits above `floor`. Returns the lowest stack pointer reached.
__attribute__((noinline)) uintptr_t descend(uintptr_t floor, uintptr_t caller_sp) {
    volatile uint8_t frame[1024];
    for (size_t i = 0; i < sizeof frame; ++i)
        frame[i] = static_cast<uint8_t>(i);
    uintptr_t sp;
    asm volatile("mov %%rsp, %0" : "=r"(sp));
    // Every call after the first has exactly the frame of its caller.
    const uintptr_t step = caller_sp ? caller_sp - sp : sizeof frame + 256;
    const uintptr_t lowest = sp >= floor + step ? descend(floor, sp) : sp;
    return lowest + (frame[0] & 0u);  // reading the frame after the call: no tail call
}
}  // namespace

void rt_fault(int kind) {
    switch (kind) {
        case RT_FAULT_NULL: {
            volatile int* p = nullptr;
            *p = 1;
            break;
        }
        case RT_FAULT_ABORT:
            abort();
        case RT_FAULT_RECURSION:
            recurse(0);
            break;
        case RT_FAULT_ASSERT: {
            volatile int zero = 0;
            assert(zero == 1);
            break;
        }
        case RT_FAULT_ILLEGAL_INSTRUCTION:
            asm volatile("ud2");
            break;
        case RT_FAULT_SYSCALL: {
            long ret;
            asm volatile("syscall" : "=a"(ret) : "0"(39L /* getpid */) : "rcx", "r11", "memory");
            host_log("a system call returned inside the enclave");
            break;
        }
        case RT_FAULT_PURE_VIRTUAL:
            // What the vtable slot of a pure virtual function calls (the optimiser removes
            // pure virtual calls it can see, so the test calls the slot's target directly).
            __cxa_pure_virtual();
            break;
        case RT_FAULT_STACK_SMASH: {
            char buffer[16];
            volatile size_t n = 64;
            memset(buffer, 'x', n);  // overflow the frame on purpose: the canary catches it
            buffer[15] = '\0';
            host_log(buffer);
            break;
        }
        case RT_FAULT_WRITE_RODATA: {
            volatile char* p = opaque(const_cast<char*>(kReadOnlyPage));
            *p = *p;
            break;
        }
        case RT_FAULT_EXECUTE_HEAP: {
            auto* code = static_cast<uint8_t*>(calloc(1, 64));
            code[0] = kRet;
            call_code(code);
            free(code);
            break;
        }
        case RT_FAULT_EXECUTE_STACK:
            execute_from_stack();
            break;
        case RT_FAULT_WRITE_TEXT: {
            volatile uint8_t* p = opaque(reinterpret_cast<uint8_t*>(&rt_empty));
            *p = *p;
            break;
        }
        case RT_FAULT_STACK_GUARD:
            // Two pages past the bottom of the stack: the first frame below it faults.
            descend(current_stack().bottom - 2 * 4096, 0);
            break;
        default:
            break;
    }
}

// Recurses to `margin` bytes above the bottom of the TCS's stack; returns how far above the
// bottom the lowest frame was (0 if the stack is not where the layout says).
uint64_t rt_stack_reach(uint64_t margin, uint64_t* stack_size) {
    const StackBounds stack = current_stack();
    *stack_size = stack.top - stack.bottom;
    const auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    if (here <= stack.bottom + margin || here > stack.top)
        return 0;
    return descend(stack.bottom + margin, 0) - stack.bottom;
}

// ---------------------------------------------------------------- secrets

void rt_make_secret(void) { ccbox_random(g_secret, sizeof g_secret); }

void rt_reveal_secret(uint8_t secret[32]) { memcpy(secret, g_secret, 32); }

// ---------------------------------------------------------------- host memory

// Reads host memory through a user_check pointer (on SGX any host address; in the isolated
// backend only the arena).
uint64_t rt_sum_user_check(const uint8_t* data, size_t size) {
    uint64_t sum = 0;
    for (size_t i = 0; i < size; ++i)
        sum += static_cast<const volatile uint8_t*>(data)[i];
    return sum;
}

// A host buffer from ccbox_host_malloc, filled with i * 7 by the enclave; its address.
uint64_t rt_host_buffer(size_t size) {
    auto* p = static_cast<uint8_t*>(ccbox_host_malloc(size));
    for (size_t i = 0; p && i < size; ++i)
        p[i] = static_cast<uint8_t>(i * 7);
    return reinterpret_cast<uintptr_t>(p);
}

void rt_host_free(void* buffer) { ccbox_host_free(buffer); }

// ---------------------------------------------------------------- nested calls

int rt_nested(int x) {
    int r = 0;
    host_nested(&r, x);
    return r;
}

int rt_nested_inner(int x) { return x * 10 + rt_static_state(); }
