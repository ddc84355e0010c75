/* Open Enclave's host socket layer for enclaves (openenclave::oehostsock) on ccbox
 * (docs/openenclave.md "Sockets"). Trust domain: enclave.
 *
 * Socket descriptors live in an enclave-side table: the application sees enclave fds
 * (CCBOX_OEHOSTSOCK_FD_BASE and up), each naming a host fd that the host returned from
 * sock_socket or sock_accept. Every call goes out as an OCALL that the application's
 * generated code carries because it imports openenclave/edl/syscall.edl (which imports
 * ccbox/edl/socket.edl and openenclave/edl/socket.edl's own calls). The host answers them,
 * so every answer is checked: fds must be new, non-negative ints; counts never above what
 * was asked; address lengths never above the buffer; errno values in Linux's range (anything
 * else is EIO). A host that lies gets EIO and the socket is marked failed; nothing is read or
 * written outside the caller's buffers.
 *
 * These definitions replace the enclave libc's weak socket functions (which fail with
 * ENOSYS/EBADF) and its weak read/write/close, which fall back to libc for other fds. */
#include "hostsock_internal.h"

#include <openenclave/enclave.h>

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

/* The OCALL proxies generated into the application's X_t.c (OE's calling convention). */
oe_result_t sock_socket(int64_t* retval, int domain, int type, int protocol);
oe_result_t sock_bind(int64_t* retval, int fd, const void* addr, uint32_t addr_len);
oe_result_t sock_listen(int64_t* retval, int fd, int backlog);
oe_result_t sock_accept(int64_t* retval, int fd);
oe_result_t sock_connect(int64_t* retval, int fd, const void* addr, uint32_t addr_len);
oe_result_t sock_send(int64_t* retval, int fd, const void* buf, size_t len, int flags);
oe_result_t sock_recv(int64_t* retval, int fd, void* buf, size_t len, int flags);
oe_result_t sock_close(int64_t* retval, int fd);
oe_result_t sock_getsockname(int64_t* retval, int fd, void* addr, uint32_t addr_len);
oe_result_t oe_hostsock_setsockopt(int64_t* retval, int fd, int level, int name, const void* value, uint32_t length);
oe_result_t oe_hostsock_shutdown(int64_t* retval, int fd, int how);

/* The enclave libc's own descriptors (stdio), for fds that are not sockets. */
ssize_t ccbox_libc_write(int fd, const void* data, size_t size);
ssize_t ccbox_libc_read(int fd, void* data, size_t size);
int ccbox_libc_close(int fd);

#define MAX_ERRNO 133 /* EHWPOISON, Linux's largest */

struct slot {
    int used;
    int failed; /* the host lied about this socket: every further call fails */
    int host_fd;
};
static struct slot g_slots[CCBOX_OEHOSTSOCK_MAX_FDS];
static volatile int g_lock;

static void lock(void)
{
    while (__atomic_test_and_set(&g_lock, __ATOMIC_ACQUIRE))
        ;
}
static void unlock(void) { __atomic_clear(&g_lock, __ATOMIC_RELEASE); }

static int fail(int e)
{
    errno = e;
    return -1;
}

/* The host's -errno, checked: only Linux errno values pass, anything else is EIO. */
static int host_error(int64_t r)
{
    return fail(r <= -1 && r >= -MAX_ERRNO ? (int)-r : EIO); /* never negates INT64_MIN */
}

/* A call that reached the host and back, or EIO. */
static int call_failed(oe_result_t call, const char* what)
{
    if (call == OE_OK)
        return 0;
    ccbox_oehostsock_log("%s: the OCALL failed (%s)", what, oe_result_str(call));
    return 1;
}

static void mark_failed(int fd)
{
    lock();
    const int i = fd - CCBOX_OEHOSTSOCK_FD_BASE;
    if (i >= 0 && i < CCBOX_OEHOSTSOCK_MAX_FDS && g_slots[i].used)
        g_slots[i].failed = 1;
    unlock();
}

