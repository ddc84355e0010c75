// The deep [out] test enclave (deepout.edl): ECALLs whose [out] trees the enclave allocates
// with malloc, and ECALLs that receive the host's trees from OCALLs and check that what came
// back is whole, consistent and entirely in enclave memory.
#include "deepout_t.h"

#include <ccbox/enclave.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint8_t g_secret[64] = "the enclave's secret: it never leaves, and nothing overwrites it";

static uint8_t* filled(size_t len, uint8_t fill) {
    uint8_t* p = (uint8_t*)malloc(len);
    if (p)
        memset(p, fill, len);
    return p;
}

int ecall_make_blob(size_t len, uint8_t fill, struct blob* b) {
    if (!b || b->len != 0 || b->data != NULL)  // the callee gets zeroed elements
        return 1;
    b->data = filled(len, fill);
    b->len = len;
    return b->data || !len ? 0 : 2;
}

int ecall_make_bundle(size_t count, struct bundle* b) {
    if (!b || b->count || b->items || b->name_len || b->name)
        return 1;
    b->items = (struct blob*)calloc(count ? count : 1, sizeof(struct blob));
    if (!b->items)
        return 2;
    b->count = count;
    for (size_t i = 0; i < count; ++i)
        ecall_make_blob(i + 1, (uint8_t)(0xa0 + i), &b->items[i]);
    b->name = (char*)malloc(7);
    memcpy(b->name, "bundle", 7);
    b->name_len = 7;
    return 0;
}

int ecall_make_blobs(size_t n, struct blob* b) {
    for (size_t i = 0; i < n; ++i)
        if (ecall_make_blob(100 * (i + 1), (uint8_t)i, &b[i]) != 0)
            return 1;
    return 0;
}

int ecall_leave_unset(struct blob* b) {
    (void)b;
    return 5;  // an error of the application's own: *b stays as the callee got it (zeroed)
}

int ecall_zero_len_pointer(struct blob* b) {
    b->data = (uint8_t*)malloc(1);  // set, but its length says 0: nothing is sent, it is freed
    b->len = 0;
    return 0;
}

int ecall_overflowing_len(struct blob* b) {
    b->data = (uint8_t*)malloc(16);
    b->len = SIZE_MAX;  // the measurement overflows: the call fails, nothing is read beyond
    return 0;
}

// ---- trees from the host ----

static int blob_ok(const struct blob* b, size_t len, uint8_t fill) {
    if (b->len != len)
        return 0;
    if (!len)
        return b->data == NULL;
    if (!b->data || !ccbox_is_within_enclave(b->data, len))
        return 0;
    for (size_t k = 0; k < len; ++k)
        if (b->data[k] != fill)
            return 0;
    return 1;
}

static int zeroed_blob(const struct blob* b) { return b->len == 0 && b->data == NULL; }

int ecall_blob_from_host(size_t len, uint8_t fill) {
    struct blob b;
    memset(&b, 0x5a, sizeof b);  // the proxy zeroes it before anything else
    int ret = -1;
    ccbox_result_t r = ocall_make_blob(&ret, len, fill, &b);
    if (r != CCBOX_OK)
        return zeroed_blob(&b) ? (int)r : __LINE__;  // nothing half-received stays behind
    if (ret != 0 || !blob_ok(&b, len, fill))
        return __LINE__;
    // The host rewrites what it sent: our copy is ours.
    if (ocall_rewrite() != CCBOX_OK || !blob_ok(&b, len, fill))
        return __LINE__;
    free(b.data);
    return 0;
}

int ecall_bundle_from_host(size_t count) {
    struct bundle b;
    memset(&b, 0, sizeof b);
    int ret = -1;
    ccbox_result_t r = ocall_make_bundle(&ret, count, &b);
    if (r != CCBOX_OK)
        return b.count == 0 && b.items == NULL && b.name == NULL && b.name_len == 0 ? (int)r : __LINE__;
    if (ret != 0 || b.count != count || (count && !ccbox_is_within_enclave(b.items, count * sizeof *b.items)))
        return __LINE__;
    if (b.name_len != 5 || !ccbox_is_within_enclave(b.name, 5) || memcmp(b.name, "host", 5) != 0)
        return __LINE__;
    for (size_t i = 0; i < count; ++i)
        if (!blob_ok(&b.items[i], i + 1, (uint8_t)(0x10 + i)))
            return __LINE__;
    if (ocall_rewrite() != CCBOX_OK)
        return __LINE__;
    for (size_t i = 0; i < count; ++i) {
        if (!blob_ok(&b.items[i], i + 1, (uint8_t)(0x10 + i)))
            return __LINE__;
        free(b.items[i].data);
    }
    free(b.items);
    free(b.name);
    return 0;
}

// While the host keeps rewriting its block, the enclave either refuses the answer or gets
// one consistent tree: a length the host sent at some moment and data matching it.
int ecall_blob_race(size_t len, uint8_t fill) {
    struct blob b;
    int ret = -1;
    ccbox_result_t r = ocall_make_blob(&ret, len, fill, &b);
    if (r != CCBOX_OK)
        return zeroed_blob(&b) ? (int)r : __LINE__;
    if (b.len != len || (len && !ccbox_is_within_enclave(b.data, len)))
        return __LINE__;
    free(b.data);
    return 0;
}

uint64_t ecall_secret_address(void) { return (uint64_t)(uintptr_t)g_secret; }

// Enclave memory shaped like a well-formed blob tree: {len 8, marker 1} then 8 bytes of data.
// A host that names it as its answer must be refused, not have the enclave take its own data
// for the host's.
static const uint64_t g_tree_in_enclave[3] = {8, 1, 0x2121544552434553u /* "SECRET!!" */};

uint64_t ecall_tree_in_enclave(void) { return (uint64_t)(uintptr_t)g_tree_in_enclave; }

int ecall_secret_intact(void) {
    return memcmp(g_secret, "the enclave's secret: it never leaves, and nothing overwrites it", 64) == 0;
}
