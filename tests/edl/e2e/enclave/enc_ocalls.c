/* ECALLs that call the host: every OCALL with representative values, the answers of a
 * hostile host, re-entry through allow(), and the double-fetch scenario. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "enc_check.h"

#define CHECK_OK(call) CHECK((call) == CCBOX_OK)

static int call_value_ocalls(void) {
    int r = -1;
    uint64_t sum = 0;
    CHECK_OK(ocall_from_plain_import(&r, 5));
    CHECK(r == 15);
    CHECK_OK(ocall_scalars(&r, TV_CHAR, TV_SHORT, TV_INT, TV_LLONG, TV_ULLONG, TV_FLOAT, TV_DOUBLE, TV_LDOUBLE, true,
                           TV_WCHAR, TV_SIZE, COLOR_NEGATIVE));
    CHECK(r == 0);
    CHECK_OK(ocall_sum(&sum, 40, 2));
    CHECK(sum == 42);
    CHECK_OK(ocall_sum(NULL, 1, 2));  /* no place for the return value: fine */

    struct scalars s, p, ret;
    memset(&s, 0, sizeof s);
    memset(&p, 0, sizeof p);
    s.i = 41;
    s.ld = TV_LDOUBLE;
    memcpy(s.text, "hi", 3);
    p.d = 1.5;
    CHECK_OK(ocall_struct(&ret, s, &p));
    CHECK(ret.i == 42 && ret.ld == TV_LDOUBLE && strcmp(ret.text, "hi") == 0);
    CHECK(p.d == 99.0 && p.color == COLOR_GREEN);

    errno = 0;
    CHECK_OK(ocall_errno(&r, 33));
    CHECK(r == -1 && errno == 33);
    CHECK_OK(ocall_switchless());
    return 0;
}

static int call_buffer_ocalls(void) {
    int r = -1;
    static const uint8_t data[] = "enclave data";
    uint32_t expected = 0;
    for (size_t k = 0; k < sizeof data; ++k)
        expected += data[k];
    CHECK_OK(ocall_in_buffer(&r, data, sizeof data));
    CHECK(r == (int)expected);
    CHECK_OK(ocall_in_buffer(&r, NULL, 0));
    CHECK(r == -2);

    uint32_t values[4] = {0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef};
    CHECK_OK(ocall_out_buffer(&r, values, 4));
    CHECK(r == 0);
    for (uint32_t k = 0; k < 4; ++k)
        CHECK(values[k] == k * k);

    char s[] = "to host";
    CHECK_OK(ocall_strings(&r, s, L"wide"));
    CHECK(r == 0 && strcmp(s, "TO HOST") == 0);

    int32_t a[3] = {1, 2, 3}, b[2][2] = {{-1, -1}, {-1, -1}};
    char c[4] = "abc";
    CHECK_OK(ocall_arrays(&r, a, b, c));
    CHECK(r == 0);
    CHECK(b[0][0] == 0 && b[0][1] == 10 && b[1][0] == 1 && b[1][1] == 11);
    CHECK(memcmp(c, "xyz", 4) == 0);

    int local = 5;
    CHECK_OK(ocall_user_check(&r, &local));
    CHECK(r == 0);
    return 0;
}

static int call_deep_ocall(void) {
    int r = -1;
    uint8_t d0[3] = {'a', 'b', '0'}, d1[3] = {'a', 'b', '1'};
    struct blob blobs[2] = {{3, d0}, {3, d1}};
    int32_t vals[2] = {7, 8};
    struct ints one = {2, vals};
    struct nested child = {0, (struct blob*)(uintptr_t)0x1234, blobs, &one};
    struct tree t;
    memset(&t, 0, sizeof t);
    t.n = 1;
    t.children = &child;
    memcpy(t.name, "etree", 6);
    int32_t out_vals[3] = {-1, -1, -1};
    struct ints o = {3, out_vals};
    CHECK_OK(ocall_deep(&r, &t, &o));
    CHECK(r == 0);
    /* the host's changes to the data come back; sizes and pointers stay the enclave's */
    CHECK(t.n == 1 && t.children == &child && strcmp(t.name, "Etree") == 0);
    CHECK(child.id == 5 && child.blobs == blobs && child.one == &one);
    CHECK(blobs[0].len == 3 && blobs[0].data == d0 && d0[0] == 'H');
    CHECK(one.n == 2 && one.values == vals && vals[0] == 70);
    CHECK(o.n == 3 && o.values == out_vals);
    CHECK(out_vals[0] == 100 && out_vals[1] == 101 && out_vals[2] == 102);
    return 0;
}

