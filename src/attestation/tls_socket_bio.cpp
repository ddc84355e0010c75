// ccbox_tls_socket_bio (include/ccbox/tls.h): an OpenSSL BIO whose reads and writes are the
// socket OCALLs of ccbox/edl/socket.edl. The proxies (generated into the application's X_t.c)
// copy the bytes into enclave memory; the host's counts are checked here: a result above the
// length asked for, or below -4095, is a lie and fails the BIO for good. Trust domain: enclave.
#include <ccbox/tls.h>

#include <openssl/bio.h>
#include <openssl/err.h>

#include <climits>
#include <new>
#include <cstdint>

extern "C" {
// The enclave-side proxies of socket.edl (ccbox-edger8r's signatures).
ccbox_result_t sock_send(int64_t* retval, int fd, const void* buf, size_t len, int flags);
ccbox_result_t sock_recv(int64_t* retval, int fd, void* buf, size_t len, int flags);
ccbox_result_t sock_close(int64_t* retval, int fd);
}

namespace {

struct SocketState {
    int fd = -1;
    bool failed = false;  // the host lied once: never trust this socket again
};

constexpr int64_t kMaxErrno = 4095;
constexpr int kEagain = 11, kEintr = 4;

// The checked result of one transfer of `len` bytes: n ≥ 0 bytes, or -1 (error, `retry`).
int checked(SocketState* s, const char* what, ccbox_result_t call, int64_t r, size_t len, bool* retry) {
    *retry = false;
    if (call != CCBOX_OK) {
        s->failed = true;
        ERR_raise_data(ERR_LIB_BIO, ERR_R_INTERNAL_ERROR, "ccbox socket BIO: the %s OCALL failed (%s)", what,
                       ccbox_result_str(call));
        return -1;
    }
    if (r < -kMaxErrno || r > static_cast<int64_t>(len)) {
        s->failed = true;
        ERR_raise_data(ERR_LIB_BIO, ERR_R_INTERNAL_ERROR,
                       "ccbox socket BIO: the host's %s returned %lld for %zu bytes (refused: the socket is dropped)",
                       what, static_cast<long long>(r), len);
        return -1;
    }
    if (r < 0) {
        *retry = r == -kEagain || r == -kEintr;
        return -1;
    }
    return static_cast<int>(r);
}

int socket_write(BIO* bio, const char* data, int len) {
    auto* s = static_cast<SocketState*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    if (!s || s->failed || len < 0)
        return -1;
    int64_t r = -1;
    const ccbox_result_t call = sock_send(&r, s->fd, data, static_cast<size_t>(len), 0);
    bool retry = false;
    const int n = checked(s, "sock_send", call, r, static_cast<size_t>(len), &retry);
    if (retry)
        BIO_set_retry_write(bio);
    return n;
}

int socket_read(BIO* bio, char* data, int len) {
    auto* s = static_cast<SocketState*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    if (!s || s->failed || len < 0)
        return -1;
    int64_t r = -1;
    const ccbox_result_t call = sock_recv(&r, s->fd, data, static_cast<size_t>(len), 0);
    bool retry = false;
    const int n = checked(s, "sock_recv", call, r, static_cast<size_t>(len), &retry);
    if (retry)
        BIO_set_retry_read(bio);
    return n;
}

int socket_puts(BIO* bio, const char* text) {
    size_t n = 0;
    while (text[n] && n < INT_MAX)
        ++n;
    return socket_write(bio, text, static_cast<int>(n));
}

long socket_ctrl(BIO*, int cmd, long, void*) {
    switch (cmd) {
    case BIO_CTRL_FLUSH: return 1;  // writes are not buffered
    case BIO_CTRL_PUSH:
    case BIO_CTRL_POP: return 0;
    default: return 0;
    }
}

int socket_create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

int socket_destroy(BIO* bio) {
    auto* s = static_cast<SocketState*>(BIO_get_data(bio));
    if (s) {
        int64_t r = 0;
        if (s->fd >= 0)
            (void)sock_close(&r, s->fd);
        delete s;
        BIO_set_data(bio, nullptr);
    }
    return 1;
}

BIO_METHOD* method() {
    static BIO_METHOD* m = [] {
        BIO_METHOD* x = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "ccbox socket OCALLs");
        if (x) {
            BIO_meth_set_write(x, socket_write);
            BIO_meth_set_read(x, socket_read);
            BIO_meth_set_puts(x, socket_puts);
            BIO_meth_set_ctrl(x, socket_ctrl);
            BIO_meth_set_create(x, socket_create);
            BIO_meth_set_destroy(x, socket_destroy);
        }
        return x;
    }();
    return m;
}

}  // namespace

extern "C" BIO* ccbox_tls_socket_bio(int host_fd) {
    BIO_METHOD* m = method();
    if (!m)
        return nullptr;
    BIO* bio = BIO_new(m);
    if (!bio)
        return nullptr;
    auto* s = new (std::nothrow) SocketState;
    if (!s) {
        BIO_free(bio);
        return nullptr;
    }
    s->fd = host_fd;
    BIO_set_data(bio, s);
    return bio;
}