/* The host fd behind an enclave fd, or -1 (errno EBADF, or EIO for a failed socket). */
static int host_fd_of(int fd)
{
    const int i = fd - CCBOX_OEHOSTSOCK_FD_BASE;
    if (i < 0 || i >= CCBOX_OEHOSTSOCK_MAX_FDS)
        return fail(EBADF);
    lock();
    const struct slot s = g_slots[i];
    unlock();
    if (!s.used)
        return fail(EBADF);
    if (s.failed)
        return fail(EIO);
    return s.host_fd;
}

int ccbox_oehostsock_is_socket(int fd)
{
    const int i = fd - CCBOX_OEHOSTSOCK_FD_BASE;
    if (i < 0 || i >= CCBOX_OEHOSTSOCK_MAX_FDS)
        return 0;
    lock();
    const int used = g_slots[i].used;
    unlock();
    return used;
}

/* Enters a host fd the host just returned (from `what`), or refuses it: a host fd must be an
 * int that names no socket the enclave already holds. Returns the enclave fd, or -1. */
static int adopt(int64_t r, const char* what)
{
    if (r < 0)
        return host_error(r);
    if (r > INT_MAX) {
        ccbox_oehostsock_log("%s: the host returned fd %lld, which is not a descriptor", what, (long long)r);
        return fail(EIO);
    }
    lock();
    int free_slot = -1;
    for (int i = 0; i < CCBOX_OEHOSTSOCK_MAX_FDS; i++) {
        if (g_slots[i].used && g_slots[i].host_fd == (int)r) {
            unlock();
            ccbox_oehostsock_log("%s: the host returned fd %d, which an open enclave socket already names", what,
                                 (int)r);
            return fail(EIO);
        }
        if (!g_slots[i].used && free_slot < 0)
            free_slot = i;
    }
    if (free_slot >= 0) {
        g_slots[free_slot].used = 1;
        g_slots[free_slot].failed = 0;
        g_slots[free_slot].host_fd = (int)r;
    }
    unlock();
    if (free_slot < 0) {
        int64_t ignored;
        (void)sock_close(&ignored, (int)r);
        return fail(EMFILE);
    }
    return CCBOX_OEHOSTSOCK_FD_BASE + free_slot;
}

/* A result that is 0 or -errno (bind, listen, connect, close, setsockopt, shutdown). */
static int zero_or_error(int fd, oe_result_t call, int64_t r, const char* what)
{
    if (call_failed(call, what))
        return fail(EIO);
    if (r < 0)
        return host_error(r);
    if (r != 0) {
        ccbox_oehostsock_log("%s: the host returned %lld where only 0 or -errno are answers", what, (long long)r);
        mark_failed(fd);
        return fail(EIO);
    }
    return 0;
}

/* A count: never above `asked`. */
static ssize_t count_or_error(int fd, oe_result_t call, int64_t r, size_t asked, const char* what)
{
    if (call_failed(call, what))
        return fail(EIO);
    if (r < 0)
        return host_error(r);
    if ((uint64_t)r > asked || r > SSIZE_MAX) {
        ccbox_oehostsock_log("%s: the host claims %lld bytes of a %zu-byte request", what, (long long)r, asked);
        mark_failed(fd);
        return fail(EIO);
    }
    return (ssize_t)r;
}

int socket(int domain, int type, int protocol)
{
    int64_t r = -1;
    if (domain != AF_INET && domain != AF_INET6)
        return fail(EAFNOSUPPORT);
    if (call_failed(sock_socket(&r, domain, type, protocol), "socket"))
        return fail(EIO);
    return adopt(r, "socket");
}

static int check_address(const struct sockaddr* address, socklen_t length)
{
    if (!address || length < sizeof(sa_family_t) || length > sizeof(struct sockaddr_storage))
        return fail(EINVAL);
    return 0;
}

int bind(int fd, const struct sockaddr* address, socklen_t length)
{
    const int h = host_fd_of(fd);
    if (h < 0 || check_address(address, length) < 0)
        return -1;
    int64_t r = -1;
    const oe_result_t call = sock_bind(&r, h, address, length);
    return zero_or_error(fd, call, r, "bind");
}

int connect(int fd, const struct sockaddr* address, socklen_t length)
{
    const int h = host_fd_of(fd);
    if (h < 0 || check_address(address, length) < 0)
        return -1;
    int64_t r = -1;
    const oe_result_t call = sock_connect(&r, h, address, length);
    return zero_or_error(fd, call, r, "connect");
}

