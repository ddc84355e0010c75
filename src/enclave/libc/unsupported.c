/* Interfaces that exist in glibc but not inside an enclave: networking, dynamic loading,
 * terminals, System V shared memory, user contexts, signal handlers. Trust domain: enclave
 * (libc). Each fails the way a program can handle (ENOSYS unless POSIX names a better
 * error), so that libraries which merely reference them (Debian's libcrypto.a does) link
 * and take their other paths; the few that have a meaning inside an enclave (uname, getpid,
 * gai_strerror, __fdelt_chk) are real. docs/enclave-libc.md lists them. */
#include "absent_abi.h"
#include "libc_export.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

extern void __chk_fail(void) __attribute__((noreturn));

static int no_system(void)
{
    errno = ENOSYS;
    return -1;
}

/* No descriptor inside an enclave is a socket (or a device). */
static int not_a_socket(void)
{
    errno = EBADF;
    return -1;
}

/* ---- sockets: an enclave has no network; data comes and goes through OCALLs ---- */
int ccbox_libc_socket(int domain, int type, int protocol)
{
    (void)domain, (void)type, (void)protocol;
    return no_system();
}
CCBOX_LIBC_EXPORT_WEAK(socket)

int ccbox_libc_bind(int fd, const struct sockaddr* address, ccbox_socklen_t length)
{
    (void)fd, (void)address, (void)length;
    return not_a_socket();
}
CCBOX_LIBC_EXPORT_WEAK(bind)

int ccbox_libc_connect(int fd, const struct sockaddr* address, ccbox_socklen_t length)
{
    (void)fd, (void)address, (void)length;
    return not_a_socket();
}
CCBOX_LIBC_EXPORT_WEAK(connect)

int ccbox_libc_listen(int fd, int backlog)
{
    (void)fd, (void)backlog;
    return not_a_socket();
}
CCBOX_LIBC_EXPORT_WEAK(listen)

int ccbox_libc_accept(int fd, struct sockaddr* restrict address, ccbox_socklen_t* restrict length)
{
    (void)fd, (void)address, (void)length;
    return not_a_socket();
}
CCBOX_LIBC_EXPORT_WEAK(accept)

int ccbox_libc_shutdown(int fd, int how)
{
    (void)fd, (void)how;
    return not_a_socket();
}
CCBOX_LIBC_EXPORT_WEAK(shutdown)

int ccbox_libc_getsockname(int fd, struct sockaddr* restrict address, ccbox_socklen_t* restrict length)
{
    (void)fd, (void)address, (void)length;
    return not_a_socket();
}
CCBOX_LIBC_EXPORT_WEAK(getsockname)

int ccbox_libc_getsockopt(int fd, int level, int name, void* restrict value, ccbox_socklen_t* restrict length)
{
    (void)fd, (void)level, (void)name, (void)value, (void)length;
    return not_a_socket();
}
CCBOX_LIBC_EXPORT(getsockopt)

int ccbox_libc_setsockopt(int fd, int level, int name, const void* value, ccbox_socklen_t length)
{
    (void)fd, (void)level, (void)name, (void)value, (void)length;
    return not_a_socket();
}
CCBOX_LIBC_EXPORT_WEAK(setsockopt)

ssize_t ccbox_libc_sendmsg(int fd, const struct msghdr* message, int flags)
{
    (void)fd, (void)message, (void)flags;
    return not_a_socket();
}
CCBOX_LIBC_EXPORT(sendmsg)

/* libssl.a's SSL_sendfile (kernel TLS) references it. */
ssize_t ccbox_libc_sendfile(int out_fd, int in_fd, off_t* offset, size_t count)
{
    (void)out_fd, (void)in_fd, (void)offset, (void)count;
    return not_a_socket();
}
CCBOX_LIBC_EXPORT(sendfile)

ssize_t ccbox_libc_recvmsg(int fd, struct msghdr* message, int flags)
{
    (void)fd, (void)message, (void)flags;
    return not_a_socket();
}
CCBOX_LIBC_EXPORT(recvmsg)

int ccbox_libc_select(int count, struct ccbox_fd_set* restrict readable, struct ccbox_fd_set* restrict writable, struct ccbox_fd_set* restrict failed,
                      struct timeval* restrict timeout)
{
    (void)count, (void)readable, (void)writable, (void)failed, (void)timeout;
    return no_system();
}
CCBOX_LIBC_EXPORT(select)

/* FD_SET and friends with _FORTIFY_SOURCE: the bounds check is real. */
long int ccbox_libc___fdelt_chk(long int fd)
{
    if (fd < 0 || fd >= CCBOX_FD_SETSIZE)
        __chk_fail();
    return fd / CCBOX_NFDBITS;
}
CCBOX_LIBC_EXPORT(__fdelt_chk)

int ccbox_libc_ioctl(int fd, unsigned long request, ...)
{
    (void)fd, (void)request;
    return not_a_socket();
}
CCBOX_LIBC_EXPORT(ioctl)

/* ---- names: no resolver inside an enclave ---- */
int ccbox_libc_getaddrinfo(const char* restrict node, const char* restrict service,
                           const struct addrinfo* restrict hints, struct addrinfo** restrict result)
{
    (void)node, (void)service, (void)hints;
    if (result)
        *result = NULL;
    errno = ENOSYS;
    return CCBOX_EAI_SYSTEM;
}
CCBOX_LIBC_EXPORT_WEAK(getaddrinfo)

void ccbox_libc_freeaddrinfo(struct addrinfo* list)
{
    (void)list; /* getaddrinfo never returns a list */
}
CCBOX_LIBC_EXPORT_WEAK(freeaddrinfo)

