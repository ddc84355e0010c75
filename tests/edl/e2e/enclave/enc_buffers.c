/* ECALLs with pointer, string and array parameters. */
#include <string.h>
#include <wchar.h>

#include "enc_check.h"

static int all_zero(const void* p, size_t n) {
    const uint8_t* b = (const uint8_t*)p;
    for (size_t i = 0; i < n; ++i)
        if (b[i])
            return 0;
    return 1;
}

int ecall_in_buffer(const uint8_t* buf, size_t len, uint32_t expected_sum) {
    uint32_t sum = 0;
    CHECK_INSIDE(buf, len);
    for (size_t i = 0; i < len; ++i)
        sum += buf[i];
    CHECK(sum == expected_sum);
    return 0;
}

int ecall_in_count(const int32_t* values, int n, int64_t expected_sum) {
    int64_t sum = 0;
    CHECK_INSIDE(values, (size_t)n * sizeof *values);
    for (int i = 0; i < n; ++i)
        sum += values[i];
    CHECK(sum == expected_sum);
    return 0;
}

int ecall_in_size_count(const void* data, size_t elem, size_t n) {
    const uint8_t* b = (const uint8_t*)data;
    CHECK_INSIDE(data, elem * n);
    for (size_t k = 0; k < elem * n; ++k)
        CHECK(b[k] == (uint8_t)(k * 7));
    return 0;
}

int ecall_out_buffer(uint8_t* buf, size_t len, uint8_t seed) {
    CHECK_INSIDE(buf, len);
    CHECK(all_zero(buf, len));  /* [out] buffers start zeroed, never with host data */
    for (size_t i = 0; i < len; ++i)
        buf[i] = (uint8_t)(seed + i);
    return 0;
}

int ecall_inout_count(uint32_t* values, size_t n) {
    CHECK_INSIDE(values, n * sizeof *values);
    for (size_t k = 0; k < n; ++k) {
        CHECK(values[k] == k * 10);
        values[k] = (uint32_t)(k * 10 + 1);
    }
    return 0;
}

int ecall_in_literal(const int16_t* four, const char* three) {
    CHECK_INSIDE(four, 4 * sizeof *four);
    CHECK(four[0] == 1 && four[1] == -2 && four[2] == 3 && four[3] == -4);
    CHECK(memcmp(three, "abc", 3) == 0);
    return 0;
}

int ecall_nulls(const uint8_t* in_buf, uint8_t* out_buf, uint8_t* io_buf, size_t len, const char* s) {
    CHECK(in_buf == NULL && out_buf == NULL && io_buf == NULL && s == NULL);
    CHECK(len == 4);
    return 0;
}

int ecall_pointer_single(const double* in_value, double* out_value, int64_t* io_value) {
    CHECK(*in_value == 6.5);
    CHECK(*out_value == 0);
    *out_value = 7.25;
    CHECK(*io_value == -3);
    *io_value = 300;
    return 0;
}

int ecall_strings(const char* s, char* io, const wchar_t* w, wchar_t* wio) {
    CHECK_INSIDE(s, strlen(s) + 1);
    CHECK(strcmp(s, TV_STRING) == 0);
    CHECK(strcmp(io, TV_IO_STRING) == 0);
    for (char* p = io; *p; ++p)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    CHECK(wcscmp(w, TV_WSTRING) == 0);
    CHECK(wcslen(wio) == 3);
    wio[0] = L'X';
    return 0;
}

int ecall_arrays(int32_t a[4], uint8_t b[2][3], int64_t c[TEST_ARRAY_LEN], char implicit_in[5]) {
    CHECK(a[0] == 1 && a[1] == 2 && a[2] == 3 && a[3] == 4);
    CHECK(all_zero(b, 6));
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j)
            b[i][j] = (uint8_t)(i * 3 + j);
    for (int k = 0; k < TEST_ARRAY_LEN; ++k) {
        CHECK(c[k] == (k + 1) * 10);
        c[k] = -c[k];
    }
    CHECK(memcmp(implicit_in, "abcd", 5) == 0);
    CHECK_INSIDE(implicit_in, 5);
    return 0;
}

int ecall_isary(int_array_t in_arr, int_array_t io_arr) {
    for (int k = 0; k < 5; ++k) {
        CHECK(in_arr[k] == k + 1);
        CHECK(io_arr[k] == 100 + k);
        io_arr[k] = in_arr[k] * 2;
    }
    return 0;
}

int ecall_isptr(byte_ptr_t buf, size_t len, pair_ptr_t out_pair) {
    CHECK_INSIDE(buf, len);
    for (size_t k = 0; k < len; ++k)
        CHECK(buf[k] == (uint8_t)(0xA0 + k));
    CHECK(out_pair && all_zero(out_pair, sizeof *out_pair));
    out_pair->first = 11;
    out_pair->second = 22;
    return 0;
}

uint64_t ecall_user_check(void* host_ptr, int32_t arr[4]) {
    /* user_check pointers arrive unchanged and unchecked; this enclave does not touch them */
    return (uint64_t)(uintptr_t)host_ptr ^ (uint64_t)(uintptr_t)arr;
}

int ecall_struct_array(struct scalars* s, size_t n) {
    CHECK(n == 2);
    CHECK_INSIDE(s, n * sizeof *s);
    for (size_t k = 0; k < n; ++k) {
        CHECK(s[k].i == (int)k);
        CHECK(strcmp(s[k].text, "ab") == 0);
        s[k].i = (int)(100 + k);
        s[k].ld = (long double)k;
    }
    return 0;
}
