// ccbox_tls_socket_bio (include/ccbox/tls.h): an OpenSSL BIO whose reads and writes are the
// socket OCALLs of ccbox/edl/socket.edl. The proxies (generated into the application's X_t.c)
// copy the bytes into enclave memory; the host's counts are checked here: a result above the
// length asked for, or below -4095, is a lie and fails the BIO for good. Trust domain: enclave.
#include <ccbox/tls.h>

#include <openssl/bio.h>
#include <openssl/err.h>

#include <climits>
#include <algorithm>
#include <cstring>
#include <new>
#include <vector>
#include <cstdint>

extern "C" {
// The enclave-side proxies of socket.edl (ccbox-edger8r's signatures).
ccbox_result_t sock_send(int64_t* retval, int fd, const void* buf, size_t len, int flags);
ccbox_result_t sock_recv(int64_t* retval, int fd, void* buf, size_t len, int flags);
ccbox_result_t sock_close(int64_t* retval, int fd);
}

namespace {

constexpr size_t kReadBuffer = 16 * 1024 + 512;  // one TLS record, with room for its header
constexpr size_t kCoalesceLimit = 256 * 1024;     // sent when this much is waiting
constexpr int kCtrlCoalesce = 0x6363;             // this BIO's own ctrl: coalescing on (1) or off (0)

struct SocketState {
    int fd = -1;
    bool failed = false;  // the host lied once: never trust this socket again
    // Reads: one recv OCALL fills this, later reads take from it (OpenSSL reads a record's
    // 5-byte header and its body separately: one OCALL instead of two).
    uint8_t rbuf[kReadBuffer];
    size_t rpos = 0, rlen = 0;
    // Writes, when coalescing (ccbox_tls_socket_bio_coalesce): sent on flush, before a read,
    // at kCoalesceLimit, and when the BIO is freed.
    bool coalesce = false;
    std::vector<uint8_t> wbuf;
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

int send_once(SocketState* s, const void* data, size_t len, bool* retry) {
    int64_t r = -1;
    const ccbox_result_t call = sock_send(&r, s->fd, data, len, 0);
    return checked(s, "sock_send", call, r, len, retry);
}

// Sends everything coalesced so far. False on an error (the socket is then failed).
bool flush_writes(SocketState* s) {
    size_t done = 0;
    while (done < s->wbuf.size()) {
        bool retry = false;
        const int n = send_once(s, s->wbuf.data() + done, s->wbuf.size() - done, &retry);
        if (n < 0 && retry)
            continue;
        if (n <= 0) {
            s->failed = true;
            return false;
        }
        done += static_cast<size_t>(n);
    }
    s->wbuf.clear();
    return true;
}

int socket_write(BIO* bio, const char* data, int len) {
    auto* s = static_cast<SocketState*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    if (!s || s->failed || len < 0)
        return -1;
    if (s->coalesce) {
        s->wbuf.insert(s->wbuf.end(), data, data + len);
        if (s->wbuf.size() >= kCoalesceLimit && !flush_writes(s))
            return -1;
        return len;
    }
    bool retry = false;
    const int n = send_once(s, data, static_cast<size_t>(len), &retry);
    if (retry)
        BIO_set_retry_write(bio);
    return n;
}

int socket_read(BIO* bio, char* data, int len) {
    auto* s = static_cast<SocketState*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    if (!s || s->failed || len < 0)
        return -1;
    if (!s->wbuf.empty() && !flush_writes(s))  // the peer may be waiting for them
        return -1;
    if (s->rpos == s->rlen) {
        int64_t r = -1;
        const ccbox_result_t call = sock_recv(&r, s->fd, s->rbuf, sizeof s->rbuf, 0);
        bool retry = false;
        const int n = checked(s, "sock_recv", call, r, sizeof s->rbuf, &retry);
        if (retry)
            BIO_set_retry_read(bio);
        if (n <= 0)
            return n;
        s->rpos = 0;
        s->rlen = static_cast<size_t>(n);
    }
    const size_t take = std::min(static_cast<size_t>(len), s->rlen - s->rpos);
    std::memcpy(data, s->rbuf + s->rpos, take);
    s->rpos += take;
    return static_cast<int>(take);
}

int socket_puts(BIO* bio, const char* text) {
    size_t n = 0;
    while (text[n] && n < INT_MAX)
        ++n;
    return socket_write(bio, text, static_cast<int>(n));
}

long socket_ctrl(BIO* bio, int cmd, long num, void*) {
    auto* s = static_cast<SocketState*>(BIO_get_data(bio));
    if (!s)
        return 0;
    switch (cmd) {
    case BIO_CTRL_FLUSH: return s->failed ? 0 : flush_writes(s) ? 1 : 0;
    case BIO_CTRL_PENDING: return static_cast<long>(s->rlen - s->rpos);
    case BIO_CTRL_WPENDING: return static_cast<long>(s->wbuf.size());
    case kCtrlCoalesce:
        s->coalesce = num != 0;
        return s->coalesce || flush_writes(s) ? 1 : 0;
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
        if (!s->failed)
            (void)flush_writes(s);
        if (s->fd >= 0)
            (void)sock_close(&r, s->fd);
        delete s;
        BIO_set_data(bio, nullptr);
    }
    return 1;
}

int method_type() {
    static const int type = BIO_get_new_index() | BIO_TYPE_SOURCE_SINK;
    return type;
}

BIO_METHOD* method() {
    static BIO_METHOD* m = [] {
        BIO_METHOD* x = BIO_meth_new(method_type(), "ccbox socket OCALLs");
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

extern "C" int ccbox_tls_socket_bio_coalesce(BIO* bio, int on) {
    if (!bio || BIO_method_type(bio) != method_type())
        return 0;
    return static_cast<int>(BIO_ctrl(bio, kCtrlCoalesce, on, nullptr));
}

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
