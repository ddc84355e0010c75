// The host of the Intel SGX SDK-style sample, written as an SGX SDK application is: an
// sgx_enclave_id_t, sgx_status_t results, proxies called as `ecall_f(eid, &retval, ...)`, and
// the OCALLs it implements; only the creation call is ccbox's (docs/edl.md, "Intel SGX SDK
// style"). Runs in the sim backend, and in the isolated one with CCBOX_TEST_BACKEND=isolated.
#include "sample_enclave_u.h"
#include "sgx_urts.h"

#include <gtest/gtest.h>

#include <cpuid.h>
#include <cerrno>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

// sgx_pthread.edl's OCALLs, which this sample does not import (ccbox::host answers them).
extern "C" int pthread_create_ocall(unsigned long long self);
extern "C" int pthread_wakeup_ocall(unsigned long long waiter);
extern "C" int pthread_wait_timeout_ocall(unsigned long long waiter, unsigned long long timeout);
// The two sgx_tstdc.edl OCALLs the sample does not import.
extern "C" int sgx_thread_setwait_untrusted_events_ocall(const void* waiter, const void* self);
extern "C" int sgx_thread_set_multiple_untrusted_events_ocall(const void** waiters, size_t total);

namespace {

sgx_enclave_id_t global_eid = 0;
std::string state_dir;  // the isolated run's private platform state
std::string g_last_log;
int g_ocall_in_seen = 0;
int g_conventions = 0;

bool isolated() {
    const char* backend = std::getenv("CCBOX_TEST_BACKEND");
    return backend && std::strcmp(backend, "isolated") == 0;
}

class SampleEnclave : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        uint32_t flags = CCBOX_ENCLAVE_FLAG_DEBUG;
        ccbox_enclave_setting_platform_t platform{};
        ccbox_enclave_setting_t setting{};
        if (isolated()) {
            ::setenv("CCBOX_PLATFORM_IDLE_EXIT", "10", 0);
            ::setenv("CCBOX_PLATFORM_PATH", SGX_SAMPLE_PLATFORM_PATH, 0);
            std::string tmpl = (std::filesystem::temp_directory_path() / "ccbox-sgx-sample-XXXXXX").string();
            state_dir = ::mkdtemp(tmpl.data());
            platform.state_dir = state_dir.c_str();
            setting.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
            setting.u.platform = &platform;
            flags |= CCBOX_ENCLAVE_FLAG_ISOLATED;
        } else {
            flags |= CCBOX_ENCLAVE_FLAG_SIMULATE;
        }
        sgx_status_t ret = ccbox_create_sample_enclave_enclave(SGX_SAMPLE_ENCLAVE_PATH, flags,
                                                               isolated() ? &setting : nullptr, isolated() ? 1 : 0,
                                                               &global_eid);
        ASSERT_EQ(ret, SGX_SUCCESS) << ccbox_result_str(ret) << " " << ccbox_get_last_error();
    }
    static void TearDownTestSuite() {
        if (global_eid) {
            EXPECT_EQ(sgx_destroy_enclave(global_eid), SGX_SUCCESS);
        }
        global_eid = 0;
        if (!state_dir.empty())
            std::filesystem::remove_all(state_dir);
    }
    void SetUp() override { ASSERT_NE(global_eid, nullptr); }
};

TEST_F(SampleEnclave, Values) {
    char c = 0;
    ASSERT_EQ(ecall_value_char(global_eid, &c, 'a'), SGX_SUCCESS);
    EXPECT_EQ(c, 'b');
    long l = 0;
    ASSERT_EQ(ecall_value_long(global_eid, &l, -5, 6ul, 1ll << 40, 3ull), SGX_SUCCESS);
    EXPECT_EQ(l, (1l << 40) + 4);
    double d = 0;
    ASSERT_EQ(ecall_value_floats(global_eid, &d, 1.5f, 4.0), SGX_SUCCESS);
    EXPECT_EQ(d, 6.0);
    size_t s = 0;
    ASSERT_EQ(ecall_value_size(global_eid, &s, 100, L'A'), SGX_SUCCESS);
    EXPECT_EQ(s, 100u + 'A');
    uint64_t p = 0;
    ASSERT_EQ(ecall_value_pair(global_eid, &p, pair_t{7, 9}), SGX_SUCCESS);
    EXPECT_EQ(p, 7009u);
    word_t word{};
    word.halves[0] = 11;
    word.halves[1] = 22;
    int level = 0;
    ASSERT_EQ(ecall_value_level(global_eid, &level, LEVEL_HIGH, word), SGX_SUCCESS);
    EXPECT_EQ(level, 22);
    ASSERT_EQ(ecall_value_level(global_eid, &level, LEVEL_LOW, word), SGX_SUCCESS);
    EXPECT_EQ(level, 11);
    // An sgx_status_t the enclave returns is its own value, not the call's result.
    sgx_status_t inner = SGX_ERROR_UNEXPECTED;
    ASSERT_EQ(ecall_value_status(global_eid, &inner, 0), SGX_SUCCESS);
    EXPECT_EQ(inner, SGX_SUCCESS);
    ASSERT_EQ(ecall_value_status(global_eid, &inner, 1), SGX_SUCCESS);
    EXPECT_EQ(inner, SGX_ERROR_INVALID_PARAMETER);
}

