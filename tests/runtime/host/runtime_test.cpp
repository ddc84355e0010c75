#define OPENSSL_SUPPRESS_DEPRECATED  // EC_KEY: the test only needs a quick ECDSA verify
// The trusted runtime, end to end, in every backend: libc, C++, Mbed TLS, threads, heap,
// faults, nested calls and the loader's refusals (issue "Run enclaves"; the isolated
// backend's issue requires the same tests to pass there).
#include "../shared/cxx_workload.hpp"
#include "enclave_test_support.hpp"
#include "runtime_test_u.h"
#include "test_support.hpp"

#include <ccbox/bits/properties.h>
#include <ccbox/host.hpp>

#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>
#include <unistd.h>

namespace {

using ccbox::test::Backend;

// ---------------------------------------------------------------- OCALLs
std::mutex g_log_mutex;
std::vector<std::string> g_log;
std::mutex g_hold_mutex;
std::condition_variable g_hold_cv;
int g_holding = 0;
bool g_released = false;
thread_local ccbox_enclave_t* t_enclave = nullptr;

}  // namespace

extern "C" void host_empty(void) {}

extern "C" void host_log(const char* message) {
    std::lock_guard lock(g_log_mutex);
    g_log.emplace_back(message);
}

extern "C" void host_wait_for_release(void) {
    std::unique_lock lock(g_hold_mutex);
    ++g_holding;
    g_hold_cv.notify_all();
    g_hold_cv.wait(lock, [] { return g_released; });
}

extern "C" int host_nested(int x) {
    int inner = 0;
    if (rt_nested_inner(t_enclave, &inner, x) != CCBOX_OK)
        return -1;
    return inner;
}

