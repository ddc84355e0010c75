/* The identity test enclave: sealing, seal keys and reports. Built twice: as is, and with
 * IDENTITY_VARIANT_B (other code, so another MRENCLAVE). */
#include <stdlib.h>
#include <string.h>

#include "identity_test_t.h"

/* Kept by the linker (`retain`), so that the two variants' measured pages really differ. */
#ifdef IDENTITY_VARIANT_B
__attribute__((used, retain)) const char identity_variant[] = "variant B: different code, different MRENCLAVE";
#else
__attribute__((used, retain)) const char identity_variant[] = "variant A";
#endif

int id_seal(int policy, const uint8_t* data, size_t size, const uint8_t* aad, size_t aad_size, uint8_t* blob,
            size_t capacity, size_t* blob_size)
{
    uint8_t* sealed = NULL;
    size_t sealed_size = 0;
    ccbox_result_t r = ccbox_seal((ccbox_seal_policy_t)policy, data, size, aad, aad_size, &sealed, &sealed_size);
    if (r != CCBOX_OK)
        return r;
    *blob_size = sealed_size;
    if (sealed_size > capacity)
        r = CCBOX_BUFFER_TOO_SMALL;
    else
        memcpy(blob, sealed, sealed_size);
    ccbox_free(sealed);
    return r;
}

int id_unseal(const uint8_t* blob, size_t size, const uint8_t* aad, size_t aad_size, uint8_t* data, size_t capacity,
              size_t* data_size)
{
    uint8_t* plain = NULL;
    size_t plain_size = 0;
    ccbox_result_t r = ccbox_unseal(blob, size, aad, aad_size, &plain, &plain_size);
    if (r != CCBOX_OK)
        return r;
    *data_size = plain_size;
    if (plain_size > capacity)
        r = CCBOX_BUFFER_TOO_SMALL;
    else
        memcpy(data, plain, plain_size);
    ccbox_free(plain);
    return r;
}

int id_seal_key(int policy, uint8_t key[16], uint8_t key_info[512])
{
    uint8_t *k = NULL, *info = NULL;
    size_t k_size = 0, info_size = 0;
    ccbox_result_t r = ccbox_get_seal_key_by_policy((ccbox_seal_policy_t)policy, &k, &k_size, &info, &info_size);
    if (r != CCBOX_OK)
        return r;
    if (k_size == 16 && info_size == 512) {
        memcpy(key, k, 16);
        memcpy(key_info, info, 512);
    } else {
        r = CCBOX_UNEXPECTED;
    }
    ccbox_free_key(k, k_size, info, info_size);
    return r;
}

int id_seal_key_again(const uint8_t key_info[512], uint8_t key[16])
{
    uint8_t* k = NULL;
    size_t k_size = 0;
    ccbox_result_t r = ccbox_get_seal_key(key_info, 512, &k, &k_size);
    if (r != CCBOX_OK)
        return r;
    memcpy(key, k, 16);
    ccbox_free_key(k, k_size, NULL, 0);
    return r;
}

int id_seal_key_own_request(int keypolicy, uint64_t attribute_mask, uint8_t key[16])
{
    uint8_t *k = NULL, *info = NULL;
    size_t k_size = 0, info_size = 0;
    ccbox_result_t r = ccbox_get_seal_key_by_policy(CCBOX_SEAL_POLICY_PRODUCT, &k, &k_size, &info, &info_size);
    if (r != CCBOX_OK)
        return r;
    ccbox_free_key(k, k_size, NULL, 0);
    uint8_t request[512];
    memcpy(request, info, sizeof request);
    ccbox_free_key(NULL, 0, info, info_size);
    uint16_t policy = (uint16_t)keypolicy;
    memcpy(request + 2, &policy, 2);
    memcpy(request + 24, &attribute_mask, 8);
    memset(request + 40, 0, 32); /* a fixed KEYID: the same key in every enclave that may derive it */
    r = ccbox_get_seal_key_for_own_request(request, sizeof request, &k, &k_size);
    if (r != CCBOX_OK)
        return r;
    memcpy(key, k, 16);
    ccbox_free_key(k, k_size, NULL, 0);
    return r;
}