TEST_F(SampleEnclave, Pointers) {
    int host_value = 3;
    size_t r = 0;
    ASSERT_EQ(ecall_ptr_user_check(global_eid, &r, &host_value, 5), SGX_SUCCESS);
    EXPECT_EQ(r, reinterpret_cast<uintptr_t>(&host_value) ^ 5u);  // the address went through unchanged
    int in = 21, ret = 0;
    ASSERT_EQ(ecall_ptr_in(global_eid, &ret, &in), SGX_SUCCESS);
    EXPECT_EQ(ret, 42);
    int out = -7;
    ASSERT_EQ(ecall_ptr_out(global_eid, &out), SGX_SUCCESS);
    EXPECT_EQ(out, 1234);
    int io = 9;
    ASSERT_EQ(ecall_ptr_in_out(global_eid, &io), SGX_SUCCESS);
    EXPECT_EQ(io, 10);
    char text[] = "hello sgx";
    ASSERT_EQ(ecall_ptr_string(global_eid, &r, text), SGX_SUCCESS);
    EXPECT_EQ(r, 9u);
    EXPECT_STREQ(text, "HELLO SGX");
    ASSERT_EQ(ecall_ptr_string_const(global_eid, &r, "four"), SGX_SUCCESS);
    EXPECT_EQ(r, 4u);
    uint8_t bytes[5] = {1, 2, 3, 4, 5};
    ASSERT_EQ(ecall_ptr_size(global_eid, bytes, sizeof bytes), SGX_SUCCESS);
    EXPECT_EQ(std::memcmp(bytes, "\5\4\3\2\1", 5), 0);
    int values[3] = {1, 2, 3};
    ASSERT_EQ(ecall_ptr_count(global_eid, &ret, values, 3), SGX_SUCCESS);
    EXPECT_EQ(ret, 6);
    EXPECT_EQ(values[2], -3);
    uint8_t data[4] = {10, 20, 30, 40};
    uint32_t sum = 0;
    ASSERT_EQ(ecall_ptr_isptr(global_eid, &sum, data, sizeof data), SGX_SUCCESS);
    EXPECT_EQ(sum, 100u);
    ASSERT_EQ(ecall_ptr_ocalls(global_eid, &ret), SGX_SUCCESS);
    EXPECT_EQ(ret, 99 + 10);
    EXPECT_EQ(g_ocall_in_seen, 7);
}

TEST_F(SampleEnclave, Arrays) {
    int values[4] = {1, 2, 3, 4}, ret = 0;
    ASSERT_EQ(ecall_array_user_check(global_eid, &ret, values), SGX_SUCCESS);
    EXPECT_EQ(ret, 1);
    ASSERT_EQ(ecall_array_in(global_eid, &ret, values), SGX_SUCCESS);
    EXPECT_EQ(ret, 10);
    int out[4] = {-1, -1, -1, -1};
    ASSERT_EQ(ecall_array_out(global_eid, out), SGX_SUCCESS);
    EXPECT_EQ(out[3], 9);
    ASSERT_EQ(ecall_array_in_out(global_eid, values), SGX_SUCCESS);
    EXPECT_EQ(values[1], 20);
    quartet_t q = {5, 6, 7, 8};
    ASSERT_EQ(ecall_array_isary(global_eid, &ret, q), SGX_SUCCESS);
    EXPECT_EQ(ret, 26);
    uint8_t grid[2][3] = {{1, 2, 3}, {4, 5, 6}};
    ASSERT_EQ(ecall_array_2d(global_eid, &ret, grid), SGX_SUCCESS);
    EXPECT_EQ(ret, 6 + 2 * 15);
}

TEST_F(SampleEnclave, PrivateEcallOnlyThroughItsOcall) {
    int ret = 0;
    EXPECT_EQ(ecall_private_answer(global_eid, &ret), SGX_ERROR_ECALL_NOT_ALLOWED);
    ASSERT_EQ(ecall_call_private_through_ocall(global_eid, &ret), SGX_SUCCESS);
    EXPECT_EQ(ret, 42);
    EXPECT_EQ(g_conventions, 1 + 2 + 3);
}

