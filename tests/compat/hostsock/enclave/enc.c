/* An enclave on OE's host socket layer (tests/compat/hostsock): it makes a loopback
 * connection through the socket OCALLs while its host lies in one of them, and checks that
 * the lie is refused (-1, EIO), that no byte beyond its buffers changes, and that it keeps
 * running. Each check that fails prints what it saw and makes the ECALL return nonzero. */
#include <openenclave/enclave.h>

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hostsock_t.h"
#include "lies.h"

OE_SET_ENCLAVE_SGX(1, 1, true, 256, 32, 2);

static int failures;

static void check(int ok, const char* what, long r)
{
    if (!ok) {
        printf("enclave: FAILED: %s (result %ld, errno %d)\n", what, r, errno);
        failures++;
    }
}

/* The call was refused as a host lie: -1 with EIO. */
static void refused(long r, const char* what)
{
    check(r == -1 && errno == EIO, what, r);
}

#define CANARY 0xA5
static int canary_intact(const unsigned char* p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != CANARY)
            return 0;
    return 1;
}

static void loopback(struct sockaddr_in* a, uint16_t port)
{
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* A listener on 127.0.0.1 (an ephemeral port), a client connected to it and the accepted
 * socket, with `lie` applied where it belongs. */
static void connection(int lie)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    check(l >= 3, "socket", l);
    const int one = 1;
    check(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0, "setsockopt", 0);
    struct sockaddr_in any;
    loopback(&any, 0);
    const int b = bind(l, (struct sockaddr*)&any, sizeof any);
    if (lie == LIE_BIND_POSITIVE) {
        refused(b, "bind answered 7");
        check(listen(l, 1) == -1 && errno == EIO, "a socket whose bind lied is failed", 0);
        check(close(l) == 0, "close after a lie", 0);
        return;
    }
    check(b == 0, "bind", b);
    check(listen(l, 4) == 0, "listen", 0);

    struct {
        struct sockaddr_in a;
        unsigned char canary[64];
    } name;
    memset(&name, CANARY, sizeof name);
    socklen_t len = sizeof name.a;
    const int g = getsockname(l, (struct sockaddr*)&name.a, &len);
    if (lie == LIE_GETSOCKNAME_OVERSIZED) {
        refused(g, "getsockname answered 4096 bytes");
        check(canary_intact(name.canary, sizeof name.canary), "getsockname wrote past the address", 0);
        check(len == sizeof name.a, "getsockname changed the length on a lie", len);
        check(close(l) == 0, "close", 0);
        return;
    }
    check(g == 0 && len == sizeof name.a && name.a.sin_port != 0, "getsockname", g);

    int c = socket(AF_INET, SOCK_STREAM, 0);
    check(c >= 3 && c != l, "client socket", c);
    struct sockaddr_in to;
    loopback(&to, ntohs(name.a.sin_port));
    check(connect(c, (struct sockaddr*)&to, sizeof to) == 0, "connect", 0);

    struct sockaddr_in peer;
    socklen_t peer_len = sizeof peer;
    int a = accept(l, (struct sockaddr*)&peer, &peer_len);
    if (lie == LIE_ACCEPT_LIVE_FD || lie == LIE_ACCEPT_NEGATIVE) {
        refused(a, lie == LIE_ACCEPT_LIVE_FD ? "accept answered the listener's own fd" : "accept answered INT64_MIN");
        check(peer_len == sizeof peer, "accept changed the length on a lie", peer_len);
        /* the listener still works: the honest accept that follows gets the connection */
        a = accept(l, NULL, NULL);
        check(a >= 3, "accept after a lie", a);
    } else {
        check(a >= 3 && a != l && a != c, "accept", a);
    }

    const ssize_t s = send(c, "hello", 5, 0);
    if (lie == LIE_SEND_TOO_MANY) {
        refused(s, "send answered 12 of 5 bytes");
        check(write(c, "x", 1) == -1 && errno == EIO, "a socket whose send lied is failed", 0);
    } else {
        check(s == 5, "send", s);
        struct {
            char data[8];
            unsigned char canary[64];
        } in;
        memset(&in, CANARY, sizeof in);
        const ssize_t r = lie == LIE_READ_INT64_MAX ? read(a, in.data, sizeof in.data)
                                                    : recv(a, in.data, sizeof in.data, 0);
        if (lie == LIE_RECV_TOO_MANY || lie == LIE_READ_INT64_MAX) {
            refused(r, lie == LIE_RECV_TOO_MANY ? "recv answered 9 of 8 bytes" : "read answered INT64_MAX bytes");
            check(read(a, in.data, sizeof in.data) == -1 && errno == EIO, "a socket whose recv lied is failed", 0);
        } else {
            check(r == 5 && memcmp(in.data, "hello", 5) == 0, "recv", r);
            check(write(a, "ok", 2) == 2, "write", 0);
            char back[2];
            check(read(c, back, sizeof back) == 2 && memcmp(back, "ok", 2) == 0, "read", 0);
            check(shutdown(c, SHUT_WR) == 0, "shutdown", 0);
            check(read(a, in.data, sizeof in.data) == 0, "read at end of stream", 0);
        }
        check(canary_intact(in.canary, sizeof in.canary), "recv wrote past the buffer", 0);
    }
    check(close(a) == 0 && close(c) == 0 && close(l) == 0, "close", 0);
    check(close(c) == -1 && errno == EBADF, "a closed socket is gone", 0);
}