int id_seal_key_host_request(const uint8_t* request, uint8_t key[16])
{
    uint8_t* k = NULL;
    size_t k_size = 0;
    ccbox_result_t r = ccbox_get_seal_key_for_own_request(request, 512, &k, &k_size);
    if (r == CCBOX_OK) {
        memcpy(key, k, 16);
        ccbox_free_key(k, k_size, NULL, 0);
    }
    return r;
}

int id_target_info(uint8_t target_info[512])
{
    ccbox_target_info_t ti;
    ccbox_result_t r = ccbox_get_target_info(&ti);
    if (r == CCBOX_OK)
        memcpy(target_info, ti.bytes, 512);
    return r;
}

int id_report(const uint8_t target_info[512], const uint8_t report_data[64], uint8_t report[432])
{
    ccbox_target_info_t ti;
    memcpy(ti.bytes, target_info, 512);
    ccbox_report_t out;
    ccbox_result_t r = ccbox_get_report(&ti, report_data, &out);
    if (r == CCBOX_OK)
        memcpy(report, out.bytes, 432);
    return r;
}

int id_verify_report(const uint8_t report[432], uint8_t mrenclave[32], uint8_t mrsigner[32], uint8_t report_data[64])
{
    ccbox_report_identity_t id;
    ccbox_result_t r = ccbox_verify_report(report, 432, &id);
    if (r == CCBOX_OK) {
        memcpy(mrenclave, id.unique_id, 32);
        memcpy(mrsigner, id.signer_id, 32);
        memcpy(report_data, id.report_data, 64);
    }
    return r;
}

/* For the benchmark: seal and unseal `size` bytes `iterations` times inside the enclave. */
int id_seal_roundtrips(size_t size, int iterations)
{
    uint8_t* data = malloc(size);
    if (!data)
        return CCBOX_OUT_OF_MEMORY;
    memset(data, 0x5a, size);
    ccbox_result_t r = CCBOX_OK;
    for (int i = 0; i < iterations && r == CCBOX_OK; ++i) {
        uint8_t *blob = NULL, *plain = NULL;
        size_t blob_size = 0, plain_size = 0;
        r = ccbox_seal(CCBOX_SEAL_POLICY_UNIQUE, data, size, NULL, 0, &blob, &blob_size);
        if (r == CCBOX_OK)
            r = ccbox_unseal(blob, blob_size, NULL, 0, &plain, &plain_size);
        if (r == CCBOX_OK && (plain_size != size || memcmp(plain, data, size) != 0))
            r = CCBOX_UNEXPECTED;
        ccbox_free(blob);
        ccbox_free(plain);
    }
    free(data);
    return r;
}

/* The documented contract (docs/sealing.md): what ccbox_seal and ccbox_unseal return is enclave
 * heap memory, so free() releases it as well as ccbox_free(). The heap aborts the enclave on a
 * pointer it did not hand out, so a blob from any other allocator fails here. */
int id_seal_free_contract(int use_free)
{
    static const uint8_t secret[] = "sealed, then freed";
    for (size_t size = 1; size <= sizeof secret; size += 3) {
        uint8_t *blob = NULL, *plain = NULL;
        size_t blob_size = 0, plain_size = 0;
        ccbox_result_t r = ccbox_seal(CCBOX_SEAL_POLICY_UNIQUE, secret, size, NULL, 0, &blob, &blob_size);
        if (r == CCBOX_OK)
            r = ccbox_unseal(blob, blob_size, NULL, 0, &plain, &plain_size);
        if (r == CCBOX_OK && (plain_size != size || memcmp(plain, secret, size) != 0))
            r = CCBOX_UNEXPECTED;
        if (use_free) {
            free(blob);
            free(plain);
        } else {
            ccbox_free(blob);
            ccbox_free(plain);
        }
        if (r != CCBOX_OK)
            return r;
    }
    /* the heap is still whole: its chunks are checked again on these calls */
    void* probe = malloc(1 << 16);
    if (!probe)
        return CCBOX_OUT_OF_MEMORY;
    free(probe);
    ccbox_free(NULL);
    return CCBOX_OK;
}
