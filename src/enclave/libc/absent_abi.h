/* The glibc ABI of what an enclave does not have: networking and name resolution, descriptor
 * polling, ioctl, terminals, System V shared memory, user contexts, virtual memory
 * management, directories and file status. Trust domain: enclave (libc).
 * Enclave code includes no host header (DESIGN.md §3), and the stand-ins for these
 * facilities (unsupported.c, system.c) only fail: they need no layouts, only the types they
 * take by pointer (left incomplete here) and a few of glibc's numbers, which
 * tests/enclave_libc/system_test.cpp checks against glibc's own headers. */
#ifndef CCBOX_ENCLAVE_LIBC_ABSENT_ABI_H
#define CCBOX_ENCLAVE_LIBC_ABSENT_ABI_H

/* Taken by pointer only. */
struct sockaddr;
struct msghdr;
struct addrinfo;
struct hostent;
struct timeval;
struct termios;
struct pollfd;
struct stat;
struct dirent;
struct ccbox_fd_set;    /* fd_set */
struct ccbox_ucontext;  /* ucontext_t */
struct ccbox_dir;       /* DIR */

typedef unsigned int ccbox_socklen_t; /* socklen_t */
typedef unsigned long ccbox_nfds_t;   /* nfds_t */
typedef int ccbox_key_t;              /* key_t */

/* getaddrinfo()'s error codes (<netdb.h>) */
#define CCBOX_EAI_BADFLAGS (-1)
#define CCBOX_EAI_NONAME (-2)
#define CCBOX_EAI_AGAIN (-3)
#define CCBOX_EAI_FAIL (-4)
#define CCBOX_EAI_FAMILY (-6)
#define CCBOX_EAI_SOCKTYPE (-7)
#define CCBOX_EAI_SERVICE (-8)
#define CCBOX_EAI_MEMORY (-10)
#define CCBOX_EAI_SYSTEM (-11)
#define CCBOX_EAI_OVERFLOW (-12)

/* fd_set's size and word width (<sys/select.h>) */
#define CCBOX_FD_SETSIZE 1024
#define CCBOX_NFDBITS 64

/* mmap()'s failure value (<sys/mman.h>) */
#define CCBOX_MAP_FAILED ((void*)-1)

#endif
