/* Open Enclave's host resolver for enclaves (openenclave::oehostresolver) on ccbox
 * (docs/openenclave.md "Sockets"). Trust domain: enclave.
 *
 * Resolution happens inside the enclave and asks the host nothing: a numeric IPv4 address,
 * "localhost" (127.0.0.1, or ::1 for AF_INET6), "::1", or no node (the wildcard address with
 * AI_PASSIVE, loopback without), with a numeric service or none. Any other name fails with
 * EAI_NONAME: a host's DNS answer would be one more value for the enclave to distrust, and
 * OE's own samples connect to localhost. These definitions replace the enclave libc's weak
 * getaddrinfo/freeaddrinfo (which fail with EAI_SYSTEM/ENOSYS). */
#define _GNU_SOURCE /* EAI_ADDRFAMILY */
#include "hostsock_internal.h"

#include <openenclave/enclave.h>

#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Dotted-quad IPv4, four decimal parts 0..255, nothing else. Network byte order in *out. */
static int parse_ipv4(const char* s, uint8_t out[4])
{
    for (int part = 0; part < 4; part++) {
        unsigned v = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (unsigned)(*s++ - '0');
            if (++digits > 3 || v > 255)
                return 0;
        }
        if (digits == 0)
            return 0;
        out[part] = (uint8_t)v;
        if (part < 3 && *s++ != '.')
            return 0;
    }
    return *s == '\0';
}

/* A decimal port 0..65535, or none (NULL): 0. -1 when it is anything else. */
static int parse_port(const char* s)
{
    if (!s)
        return 0;
    if (!*s)
        return -1;
    long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > 65535)
            return -1;
    }
    return (int)v;
}

struct entry {
    struct addrinfo info;
    struct sockaddr_storage address;
};

int getaddrinfo(const char* restrict node, const char* restrict service, const struct addrinfo* restrict hints,
                struct addrinfo** restrict result)
{
    if (!result)
        return EAI_SYSTEM;
    *result = NULL;
    const int family = hints ? hints->ai_family : AF_UNSPEC;
    const int flags = hints ? hints->ai_flags : 0;
    if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
        return EAI_FAMILY;
    if (!node && !service)
        return EAI_NONAME;
    const int port = parse_port(service);
    if (port < 0)
        return EAI_SERVICE;

    uint8_t v4[4] = {127, 0, 0, 1};
    int ipv6 = 0; /* the address is ::1 (or :: when passive) */
    if (!node) {
        ipv6 = family == AF_INET6;
        if (flags & AI_PASSIVE)
            memset(v4, 0, sizeof v4);
    } else if (strcmp(node, "localhost") == 0) {
        ipv6 = family == AF_INET6;
    } else if (strcmp(node, "::1") == 0) {
        if (family == AF_INET)
            return EAI_ADDRFAMILY;
        ipv6 = 1;
    } else if (parse_ipv4(node, v4)) {
        if (family == AF_INET6)
            return EAI_ADDRFAMILY;
    } else {
        ccbox_oehostsock_log("getaddrinfo: \"%s\" is neither numeric nor localhost (ccbox resolves no names)", node);
        return EAI_NONAME;
    }

    struct entry* e = calloc(1, sizeof *e);
    if (!e)
        return EAI_MEMORY;
    e->info.ai_flags = flags;
    e->info.ai_socktype = hints ? hints->ai_socktype : 0;
    e->info.ai_protocol = hints ? hints->ai_protocol : 0;
    e->info.ai_addr = (struct sockaddr*)&e->address;
    if (ipv6) {
        struct sockaddr_in6* a = (struct sockaddr_in6*)&e->address;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (node || !(flags & AI_PASSIVE))
            a->sin6_addr.s6_addr[15] = 1;
        e->info.ai_family = AF_INET6;
        e->info.ai_addrlen = sizeof *a;
    } else {
        struct sockaddr_in* a = (struct sockaddr_in*)&e->address;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        memcpy(&a->sin_addr, v4, sizeof v4);
        e->info.ai_family = AF_INET;
        e->info.ai_addrlen = sizeof *a;
    }
    *result = &e->info;
    return 0;
}

/* Each list getaddrinfo returns is one entry, allocated as a whole. */
void freeaddrinfo(struct addrinfo* list) { free(list); }

oe_result_t oe_load_module_host_resolver(void) { return OE_OK; }
