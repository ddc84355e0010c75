/* The enclave side of the OE API test: each ECALL returns 0 or the number of the failed check. */
#include <openenclave/attestation/attester.h>
#include <openenclave/debugmalloc.h>
#include <openenclave/enclave.h>
#include <openenclave/seal.h>

#include <string.h>

#include "oe_api_t.h"

OE_SET_ENCLAVE_SGX(7,    /* ProductID */
                   3,    /* SecurityVersion */
                   true, /* Debug */
                   256,  /* NumHeapPages */
                   32,   /* NumStackPages */
                   2);   /* NumTCS */

#define CHECK(n, cond) \
    do {               \
        if (!(cond))   \
            return n;  \
    } while (0)

int check_enclave_api(const void* host_pointer)
{
    static int inside;
    CHECK(1, oe_is_within_enclave(&inside, sizeof inside));
    CHECK(2, !oe_is_outside_enclave(&inside, sizeof inside));
    /* (ccbox's isolated backend calls outside only the host memory an enclave can reach, the
     * arena: a user_check pointer to the host's own memory is neither; docs/openenclave.md) */
    CHECK(3, !oe_is_within_enclave(host_pointer, 16));
    CHECK(4, !oe_is_outside_enclave(&inside, (size_t)1 << 40)); /* starts inside: not outside */
    void* h = oe_host_malloc(64);
    CHECK(5, h && oe_is_outside_enclave(h, 64));
    oe_host_free(h);
    uint8_t r[32] = {0}, zero[32] = {0};
    CHECK(6, oe_random(r, sizeof r) == OE_OK && memcmp(r, zero, sizeof r) != 0);
    CHECK(7, strcmp(oe_result_str(OE_OK), "OE_OK") == 0);
    CHECK(8, strcmp(oe_result_str(OE_SGX_QUOTE_LIBRARY_ERROR), "OE_SGX_QUOTE_LIBRARY_ERROR") == 0);
    uint8_t *key = NULL, *info = NULL, *key2 = NULL;
    size_t key_size = 0, info_size = 0, key2_size = 0;
    CHECK(9, oe_get_seal_key_by_policy(OE_SEAL_POLICY_UNIQUE, &key, &key_size, &info, &info_size) == OE_OK);
    CHECK(10, oe_get_seal_key(info, info_size, &key2, &key2_size) == OE_OK);
    CHECK(11, key_size == key2_size && memcmp(key, key2, key_size) == 0);
    oe_free_seal_key(key, info);
    oe_free_key(key2, key2_size, NULL, 0);
    return 0;
}

int seal_roundtrip(int policy, const uint8_t* data, size_t n)
{
    const oe_seal_setting_t settings[] = {OE_SEAL_SET_POLICY(policy)};
    const uint8_t aad[] = "context";
    uint8_t *blob = NULL, *plain = NULL;
    size_t blob_size = 0, plain_size = 0;
    CHECK(1, oe_seal(NULL, settings, 1, data, n, aad, sizeof aad, &blob, &blob_size) == OE_OK);
    CHECK(2, oe_unseal(blob, blob_size, aad, sizeof aad, &plain, &plain_size) == OE_OK);
    CHECK(3, plain_size == n && memcmp(plain, data, n) == 0);
    oe_free(plain);
    /* a flipped bit, another aad: refused, nothing released */
    blob[blob_size - 1] ^= 1;
    plain = NULL;
    CHECK(4, oe_unseal(blob, blob_size, aad, sizeof aad, &plain, &plain_size) != OE_OK && plain == NULL);
    blob[blob_size - 1] ^= 1;
    CHECK(5, oe_unseal(blob, blob_size, aad, sizeof aad - 1, &plain, &plain_size) != OE_OK && plain == NULL);
    oe_free(blob);
    return 0;
}