int listen(int fd, int backlog)
{
    const int h = host_fd_of(fd);
    if (h < 0)
        return -1;
    int64_t r = -1;
    const oe_result_t call = sock_listen(&r, h, backlog);
    return zero_or_error(fd, call, r, "listen");
}

/* The peer's address is not reported (sock_accept does not return it): *length becomes 0. */
int accept(int fd, struct sockaddr* restrict address, socklen_t* restrict length)
{
    (void)address;
    const int h = host_fd_of(fd);
    if (h < 0)
        return -1;
    int64_t r = -1;
    if (call_failed(sock_accept(&r, h), "accept"))
        return fail(EIO);
    const int e = adopt(r, "accept");
    if (e >= 0 && length)
        *length = 0;
    return e;
}

int getsockname(int fd, struct sockaddr* restrict address, socklen_t* restrict length)
{
    const int h = host_fd_of(fd);
    if (h < 0)
        return -1;
    if (!address || !length)
        return fail(EFAULT);
    struct sockaddr_storage bound;
    int64_t r = -1;
    const oe_result_t call = sock_getsockname(&r, h, &bound, sizeof bound);
    const ssize_t n = count_or_error(fd, call, r, sizeof bound, "getsockname");
    if (n < 0)
        return -1;
    memcpy(address, &bound, (size_t)n < *length ? (size_t)n : *length);
    *length = (socklen_t)n;
    return 0;
}

int setsockopt(int fd, int level, int name, const void* value, socklen_t length)
{
    const int h = host_fd_of(fd);
    if (h < 0)
        return -1;
    if ((length && !value) || length > 256)
        return fail(EINVAL);
    int64_t r = -1;
    const oe_result_t call = oe_hostsock_setsockopt(&r, h, level, name, value, length);
    return zero_or_error(fd, call, r, "setsockopt");
}

int shutdown(int fd, int how)
{
    const int h = host_fd_of(fd);
    if (h < 0)
        return -1;
    int64_t r = -1;
    const oe_result_t call = oe_hostsock_shutdown(&r, h, how);
    return zero_or_error(fd, call, r, "shutdown");
}

ssize_t send(int fd, const void* data, size_t size, int flags)
{
    const int h = host_fd_of(fd);
    if (h < 0)
        return -1;
    int64_t r = -1;
    const oe_result_t call = sock_send(&r, h, data, size, flags);
    return count_or_error(fd, call, r, size, "send");
}

ssize_t recv(int fd, void* data, size_t size, int flags)
{
    const int h = host_fd_of(fd);
    if (h < 0)
        return -1;
    int64_t r = -1;
    const oe_result_t call = sock_recv(&r, h, data, size, flags);
    return count_or_error(fd, call, r, size, "recv");
}

ssize_t write(int fd, const void* data, size_t size)
{
    if (!ccbox_oehostsock_is_socket(fd))
        return ccbox_libc_write(fd, data, size);
    return send(fd, data, size, 0);
}

ssize_t read(int fd, void* data, size_t size)
{
    if (!ccbox_oehostsock_is_socket(fd))
        return ccbox_libc_read(fd, data, size);
    return recv(fd, data, size, 0);
}

/* The enclave fd is released whatever the host answers: a host cannot keep it open. */
int close(int fd)
{
    if (!ccbox_oehostsock_is_socket(fd))
        return ccbox_libc_close(fd);
    const int i = fd - CCBOX_OEHOSTSOCK_FD_BASE;
    lock();
    const int h = g_slots[i].host_fd;
    g_slots[i].used = 0;
    g_slots[i].failed = 0;
    unlock();
    int64_t r = -1;
    const oe_result_t call = sock_close(&r, h);
    return zero_or_error(-1, call, r, "close");
}

/* Byte order (glibc makes these macros only when optimizing; unoptimized code calls them). */
uint16_t(htons)(uint16_t x) { return __builtin_bswap16(x); }
uint16_t(ntohs)(uint16_t x) { return __builtin_bswap16(x); }
uint32_t(htonl)(uint32_t x) { return __builtin_bswap32(x); }
uint32_t(ntohl)(uint32_t x) { return __builtin_bswap32(x); }

oe_result_t oe_load_module_host_socket_interface(void) { return OE_OK; }
