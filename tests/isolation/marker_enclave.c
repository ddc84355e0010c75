/* An enclave whose static constructor tries to leave a mark on the machine: a raw open() and
 * write() of /tmp/ccbox-prelockdown-marker. If enclave code could run before the lockdown (a
 * host that rang its doorbells early), the file would appear; after the lockdown the first
 * system call kills the enclave process. */
#include <ccbox/enclave.h>

CCBOX_SET_ENCLAVE_PROPERTIES(/*product*/ 1, /*svn*/ 1, /*debug*/ 1, /*heap pages*/ 16, /*stack pages*/ 8, /*tcs*/ 4);

static long raw_syscall3(long number, long a, long b, long c)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "0"(number), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return ret;
}

__attribute__((constructor)) static void leave_a_mark(void)
{
    static const char path[] = "/tmp/ccbox-prelockdown-marker";
    long fd = raw_syscall3(2 /* open */, (long)path, 01 | 0100 /* O_WRONLY | O_CREAT */, 0666);
    if (fd >= 0) {
        raw_syscall3(1 /* write */, fd, (long)"escaped\n", 8);
        raw_syscall3(3 /* close */, fd, 0, 0);
    }
}

static ccbox_result_t nothing(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size, size_t* written)
{
    (void)in;
    (void)in_size;
    (void)out;
    (void)out_size;
    *written = 0;
    return CCBOX_OK;
}

const ccbox_ecall_info_t ccbox_ecall_table[] = {{nothing, CCBOX_ECALL_FLAG_PUBLIC, "nothing"}};
const size_t ccbox_ecall_table_size = 1;