TEST_F(SampleEnclave, SystemEdlOcalls) {
    int regs[4] = {0, 0, 0, 0}, ret = 0;
    ASSERT_EQ(ecall_cpuid(global_eid, &ret, regs, 0), SGX_SUCCESS);
    EXPECT_EQ(ret, 1);
    unsigned a = 0, b = 0, c = 0, d = 0;
    __cpuid_count(0, 0, a, b, c, d);
    EXPECT_EQ(static_cast<unsigned>(regs[1]), b);  // the vendor string's first four letters
    ASSERT_EQ(ecall_count_events(global_eid, &ret, 5), SGX_SUCCESS);
    EXPECT_EQ(ret, 5);
    EXPECT_EQ(g_last_log, "events done");
}

// The untrusted events behind sgx_tstdc.edl's thread OCALLs, called as the generated OCALL
// wrappers call them.
TEST(SgxTstdcEvents, AWakeUpBeforeTheWaitIsKeptAndCounted) {
    static int key;
    EXPECT_EQ(sgx_thread_set_untrusted_event_ocall(&key), 0);
    EXPECT_EQ(sgx_thread_set_untrusted_event_ocall(&key), 0);
    EXPECT_EQ(sgx_thread_wait_untrusted_event_ocall(&key), 0);  // returns: two wake-ups pending
    EXPECT_EQ(sgx_thread_wait_untrusted_event_ocall(&key), 0);  // and one is still there
}

TEST(SgxTstdcEvents, WakesAWaiterOnAnotherThread) {
    static int a, b;
    std::thread waiter([&] {
        EXPECT_EQ(sgx_thread_wait_untrusted_event_ocall(&b), 0);
        EXPECT_EQ(sgx_thread_set_untrusted_event_ocall(&a), 0);
    });
    // Wakes b and waits on a, which only the woken thread sets: both must run.
    EXPECT_EQ(sgx_thread_setwait_untrusted_events_ocall(&b, &a), 0);
    waiter.join();
}

TEST(SgxTstdcEvents, SetMultipleWakesEachAndNullKeysAreRefused) {
    static int a, b;  // keys of their own: a wake-up left pending must not reach another test
    const void* bad[] = {&a, nullptr};
    EXPECT_EQ(sgx_thread_set_multiple_untrusted_events_ocall(bad, 2), EINVAL);
    static int c, d;
    const void* good[] = {&c, &d};
    EXPECT_EQ(sgx_thread_set_multiple_untrusted_events_ocall(good, 2), 0);
    EXPECT_EQ(sgx_thread_wait_untrusted_event_ocall(&c), 0);
    EXPECT_EQ(sgx_thread_wait_untrusted_event_ocall(&d), 0);
    EXPECT_EQ(sgx_thread_wait_untrusted_event_ocall(nullptr), EINVAL);
    EXPECT_EQ(sgx_thread_set_untrusted_event_ocall(nullptr), EINVAL);
    EXPECT_EQ(sgx_thread_setwait_untrusted_events_ocall(&b, nullptr), EINVAL);
}

TEST_F(SampleEnclave, TheSgxPthreadOcallsSayTheyAreNotThere) {
    // Answered by the host library for enclaves that import sgx_pthread.edl (docs/edl.md).
    EXPECT_EQ(pthread_create_ocall(1), ENOSYS);
    EXPECT_EQ(pthread_wakeup_ocall(1), ENOSYS);
    EXPECT_EQ(pthread_wait_timeout_ocall(1, 1), ENOSYS);
}

}  // namespace

// The OCALLs of sample_enclave.edl, as the application implements them.
extern "C" {
void ocall_log(const char* message) { g_last_log = message; }
void ocall_ptr_user_check(int* where) { EXPECT_NE(where, nullptr); }  // an enclave address: not ours to read
void ocall_ptr_in(const int* value) { g_ocall_in_seen = *value; }
void ocall_ptr_out(int* value) {
    EXPECT_EQ(*value, 0);  // [out] starts zeroed, whatever the enclave had there
    *value = 99;
}
void ocall_ptr_in_out(int* value) { *value *= 2; }
void ocall_cdecl(int x) { g_conventions += x; }
void ocall_stdcall(int x) { g_conventions += x; }
void ocall_fastcall(int x) { g_conventions += x; }
int ocall_allowing_private(void) {
    int answer = 0;
    return ecall_private_answer(global_eid, &answer) == SGX_SUCCESS ? answer : -1;
}
}
