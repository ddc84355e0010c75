/* An enclave whose static constructor, the first code of its own that runs, makes a raw
 * system call. The isolated backend locks the enclave process down before any enclave code
 * runs, so that call kills it and creation fails; in the sim backend (no lockdown) the same
 * image is created and its ECALL reports the process id the system call returned. */
#include <ccbox/enclave.h>

#include <string.h>

CCBOX_SET_ENCLAVE_PROPERTIES(/*product*/ 1, /*svn*/ 1, /*debug*/ 1, /*heap pages*/ 16, /*stack pages*/ 8, /*tcs*/ 1);

static long g_pid_from_constructor;

__attribute__((constructor)) static void early_system_call(void)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "0"(39L /* getpid */) : "rcx", "r11", "memory");
    g_pid_from_constructor = ret;
}

static ccbox_result_t report_pid(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size, size_t* written)
{
    (void)in;
    (void)in_size;
    if (out_size < sizeof g_pid_from_constructor)
        return CCBOX_BUFFER_TOO_SMALL;
    memcpy(out, &g_pid_from_constructor, sizeof g_pid_from_constructor);
    *written = sizeof g_pid_from_constructor;
    return CCBOX_OK;
}

const ccbox_ecall_info_t ccbox_ecall_table[] = {{report_pid, CCBOX_ECALL_FLAG_PUBLIC, "report_pid"}};
const size_t ccbox_ecall_table_size = 1;
