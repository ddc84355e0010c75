/* What the host of tests/compat/hostsock lies about, one lie per ECALL. */
#ifndef HOSTSOCK_TEST_LIES_H
#define HOSTSOCK_TEST_LIES_H
enum lie {
    LIE_NONE,                 /* honest: a loopback connection, data both ways */
    LIE_SOCKET_GARBAGE_ERRNO, /* socket returns -100000 */
    LIE_SOCKET_FD_TOO_BIG,    /* socket returns INT_MAX + 1 */
    LIE_SOCKET_DUP_FD,        /* a second socket returns the first one's host fd */
    LIE_ACCEPT_LIVE_FD,       /* accept returns the listening socket's own fd */
    LIE_ACCEPT_NEGATIVE,      /* accept returns INT64_MIN */
    LIE_RECV_TOO_MANY,        /* recv claims one byte more than asked */
    LIE_READ_INT64_MAX,       /* recv (behind read) claims INT64_MAX */
    LIE_SEND_TOO_MANY,        /* send claims 7 bytes more than asked */
    LIE_GETSOCKNAME_OVERSIZED, /* getsockname claims a 4096-byte address */
    LIE_BIND_POSITIVE,        /* bind returns 7 */
    LIE_COUNT
};
#endif
