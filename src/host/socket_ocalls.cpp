// The host side of include/ccbox/edl/socket.edl: plain BSD socket calls for enclaves that
// import it (docs/attested-tls.md). Each returns its result or -errno. The enclave treats
// every answer as hostile; nothing here is trusted by it.
#include <cerrno>
#include <cstddef>
#include <cstdint>

#include <sys/socket.h>
#include <unistd.h>

namespace {
int64_t result(long r) { return r < 0 ? -static_cast<int64_t>(errno) : static_cast<int64_t>(r); }
}  // namespace

extern "C" {

int64_t sock_socket(int domain, int type, int protocol) {
    const int fd = ::socket(domain, type | SOCK_CLOEXEC, protocol);
    if (fd >= 0 && domain != AF_UNIX) {
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    }
    return result(fd);
}

int64_t sock_bind(int fd, const void* addr, uint32_t addr_len) {
    return result(::bind(fd, static_cast<const sockaddr*>(addr), addr_len));
}

int64_t sock_listen(int fd, int backlog) { return result(::listen(fd, backlog)); }

int64_t sock_accept(int fd) {
    int r;
    do
        r = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    while (r < 0 && errno == EINTR);
    return result(r);
}

int64_t sock_connect(int fd, const void* addr, uint32_t addr_len) {
    return result(::connect(fd, static_cast<const sockaddr*>(addr), addr_len));
}

int64_t sock_send(int fd, const void* buf, size_t len, int flags) {
    ssize_t r;
    do
        r = ::send(fd, buf, len, flags | MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    return result(r);
}

int64_t sock_recv(int fd, void* buf, size_t len, int flags) {
    ssize_t r;
    do
        r = ::recv(fd, buf, len, flags);
    while (r < 0 && errno == EINTR);
    return result(r);
}

int64_t sock_close(int fd) { return result(::close(fd)); }

int64_t sock_getsockname(int fd, void* addr, uint32_t addr_len) {
    socklen_t len = addr_len;
    const int r = ::getsockname(fd, static_cast<sockaddr*>(addr), &len);
    return r < 0 ? result(r) : static_cast<int64_t>(len);
}

}  // extern "C"
