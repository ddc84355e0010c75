/* State the attack tests check: a secret the host must not be able to read or change, and
 * the number of times the attacked ECALL really ran. */
#include <string.h>

#include "enc_check.h"

#define SECRET_SIZE 64
#define SECRET_BYTES                                                                                           \
    {0x5e, 0xc7, 0xe7, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,            \
     0x5e, 0xc7, 0xe7, 0x01, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c,            \
     0x5e, 0xc7, 0xe7, 0x02, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c,            \
     0x5e, 0xc7, 0xe7, 0x03, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c}
static uint8_t g_secret[SECRET_SIZE] = SECRET_BYTES;
static const uint8_t g_secret_reference[SECRET_SIZE] = SECRET_BYTES;
static uint64_t g_attack_calls;

static int secret_intact(void) { return memcmp(g_secret, g_secret_reference, SECRET_SIZE) == 0; }

uint64_t ecall_secret_address(void) { return (uint64_t)(uintptr_t)g_secret; }

static uint8_t g_copy[1024] __attribute__((aligned(16)));

uint64_t ecall_copy_into_enclave(const uint8_t* buf, size_t len) {
    if (len > sizeof g_copy)
        return 0;
    memcpy(g_copy, buf, len);
    return (uint64_t)(uintptr_t)g_copy;
}

int ecall_attack_target(const uint8_t* buf, size_t len, const uint8_t* arr, size_t elem, size_t n, const char* s,
                        uint8_t* out_buf, size_t olen) {
    ++g_attack_calls;
    if (buf)
        CHECK_INSIDE(buf, len);
    if (arr)
        CHECK_INSIDE(arr, elem * n);
    if (s)
        CHECK_INSIDE(s, strlen(s) + 1);
    if (out_buf) {
        CHECK_INSIDE(out_buf, olen);
        memset(out_buf, 0x5a, olen);
    }
    return 0;
}

int ecall_check_state(uint64_t expected_attack_calls) {
    CHECK(secret_intact());
    CHECK(g_attack_calls == expected_attack_calls);
    return 0;
}
