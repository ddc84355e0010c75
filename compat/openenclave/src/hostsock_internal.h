/* Shared by hostsock.c and hostresolver.c (openenclave::oehostsock, ::oehostresolver).
 * Trust domain: enclave. */
#ifndef CCBOX_OE_COMPAT_HOSTSOCK_INTERNAL_H
#define CCBOX_OE_COMPAT_HOSTSOCK_INTERNAL_H

#include <stdio.h>

/* Enclave socket descriptors: CCBOX_OEHOSTSOCK_FD_BASE .. + CCBOX_OEHOSTSOCK_MAX_FDS - 1. */
#define CCBOX_OEHOSTSOCK_FD_BASE 3
#define CCBOX_OEHOSTSOCK_MAX_FDS 256

/* Why a host answer was refused, on stderr. FMT is a literal. */
#define ccbox_oehostsock_log(...) (fprintf(stderr, "oehostsock: " __VA_ARGS__), fputc('\n', stderr))

/* Nonzero when `fd` is an open enclave socket. */
int ccbox_oehostsock_is_socket(int fd);

#endif
