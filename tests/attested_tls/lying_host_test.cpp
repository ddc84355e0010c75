// A host that lies in its socket OCALLs (include/ccbox/edl/socket.edl) to the attested-tls
// enclave: recv or send results larger than the buffer, or negative beyond any errno. The
// enclave's BIO refuses the count (it never reads past what it asked for), the handshake fails
// at the enclave, and the enclave keeps running: the next honest connection is served. This test
// implements the socket OCALLs itself, instead of ccbox::host's, to be able to lie.
#include "attestedtls_u.h"

#include "enclave_test_support.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cerrno>
#include <climits>
#include <thread>

namespace {

enum Lie { kHonest, kRecvTooMany, kRecvHugeNegative, kSendTooMany, kRecvInt64Max };
std::atomic<int> g_lie{kHonest};
std::atomic<int> g_port{0};
// The client writes to a server that may have closed: an error, not SIGPIPE.
const bool kNoSigpipe = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();

int64_t res(long r) { return r < 0 ? -static_cast<int64_t>(errno) : r; }

}  // namespace

extern "C" {
int64_t sock_socket(int d, int t, int p) {
    const int fd = ::socket(d, t, p);
    const int one = 1;
    if (fd >= 0)
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    return res(fd);
}
int64_t sock_bind(int fd, const void* a, uint32_t n) { return res(::bind(fd, static_cast<const sockaddr*>(a), n)); }
int64_t sock_listen(int fd, int b) { return res(::listen(fd, b)); }
int64_t sock_accept(int fd) { return res(::accept(fd, nullptr, nullptr)); }
int64_t sock_connect(int fd, const void* a, uint32_t n) {
    return res(::connect(fd, static_cast<const sockaddr*>(a), n));
}
int64_t sock_send(int fd, const void* b, size_t n, int f) {
    const int64_t r = res(::send(fd, b, n, f | MSG_NOSIGNAL));
    return g_lie == kSendTooMany && r >= 0 ? static_cast<int64_t>(n) + 7 : r;
}
int64_t sock_recv(int fd, void* b, size_t n, int f) {
    const int64_t r = res(::recv(fd, b, n, f));
    switch (g_lie.load()) {
    case kRecvTooMany: return r >= 0 ? static_cast<int64_t>(n) + 1 : r;
    case kRecvHugeNegative: return -100000;
    case kRecvInt64Max: return INT64_MAX;
    default: return r;
    }
}
int64_t sock_close(int fd) { return res(::close(fd)); }
int64_t sock_getsockname(int fd, void* a, uint32_t n) {
    socklen_t len = n;
    if (::getsockname(fd, static_cast<sockaddr*>(a), &len) != 0)
        return -errno;
    g_port = ntohs(reinterpret_cast<sockaddr_in*>(a)->sin_port);
    return len;
}
}

namespace {

using ccbox::test::Backend;

// A plain TLS client: connects, handshakes (no verification), sends, reads. False on failure.
bool client(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
        SSL* ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        char buf[256];
        ok = SSL_connect(ssl) == 1 && SSL_write(ssl, "x", 1) == 1 && SSL_read(ssl, buf, sizeof buf) > 0;
        SSL_free(ssl);
        SSL_CTX_free(ctx);
    }
    ERR_clear_error();
    ::close(fd);
    return ok;
}

class LyingHost : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        ASSERT_EQ(ccbox_create_attestedtls_enclave(ATLS_ENCLAVE, ccbox::test::create_flags(GetParam()),
                                                   ccbox::test::platform_settings(), 1, &enclave),
                  CCBOX_OK);
    }
    void TearDown() override {
        if (enclave)
            ccbox_terminate_enclave(enclave);
    }
    // One connection served under `lie`; returns the ECALL's status and whether the client made it.
    std::pair<int, bool> serve_once(Lie lie) {
        g_lie = kHonest;
        g_port = 0;
        int status = -1;
        ccbox_result_t call = CCBOX_UNEXPECTED;
        std::thread server([&] { call = serve(enclave, &status, 0, 1, 0); });
        while (g_port == 0 && call == CCBOX_UNEXPECTED)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        g_lie = lie;
        ::testing::internal::CaptureStdout();
        const bool ok = client(g_port);
        server.join();
        std::fflush(stdout);
        output = ::testing::internal::GetCapturedStdout();
        g_lie = kHonest;
        EXPECT_EQ(call, CCBOX_OK) << "the enclave must survive a lying host";
        return {status, ok};
    }
    ccbox_enclave_t* enclave = nullptr;
    std::string output;  // what the enclave printed while serving
};

