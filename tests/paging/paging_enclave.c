/* The paging test enclave (issue 14): a heap buffer larger than the EPC, written and read back. */
#include <stdlib.h>
#include <string.h>

#include "paging_test_t.h"

static uint64_t* buffer;
static uint64_t buffer_bytes;

static uint64_t next(uint64_t* x)
{
    /* xorshift64*: a stream that differs per seed and per word */
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 0x2545F4914F6CDD1DULL;
}

static int ensure(uint64_t bytes)
{
    if (buffer && bytes <= buffer_bytes)
        return CCBOX_OK;
    if (buffer)
        return CCBOX_INVALID_PARAMETER;
    buffer = (uint64_t*)malloc(bytes);
    if (!buffer)
        return CCBOX_OUT_OF_MEMORY;
    buffer_bytes = bytes;
    return CCBOX_OK;
}

int pg_fill(uint64_t seed, uint64_t bytes, uint64_t* address)
{
    int r = ensure(bytes);
    if (r != CCBOX_OK)
        return r;
    *address = (uint64_t)(uintptr_t)buffer;
    uint64_t x = seed | 1;
    for (uint64_t i = 0; i < bytes / 8; ++i)
        buffer[i] = next(&x);
    return CCBOX_OK;
}

int pg_verify(uint64_t seed, uint64_t bytes, uint64_t* mismatches)
{
    if (!buffer || bytes > buffer_bytes)
        return CCBOX_INVALID_PARAMETER;
    uint64_t x = seed | 1, bad = 0;
    for (uint64_t i = 0; i < bytes / 8; ++i)
        bad += buffer[i] != next(&x);
    *mismatches = bad;
    return CCBOX_OK;
}

int pg_touch(uint64_t bytes, uint64_t touches, int random, uint64_t* sum)
{
    int r = ensure(bytes);
    if (r != CCBOX_OK)
        return r;
    const uint64_t pages = bytes / 4096;
    uint64_t x = 88172645463325252ULL, s = 0;
    for (uint64_t t = 0; t < touches; ++t) {
        const uint64_t page = random ? next(&x) % pages : t % pages;
        /* a 4 KiB touch: every word of the page read and written */
        uint64_t* word = buffer + page * 512;
        for (int i = 0; i < 512; ++i) {
            word[i] += 1;
            s += word[i];
        }
    }
    *sum = s;
    return CCBOX_OK;
}
