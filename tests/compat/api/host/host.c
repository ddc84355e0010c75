/* The host side of the OE API test (tests/compat/oe_api.sh): creation arguments and settings,
 * results, the log callback, ECALLs/OCALLs with transition_using_threads. Exit 0: all passed. */
#include <openenclave/host.h>
#include <openenclave/trace.h>

#include <stdio.h>
#include <string.h>

#include "oe_api_u.h"

static int failures;
#define CHECK(cond)                                                      \
    do {                                                                 \
        if (!(cond)) {                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            ++failures;                                                  \
        }                                                                \
    } while (0)

int host_add_switchless(int a, int b) { return a + b; }

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

    /* a real enclave, with the switchless setting and an ignorable CONFIGID */
    oe_enclave_setting_context_switchless_t switchless = {1, 1};
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
    for (int i = 0; i < 100; ++i) {
        ret = 0;
        CHECK(echo_switchless(e, &ret, i) == OE_OK && ret == i + 1);
    }
    CHECK(oe_terminate_enclave(e) == OE_OK);
    if (failures)
        fprintf(stderr, "%d checks failed\n", failures);
    else
        printf("oe_api: all checks passed\n");
    return failures ? 1 : 0;
}