int attack(int lie)
{
    failures = 0;
    check(oe_load_module_host_socket_interface() == OE_OK, "oe_load_module_host_socket_interface", 0);
    check(oe_load_module_host_resolver() == OE_OK, "oe_load_module_host_resolver", 0);
    check(write(77, "x", 1) == -1 && errno == EBADF, "write to a descriptor that is no socket", 0);
    check(socket(AF_UNIX, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT, "AF_UNIX is refused", 0);
    switch (lie) {
    case LIE_SOCKET_GARBAGE_ERRNO:
        refused(socket(AF_INET, SOCK_STREAM, 0), "socket answered -100000");
        break;
    case LIE_SOCKET_FD_TOO_BIG:
        refused(socket(AF_INET, SOCK_STREAM, 0), "socket answered INT_MAX + 1");
        break;
    case LIE_SOCKET_DUP_FD: {
        const int first = socket(AF_INET, SOCK_STREAM, 0);
        check(first >= 3, "first socket", first);
        refused(socket(AF_INET, SOCK_STREAM, 0), "a second socket answered the first one's host fd");
        check(close(first) == 0, "the first socket is intact", 0);
        break;
    }
    default:
        connection(lie);
    }
    return failures;
}

static void expect_addr(const char* node, const char* service, int family, int ok_family, uint32_t ipv4, int port)
{
    struct addrinfo hints, *list = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    const int r = getaddrinfo(node, service, &hints, &list);
    check(r == 0 && list && list->ai_family == ok_family && !list->ai_next, node ? node : "(null)", r);
    if (r != 0 || !list)
        return;
    if (ok_family == AF_INET) {
        const struct sockaddr_in* a = (const struct sockaddr_in*)list->ai_addr;
        check(list->ai_addrlen == sizeof *a && a->sin_addr.s_addr == htonl(ipv4) && ntohs(a->sin_port) == port,
              node, 0);
    } else {
        const struct sockaddr_in6* a = (const struct sockaddr_in6*)list->ai_addr;
        check(list->ai_addrlen == sizeof *a && a->sin6_addr.s6_addr[15] == 1 && ntohs(a->sin6_port) == port, node, 0);
    }
    freeaddrinfo(list);
}

static void expect_error(const char* node, const char* service, int family, int error)
{
    struct addrinfo hints, *list = (struct addrinfo*)1;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    const int r = getaddrinfo(node, service, &hints, &list);
    check(r == error && list == NULL, node ? node : service, r);
}

int resolve(void)
{
    failures = 0;
    expect_addr("127.0.0.1", "12341", AF_INET, AF_INET, 0x7f000001, 12341);
    expect_addr("10.1.2.3", NULL, AF_UNSPEC, AF_INET, 0x0a010203, 0);
    expect_addr("localhost", "443", AF_INET, AF_INET, 0x7f000001, 443);
    expect_addr("localhost", "443", AF_INET6, AF_INET6, 0, 443);
    expect_addr("::1", "1", AF_UNSPEC, AF_INET6, 0, 1);
    expect_error("example.com", "80", AF_INET, EAI_NONAME);
    expect_error("256.0.0.1", "80", AF_INET, EAI_NONAME);
    expect_error("1.2.3", "80", AF_INET, EAI_NONAME);
    expect_error("1.2.3.4.", "80", AF_INET, EAI_NONAME);
    expect_error("127.0.0.1", "http", AF_INET, EAI_SERVICE);
    expect_error("127.0.0.1", "65536", AF_INET, EAI_SERVICE);
    expect_error("127.0.0.1", "80", AF_UNIX, EAI_FAMILY);
    return failures;
}
