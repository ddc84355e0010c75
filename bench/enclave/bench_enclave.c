/* The benchmark enclave (bench/call_bench.cpp, bench/seal_bench.cpp). */
#include <stdlib.h>
#include <string.h>

#include "bench_t.h"

#ifdef BENCH_WITH_TLS
/* The variant with thread-local storage (bench_enclave_tls): in the sim backend each ECALL
 * into it switches the thread's FS base to the enclave's thread data and back. */
static _Thread_local int t_calls;
void b_empty(void) { ++t_calls; }
#else
void b_empty(void) {}
#endif

void b_buffers(const uint8_t* in, uint8_t* out) { memcpy(out, in, 4096); }

void b_ocalls(int count)
{
    for (int i = 0; i < count; ++i)
        b_host_empty();
}

int b_seal(size_t size, int iterations)
{
    uint8_t* data = calloc(1, size);
    if (!data)
        return CCBOX_OUT_OF_MEMORY;
    ccbox_result_t r = CCBOX_OK;
    for (int i = 0; i < iterations && r == CCBOX_OK; ++i) {
        uint8_t* blob = NULL;
        size_t blob_size = 0;
        r = ccbox_seal(CCBOX_SEAL_POLICY_UNIQUE, data, size, NULL, 0, &blob, &blob_size);
        ccbox_free(blob);
    }
    free(data);
    return r;
}

int b_unseal(size_t size, int iterations)
{
    uint8_t* data = calloc(1, size);
    uint8_t *blob = NULL, *plain = NULL;
    size_t blob_size = 0, plain_size = 0;
    ccbox_result_t r = data ? ccbox_seal(CCBOX_SEAL_POLICY_UNIQUE, data, size, NULL, 0, &blob, &blob_size)
                            : CCBOX_OUT_OF_MEMORY;
    for (int i = 0; i < iterations && r == CCBOX_OK; ++i) {
        r = ccbox_unseal(blob, blob_size, NULL, 0, &plain, &plain_size);
        ccbox_free(plain);
    }
    ccbox_free(blob);
    free(data);
    return r;
}

/* EGETKEY round trips: a seal key each (in the isolated backend, a request to the platform). */
int b_egetkey(int iterations)
{
    ccbox_result_t r = CCBOX_OK;
    for (int i = 0; i < iterations && r == CCBOX_OK; ++i) {
        uint8_t *key = NULL, *info = NULL;
        size_t key_size = 0, info_size = 0;
        r = ccbox_get_seal_key_by_policy(CCBOX_SEAL_POLICY_UNIQUE, &key, &key_size, &info, &info_size);
        ccbox_free_key(key, key_size, info, info_size);
    }
    return r;
}