namespace {

std::string image(const std::string& name) { return ccbox::test::built_file("runtime/" + name); }

struct Enclave {
    ccbox_enclave_t* e = nullptr;
    ccbox_result_t created = CCBOX_UNEXPECTED;
    Enclave(Backend backend, const std::string& path, uint32_t extra_flags = 0) {
        created = ccbox_create_runtime_test_enclave(path.c_str(), ccbox::test::create_flags(backend) | extra_flags,
                                                    ccbox::test::platform_settings(), 1, &e);
        t_enclave = e;
    }
    ~Enclave() {
        if (e)
            ccbox_terminate_enclave(e);
    }
    operator ccbox_enclave_t*() const { return e; }
};

class Runtime : public ::testing::TestWithParam<Backend> {
protected:
    // One enclave per backend for the tests that do not break it.
    static ccbox_enclave_t* shared(Backend backend) {
        static std::map<Backend, std::unique_ptr<Enclave>> enclaves;
        auto& e = enclaves[backend];
        if (!e)
            e = std::make_unique<Enclave>(backend, image("runtime_enclave.signed"));
        EXPECT_EQ(e->created, CCBOX_OK) << ccbox_get_last_error();
        t_enclave = e->e;
        return e->e;
    }
    ccbox_enclave_t* enclave() { return shared(GetParam()); }
};

TEST_P(Runtime, CallsAndBuffers) {
    int sum = 0;
    ASSERT_EQ(rt_add(enclave(), &sum, 40, 2), CCBOX_OK);
    EXPECT_EQ(sum, 42);
    EXPECT_EQ(rt_empty(enclave()), CCBOX_OK);
    std::vector<uint8_t> in(4096), out(4096);
    for (size_t i = 0; i < in.size(); ++i)
        in[i] = static_cast<uint8_t>(i * 31);
    ASSERT_EQ(rt_buffers(enclave(), in.data(), out.data()), CCBOX_OK);
    EXPECT_EQ(in, out);
    EXPECT_EQ(rt_ocall_loop(enclave(), 100), CCBOX_OK);
}

TEST_P(Runtime, PrintfFormatsInsideTheEnclave) {
    const struct {
        int i;
        double d;
        uint64_t u;
    } cases[] = {{0, 0.0, 0}, {-17, 3.14159, 0xdeadbeef}, {2147483647, -1e-300, UINT64_MAX}, {42, 1e300, 12345}};
    for (const auto& c : cases) {
        char enclave_text[256] = {}, host_text[256] = {};
        int n = 0;
        ASSERT_EQ(rt_format(enclave(), &n, enclave_text, sizeof enclave_text, c.i, c.d, c.u), CCBOX_OK);
        int m = std::snprintf(host_text, sizeof host_text, "[%d|%+08.3f|%e|%g|%#llx|%s|%5.2s|%c|%%]", c.i, c.d, c.d,
                              c.d, static_cast<unsigned long long>(c.u), "enclave", "libc", 'Z');
        EXPECT_EQ(n, m);
        EXPECT_STREQ(enclave_text, host_text);
    }
}

TEST_P(Runtime, QsortStrtodTimeAndTheRestOfLibc) {
    std::mt19937 rng(7);
    std::vector<int32_t> values(5000);
    for (auto& v : values)
        v = static_cast<int32_t>(rng());
    auto expected = values;
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(rt_sort(enclave(), values.data(), values.size()), CCBOX_OK);
    EXPECT_EQ(values, expected);

    for (const char* text : {"0.1", "2.2250738585072011e-308", "1e23", "-0x1.8p3", "inf", "123456789012345678901234567890",
                             "4.9406564584124654e-324"}) {
        double d = 0;
        ASSERT_EQ(rt_parse_double(enclave(), &d, text), CCBOX_OK);
        double host = std::strtod(text, nullptr);
        EXPECT_EQ(std::memcmp(&d, &host, sizeof d), 0) << text;
    }
    int64_t now = 0;
    ASSERT_EQ(rt_time(enclave(), &now), CCBOX_OK);
    EXPECT_NEAR(static_cast<double>(now), static_cast<double>(::time(nullptr)), 5.0);
    int failed = -1;
    ASSERT_EQ(rt_libc_misc(enclave(), &failed), CCBOX_OK);
    EXPECT_EQ(failed, 0) << "first failed libc check";
}

// Sends descriptor `fd` to a temporary file until take() returns what was written to it.
class CapturedFd {
public:
    explicit CapturedFd(int fd) : fd_(fd), file_(std::tmpfile()) {
        std::fflush(nullptr);
        if (file_)
            saved_ = ::dup(fd_);
        if (saved_ >= 0 && ::dup2(::fileno(file_), fd_) < 0)
            restore();
    }
    ~CapturedFd() {
        restore();
        if (file_)
            std::fclose(file_);
    }
    CapturedFd(const CapturedFd&) = delete;
    CapturedFd& operator=(const CapturedFd&) = delete;
    bool capturing() const { return saved_ >= 0; }
    std::string take() {
        restore();
        std::string text;
        char chunk[4096];
        ssize_t n;
        for (off_t at = 0; (n = ::pread(::fileno(file_), chunk, sizeof chunk, at)) > 0; at += n)
            text.append(chunk, static_cast<size_t>(n));
        return text;
    }

private:
    void restore() {
        if (saved_ < 0)
            return;
        std::fflush(nullptr);
        ::dup2(saved_, fd_);
        ::close(saved_);
        saved_ = -1;
    }
    int fd_;
    FILE* file_;
    int saved_ = -1;
};

// Enclave stdio goes through an OCALL that the host process writes to its own fd 1 and 2.
TEST_P(Runtime, StdioReachesTheHostsStdoutAndStderr) {
    ccbox_enclave_t* e = enclave();  // before capturing: an isolated enclave may start the platform
    ASSERT_NE(e, nullptr);
    const size_t long_size = 40000;
    int failed = -1;
    ccbox_result_t result = CCBOX_UNEXPECTED;
    std::string out, err;
    {
        CapturedFd captured_out(1), captured_err(2);
        ASSERT_TRUE(captured_out.capturing() && captured_err.capturing()) << std::strerror(errno);
        result = rt_stdio(e, &failed, long_size);  // no gtest output until both are restored
        err = captured_err.take();
        out = captured_out.take();
    }
    ASSERT_EQ(result, CCBOX_OK);
    EXPECT_EQ(failed, 0) << "first stdio call with a wrong result";
    std::string text(long_size, '\0');
    for (size_t i = 0; i < long_size; ++i)
        text[i] = static_cast<char>('a' + i % 26);
    EXPECT_EQ(out, "printf 42 enclave 2.50\nputs adds the newline\nfputs to stdout!\n" + text + "|\n" + text + "\n");
    EXPECT_EQ(err, "fprintf to stderr 0xbeef\nfputs to stderr\n");
}

TEST_P(Runtime, PthreadMutexSpinKeyOnceAndCreateInOneThread) {
    int failed = -1;
    ASSERT_EQ(rt_pthread_misc(enclave(), &failed), CCBOX_OK);
    EXPECT_EQ(failed, 0) << "first failed pthread check";
}

// NumTCS = 4 threads at once: pthread_once runs its routine once while the others wait, each
// TCS keeps its own key value, a held mutex or spin lock is EBUSY to the others, and the locks
// exclude. The TCS threads end when the enclave terminates, and the key's destructor runs then
// for each thread's value.
TEST_P(Runtime, PthreadOnceKeysAndLocksAcrossFourThreads) {
    {
        std::lock_guard lock(g_log_mutex);
        g_log.clear();
    }
    {
        Enclave e(GetParam(), image("runtime_enclave.signed"));
        ASSERT_EQ(e.created, CCBOX_OK);
        std::vector<std::thread> threads;
        std::vector<int> failed(4, -1);
        std::vector<ccbox_result_t> results(4, CCBOX_UNEXPECTED);
        for (int i = 0; i < 4; ++i)
            threads.emplace_back([&, i] { results[i] = rt_pthread_thread(e, &failed[i], i); });
        for (auto& t : threads)
            t.join();
        for (int i = 0; i < 4; ++i) {
            EXPECT_EQ(results[i], CCBOX_OK) << "thread " << i;
            EXPECT_EQ(failed[i], 0) << "thread " << i << ": first failed check";
        }
    }
    std::vector<std::string> destructed;
    {
        std::lock_guard lock(g_log_mutex);
        for (const auto& line : g_log)
            if (line.rfind("pthread key destructor", 0) == 0)
                destructed.push_back(line);
    }
    std::sort(destructed.begin(), destructed.end());
    EXPECT_EQ(destructed, (std::vector<std::string>{"pthread key destructor 0", "pthread key destructor 1",
                                                    "pthread key destructor 2", "pthread key destructor 3"}));
}

TEST_P(Runtime, CxxContainersComputeWhatTheHostComputes) {
    for (uint32_t seed : {1u, 99u, 123456u}) {
        char summary[512] = {};
        int n = 0;
        ASSERT_EQ(rt_cxx_workload(enclave(), &n, seed, summary, sizeof summary), CCBOX_OK);
        EXPECT_EQ(std::string(summary), cxx_workload::run(seed));
    }
}

TEST_P(Runtime, CxxExceptionsStaticsAndThreadLocals) {
    int mask = 0;
    ASSERT_EQ(rt_cxx_exceptions(enclave(), &mask), CCBOX_OK);
    EXPECT_EQ(mask, 15) << "every exception scenario caught inside the enclave";
    int state = 0;
    ASSERT_EQ(rt_static_state(enclave(), &state), CCBOX_OK);
    EXPECT_EQ(state, 43) << "the static constructor ran before the first ECALL";
    int first = 0, second = 0;
    ASSERT_EQ(rt_tls_counter(enclave(), &first), CCBOX_OK);
    ASSERT_EQ(rt_tls_counter(enclave(), &second), CCBOX_OK);
    EXPECT_EQ(second, first + 1) << "thread_local state persists on the TCS";
}

TEST_P(Runtime, StaticDestructorsRunAtTermination) {
    {
        std::lock_guard lock(g_log_mutex);
        g_log.clear();
    }
    {
        Enclave e(GetParam(), image("runtime_enclave.signed"));
        ASSERT_EQ(e.created, CCBOX_OK);
    }
    std::lock_guard lock(g_log_mutex);
    EXPECT_NE(std::find(g_log.begin(), g_log.end(), "static destructor ran"), g_log.end());
}

TEST_P(Runtime, MbedTlsSha256AesGcmAndEcdsaAgreeWithOpenSsl) {
    std::vector<uint8_t> message(1000);
    for (size_t i = 0; i < message.size(); ++i)
        message[i] = static_cast<uint8_t>(i ^ 0x5a);
    uint8_t digest[32];
    int rc = -1;
    ASSERT_EQ(rt_sha256(enclave(), &rc, message.data(), message.size(), digest), CCBOX_OK);
    ASSERT_EQ(rc, 0);
    uint8_t expected[32];
    SHA256(message.data(), message.size(), expected);
    EXPECT_EQ(std::memcmp(digest, expected, 32), 0);

    uint8_t key[32], iv[12], tag[16];
    for (int i = 0; i < 32; ++i)
        key[i] = static_cast<uint8_t>(i);
    std::memset(iv, 7, sizeof iv);
    std::vector<uint8_t> ciphertext(message.size());
    ASSERT_EQ(rt_aes_gcm(enclave(), &rc, key, iv, message.data(), message.size(), ciphertext.data(), tag), CCBOX_OK);
    ASSERT_EQ(rc, 0);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    std::vector<uint8_t> plain(message.size());
    int len = 0, fin = 0;
    EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key, iv);
    EVP_DecryptUpdate(ctx, plain.data(), &len, ciphertext.data(), static_cast<int>(ciphertext.size()));
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag);
    EXPECT_EQ(EVP_DecryptFinal_ex(ctx, plain.data() + len, &fin), 1) << "OpenSSL accepts the enclave's tag";
    EVP_CIPHER_CTX_free(ctx);
    EXPECT_EQ(plain, message);

    uint8_t signature[80], public_key[65];
    size_t sig_size = 0;
    ASSERT_EQ(rt_ecdsa_sign(enclave(), &rc, message.data(), message.size(), signature, sizeof signature, &sig_size,
                            public_key),
              CCBOX_OK);
    ASSERT_EQ(rc, 0);
    EC_KEY* ec = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
    const uint8_t* p = public_key;
    ASSERT_NE(o2i_ECPublicKey(&ec, &p, sizeof public_key), nullptr);
    EXPECT_EQ(ECDSA_verify(0, expected, 32, signature, static_cast<int>(sig_size), ec), 1)
        << "OpenSSL verifies the enclave's ECDSA signature";
    EC_KEY_free(ec);
}