/* memccpy is a [dllimport] OCALL: the host's C library copies. <string.h> came first, and the
 * name still calls the proxy (edl_test_t.h defines it as a macro in C). */
static int call_dllimport_ocall(void) {
    char dest[12];
    void* stop = NULL;
    memset(dest, '.', sizeof dest);
    CHECK_OK(memccpy(&stop, dest, "copy;rest!!", ';', sizeof dest));
    CHECK(stop != NULL);  /* the host's pointer just after the ';': a value only */
    CHECK(memcmp(dest, "copy;.......", sizeof dest) == 0);  /* the rest came back unchanged */
    stop = dest;
    CHECK_OK(memccpy(&stop, dest, "no stop here", '#', sizeof dest));
    CHECK(stop == NULL);  /* not found: all len bytes copied */
    CHECK(memcmp(dest, "no stop here", sizeof dest) == 0);
    return 0;
}

int ecall_call_ocalls(void) {
    int r = call_value_ocalls();
    if (r)
        return r;
    r = call_buffer_ocalls();
    if (r)
        return r;
    r = call_deep_ocall();
    if (r)
        return r;
    return call_dllimport_ocall();
}

int ecall_call_hostile_ocalls(void) {
    int r = -1;
    /* the host drops the terminator: the string stays terminated within its buffer */
    char s[8] = "abcdefg";
    CHECK_OK(ocall_hostile_string(&r, s));
    CHECK(s[7] == '\0' && strlen(s) == 7);
    CHECK(memcmp(s, "HHHHHHH", 7) == 0);

    /* the host answers with fewer bytes than the call needs: refused, nothing written */
    uint8_t buf[16];
    memset(buf, 0x77, sizeof buf);
    r = 12345;
    CHECK(ocall_hostile_out(&r, buf, sizeof buf) == CCBOX_UNEXPECTED);
    CHECK(r == 12345);
    for (size_t k = 0; k < sizeof buf; ++k)
        CHECK(buf[k] == 0x77);

    /* the host changes a size and a pointer inside a deep-copied struct: both are ignored */
    uint8_t data[4] = {1, 2, 3, 4};
    uint8_t canary[4] = {9, 9, 9, 9};
    struct blob b = {sizeof data, data};
    CHECK_OK(ocall_hostile_deep(&r, &b));
    CHECK(b.len == sizeof data && b.data == data);
    CHECK(data[0] == 'H' && data[3] == 'H');
    CHECK(canary[0] == 9 && canary[3] == 9);

    /* a bool that is neither 0 nor 1 reads as true */
    bool yes = false;
    CHECK_OK(ocall_hostile_bool(&yes, false));
    CHECK(yes == true);
    return 0;
}

int ecall_large_ocall(size_t size) {
    /* bigger than the per-thread scratch memory: the OCALL buffers come from the host heap */
    uint8_t* buf = (uint8_t*)malloc(size);
    uint32_t expected = 0;
    int r = -1;
    CHECK(buf != NULL);
    for (size_t k = 0; k < size; ++k) {
        buf[k] = (uint8_t)(k % 251);
        expected += buf[k];
    }
    ccbox_result_t result = ocall_in_buffer(&r, buf, size);
    free(buf);
    CHECK(result == CCBOX_OK);
    CHECK(r == (int)expected);
    return 0;
}

bool ecall_bool(bool b) { return !b; }

int ecall_private_reentry(int x) { return x * 7; }

int ecall_reenter_via_ocall(int x) {
    int r = -1;
    CHECK_OK(ocall_allow_reentry(&r, x));
    CHECK(r == x * 7);
    return 0;
}

int ecall_double_fetch(const uint8_t* buf, size_t len) {
    uint8_t first[64];
    CHECK(len <= sizeof first);
    CHECK_INSIDE(buf, len);
    memcpy(first, buf, len);
    /* the host rewrites the caller's buffer and the marshalling buffer meanwhile */
    CHECK_OK(ocall_block_for_flip());
    CHECK(memcmp(first, buf, len) == 0);
    for (size_t k = 0; k < len; ++k)
        CHECK(buf[k] == (uint8_t)(0x30 + k));  /* what was sent, not what the host wrote later */
    return 0;
}
