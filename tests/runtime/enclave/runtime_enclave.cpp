// The runtime test enclave: each ECALL exercises one part of the trusted runtime and its
// libc, and returns something the host can check independently.
#undef NDEBUG  // the assertion fault test needs assert() in every build type
#include "../shared/cxx_workload.hpp"
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
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    if (pthread_mutex_lock(&m) != 0 || pthread_mutex_trylock(&m) != EBUSY || pthread_mutex_unlock(&m) != 0)
        return 8;
    pthread_t thread;
    if (pthread_create(&thread, nullptr, [](void*) -> void* { return nullptr; }, nullptr) == 0)
        return 9;
    uint8_t random[32] = {};
    if (ccbox_random(random, sizeof random) != CCBOX_OK || !memcmp(random, "\0\0\0\0\0\0\0\0", 8))
        return 10;
    snprintf(buf, sizeof buf, "%s", strerror(ENOENT));
    if (strcmp(buf, "No such file or directory") != 0)
        return 11;
    if (!isalpha('q') || isdigit('x') || toupper('a') != 'A')
        return 12;
    return 0;
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
int rt_hold(int index) {
    (void)index;
    int arrived = ++g_arrived;
    host_wait_for_release();
    return arrived;
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
int recurse(volatile int n) {
    volatile char frame[512];
    frame[0] = static_cast<char>(n);
    return recurse(n + 1) + frame[0];
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
        default:
            break;
    }
}

// ---------------------------------------------------------------- secrets

void rt_make_secret(void) { ccbox_random(g_secret, sizeof g_secret); }

void rt_reveal_secret(uint8_t secret[32]) { memcpy(secret, g_secret, 32); }

// ---------------------------------------------------------------- nested calls

int rt_nested(int x) {
    int r = 0;
    host_nested(&r, x);
    return r;
}

int rt_nested_inner(int x) { return x * 10 + rt_static_state(); }