// NumTCS = 4: four host threads are inside at once, each TCS with its own thread-local
// storage (initialised from the image); a fifth is refused at once.
TEST_P(Runtime, FourThreadsRunConcurrentlyAndAFifthIsOutOfThreads) {
    Enclave e(GetParam(), image("runtime_enclave.signed"));
    ASSERT_EQ(e.created, CCBOX_OK);
    {
        std::lock_guard lock(g_hold_mutex);
        g_holding = 0;
        g_released = false;
    }
    std::vector<std::thread> threads;
    std::vector<int> arrivals(4, 0);
    std::vector<ccbox_result_t> results(4, CCBOX_UNEXPECTED);
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&, i] { results[i] = rt_hold(e, &arrivals[i], i); });
    {
        std::unique_lock lock(g_hold_mutex);
        ASSERT_TRUE(g_hold_cv.wait_for(lock, std::chrono::seconds(30), [] { return g_holding == 4; }))
            << "all four threads are inside the enclave at the same time";
    }
    int sum = 0;
    EXPECT_EQ(rt_add(e, &sum, 1, 1), CCBOX_OUT_OF_THREADS);
    {
        std::lock_guard lock(g_hold_mutex);
        g_released = true;
    }
    g_hold_cv.notify_all();
    for (auto& t : threads)
        t.join();
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(results[i], CCBOX_OK);
    std::sort(arrivals.begin(), arrivals.end());
    EXPECT_EQ(arrivals, (std::vector<int>{1, 2, 3, 4}))
        << "-1: a TCS's thread-local storage did not start with the image's values; -2: it was not its own";
    EXPECT_EQ(rt_add(e, &sum, 1, 1), CCBOX_OK) << "TCSs are free again";
}