int ccbox_libc_getnameinfo(const struct sockaddr* restrict address, ccbox_socklen_t length, char* restrict host,
                           ccbox_socklen_t host_size, char* restrict service, ccbox_socklen_t service_size, int flags)
{
    (void)address, (void)length, (void)host, (void)host_size, (void)service, (void)service_size, (void)flags;
    errno = ENOSYS;
    return CCBOX_EAI_SYSTEM;
}
CCBOX_LIBC_EXPORT(getnameinfo)

struct hostent* ccbox_libc_gethostbyname(const char* name)
{
    (void)name;
    errno = ENOSYS;
    return NULL;
}
CCBOX_LIBC_EXPORT(gethostbyname)

const char* ccbox_libc_gai_strerror(int code)
{
    switch (code) {
    case CCBOX_EAI_BADFLAGS: return "Bad value for ai_flags";
    case CCBOX_EAI_NONAME: return "Name or service not known";
    case CCBOX_EAI_AGAIN: return "Temporary failure in name resolution";
    case CCBOX_EAI_FAIL: return "Non-recoverable failure in name resolution";
    case CCBOX_EAI_FAMILY: return "ai_family not supported";
    case CCBOX_EAI_SOCKTYPE: return "ai_socktype not supported";
    case CCBOX_EAI_SERVICE: return "Servname not supported for ai_socktype";
    case CCBOX_EAI_MEMORY: return "Memory allocation failure";
    case CCBOX_EAI_SYSTEM: return "System error";
    default: return "Unknown error";
    }
}
CCBOX_LIBC_EXPORT(gai_strerror)

/* ---- dynamic loading: an enclave is one static image, measured as a whole ---- */
static const char kNoDynamicLoading[] = "dynamic loading is not available inside an enclave";
/* One message for every thread (glibc keeps one per thread): it is always the same text, and
 * a thread-local here would give every enclave linking libcrypto.a a TLS segment, which costs
 * an FS switch on each sim ECALL. */
static _Atomic(const char*) dl_error;

void* ccbox_libc_dlopen(const char* file, int mode)
{
    (void)file, (void)mode;
    dl_error = kNoDynamicLoading;
    return NULL;
}
CCBOX_LIBC_EXPORT(dlopen)

void* ccbox_libc_dlsym(void* restrict handle, const char* restrict name)
{
    (void)handle, (void)name;
    dl_error = kNoDynamicLoading;
    return NULL;
}
CCBOX_LIBC_EXPORT(dlsym)

int ccbox_libc_dlclose(void* handle)
{
    (void)handle;
    dl_error = kNoDynamicLoading;
    return -1;
}
CCBOX_LIBC_EXPORT(dlclose)

char* ccbox_libc_dlerror(void)
{
    const char* e = dl_error;
    dl_error = NULL;
    return (char*)e;
}
CCBOX_LIBC_EXPORT(dlerror)

int ccbox_libc_dladdr(const void* address, Dl_info* info)
{
    (void)address, (void)info;
    return 0; /* not found */
}
CCBOX_LIBC_EXPORT(dladdr)

/* ---- terminals, shared memory, user contexts, signal handlers ---- */
int ccbox_libc_tcgetattr(int fd, struct termios* attributes)
{
    (void)fd, (void)attributes;
    errno = ENOTTY;
    return -1;
}
CCBOX_LIBC_EXPORT(tcgetattr)

int ccbox_libc_tcsetattr(int fd, int when, const struct termios* attributes)
{
    (void)fd, (void)when, (void)attributes;
    errno = ENOTTY;
    return -1;
}
CCBOX_LIBC_EXPORT(tcsetattr)

int ccbox_libc_shmget(ccbox_key_t key, size_t size, int flags)
{
    (void)key, (void)size, (void)flags;
    return no_system();
}
CCBOX_LIBC_EXPORT(shmget)

void* ccbox_libc_shmat(int id, const void* address, int flags)
{
    (void)id, (void)address, (void)flags;
    errno = ENOSYS;
    return (void*)-1;
}
CCBOX_LIBC_EXPORT(shmat)

int ccbox_libc_shmdt(const void* address)
{
    (void)address;
    return no_system();
}
CCBOX_LIBC_EXPORT(shmdt)

int ccbox_libc_getcontext(struct ccbox_ucontext* context)
{
    (void)context;
    return no_system();
}
CCBOX_LIBC_EXPORT(getcontext)

int ccbox_libc_setcontext(const struct ccbox_ucontext* context)
{
    (void)context;
    return no_system();
}
CCBOX_LIBC_EXPORT(setcontext)

/* Only reached with a context getcontext() never filled in. */
void ccbox_libc_makecontext(struct ccbox_ucontext* context, void (*function)(void), int count, ...)
{
    (void)context, (void)function, (void)count;
}
CCBOX_LIBC_EXPORT(makecontext)

int ccbox_libc_sigaction(int number, const struct sigaction* restrict action, struct sigaction* restrict old)
{
    (void)number, (void)action, (void)old;
    return no_system();
}
CCBOX_LIBC_EXPORT(sigaction)

/* ---- identity of the "system" an enclave runs on ---- */
/* An enclave is one process for its whole life (it cannot fork), so its process id is a
 * constant; it is not the host's pid, which the enclave has no reason to trust. */
pid_t ccbox_libc_getpid(void)
{
    return 1;
}
CCBOX_LIBC_EXPORT(getpid)

int ccbox_libc_uname(struct utsname* name)
{
    if (!name) {
        errno = EFAULT;
        return -1;
    }
    memset(name, 0, sizeof *name);
    strcpy(name->sysname, "ccbox-enclave");
    strcpy(name->nodename, "enclave");
    strcpy(name->release, "1");
    strcpy(name->version, "ccbox enclave runtime");
    strcpy(name->machine, "x86_64");
    return 0;
}
CCBOX_LIBC_EXPORT(uname)
