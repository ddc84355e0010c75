/* The enclave of the Intel SGX SDK-style sample (tests/edl/corpus/intel_samples/
 * sample_enclave.edl): every ECALL does something the host can check, and the OCALL ECALLs
 * call back through the generated proxies with Intel-style names and types (sgx_status_t). */
#include "sample_enclave_t.h"

#include <stdint.h>

static size_t text_length(const char* s) {
    size_t n = 0;
    while (s[n])
        ++n;
    return n;
}

/* values.edl */
char ecall_value_char(char c) { return (char)(c + 1); }
long ecall_value_long(long a, unsigned long b, long long c, unsigned long long d) {
    return a + (long)b + (long)c + (long)d;
}
double ecall_value_floats(float f, double d) { return (double)f * d; }
size_t ecall_value_size(size_t s, wchar_t w) { return s + (size_t)w; }
uint64_t ecall_value_pair(struct pair_t p) { return (uint64_t)p.first * 1000u + p.second; }
int ecall_value_level(enum level_t level, union word_t word) {
    return level == LEVEL_HIGH ? (int)word.halves[1] : (int)word.bytes[0];
}
sgx_status_t ecall_value_status(int which) {
    return which == 0 ? SGX_SUCCESS : which == 1 ? SGX_ERROR_INVALID_PARAMETER : SGX_ERROR_UNEXPECTED;
}

/* pointers.edl */
size_t ecall_ptr_user_check(void* where, size_t n) { return (size_t)(uintptr_t)where ^ n; }
int ecall_ptr_in(const int* value) { return *value * 2; }
void ecall_ptr_out(int* value) { *value = 1234; }
void ecall_ptr_in_out(int* value) { *value += 1; }
size_t ecall_ptr_string(char* text) {
    size_t n = text_length(text);
    for (size_t i = 0; i < n; ++i)
        if (text[i] >= 'a' && text[i] <= 'z')
            text[i] = (char)(text[i] - 'a' + 'A');
    return n;
}
size_t ecall_ptr_string_const(const char* text) { return text_length(text); }
void ecall_ptr_size(void* buf, size_t len) {
    uint8_t* b = (uint8_t*)buf;
    for (size_t i = 0; i < len / 2; ++i) {
        uint8_t t = b[i];
        b[i] = b[len - 1 - i];
        b[len - 1 - i] = t;
    }
}
int ecall_ptr_count(int* values, int cnt) {
    int sum = 0;
    for (int i = 0; i < cnt; ++i) {
        sum += values[i];
        values[i] = -values[i];
    }
    return sum;
}
uint32_t ecall_ptr_isptr(bytes_t data, size_t len) {
    uint32_t sum = 0;
    for (size_t i = 0; i < len; ++i)
        sum += data[i];
    return sum;
}
/* Each OCALL direction once; the host's answers come back through the proxies. */
int ecall_ptr_ocalls(void) {
    int local = 5, in = 7, out = -1, in_out = 5;
    if (ocall_ptr_user_check(&local) != SGX_SUCCESS || ocall_ptr_in(&in) != SGX_SUCCESS ||
        ocall_ptr_out(&out) != SGX_SUCCESS || ocall_ptr_in_out(&in_out) != SGX_SUCCESS)
        return -1;
    return in == 7 && local == 5 ? out + in_out : -2; /* [in] data is not the host's to change */
}

/* arrays.edl */
int ecall_array_user_check(int values[4]) { return values != NULL; }
int ecall_array_in(int values[4]) { return values[0] + values[1] + values[2] + values[3]; }
void ecall_array_out(int values[4]) {
    for (int i = 0; i < 4; ++i)
        values[i] = i * i;
}
void ecall_array_in_out(int values[4]) {
    for (int i = 0; i < 4; ++i)
        values[i] *= 10;
}
int ecall_array_isary(quartet_t values) { return values[0] + values[1] + values[2] + values[3]; }
int ecall_array_2d(uint8_t grid[2][3]) {
    int sum = 0;
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 3; ++c)
            sum += grid[r][c] * (r + 1);
    return sum;
}

/* calls.edl */
int ecall_private_answer(void) { return 42; }
int ecall_call_private_through_ocall(void) {
    int answer = 0;
    size_t length = 0;
    static const char text[8] = {'e', 'n', 'c', 'l', 'a', 'v', 'e', 0};
    if (ocall_cdecl(1) != SGX_SUCCESS || ocall_stdcall(2) != SGX_SUCCESS || ocall_fastcall(3) != SGX_SUCCESS)
        return -1;
    /* [dllimport]: the host's C library answers */
    if (strnlen(&length, text, sizeof text) != SGX_SUCCESS || length != 7)
        return -2;
    if (ocall_allowing_private(&answer) != SGX_SUCCESS)
        return -3;
    return answer;
}

/* library/cstd.edl: the host's CPUID, through the system EDL's OCALL */
int ecall_cpuid(int regs[4], int leaf) { return sgx_oc_cpuidex(regs, leaf, 0) == SGX_SUCCESS; }

/* library/threads.edl: each wake-up set before the wait is kept, so the wait returns. */
int ecall_count_events(int n) {
    static int self;
    int done = 0;
    for (int i = 0; i < n; ++i) {
        int set = -1, waited = -1;
        if (sgx_thread_set_untrusted_event_ocall(&set, &self) != SGX_SUCCESS || set != 0)
            break;
        if (sgx_thread_wait_untrusted_event_ocall(&waited, &self) != SGX_SUCCESS || waited != 0)
            break;
        ++done;
    }
    if (ocall_log("events done") != SGX_SUCCESS)
        return -1;
    return done;
}