// Code built with -D_FORTIFY_SOURCE=2 links against the enclave libc's __*_chk functions and
// works; an overflow they catch aborts the enclave.
TEST_P(Runtime, FortifiedCodeWorksAndItsChecksAbortTheEnclave) {
    const auto bytes = ccbox::test::read_bytes(image("runtime_enclave.signed"));
    for (const std::string symbol : {"__memcpy_chk", "__memset_chk", "__strcpy_chk", "__snprintf_chk"})
        EXPECT_NE(std::search(bytes.begin(), bytes.end(), symbol.begin(), symbol.end()), bytes.end())
            << symbol << " is linked into the image";
    Enclave e(GetParam(), image("runtime_enclave.signed"));
    ASSERT_EQ(e.created, CCBOX_OK);
    int r = -1;
    ASSERT_EQ(rt_fortified(e, &r, 16), CCBOX_OK);
    EXPECT_EQ(r, 0);
    EXPECT_EQ(rt_fortified(e, &r, 17), CCBOX_ENCLAVE_ABORTED) << "memcpy of 17 bytes into 16";
    EXPECT_EQ(rt_fortified(e, &r, 1), CCBOX_ENCLAVE_ABORTED) << "and the enclave stays aborted";
}

// What enclave code uses to vet pointers (and the generated EDL code relies on), at the exact
// edges of ELRANGE and for sizes that wrap.
TEST_P(Runtime, WithinAndOutsideEnclaveAtTheEdges) {
    ccbox_enclave_identity_t id;
    ASSERT_EQ(ccbox_get_enclave_identity(enclave(), &id), CCBOX_OK);
    uint32_t failed = ~0u;
    ASSERT_EQ(rt_bounds(enclave(), &failed, id.enclave_base, id.enclave_size), CCBOX_OK);
    EXPECT_EQ(failed, 0u) << "bit i set: check i of rt_bounds (runtime_enclave.cpp) went wrong";
}

