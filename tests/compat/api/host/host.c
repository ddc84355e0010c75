/* The host side of the OE API test (tests/compat/oe_api.sh): creation arguments and settings,
 * results, the log callback, ECALLs/OCALLs with transition_using_threads. Exit 0: all passed. */
#include <openenclave/host.h>
#include <openenclave/trace.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "oe_api_u.h"

static int failures;
#define CHECK(cond)                                                      \
    do {                                                                 \
        if (!(cond)) {                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            ++failures;                                                  \
        }                                                                \
    } while (0)

/* Which threads ran the switchless OCALLs: a host worker, or (the fallback) the calling thread. */
static _Thread_local int is_caller;
static atomic_int calls_total, calls_on_callers;

static void count_call(void)
{
    atomic_fetch_add(&calls_total, 1);
    if (is_caller)
        atomic_fetch_add(&calls_on_callers, 1);
}

int host_add_switchless(int a, int b)
{
    count_call();
    return a + b;
}

/* host_wait_switchless holds the only worker until host_signal_switchless runs: which it can
 * only do by falling back to an ordinary OCALL. Without the fallback it never would; the wait
 * gives up after 60 s so that the test fails instead of hanging. */
static atomic_int waiting, signalled;
static pthread_t wait_thread, signal_thread;

int host_wait_switchless(void)
{
    wait_thread = pthread_self();
    atomic_store(&waiting, 1);
    for (int i = 0; i < 60000 && !atomic_load(&signalled); ++i) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    return atomic_load(&signalled) ? 0 : 1;
}

void host_signal_switchless(void)
{
    signal_thread = pthread_self();
    atomic_store(&signalled, 1);
}

struct waiter {
    oe_enclave_t* enclave;
    int ret;
    oe_result_t result;
};

static void* run_wait(void* arg)
{
    struct waiter* w = (struct waiter*)arg;
    w->result = call_wait(w->enclave, &w->ret);
    return NULL;
}

struct adder {
    oe_enclave_t* enclave;
    int ret;
    oe_result_t result;
};

static void* run_add(void* arg)
{
    struct adder* a = (struct adder*)arg;
    is_caller = 1;
    a->result = add_many(a->enclave, &a->ret, 3000);
    return NULL;
}

static int log_calls;
static char log_text[512];
static void on_log(void* context, bool is_enclave, const struct tm* t, long usecs, oe_log_level_t level,
                   uint64_t thread_id, const char* message)
{
    (void)t;
    (void)usecs;
    (void)thread_id;
    if (context == &log_calls && !is_enclave && level == OE_LOG_LEVEL_ERROR) {
        ++log_calls;
        snprintf(log_text, sizeof log_text, "%s", message);
    }
}

static oe_result_t create(const char* path, oe_enclave_type_t type, uint32_t flags, const oe_enclave_setting_t* s,
                          uint32_t n, oe_enclave_t** e)
{
    *e = (oe_enclave_t*)1; /* must be reset */
    return oe_create_oe_api_enclave(path, type, flags, s, n, e);
}

