/* Operating-system interfaces an enclave does not have, with the errors a program can
 * handle, and the few that make sense inside. Trust domain: enclave (libc).
 * Enclave code never makes a system call: writing to stdout/stderr goes through an OCALL,
 * everything else that would need the kernel fails (docs/enclave-libc.md). */
#include "absent_abi.h"
#include "enclave/core/runtime_c.h"
#include "libc_export.h"

#include <errno.h>
#include <libintl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

ssize_t ccbox_libc_write(int fd, const void* data, size_t size)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    long n = ccbox_rt_host_write(fd, data, size);
    if (n < 0) {
        errno = EIO;
        return -1;
    }
    return (ssize_t)n;
}
CCBOX_LIBC_EXPORT_WEAK(write)

ssize_t ccbox_libc_read(int fd, void* data, size_t size)
{
    (void)data;
    (void)size;
    errno = fd == 0 ? ENOSYS : EBADF;
    return -1;
}
CCBOX_LIBC_EXPORT_WEAK(read)

int ccbox_libc_close(int fd)
{
    if (fd >= 0 && fd <= 2)
        return 0;
    errno = EBADF;
    return -1;
}
CCBOX_LIBC_EXPORT_WEAK(close)

long ccbox_libc_sysconf(int name)
{
    switch (name) {
        case _SC_PAGESIZE: return 4096;
        case _SC_NPROCESSORS_CONF:
        case _SC_NPROCESSORS_ONLN: return 1;
        case _SC_CLK_TCK: return 100;
        case _SC_OPEN_MAX: return 3;
        default: errno = EINVAL; return -1;
    }
}
CCBOX_LIBC_EXPORT(sysconf)

int ccbox_libc_getpagesize(void) { return 4096; }
CCBOX_LIBC_EXPORT(getpagesize)

/* No environment inside an enclave. */
char* ccbox_libc_getenv(const char* name)
{
    (void)name;
    return NULL;
}
CCBOX_LIBC_EXPORT(getenv)
char* ccbox_libc_secure_getenv(const char* name)
{
    (void)name;
    return NULL;
}
CCBOX_LIBC_EXPORT(secure_getenv)

/* Messages are not translated inside an enclave. */
char* ccbox_libc_gettext(const char* msgid) { return (char*)msgid; }
CCBOX_LIBC_EXPORT(gettext)
char* ccbox_libc_dgettext(const char* domain, const char* msgid)
{
    (void)domain;
    return (char*)msgid;
}
CCBOX_LIBC_EXPORT(dgettext)
char* ccbox_libc_dcgettext(const char* domain, const char* msgid, int category)
{
    (void)domain;
    (void)category;
    return (char*)msgid;
}
CCBOX_LIBC_EXPORT(dcgettext)

/* No signals: an enclave cannot be interrupted by one. */
__sighandler_t ccbox_libc_signal(int number, __sighandler_t handler)
{
    (void)number;
    (void)handler;
    errno = ENOSYS;
    return SIG_ERR;
}
CCBOX_LIBC_EXPORT(signal)

unsigned int ccbox_libc_alarm(unsigned int seconds)
{
    (void)seconds;
    return 0;
}
CCBOX_LIBC_EXPORT(alarm)

int ccbox_libc_raise(int number)
{
    (void)number;
    abort();
}
CCBOX_LIBC_EXPORT(raise)

/* No file system. */
struct ccbox_dir* ccbox_libc_opendir(const char* path)
{
    (void)path;
    errno = ENOSYS;
    return NULL;
}
CCBOX_LIBC_EXPORT(opendir)

struct dirent* ccbox_libc_readdir(struct ccbox_dir* dir)
{
    (void)dir;
    errno = EBADF;
    return NULL;
}
CCBOX_LIBC_EXPORT(readdir)

int ccbox_libc_closedir(struct ccbox_dir* dir)
{
    (void)dir;
    errno = EBADF;
    return -1;
}
CCBOX_LIBC_EXPORT(closedir)

int ccbox_libc_stat(const char* restrict path, struct stat* restrict st)
{
    (void)path;
    (void)st;
    errno = ENOSYS;
    return -1;
}
CCBOX_LIBC_EXPORT(stat)

int ccbox_libc_fstat(int fd, struct stat* st)
{
    (void)fd;
    (void)st;
    errno = ENOSYS;
    return -1;
}
CCBOX_LIBC_EXPORT(fstat)

/* No virtual memory management and no files inside an enclave: its memory is fixed at
 * creation (the heap is malloc's). Libraries that probe for these (guarded allocations,
 * file-backed entropy fallbacks) get ENOSYS and use their other paths. */
void* ccbox_libc_mmap(void* address, size_t length, int protection, int flags, int fd, off_t offset)
{
    (void)address, (void)length, (void)protection, (void)flags, (void)fd, (void)offset;
    errno = ENOSYS;
    return CCBOX_MAP_FAILED;
}
CCBOX_LIBC_EXPORT(mmap)

int ccbox_libc_munmap(void* address, size_t length)
{
    (void)address, (void)length;
    errno = ENOSYS;
    return -1;
}
CCBOX_LIBC_EXPORT(munmap)

int ccbox_libc_mprotect(void* address, size_t length, int protection)
{
    (void)address, (void)length, (void)protection;
    errno = ENOSYS;
    return -1;
}
CCBOX_LIBC_EXPORT(mprotect)

int ccbox_libc_madvise(void* address, size_t length, int advice)
{
    (void)address, (void)length, (void)advice;
    errno = ENOSYS;
    return -1;
}
CCBOX_LIBC_EXPORT(madvise)

int ccbox_libc_mlock(const void* address, size_t length)
{
    (void)address, (void)length;
    errno = ENOSYS;
    return -1;
}
CCBOX_LIBC_EXPORT(mlock)

int ccbox_libc_munlock(const void* address, size_t length)
{
    (void)address, (void)length;
    errno = ENOSYS;
    return -1;
}
CCBOX_LIBC_EXPORT(munlock)

int ccbox_libc_open(const char* path, int flags, ...)
{
    (void)path, (void)flags;
    errno = ENOSYS;
    return -1;
}
CCBOX_LIBC_EXPORT(open)

int ccbox_libc_fcntl(int fd, int command, ...)
{
    (void)fd, (void)command;
    errno = EBADF;
    return -1;
}
CCBOX_LIBC_EXPORT(fcntl)

int ccbox_libc_poll(struct pollfd* fds, ccbox_nfds_t count, int timeout)
{
    (void)fds, (void)count, (void)timeout;
    errno = ENOSYS;
    return -1;
}
CCBOX_LIBC_EXPORT(poll)