TEST_P(Runtime, HeapExhaustionIsNullOrBadAllocAndTheHeapNeverGrows) {
    // The heap of the embedded properties, and the one a configuration file set at signing.
    const std::pair<const char*, uint64_t> images[] = {
        {"runtime_enclave.signed", 1024},       // CCBOX_SET_ENCLAVE_PROPERTIES
        {"runtime_enclave.8mib.signed", 1792},  // epc8mib.conf: NumHeapPages=1792
    };
    for (const auto& [name, pages] : images) {
        SCOPED_TRACE(name);
        Enclave e(GetParam(), image(name));
        ASSERT_EQ(e.created, CCBOX_OK);
        const uint64_t heap = pages * 4096;
        uint64_t total = 0;
        ASSERT_EQ(rt_heap_exhaust_malloc(e, &total), CCBOX_OK);
        EXPECT_LE(total, heap);
        EXPECT_GE(total, heap * 3 / 4) << "most of the heap is usable";
        int caught = 0;
        ASSERT_EQ(rt_heap_exhaust_new(e, &caught), CCBOX_OK);
        EXPECT_EQ(caught, 1) << "operator new throws std::bad_alloc inside the enclave";
        uint64_t again = 0;
        ASSERT_EQ(rt_heap_exhaust_malloc(e, &again), CCBOX_OK);
        EXPECT_EQ(again, total) << "everything was freed and the heap has the same size";
    }
}

