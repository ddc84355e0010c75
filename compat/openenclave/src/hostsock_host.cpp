// The host side of openenclave/edl/socket.edl's own OCALLs (setsockopt, shutdown) for OE's
// host socket layer (docs/openenclave.md "Sockets"); ccbox::host answers the rest
// (src/host/socket_ocalls.cpp). Each returns 0 or -errno. The enclave trusts none of it.
#include <cerrno>
#include <cstdint>

#include <sys/socket.h>

extern "C" {

int64_t oe_hostsock_setsockopt(int fd, int level, int name, const void* value, uint32_t length) {
    return ::setsockopt(fd, level, name, value, length) < 0 ? -static_cast<int64_t>(errno) : 0;
}

int64_t oe_hostsock_shutdown(int fd, int how) {
    return ::shutdown(fd, how) < 0 ? -static_cast<int64_t>(errno) : 0;
}

}  // extern "C"
