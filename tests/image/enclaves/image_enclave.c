/* A small C enclave with code, read-only data, data, bss and thread-local data, used by the
 * image tests (layout, measurement, signing, tampering). */
#include <ccbox/enclave.h>

#include <string.h>

CCBOX_SET_ENCLAVE_PROPERTIES(/*product*/ 3, /*svn*/ 2, /*debug*/ 1, /*heap pages*/ 64, /*stack pages*/ 8, /*tcs*/ 2);

static const char kGreeting[] = "measured read-only data";
static char g_data[64] = "measured data";
static char g_bss[8192];
static __thread int t_counter = 5;
static __thread char t_zero[100];

static ccbox_result_t image_ecall(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size, size_t* written)
{
    (void)in;
    (void)in_size;
    if (out_size < sizeof kGreeting)
        return CCBOX_BUFFER_TOO_SMALL;
    t_counter++;
    t_zero[0] = (char)t_counter;
    g_bss[0] = g_data[0];
    memcpy(out, kGreeting, sizeof kGreeting);
    *written = sizeof kGreeting;
    return CCBOX_OK;
}

const ccbox_ecall_info_t ccbox_ecall_table[] = {{image_ecall, CCBOX_ECALL_FLAG_PUBLIC, "image_ecall"}};
const size_t ccbox_ecall_table_size = 1;