// Recursion to just above the bottom of the stack succeeds: all NumStackPages are usable (a
// frame below the bottom hits the guard pages: RuntimeFault's stack_guard).
TEST_P(Runtime, RecursionFillsTheStackOfNumStackPages) {
    const uint64_t stack = 32 * 4096;  // NumStackPages of the image
    const uint64_t margin = 512;
    uint64_t size = 0, reach = 0;
    ASSERT_EQ(rt_stack_reach(enclave(), &reach, margin, &size), CCBOX_OK);
    EXPECT_EQ(size, stack) << "the TD page's layout";
    EXPECT_GE(reach, margin);
    EXPECT_LT(reach, margin + 2048) << "the deepest frame is within a frame of the margin, in the lowest stack page";
}

class RuntimeFault : public ::testing::TestWithParam<std::tuple<Backend, int>> {};

TEST_P(RuntimeFault, AbortsTheEnclaveAndTheHostKeepsRunning) {
    const auto [backend, kind] = GetParam();
    Enclave e(backend, image("runtime_enclave.signed"));
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    int sum = 0;
    ASSERT_EQ(rt_add(e, &sum, 1, 2), CCBOX_OK);
    EXPECT_EQ(rt_fault(e, kind), CCBOX_ENCLAVE_ABORTED);
    EXPECT_EQ(rt_add(e, &sum, 1, 2), CCBOX_ENCLAVE_ABORTED) << "and every later call";
    EXPECT_EQ(rt_empty(e), CCBOX_ENCLAVE_ABORTED);
}

TEST_P(Runtime, NestedOcallToAllowedEcall) {
    int r = 0;
    ASSERT_EQ(rt_nested(enclave(), &r, 5), CCBOX_OK);
    EXPECT_EQ(r, 93) << "rt_nested_inner(5) ran inside host_nested";
    EXPECT_EQ(rt_nested_inner(enclave(), &r, 5), CCBOX_ECALL_NOT_ALLOWED) << "private ECALLs only via allow()";
}