TEST_P(LyingHost, ByteCountsBeyondTheBufferAreRefusedAndTheEnclaveSurvives) {
    auto [status, ok] = serve_once(kHonest);
    EXPECT_EQ(status, CCBOX_OK);
    EXPECT_TRUE(ok);
    for (Lie lie : {kRecvTooMany, kRecvHugeNegative, kSendTooMany, kRecvInt64Max}) {
        auto [s, c] = serve_once(lie);
        EXPECT_EQ(s, CCBOX_VERIFY_FAILED) << "lie " << lie << ": the handshake must fail at the enclave";
        EXPECT_FALSE(c) << "lie " << lie;
        // The enclave's BIO, not some later parse of the bytes, refused the count.
        EXPECT_NE(output.find("ccbox socket BIO: the host's"), std::string::npos) << output;
        EXPECT_NE(output.find(lie == kSendTooMany ? "sock_send returned" : "sock_recv returned"), std::string::npos)
            << output;
    }
    std::tie(status, ok) = serve_once(kHonest);
    EXPECT_EQ(status, CCBOX_OK);
    EXPECT_TRUE(ok);
}

INSTANTIATE_TEST_SUITE_P(Backends, LyingHost, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

}  // namespace

namespace {

// The trusted root is the enclave's, not the host's: an enclave built with a root's SHA-256
// refuses any other root, and an enclave built without one refuses production policies.
class TrustedRoot : public ::testing::TestWithParam<Backend> {};

int set_policy(ccbox_enclave_t* e, const std::string& root, int production) {
    const std::string collateral = "{}";
    const uint8_t zero[32] = {};
    int status = -1;
    EXPECT_EQ(set_peer_policy(e, &status, reinterpret_cast<const uint8_t*>(collateral.data()), collateral.size(),
                              reinterpret_cast<const uint8_t*>(root.data()), root.size(), zero, zero, production, 0),
              CCBOX_OK);
    return status;
}

TEST_P(TrustedRoot, TheCompiledInRootIsTheOnlyOneAccepted) {
    ccbox_enclave_t* pinned = nullptr;
    ASSERT_EQ(ccbox_create_attestedtls_enclave(ATLS_PINNED_ENCLAVE, ccbox::test::create_flags(GetParam()),
                                               ccbox::test::platform_settings(), 1, &pinned),
              CCBOX_OK);
    EXPECT_EQ(set_policy(pinned, "pinned root", 1), CCBOX_OK);
    EXPECT_EQ(set_policy(pinned, "a root the host chose", 0), CCBOX_VERIFY_FAILED);
    EXPECT_EQ(set_policy(pinned, "pinned root ", 0), CCBOX_VERIFY_FAILED);
    ccbox_terminate_enclave(pinned);

    ccbox_enclave_t* development = nullptr;
    ASSERT_EQ(ccbox_create_attestedtls_enclave(ATLS_ENCLAVE, ccbox::test::create_flags(GetParam()),
                                               ccbox::test::platform_settings(), 1, &development),
              CCBOX_OK);
    EXPECT_EQ(set_policy(development, "any", 1), CCBOX_INVALID_PARAMETER);
    EXPECT_EQ(set_policy(development, "any", 0), CCBOX_OK);
    ccbox_terminate_enclave(development);
}

INSTANTIATE_TEST_SUITE_P(Backends, TrustedRoot, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

}  // namespace
