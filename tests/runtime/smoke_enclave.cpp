// Raw-ABI smoke enclave (hand-written ECALL table) used while the EDL compiler is written.
#include <ccbox/enclave.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <map>
#include <string>
#include <vector>

CCBOX_SET_ENCLAVE_PROPERTIES(1, 1, 1, 256, 16, 4);

static int g_constructed = 42;
static std::map<std::string, int>* g_map = new std::map<std::string, int>{{"a", 1}};

extern "C" {

static ccbox_result_t ecall_add(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size, size_t* written) {
    if (in_size != 16 || out_size < 8)
        return CCBOX_INVALID_PARAMETER;
    uint64_t a, b;
    memcpy(&a, in, 8);
    memcpy(&b, in + 8, 8);
    uint64_t c = a + b + (uint64_t)g_constructed + (uint64_t)(*g_map)["a"];
    memcpy(out, &c, 8);
    *written = 8;
    return CCBOX_OK;
}

static ccbox_result_t ecall_hello(const uint8_t*, size_t, uint8_t*, size_t, size_t* written) {
    printf("hello from the enclave %d %s %.3f\n", 7, "x", 1.5);
    std::vector<std::string> v{"b", "a"};
    try {
        throw std::string("thrown");
    } catch (const std::string& s) {
        printf("caught %s\n", s.c_str());
    }
    *written = 0;
    return CCBOX_OK;
}

static ccbox_result_t ecall_abort(const uint8_t*, size_t, uint8_t*, size_t, size_t*) { abort(); }

static ccbox_result_t ecall_null(const uint8_t*, size_t, uint8_t*, size_t, size_t*) {
    volatile int* p = nullptr;
    *p = 1;
    return CCBOX_OK;
}

static int recurse(int n) {
    volatile char buf[256];
    buf[0] = (char)n;
    return recurse(n + 1) + buf[0];
}
static ccbox_result_t ecall_overflow(const uint8_t*, size_t, uint8_t*, size_t, size_t*) {
    return recurse(0) ? CCBOX_OK : CCBOX_FAILURE;
}
extern const ccbox_ecall_info_t ccbox_ecall_table[];
const ccbox_ecall_info_t ccbox_ecall_table[] = {
    {ecall_add, CCBOX_ECALL_FLAG_PUBLIC, "add"},
    {ecall_hello, CCBOX_ECALL_FLAG_PUBLIC, "hello"},
    {ecall_abort, CCBOX_ECALL_FLAG_PUBLIC, "abort"},
    {ecall_null, CCBOX_ECALL_FLAG_PUBLIC, "null"},
    {ecall_overflow, CCBOX_ECALL_FLAG_PUBLIC, "overflow"},
};
extern const size_t ccbox_ecall_table_size;
const size_t ccbox_ecall_table_size = 5;
}