// The loader's refusals, each with its own result.
TEST_P(Runtime, LoaderRefusals) {
    const Backend backend = GetParam();
    ccbox::test::TempDir dir;
    auto tamper = [&](const std::string& source, const std::string& name, auto&& change) {
        auto bytes = ccbox::test::read_bytes(source);
        change(bytes);
        std::string path = dir.file(name);
        ccbox::test::write_bytes(path, bytes);
        return path;
    };
    auto find = [](const std::vector<uint8_t>& bytes, const std::string& text) {
        const std::vector<uint8_t> needle(text.begin(), text.end());
        auto it = std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end());
        return static_cast<size_t>(it - bytes.begin());
    };
    {
        Enclave unsigned_image(backend, image("runtime_enclave"));
        EXPECT_EQ(unsigned_image.created, CCBOX_NOT_SIGNED);
        EXPECT_EQ(unsigned_image.e, nullptr);
    }
    {
        Enclave unsigned_debug(backend, image("runtime_enclave"), CCBOX_ENCLAVE_FLAG_DEBUG);
        EXPECT_EQ(unsigned_debug.created, CCBOX_OK) << "a debug image runs unsigned in debug mode, as in OE";
        ccbox_enclave_identity_t id;
        ASSERT_EQ(ccbox_get_enclave_identity(unsigned_debug, &id), CCBOX_OK);
        EXPECT_TRUE(id.attributes & 0x2) << "DEBUG";
    }
    {
        // Unsigned and its embedded properties say Debug=0: not even debug mode runs it.
        std::string path = tamper(image("runtime_enclave"), "unsigned_production", [&](std::vector<uint8_t>& b) {
            const uint64_t magic = CCBOX_PROPERTIES_MAGIC;
            size_t at = find(b, std::string(reinterpret_cast<const char*>(&magic), sizeof magic));
            ASSERT_LT(at, b.size());
            const size_t flags = at + offsetof(ccbox_enclave_properties_t, config.flags);
            ASSERT_TRUE(b[flags] & CCBOX_CONFIG_FLAG_DEBUG) << "the fixture is a debug image";
            b[flags] &= static_cast<uint8_t>(~CCBOX_CONFIG_FLAG_DEBUG);
        });
        Enclave unsigned_production(backend, path, CCBOX_ENCLAVE_FLAG_DEBUG);
        EXPECT_EQ(unsigned_production.created, CCBOX_NOT_SIGNED);
        EXPECT_EQ(unsigned_production.e, nullptr);
        EXPECT_NE(std::string(ccbox_get_last_error()).find("when their properties allow debug"), std::string::npos)
            << ccbox_get_last_error();
    }
    {
        std::string path = tamper(image("runtime_enclave.signed"), "changed", [&](std::vector<uint8_t>& b) {
            size_t at = find(b, "static destructor ran");  // measured read-only data
            ASSERT_LT(at, b.size());
            b[at] ^= 1;
        });
        Enclave changed(backend, path);
        EXPECT_EQ(changed.created, CCBOX_MEASUREMENT_MISMATCH);
    }
    {
        std::string path = tamper(image("runtime_enclave.signed"), "badsig", [&](std::vector<uint8_t>& b) {
            size_t sig = find(b, std::string("\x06\x00\x00\x00\xe1\x00\x00\x00\x00\x00\x01\x00", 12));
            ASSERT_LT(sig, b.size());
            b[sig + 600] ^= 1;  // inside SIGNATURE
        });
        Enclave bad_signature(backend, path);
        EXPECT_EQ(bad_signature.created, CCBOX_INVALID_SIGNATURE);
    }
    {
        Enclave production_in_debug(backend, image("runtime_enclave.production.signed"), CCBOX_ENCLAVE_FLAG_DEBUG);
        EXPECT_EQ(production_in_debug.created, CCBOX_DEBUG_DOWNGRADE);
        Enclave production(backend, image("runtime_enclave.production.signed"));
        EXPECT_EQ(production.created, CCBOX_OK);
    }
    {
        std::string path = tamper(image("runtime_enclave.signed"), "truncated", [](std::vector<uint8_t>& b) {
            b.resize(b.size() / 3);
        });
        Enclave truncated(backend, path);
        EXPECT_EQ(truncated.created, CCBOX_INVALID_IMAGE);
    }
}

