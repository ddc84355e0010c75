/* The host of tests/compat/hostsock: it answers the socket OCALLs of OE's host socket layer
 * itself (instead of ccbox::host's) so that it can lie, once per ECALL, in the way lies.h
 * names; the enclave checks that it refused the lie and kept working. Exit 0 when every
 * ECALL reports no failure. */
#include <openenclave/host.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "hostsock_u.h"
#include "lies.h"

static int g_lie;
static int g_lied;   /* the lie is told once */
static int g_socket; /* the last host fd sock_socket made */

static int64_t res(long r) { return r < 0 ? -(int64_t)errno : (int64_t)r; }

/* Receives time out after 5 s: an enclave that took a lie for an answer and reads again
 * fails the test instead of hanging it. */
static int timed(int fd)
{
    const struct timeval t = {5, 0};
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof t);
    return fd;
}

/* True (once) when the lie of this ECALL is `which`. */
static int lie(int which)
{
    if (g_lie != which || g_lied)
        return 0;
    g_lied = 1;
    return 1;
}

int64_t sock_socket(int domain, int type, int protocol)
{
    if (lie(LIE_SOCKET_GARBAGE_ERRNO))
        return -100000;
    if (lie(LIE_SOCKET_FD_TOO_BIG))
        return (int64_t)INT_MAX + 1;
    if (g_lie == LIE_SOCKET_DUP_FD && g_socket >= 0 && lie(LIE_SOCKET_DUP_FD))
        return g_socket;
    const int fd = timed(socket(domain, type | SOCK_CLOEXEC, protocol));
    g_socket = fd;
    return res(fd);
}
int64_t sock_bind(int fd, const void* a, uint32_t n)
{
    const int64_t r = res(bind(fd, (const struct sockaddr*)a, n));
    return lie(LIE_BIND_POSITIVE) ? 7 : r;
}
int64_t sock_listen(int fd, int backlog) { return res(listen(fd, backlog)); }
int64_t sock_accept(int fd)
{
    if (lie(LIE_ACCEPT_LIVE_FD))
        return fd;
    if (lie(LIE_ACCEPT_NEGATIVE))
        return INT64_MIN;
    return res(timed(accept4(fd, NULL, NULL, SOCK_CLOEXEC)));
}
int64_t sock_connect(int fd, const void* a, uint32_t n) { return res(connect(fd, (const struct sockaddr*)a, n)); }
int64_t sock_send(int fd, const void* b, size_t n, int f)
{
    const int64_t r = res(send(fd, b, n, f | MSG_NOSIGNAL));
    return r >= 0 && lie(LIE_SEND_TOO_MANY) ? (int64_t)n + 7 : r;
}
int64_t sock_recv(int fd, void* b, size_t n, int f)
{
    const int64_t r = res(recv(fd, b, n, f));
    if (r >= 0 && lie(LIE_RECV_TOO_MANY))
        return (int64_t)n + 1;
    if (r >= 0 && lie(LIE_READ_INT64_MAX))
        return INT64_MAX;
    return r;
}
int64_t sock_close(int fd) { return res(close(fd)); }
int64_t sock_getsockname(int fd, void* a, uint32_t n)
{
    socklen_t len = n;
    if (getsockname(fd, (struct sockaddr*)a, &len) != 0)
        return -(int64_t)errno;
    return lie(LIE_GETSOCKNAME_OVERSIZED) ? 4096 : (int64_t)len;
}
int64_t oe_hostsock_setsockopt(int fd, int level, int name, const void* value, uint32_t length)
{
    return res(setsockopt(fd, level, name, value, length));
}
int64_t oe_hostsock_shutdown(int fd, int how) { return res(shutdown(fd, how)); }

int main(int argc, const char* argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s ENCLAVE\n", argv[0]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    uint32_t flags = OE_ENCLAVE_FLAG_DEBUG;
    if (getenv("OE_HOSTSOCK_SIMULATE"))
        flags |= OE_ENCLAVE_FLAG_SIMULATE;
    oe_enclave_t* e = NULL;
    oe_result_t r = oe_create_hostsock_enclave(argv[1], OE_ENCLAVE_TYPE_AUTO, flags, NULL, 0, &e);
    if (r != OE_OK) {
        fprintf(stderr, "oe_create_hostsock_enclave: %s\n", oe_result_str(r));
        return 1;
    }
    int failed = 0;
    for (int l = LIE_NONE; l < LIE_COUNT; l++) {
        g_lie = l;
        g_lied = 0;
        g_socket = -1;
        int ret = -1;
        r = attack(e, &ret, l);
        const int told = l == LIE_NONE || g_lied;
        printf("lie %d: %s, enclave %s\n", l, told ? "told" : "NOT TOLD",
               r != OE_OK ? oe_result_str(r) : ret == 0 ? "refused it and kept working" : "FAILED");
        failed |= r != OE_OK || ret != 0 || !told;
    }
    int ret = -1;
    r = resolve(e, &ret);
    printf("resolver: %s\n", r == OE_OK && ret == 0 ? "ok" : "FAILED");
    failed |= r != OE_OK || ret != 0;
    oe_terminate_enclave(e);
    return failed;
}