int check_seal_settings(void)
{
    const uint8_t data[4] = {1, 2, 3, 4};
    uint8_t* blob = NULL;
    size_t size = 0;
    const oe_seal_setting_t none[1] = {OE_SEAL_SET_POLICY(OE_SEAL_POLICY_UNIQUE)};
    CHECK(1, oe_seal(NULL, none, 0, data, 4, NULL, 0, &blob, &size) == OE_INVALID_PARAMETER && !blob);
    const oe_seal_setting_t two[] = {OE_SEAL_SET_POLICY(OE_SEAL_POLICY_UNIQUE), OE_SEAL_SET_POLICY(OE_SEAL_POLICY_PRODUCT)};
    CHECK(2, oe_seal(NULL, two, 2, data, 4, NULL, 0, &blob, &size) == OE_INVALID_PARAMETER && !blob);
    const oe_seal_setting_t bad[] = {OE_SEAL_SET_POLICY(9)};
    CHECK(3, oe_seal(NULL, bad, 1, data, 4, NULL, 0, &blob, &size) == OE_INVALID_PARAMETER && !blob);
    const uint8_t ctx[8] = {0};
    const oe_seal_setting_t with_ctx[] = {OE_SEAL_SET_POLICY(OE_SEAL_POLICY_UNIQUE), OE_SEAL_SET_CONTEXT(ctx, 8)};
    CHECK(4, oe_seal(NULL, with_ctx, 2, data, 4, NULL, 0, &blob, &size) == OE_UNSUPPORTED && !blob);
    const oe_seal_setting_t with_iv[] = {OE_SEAL_SET_POLICY(OE_SEAL_POLICY_UNIQUE), OE_SEAL_SET_IV(ctx, 8)};
    CHECK(5, oe_seal(NULL, with_iv, 2, data, 4, NULL, 0, &blob, &size) == OE_UNSUPPORTED && !blob);
    const oe_uuid_t other = {{1}};
    CHECK(6, oe_seal(&other, none, 1, data, 4, NULL, 0, &blob, &size) == OE_NOT_FOUND && !blob);
    const oe_uuid_t gcm = {OE_SEAL_PLUGIN_GCM_AES_UUID};
    CHECK(7, oe_seal(&gcm, none, 1, data, 4, NULL, 0, &blob, &size) == OE_OK && blob);
    oe_free(blob);
    return 0;
}

int check_unsupported(void)
{
    uint64_t count = 0;
    char* report = NULL;
    CHECK(1, oe_debug_malloc_tracking_start() == OE_UNSUPPORTED); /* oedebugmalloc not linked */
    CHECK(2, oe_debug_malloc_tracking_report(&count, &report) == OE_UNSUPPORTED && !report);
    CHECK(3, oe_add_vectored_exception_handler(true, NULL) == OE_UNSUPPORTED);
    CHECK(4, oe_load_module_host_file_system() == OE_UNSUPPORTED);
    /* attestation is mapped (tests/compat/attestation); a NULL format id is a caller's error */
    CHECK(5, oe_attester_initialize() == OE_OK);
    uint8_t* evidence = NULL;
    size_t evidence_size = 0;
    CHECK(6, oe_get_evidence(NULL, 0, NULL, 0, NULL, 0, &evidence, &evidence_size, NULL, NULL) ==
                     OE_INVALID_PARAMETER &&
                 !evidence);
    return 0;
}

static int log_calls;
static oe_log_level_t log_level;
static char log_text[64];

static void on_log(void* context, oe_log_level_t level, uint64_t thread_id, const char* message)
{
    (void)thread_id;
    if (context == &log_calls) {
        ++log_calls;
        log_level = level;
        strncpy(log_text, message, sizeof log_text - 1);
    }
}

int check_log_callback(void)
{
    CHECK(1, oe_enclave_log_set_callback(&log_calls, on_log) == OE_OK);
    CHECK(2, oe_log(OE_LOG_LEVEL_WARNING, "value %d", 42) == OE_OK);
    CHECK(3, log_calls == 1 && log_level == OE_LOG_LEVEL_WARNING && strcmp(log_text, "value 42") == 0);
    CHECK(4, oe_log(OE_LOG_LEVEL_MAX, "x") == OE_INVALID_PARAMETER && log_calls == 1);
    CHECK(5, strcmp(oe_log_level_strings[OE_LOG_LEVEL_ERROR], "ERROR") == 0);
    oe_enclave_log_set_callback(NULL, NULL);
    return 0;
}

int echo_switchless(int x)
{
    int sum = 0;
    if (host_add_switchless(&sum, x, 1) != OE_OK)
        return -1000;
    return sum;
}

/* n switchless OCALLs, each answer checked: 0, or the index of the first wrong one + 1 */
int add_many(int n)
{
    for (int i = 0; i < n; ++i) {
        int sum = 0;
        if (host_add_switchless(&sum, i, 1) != OE_OK || sum != i + 1)
            return i + 1;
    }
    return 0;
}

int call_wait(void)
{
    int r = -1;
    return host_wait_switchless(&r) == OE_OK ? r : -2;
}

int call_signal(void) { return host_signal_switchless() == OE_OK ? 0 : -1; }