// The C++ layer: RAII ownership, calls through generated proxies, and ccbox::Error for every
// failure (creation refusals, aborted enclaves, use after move).
TEST_P(Runtime, CxxWrapperOwnsTheEnclaveAndThrowsCcboxError) {
    const Backend backend = GetParam();
    const ccbox_enclave_setting_platform_t* p = ccbox::test::platform_settings()->u.platform;
    const ccbox::Platform platform{p->socket_path ? p->socket_path : "", p->state_dir ? p->state_dir : ""};
    const uint32_t flags = ccbox::test::create_flags(backend);
    {
        std::lock_guard lock(g_log_mutex);
        g_log.clear();
    }
    {
        ccbox::Enclave e(ccbox_create_runtime_test_enclave, image("runtime_enclave.signed"), flags, &platform);
        ASSERT_TRUE(e);
        EXPECT_EQ(e.call_returning<int>(rt_add, 40, 2), 42);
        e.call(rt_empty);
        EXPECT_EQ(e.identity().backend, backend == Backend::kSim ? CCBOX_BACKEND_SIM : CCBOX_BACKEND_ISOLATED);
        EXPECT_EQ(std::memcmp(e.target_info().bytes, e.identity().mrenclave, 32), 0) << "TARGETINFO.MRENCLAVE";

        ccbox::Enclave moved = std::move(e);
        EXPECT_FALSE(e);
        EXPECT_EQ(moved.call_returning<int>(rt_add, 1, 2), 3);
        try {
            e.call(rt_empty);
            ADD_FAILURE() << "a moved-from enclave must throw";
        } catch (const ccbox::Error& error) {
            EXPECT_EQ(error.code(), CCBOX_INVALID_PARAMETER);
        }
        // Leaving the scope terminates `moved`: its static destructor logs through an OCALL.
    }
    {
        std::lock_guard lock(g_log_mutex);
        EXPECT_EQ(std::count(g_log.begin(), g_log.end(), "static destructor ran"), 1);
    }
    try {
        ccbox::Enclave unsigned_image(ccbox_create_runtime_test_enclave, image("runtime_enclave"), flags, &platform);
        ADD_FAILURE() << "an unsigned image must be refused";
    } catch (const ccbox::Error& error) {
        EXPECT_EQ(error.code(), CCBOX_NOT_SIGNED);
        EXPECT_NE(std::string(error.what()).find("cannot create the enclave"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("CCBOX_NOT_SIGNED"), std::string::npos) << error.what();
    }
    ccbox::Enclave faulting(ccbox_create_runtime_test_enclave, image("runtime_enclave.signed"), flags, &platform);
    try {
        faulting.call(rt_fault, RT_FAULT_NULL);
        ADD_FAILURE() << "a fault must throw";
    } catch (const ccbox::Error& error) {
        EXPECT_EQ(error.code(), CCBOX_ENCLAVE_ABORTED);
    }
    EXPECT_THROW(faulting.call_returning<int>(rt_add, 1, 2), ccbox::Error) << "and every later call";
    faulting.terminate();
    EXPECT_FALSE(faulting);
}

INSTANTIATE_TEST_SUITE_P(Backends, Runtime, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

using FaultParam = std::tuple<Backend, int>;
std::string fault_name(const ::testing::TestParamInfo<FaultParam>& info) {
    static const char* kNames[] = {"null",         "abort",        "recursion",     "assert",
                                   "ud2",          "syscall",      "pure_virtual",  "stack_smash",
                                   "write_rodata", "execute_heap", "execute_stack", "write_text",
                                   "stack_guard"};
    return ccbox::test::backend_name(std::get<0>(info.param)) + "_" + kNames[std::get<1>(info.param)];
}

INSTANTIATE_TEST_SUITE_P(Faults, RuntimeFault,
                         ::testing::Combine(::testing::ValuesIn(ccbox::test::backends_under_test()),
                                            ::testing::Values(RT_FAULT_NULL, RT_FAULT_ABORT, RT_FAULT_RECURSION,
                                                              RT_FAULT_ASSERT, RT_FAULT_ILLEGAL_INSTRUCTION,
                                                              RT_FAULT_PURE_VIRTUAL, RT_FAULT_STACK_SMASH,
                                                              RT_FAULT_WRITE_RODATA, RT_FAULT_EXECUTE_HEAP,
                                                              RT_FAULT_EXECUTE_STACK, RT_FAULT_WRITE_TEXT,
                                                              RT_FAULT_STACK_GUARD)),
                         fault_name);

// MRENCLAVE does not depend on the backend, and equals what `ccbox inspect` says.
TEST(RuntimeBackends, SameMrenclaveInEveryBackend) {
    auto inspect = ccbox::test::run({ccbox::test::ccbox_tool(), "inspect", "--json", image("runtime_enclave.signed")});
    ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
    std::vector<std::string> seen;
    for (Backend backend : ccbox::test::backends_under_test()) {
        Enclave e(backend, image("runtime_enclave.signed"));
        ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
        ccbox_enclave_identity_t id;
        ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
        EXPECT_EQ(id.backend, backend == Backend::kSim ? CCBOX_BACKEND_SIM : CCBOX_BACKEND_ISOLATED);
        char hex[65];
        for (int i = 0; i < 32; ++i)
            std::snprintf(hex + 2 * i, 3, "%02x", id.mrenclave[i]);
        EXPECT_NE(inspect.out.find(hex), std::string::npos) << "measured " << hex;
    }
}

}  // namespace