int main(int argc, const char* argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s enclave.signed\n", argv[0]);
        return 2;
    }
    const char* path = argv[1];
    uint32_t flags = OE_ENCLAVE_FLAG_DEBUG;
    if (getenv("OE_API_SIMULATE"))
        flags |= OE_ENCLAVE_FLAG_SIMULATE;
    oe_enclave_t* e = NULL;

    /* refusals, each with no enclave */
    CHECK(create(path, OE_ENCLAVE_TYPE_OPTEE, flags, NULL, 0, &e) == OE_UNSUPPORTED && !e);
    CHECK(create(path, OE_ENCLAVE_TYPE_SGX, flags | OE_ENCLAVE_FLAG_SGX_KSS, NULL, 0, &e) == OE_UNSUPPORTED && !e);
    CHECK(create(path, OE_ENCLAVE_TYPE_SGX, flags | 0x8u, NULL, 0, &e) == OE_INVALID_PARAMETER && !e);
    CHECK(create(path, OE_ENCLAVE_TYPE_SGX, flags, NULL, 1, &e) == OE_INVALID_PARAMETER && !e);
    oe_sgx_enclave_setting_config_data config = {{1}, 1, false};
    oe_enclave_setting_t config_setting = {.setting_type = OE_SGX_ENCLAVE_CONFIG_DATA, .u.config_data = &config};
    CHECK(create(path, OE_ENCLAVE_TYPE_SGX, flags, &config_setting, 1, &e) == OE_UNSUPPORTED && !e);
    oe_enclave_setting_t eeid = {.setting_type = OE_EXTENDED_ENCLAVE_INITIALIZATION_DATA};
    CHECK(create(path, OE_ENCLAVE_TYPE_SGX, flags, &eeid, 1, &e) == OE_UNSUPPORTED && !e);
    oe_enclave_setting_t unknown = {.setting_type = (oe_enclave_setting_type_t)0x1234};
    CHECK(create(path, OE_ENCLAVE_TYPE_SGX, flags, &unknown, 1, &e) == OE_INVALID_PARAMETER && !e);
    oe_enclave_setting_t null_switchless = {.setting_type = OE_ENCLAVE_SETTING_CONTEXT_SWITCHLESS};
    CHECK(create(path, OE_ENCLAVE_TYPE_SGX, flags, &null_switchless, 1, &e) == OE_INVALID_PARAMETER && !e);
    CHECK(strcmp(oe_result_str(OE_UNSUPPORTED), "OE_UNSUPPORTED") == 0);
    CHECK(strcmp(oe_result_str(CCBOX_NOT_SIGNED), "CCBOX_NOT_SIGNED") == 0);

    /* the host's messages go to the log callback */
    CHECK(oe_log_set_callback(&log_calls, on_log) == OE_OK);
    CHECK(create("/nonexistent/enclave.signed", OE_ENCLAVE_TYPE_AUTO, flags, NULL, 0, &e) != OE_OK && !e);
    CHECK(log_calls >= 1 && strstr(log_text, "/nonexistent/enclave.signed") != NULL);
    CHECK(oe_log_set_callback(NULL, NULL) == OE_OK);

    /* a real enclave, with the switchless setting and an ignorable CONFIGID. No enclave worker:
     * one would hold one of the two TCSs, and the tests below make two ECALLs at once (the
     * enclave workers are tested in tests/runtime/switchless and by OE's switchless sample). */
    oe_enclave_setting_context_switchless_t switchless = {1, 0};
    config.ignore_if_unsupported = true;
    oe_enclave_setting_t settings[] = {
        {.setting_type = OE_ENCLAVE_SETTING_CONTEXT_SWITCHLESS, .u.context_switchless_setting = &switchless},
        {.setting_type = OE_SGX_ENCLAVE_CONFIG_DATA, .u.config_data = &config},
    };
    oe_result_t r = create(path, OE_ENCLAVE_TYPE_AUTO, flags, settings, OE_COUNTOF(settings), &e);
    CHECK(r == OE_OK);
    if (r != OE_OK) {
        fprintf(stderr, "oe_create_oe_api_enclave: %s\n", oe_result_str(r));
        return 1;
    }
    /* OE_SET_ENCLAVE_SGX's values are the enclave's (it was signed without a .conf) */
    ccbox_enclave_identity_t id;
    CHECK(ccbox_get_enclave_identity(e, &id) == CCBOX_OK && id.isvprodid == 7 && id.isvsvn == 3 && id.tcs_count == 2);

    int ret = -1;
    static char host_buffer[16];
    CHECK(check_enclave_api(e, &ret, host_buffer) == OE_OK && ret == 0);
    if (ret)
        fprintf(stderr, "check_enclave_api: check %d failed (host pointer %p, ELRANGE 0x%llx + 0x%llx)\n", ret,
                (void*)host_buffer, (unsigned long long)id.enclave_base, (unsigned long long)id.enclave_size);
    const uint8_t data[100] = {1, 2, 3};
    CHECK(seal_roundtrip(e, &ret, OE_SEAL_POLICY_UNIQUE, data, sizeof data) == OE_OK && ret == 0);
    CHECK(seal_roundtrip(e, &ret, OE_SEAL_POLICY_PRODUCT, data, sizeof data) == OE_OK && ret == 0);
    CHECK(check_seal_settings(e, &ret) == OE_OK && ret == 0);
    CHECK(check_unsupported(e, &ret) == OE_OK && ret == 0);
    CHECK(check_log_callback(e, &ret) == OE_OK && ret == 0);
    is_caller = 1;
    for (int i = 0; i < 100; ++i) {
        ret = 0;
        CHECK(echo_switchless(e, &ret, i) == OE_OK && ret == i + 1);
    }
    CHECK(atomic_load(&calls_total) == 100);

    /* the fallback: the one worker is held by a switchless OCALL that waits for another, which
     * finds no free slot and must run as an ordinary OCALL on this thread. (If the wait itself
     * was not taken by the worker in time it ran as an ordinary OCALL: try again.) */
    int on_worker = 0;
    for (int attempt = 0; attempt < 20 && !on_worker; ++attempt) {
        atomic_store(&waiting, 0);
        atomic_store(&signalled, 0);
        struct waiter w = {e, -1, OE_FAILURE};
        pthread_t t;
        CHECK(pthread_create(&t, NULL, run_wait, &w) == 0);
        while (!atomic_load(&waiting)) {
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, NULL);
        }
        on_worker = !pthread_equal(wait_thread, t);
        CHECK(call_signal(e, &ret) == OE_OK && ret == 0);
        pthread_join(t, NULL);
        CHECK(w.result == OE_OK && w.ret == 0);
        if (on_worker)
            CHECK(pthread_equal(signal_thread, pthread_self())); /* the signal fell back to this thread */
    }
    CHECK(on_worker); /* a host worker served switchless OCALLs at all */

    /* contention: two callers, one worker; every request answered exactly once */
    atomic_store(&calls_total, 0);
    atomic_store(&calls_on_callers, 0);
    struct adder a[2] = {{e, -1, OE_FAILURE}, {e, -1, OE_FAILURE}};
    pthread_t adders[2];
    for (int i = 0; i < 2; ++i)
        CHECK(pthread_create(&adders[i], NULL, run_add, &a[i]) == 0);
    for (int i = 0; i < 2; ++i) {
        pthread_join(adders[i], NULL);
        CHECK(a[i].result == OE_OK && a[i].ret == 0);
    }
    CHECK(atomic_load(&calls_total) == 6000);
    printf("switchless contention: %d of 6000 OCALLs fell back to the calling thread\n",
           atomic_load(&calls_on_callers));
    CHECK(oe_terminate_enclave(e) == OE_OK);
    if (failures)
        fprintf(stderr, "%d checks failed\n", failures);
    else
        printf("oe_api: all checks passed\n");
    return failures ? 1 : 0;
}
