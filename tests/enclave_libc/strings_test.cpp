// Tests of the enclave libc's string functions (string.c, string_fortify.c) against glibc.
// Every function is exercised on all small sizes and many alignments, on edge cases, and on
// buffers that end right before an inaccessible page (to show the word-at-a-time scanners
// never read into a page the string does not touch).
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "libc_test_decls.h"

extern "C" int __xpg_strerror_r(int errnum, char* buf, size_t buflen);

namespace {

int Sign(int v) { return (v > 0) - (v < 0); }

std::mt19937_64& Rng() {
    static std::mt19937_64 rng(0x5eed1234abcdULL);
    return rng;
}

size_t RandBelow(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Rng()() % n); }

// SIZE_MAX, hidden from the compiler (which rejects it as a bound for glibc's functions).
volatile size_t g_huge = SIZE_MAX;
size_t Huge() { return g_huge; }

unsigned char RandByte() { return static_cast<unsigned char>(Rng()()); }

// A random non-zero byte, often from the top half so signedness bugs show.
unsigned char RandNonZero() {
    unsigned char c;
    do c = RandByte();
    while (c == 0);
    return c;
}

void FillRandom(unsigned char* p, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v = Rng()();
        std::memcpy(p + i, &v, 8);
    }
    for (; i < n; i++) p[i] = RandByte();
}

// Two readable-writable pages followed by an inaccessible one. End() is the first byte of
// the inaccessible page, so anything placed to end at End() touches the very last byte.
class GuardedBuffer {
  public:
    GuardedBuffer() {
        page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
        void* m = mmap(nullptr, 3 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
        if (m == MAP_FAILED) abort();
        base_ = static_cast<unsigned char*>(m);
        if (mprotect(base_ + 2 * page_, page_, PROT_NONE) != 0) abort();
    }
    ~GuardedBuffer() { munmap(base_, 3 * page_); }
    GuardedBuffer(const GuardedBuffer&) = delete;
    GuardedBuffer& operator=(const GuardedBuffer&) = delete;
    unsigned char* End() { return base_ + 2 * page_; }
    size_t Size() const { return 2 * page_; }

  private:
    size_t page_;
    unsigned char* base_;
};

// Writes a string of len random non-zero bytes (then its terminator) ending at g.End().
char* StringAtPageEnd(GuardedBuffer& g, size_t len) {
    unsigned char* s = g.End() - len - 1;
    for (size_t i = 0; i < len; i++) s[i] = RandNonZero();
    s[len] = 0;
    return reinterpret_cast<char*>(s);
}

const size_t kAligns[] = {0, 1, 2, 3, 5, 7, 8, 9, 13, 15};

}  // namespace

// ---- memcpy / memmove / memset ---------------------------------------------------------------

TEST(EnclaveLibcMem, MemcpyAllSizesAndAlignments) {
    std::vector<unsigned char> src(400), dst(400), want(400);
    for (size_t n = 0; n <= 300; n++) {
        for (size_t sa = 0; sa < 16; sa++) {
            for (size_t da = 0; da < 16; da++) {
                FillRandom(src.data(), src.size());
                FillRandom(dst.data(), dst.size());
                want = dst;
                std::memcpy(want.data() + 32 + da, src.data() + 32 + sa, n);
                void* r = ccbox_libc_memcpy(dst.data() + 32 + da, src.data() + 32 + sa, n);
                ASSERT_EQ(r, dst.data() + 32 + da);
                ASSERT_EQ(0, std::memcmp(dst.data(), want.data(), dst.size()))
                    << "n=" << n << " sa=" << sa << " da=" << da;
            }
        }
    }
}

TEST(EnclaveLibcMem, MemcpyLargeSizes) {
    const size_t sizes[] = {301, 511, 1000, 1023, 1024, 2047, 2048, 2049, 4096, 4099, 65536 + 7, 1 << 20};
    for (size_t n : sizes) {
        std::vector<unsigned char> src(n + 128), dst(n + 128), want;
        for (size_t sa : {0, 1, 15, 33}) {
            for (size_t da : {0, 3, 16, 63}) {
                FillRandom(src.data(), src.size());
                FillRandom(dst.data(), dst.size());
                want = dst;
                std::memcpy(want.data() + da, src.data() + sa, n);
                ASSERT_EQ(ccbox_libc_memcpy(dst.data() + da, src.data() + sa, n), dst.data() + da);
                ASSERT_EQ(want, dst) << "n=" << n << " sa=" << sa << " da=" << da;
            }
        }
    }
}

TEST(EnclaveLibcMem, MempcpyReturnsEnd) {
    std::vector<unsigned char> src(400), dst(400), want(400);
    for (size_t n = 0; n <= 300; n++) {
        FillRandom(src.data(), src.size());
        FillRandom(dst.data(), dst.size());
        want = dst;
        void* wr = mempcpy(want.data() + 5, src.data() + 3, n);
        void* r = ccbox_libc_mempcpy(dst.data() + 5, src.data() + 3, n);
        ASSERT_EQ(static_cast<unsigned char*>(r) - dst.data(), static_cast<unsigned char*>(wr) - want.data());
        ASSERT_EQ(want, dst);
    }
}

TEST(EnclaveLibcMem, MemmoveOverlapBothDirections) {
    std::vector<unsigned char> buf(1024), want(1024);
    for (size_t n = 0; n <= 300; n++) {
        for (size_t a : {0, 1, 7, 13}) {
            for (int delta = -70; delta <= 70; delta++) {
                FillRandom(buf.data(), buf.size());
                want = buf;
                unsigned char* s = buf.data() + 200 + a;
                unsigned char* d = s + delta;
                std::memmove(want.data() + (d - buf.data()), want.data() + (s - buf.data()), n);
                ASSERT_EQ(ccbox_libc_memmove(d, s, n), d);
                ASSERT_EQ(want, buf) << "n=" << n << " a=" << a << " delta=" << delta;
            }
        }
    }
}

TEST(EnclaveLibcMem, MemmoveLargeOverlap) {
    const size_t sizes[] = {301, 1000, 2047, 2048, 2049, 5000, 70001};
    for (size_t n : sizes) {
        const long nn = static_cast<long>(n);
        const long deltas[] = {-nn - 1, -nn, -4097, -4096, -65, -64, -33, -17, -16, -1, 0,
                               1,       15,  16,    17,    31,  32,  33,  63,  64,  65, 1000,
                               4096,    nn,  nn + 1};
        std::vector<unsigned char> buf(3 * n + 10000), want;
        for (long delta : deltas) {
            for (size_t a : {0, 5}) {
                FillRandom(buf.data(), buf.size());
                want = buf;
                size_t so = n + 4200 + a;
                size_t doff = static_cast<size_t>(static_cast<long>(so) + delta);
                std::memmove(want.data() + doff, want.data() + so, n);
                ASSERT_EQ(ccbox_libc_memmove(buf.data() + doff, buf.data() + so, n), buf.data() + doff);
                ASSERT_EQ(want, buf) << "n=" << n << " delta=" << delta;
            }
        }
    }
}

TEST(EnclaveLibcMem, MemsetAllSizesAndAlignments) {
    std::vector<unsigned char> buf(400), want(400);
    const int values[] = {0, 0xff, 0x5a, 0x180, -1, 0x12345601};
    for (size_t n = 0; n <= 300; n++) {
        for (size_t a = 0; a < 32; a++) {
            for (int c : values) {
                FillRandom(buf.data(), buf.size());
                want = buf;
                std::memset(want.data() + 40 + a, c, n);
                ASSERT_EQ(ccbox_libc_memset(buf.data() + 40 + a, c, n), buf.data() + 40 + a);
                ASSERT_EQ(want, buf) << "n=" << n << " a=" << a << " c=" << c;
            }
        }
    }
    for (size_t n : {1000, 2047, 2048, 2049, 4096, 100001}) {
        std::vector<unsigned char> big(n + 100), bigwant;
        for (size_t a : {0, 1, 17, 63}) {
            FillRandom(big.data(), big.size());
            bigwant = big;
            std::memset(bigwant.data() + a, 0xa7, n);
            ccbox_libc_memset(big.data() + a, 0xa7, n);
            ASSERT_EQ(bigwant, big) << "n=" << n;
        }
    }
}

TEST(EnclaveLibcMem, BzeroAndExplicitBzero) {
    std::vector<unsigned char> buf(400), want(400);
    for (size_t n = 0; n <= 300; n++) {
        FillRandom(buf.data(), buf.size());
        want = buf;
        std::memset(want.data() + 9, 0, n);
        ccbox_libc_bzero(buf.data() + 9, n);
        ASSERT_EQ(want, buf);
        FillRandom(buf.data(), buf.size());
        want = buf;
        std::memset(want.data() + 11, 0, n);
        ccbox_libc_explicit_bzero(buf.data() + 11, n);
        ASSERT_EQ(want, buf);
    }
}

// ---- memcmp ----------------------------------------------------------------------------------

TEST(EnclaveLibcMem, MemcmpAllSizesAndDifferencePositions) {
    std::vector<unsigned char> a(400), b(400);
    const std::pair<unsigned char, unsigned char> diffs[] = {
        {0x00, 0x01}, {0x01, 0x00}, {0x7f, 0x80}, {0x80, 0x7f}, {0xff, 0x00}, {0x00, 0xff}};
    for (size_t n = 0; n <= 300; n++) {
        for (size_t aa : {0, 1, 7, 8, 15}) {
            for (size_t ba : {0, 3, 8, 9}) {
                unsigned char* p = a.data() + 20 + aa;
                unsigned char* q = b.data() + 20 + ba;
                FillRandom(p, n);
                std::memcpy(q, p, n);
                // Bytes after the range differ: they must not count.
                p[n] = 1;
                q[n] = 2;
                ASSERT_EQ(0, ccbox_libc_memcmp(p, q, n)) << "n=" << n;
                ASSERT_EQ(0, ccbox_libc_bcmp(p, q, n));
                if (n == 0) continue;
                std::vector<size_t> positions = {0, n / 2, n - 1, RandBelow(n)};
                for (size_t k : positions) {
                    for (auto [x, y] : diffs) {
                        unsigned char sp = p[k], sq = q[k];
                        p[k] = x;
                        q[k] = y;
                        // A later difference the other way round must not matter.
                        size_t later = k + 1 + RandBelow(n - k);
                        unsigned char lp = 0, lq = 0;
                        if (later < n) {
                            lp = p[later];
                            lq = q[later];
                            p[later] = y;
                            q[later] = x;
                        }
                        int want = Sign(std::memcmp(p, q, n));
                        ASSERT_NE(0, want);
                        ASSERT_EQ(want, Sign(ccbox_libc_memcmp(p, q, n)))
                            << "n=" << n << " k=" << k << " x=" << int(x) << " y=" << int(y);
                        ASSERT_EQ(want, x < y ? -1 : 1);
                        ASSERT_NE(0, ccbox_libc_bcmp(p, q, n));
                        if (later < n) {
                            p[later] = lp;
                            q[later] = lq;
                        }
                        p[k] = sp;
                        q[k] = sq;
                    }
                }
            }
        }
    }
}

TEST(EnclaveLibcMem, MemcmpLarge) {
    for (size_t n : {1000, 4096, 100000}) {
        std::vector<unsigned char> a(n + 16), b;
        FillRandom(a.data(), a.size());
        b = a;
        EXPECT_EQ(0, ccbox_libc_memcmp(a.data() + 1, b.data() + 1, n));
        for (size_t k : {size_t{0}, size_t{63}, size_t{64}, n / 2, n - 17, n - 1}) {
            b = a;
            b[1 + k] ^= 0x80;
            EXPECT_EQ(Sign(std::memcmp(a.data() + 1, b.data() + 1, n)),
                      Sign(ccbox_libc_memcmp(a.data() + 1, b.data() + 1, n)))
                << "n=" << n << " k=" << k;
        }
    }
}

// ---- memchr / memrchr / rawmemchr --------------------------------------------------------

TEST(EnclaveLibcMem, MemchrAllSizesPositions) {
    std::vector<unsigned char> buf(512);
    const int needles[] = {0, 'a', 0x80, 0xff, 0x1ff, -1};
    for (size_t n = 0; n <= 300; n++) {
        for (size_t a = 0; a < 64; a += 3) {
            unsigned char* p = buf.data() + 64 + a;
            for (int c : needles) {
                const unsigned char b = static_cast<unsigned char>(c);
                std::vector<long> positions = {-1, 0, static_cast<long>(n) - 1,
                                               static_cast<long>(RandBelow(n)), static_cast<long>(n)};
                for (long pos : positions) {
                    if (pos >= 0 && pos > static_cast<long>(n)) continue;
                    FillRandom(buf.data(), buf.size());
                    for (auto& x : buf)
                        if (x == b) x ^= 1;
                    if (pos >= 0) p[pos] = b;  // pos == n: just past the end, must be ignored
                    if (pos >= 0 && n > 0) p[-1] = b;  // just before the start too
                    const void* want = std::memchr(p, c, n);
                    ASSERT_EQ(want, ccbox_libc_memchr(p, c, n))
                        << "n=" << n << " a=" << a << " c=" << c << " pos=" << pos;
                    ASSERT_EQ(memrchr(p, c, n), ccbox_libc_memrchr(p, c, n))
                        << "n=" << n << " a=" << a << " c=" << c << " pos=" << pos;
                    if (pos >= 0) {
                        ASSERT_EQ(rawmemchr(p, c), ccbox_libc_rawmemchr(p, c));
                    }
                }
            }
        }
    }
}

TEST(EnclaveLibcMem, MemchrFindsFirstAndMemrchrLast) {
    std::vector<unsigned char> buf(5000, 'x');
    for (size_t first : {0, 5, 63, 64, 65, 200, 1000, 4000}) {
        std::fill(buf.begin(), buf.end(), 'x');
        buf[first] = 'y';
        buf[first + 7] = 'y';
        buf[4990] = 'y';
        EXPECT_EQ(buf.data() + first, ccbox_libc_memchr(buf.data(), 'y', buf.size()));
        EXPECT_EQ(buf.data() + 4990, ccbox_libc_memrchr(buf.data(), 'y', buf.size()));
        EXPECT_EQ(buf.data() + first + 7, ccbox_libc_memrchr(buf.data(), 'y', first + 8));
        EXPECT_EQ(buf.data() + first, ccbox_libc_rawmemchr(buf.data(), 'y'));
        EXPECT_EQ(nullptr, ccbox_libc_memchr(buf.data(), 'z', buf.size()));
        EXPECT_EQ(nullptr, ccbox_libc_memrchr(buf.data(), 'z', buf.size()));
    }
}

// ---- reading up to the last byte before an inaccessible page --------------------------------

TEST(EnclaveLibcMem, ScannersNeverReadPastTheLastPage) {
    GuardedBuffer g, g2;
    for (size_t len = 0; len <= 200; len++) {
        char* s = StringAtPageEnd(g, len);
        ASSERT_EQ(len, ccbox_libc_strlen(s));
        ASSERT_EQ(len, ccbox_libc_strnlen(s, Huge()));
        ASSERT_EQ(len, ccbox_libc_strnlen(s, len + 1));
        ASSERT_EQ(s + len, ccbox_libc_memchr(s, 0, Huge()));
        ASSERT_EQ(s + len, ccbox_libc_memchr(s, 0, len + 1));
        ASSERT_EQ(nullptr, ccbox_libc_memchr(s, 0, len));
        ASSERT_EQ(s + len, ccbox_libc_rawmemchr(s, 0));
        ASSERT_EQ(s + len, ccbox_libc_strchrnul(s, 0x100));  // (char)0x100 is the terminator
        ASSERT_EQ(s + len, ccbox_libc_strchr(s, 0));
        ASSERT_EQ(strrchr(s, 'q'), ccbox_libc_strrchr(s, 'q'));
        ASSERT_EQ(strchr(s, 'q'), ccbox_libc_strchr(s, 'q'));
        ASSERT_EQ(strpbrk(s, "q"), ccbox_libc_strpbrk(s, "q"));
        ASSERT_EQ(strstr(s, "qq"), ccbox_libc_strstr(s, "qq"));
        ASSERT_EQ(strcasestr(s, "qQ"), ccbox_libc_strcasestr(s, "qQ"));
        ASSERT_EQ(strspn(s, s), ccbox_libc_strspn(s, s));
        // A byte-equal string in another guarded buffer: both end at a page end.
        char* t = reinterpret_cast<char*>(g2.End()) - len - 1;
        std::memcpy(t, s, len + 1);
        ASSERT_EQ(0, ccbox_libc_strcmp(s, t));
        ASSERT_EQ(0, ccbox_libc_strncmp(s, t, Huge()));
        ASSERT_EQ(0, ccbox_libc_strncmp(s, t, len + 1));
        ASSERT_EQ(0, ccbox_libc_strcasecmp(s, t));
        ASSERT_EQ(0, ccbox_libc_memcmp(s, t, len + 1));
        // Different lengths, both at a page end.
        if (len > 0) {
            char* u = reinterpret_cast<char*>(g2.End()) - len;  // one shorter
            std::memcpy(u, s, len - 1);
            u[len - 1] = 0;
            ASSERT_EQ(Sign(strcmp(s, u)), Sign(ccbox_libc_strcmp(s, u)));
            ASSERT_EQ(Sign(strcmp(u, s)), Sign(ccbox_libc_strcmp(u, s)));
            ASSERT_EQ(Sign(strncmp(u, s, Huge())), Sign(ccbox_libc_strncmp(u, s, Huge())));
        }
        // A block of bytes (no terminator) right at the end of the page.
        unsigned char* m = g.End() - len;
        ASSERT_EQ(memchr(m, 'q', len), ccbox_libc_memchr(m, 'q', len));
        ASSERT_EQ(memrchr(m, 'q', len), ccbox_libc_memrchr(m, 'q', len));
        ASSERT_EQ(0, ccbox_libc_memcmp(m, m, len));
        if (len > 0) {
            m[len - 1] = 'q';
            ASSERT_EQ(memchr(m, 'q', Huge()), ccbox_libc_memchr(m, 'q', Huge()));
            ASSERT_EQ(rawmemchr(m, 'q'), ccbox_libc_rawmemchr(m, 'q'));
        }
    }
}

// ---- strlen / strnlen ---------------------------------------------------------------------

TEST(EnclaveLibcStr, StrlenAllLengthsAndAlignments) {
    std::vector<unsigned char> buf(512);
    for (size_t len = 0; len <= 300; len++) {
        for (size_t a = 0; a < 64; a++) {
            FillRandom(buf.data(), buf.size());
            char* s = reinterpret_cast<char*>(buf.data() + 64 + a);
            for (size_t i = 0; i < len; i++) s[i] = static_cast<char>(RandNonZero());
            s[len] = 0;
            ASSERT_EQ(len, ccbox_libc_strlen(s)) << "a=" << a;
            const size_t maxes[] = {0, len / 2, len ? len - 1 : 0, len, len + 1, len + 100, Huge()};
            for (size_t mx : maxes) ASSERT_EQ(strnlen(s, mx), ccbox_libc_strnlen(s, mx));
        }
    }
    std::string big(100000, 'z');
    EXPECT_EQ(big.size(), ccbox_libc_strlen(big.c_str()));
    EXPECT_EQ(big.size(), ccbox_libc_strlen(big.c_str() + 1) + 1);
}

// ---- copying and concatenating ---------------------------------------------------------------

TEST(EnclaveLibcStr, CopyFamilyMatchesGlibc) {
    std::vector<unsigned char> src(512), dst(512), want(512);
    for (size_t len = 0; len <= 300; len++) {
        for (size_t sa : kAligns) {
            for (size_t da : kAligns) {
                FillRandom(src.data(), src.size());
                char* s = reinterpret_cast<char*>(src.data() + 16 + sa);
                for (size_t i = 0; i < len; i++) s[i] = static_cast<char>(RandNonZero());
                s[len] = 0;
                FillRandom(dst.data(), dst.size());
                char* d = reinterpret_cast<char*>(dst.data() + 16 + da);
                char* w = reinterpret_cast<char*>(want.data() + 16 + da);

                want = dst;
                strcpy(w, s);
                ASSERT_EQ(d, ccbox_libc_strcpy(d, s));
                ASSERT_EQ(want, dst) << "strcpy len=" << len;

                FillRandom(dst.data(), dst.size());
                want = dst;
                char* we = stpcpy(w, s);
                ASSERT_EQ(we - w, ccbox_libc_stpcpy(d, s) - d);
                ASSERT_EQ(want, dst) << "stpcpy len=" << len;

                const size_t ns[] = {0, len / 2, len, len + 1, len + 37};
                for (size_t n : ns) {
                    FillRandom(dst.data(), dst.size());
                    want = dst;
                    strncpy(w, s, n);
                    ASSERT_EQ(d, ccbox_libc_strncpy(d, s, n));
                    ASSERT_EQ(want, dst) << "strncpy len=" << len << " n=" << n;

                    FillRandom(dst.data(), dst.size());
                    want = dst;
                    we = stpncpy(w, s, n);
                    ASSERT_EQ(we - w, ccbox_libc_stpncpy(d, s, n) - d);
                    ASSERT_EQ(want, dst) << "stpncpy len=" << len << " n=" << n;
                }
            }
        }
    }
}

TEST(EnclaveLibcStr, ConcatenationMatchesGlibc) {
    std::vector<unsigned char> src(512), dst(1024), want(1024);
    for (size_t len = 0; len <= 300; len += 1) {
        for (size_t dlen : {0, 1, 7, 16, 33, 100}) {
            for (size_t sa : {0, 3, 8}) {
                FillRandom(src.data(), src.size());
                char* s = reinterpret_cast<char*>(src.data() + 8 + sa);
                for (size_t i = 0; i < len; i++) s[i] = static_cast<char>(RandNonZero());
                s[len] = 0;
                FillRandom(dst.data(), dst.size());
                char* d = reinterpret_cast<char*>(dst.data() + 5);
                for (size_t i = 0; i < dlen; i++) d[i] = static_cast<char>(RandNonZero());
                d[dlen] = 0;
                char* w = reinterpret_cast<char*>(want.data() + 5);
                want = dst;
                strcat(w, s);
                std::vector<unsigned char> saved = dst;
                ASSERT_EQ(d, ccbox_libc_strcat(d, s));
                ASSERT_EQ(want, dst) << "strcat len=" << len << " dlen=" << dlen;
                for (size_t n : {size_t{0}, len / 2, len, len + 1, Huge()}) {
                    dst = saved;
                    want = saved;
                    strncat(w, s, n);
                    ASSERT_EQ(d, ccbox_libc_strncat(d, s, n));
                    ASSERT_EQ(want, dst) << "strncat len=" << len << " n=" << n;
                }
            }
        }
    }
}

TEST(EnclaveLibcStr, StrdupStrndup) {
    for (size_t len : {0, 1, 15, 16, 17, 300, 5000}) {
        std::string s(len, '\0');
        for (auto& c : s) c = static_cast<char>(RandNonZero());
        char* d = ccbox_libc_strdup(s.c_str());
        ASSERT_NE(nullptr, d);
        EXPECT_EQ(s, std::string(d));
        EXPECT_NE(s.c_str(), d);
        free(d);
        for (size_t n : {size_t{0}, len / 2, len, len + 1, Huge()}) {
            char* e = ccbox_libc_strndup(s.c_str(), n);
            ASSERT_NE(nullptr, e);
            EXPECT_EQ(s.substr(0, n), std::string(e));
            EXPECT_EQ(std::min(n, len), strlen(e));
            free(e);
        }
    }
    // strndup must not read past n when there is no terminator.
    GuardedBuffer g;
    unsigned char* p = g.End() - 10;
    std::memset(p, 'k', 10);
    char* e = ccbox_libc_strndup(reinterpret_cast<char*>(p), 10);
    EXPECT_STREQ("kkkkkkkkkk", e);
    free(e);
}

// ---- comparisons -------------------------------------------------------------------------------

TEST(EnclaveLibcStr, StrcmpStrncmpMatchGlibc) {
    std::vector<unsigned char> b1(512), b2(512);
    for (size_t len = 0; len <= 300; len++) {
        for (size_t a1 : {0, 1, 7, 8, 15}) {
            for (size_t a2 : {0, 2, 9, 15}) {
                char* s = reinterpret_cast<char*>(b1.data() + 32 + a1);
                char* t = reinterpret_cast<char*>(b2.data() + 32 + a2);
                FillRandom(b1.data(), b1.size());
                for (size_t i = 0; i < len; i++) s[i] = static_cast<char>(RandNonZero());
                s[len] = 0;
                FillRandom(b2.data(), b2.size());
                std::memcpy(t, s, len + 1);
                ASSERT_EQ(0, ccbox_libc_strcmp(s, t));
                ASSERT_EQ(0, ccbox_libc_strncmp(s, t, Huge()));
                ASSERT_EQ(0, ccbox_libc_strcoll(s, t));
                std::vector<size_t> ks = {0, len / 2, len ? len - 1 : 0, RandBelow(len + 1), len};
                for (size_t k : ks) {
                    // t differs at k: a different byte, or ends early.
                    for (int variant = 0; variant < 3; variant++) {
                        std::memcpy(t, s, len + 1);
                        if (variant == 0) {
                            t[k] = 0;
                        } else if (variant == 1) {
                            t[k] = static_cast<char>(RandNonZero());
                            if (k == len) t[k + 1] = 0;
                        } else {
                            t[k] = static_cast<char>(static_cast<unsigned char>(s[k]) ^ 0x80);
                            if (t[k] == 0) t[k] = 1;
                            if (k == len) t[k + 1] = 0;
                        }
                        ASSERT_EQ(Sign(strcmp(s, t)), Sign(ccbox_libc_strcmp(s, t)))
                            << "len=" << len << " k=" << k << " variant=" << variant;
                        ASSERT_EQ(Sign(strcmp(t, s)), Sign(ccbox_libc_strcmp(t, s)));
                        ASSERT_EQ(Sign(strcoll(s, t)), Sign(ccbox_libc_strcoll(s, t)));
                        const size_t ns[] = {0, 1, k, k + 1, len, len + 1, len + 20, Huge(),
                                             RandBelow(len + 2)};
                        for (size_t n : ns) {
                            ASSERT_EQ(Sign(strncmp(s, t, n)), Sign(ccbox_libc_strncmp(s, t, n)))
                                << "len=" << len << " k=" << k << " n=" << n;
                            ASSERT_EQ(Sign(strncmp(t, s, n)), Sign(ccbox_libc_strncmp(t, s, n)));
                        }
                    }
                }
            }
        }
    }
}

TEST(EnclaveLibcStr, StrcmpStrncmpAcrossPageBoundaries) {
    // Strings that cross a page boundary at different points in each, so the comparison
    // switches between whole blocks and single bytes at every possible phase.
    GuardedBuffer g1, g2;
    unsigned char* mid1 = g1.End() - g1.Size() / 2;  // a page boundary inside each buffer
    unsigned char* mid2 = g2.End() - g2.Size() / 2;
    const size_t len = 200;
    for (size_t o1 = 0; o1 <= 80; o1++) {
        for (size_t o2 : {0, 1, 15, 16, 17, 31, 47, 63, 64, 65, 79}) {
            char* s = reinterpret_cast<char*>(mid1 - o1);
            char* t = reinterpret_cast<char*>(mid2 - o2);
            for (size_t i = 0; i < len; i++) s[i] = static_cast<char>(RandNonZero());
            s[len] = 0;
            for (size_t k : {o1, o2, o1 + 1, o2 + 1, o1 ? o1 - 1 : 0, o2 ? o2 - 1 : 0, len, size_t{150}}) {
                for (int variant = 0; variant < 3; variant++) {
                    std::memcpy(t, s, len + 1);
                    if (variant == 1) t[k] = static_cast<char>(static_cast<unsigned char>(s[k]) ^ 0x81);
                    if (variant == 2) t[k] = 0;
                    if (variant == 1 && k == len) t[k + 1] = 0;
                    ASSERT_EQ(Sign(strcmp(s, t)), Sign(ccbox_libc_strcmp(s, t)))
                        << "o1=" << o1 << " o2=" << o2 << " k=" << k << " variant=" << variant;
                    ASSERT_EQ(Sign(strcmp(t, s)), Sign(ccbox_libc_strcmp(t, s)));
                    for (size_t n : {k, k + 1, len, Huge(), size_t{70}}) {
                        ASSERT_EQ(Sign(strncmp(s, t, n)), Sign(ccbox_libc_strncmp(s, t, n)))
                            << "o1=" << o1 << " o2=" << o2 << " k=" << k << " n=" << n;
                    }
                }
            }
        }
    }
}

TEST(EnclaveLibcStr, CaseInsensitiveComparisons) {
    const char alphabet[] = "aAbBzZ@[`{09_\x80\xc1\xe1\xff";
    for (int iter = 0; iter < 200000; iter++) {
        size_t l1 = RandBelow(12), l2 = RandBelow(12);
        std::string s, t;
        for (size_t i = 0; i < l1; i++) s += alphabet[RandBelow(sizeof alphabet - 1)];
        if (RandBelow(2)) {
            t = s;  // same letters, case flipped at random, maybe cut or extended
            for (auto& c : t)
                if (RandBelow(2) && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) c ^= 0x20;
            if (RandBelow(3) == 0) t.resize(RandBelow(t.size() + 1));
            if (RandBelow(3) == 0) t += alphabet[RandBelow(sizeof alphabet - 1)];
        } else {
            for (size_t i = 0; i < l2; i++) t += alphabet[RandBelow(sizeof alphabet - 1)];
        }
        ASSERT_EQ(Sign(strcasecmp(s.c_str(), t.c_str())), Sign(ccbox_libc_strcasecmp(s.c_str(), t.c_str())))
            << "'" << s << "' vs '" << t << "'";
        size_t n = RandBelow(14);
        ASSERT_EQ(Sign(strncasecmp(s.c_str(), t.c_str(), n)),
                  Sign(ccbox_libc_strncasecmp(s.c_str(), t.c_str(), n)))
            << "'" << s << "' vs '" << t << "' n=" << n;
    }
    EXPECT_EQ(0, ccbox_libc_strcasecmp("Hello, World!", "hELLO, wORLD!"));
    EXPECT_GT(0, ccbox_libc_strcasecmp("abc", "ABD"));
    EXPECT_GT(0, ccbox_libc_strcasecmp("[", "A"));  // letters fold to lower case: 0x5b < 0x61
    EXPECT_EQ(Sign(strcasecmp("[", "a")), Sign(ccbox_libc_strcasecmp("[", "a")));
    EXPECT_EQ(0, ccbox_libc_strncasecmp("abcX", "ABCy", 3));
}

TEST(EnclaveLibcStr, StrxfrmMatchesGlibc) {
    for (size_t len : {0, 1, 5, 16, 40}) {
        std::string s(len, 'q');
        for (auto& c : s) c = static_cast<char>(RandNonZero());
        for (size_t n = 0; n <= len + 3; n++) {
            char want[64], got[64];
            std::memset(want, '#', sizeof want);
            std::memset(got, '#', sizeof got);
            size_t wr = strxfrm(want, s.c_str(), n);
            size_t gr = ccbox_libc_strxfrm(got, s.c_str(), n);
            ASSERT_EQ(wr, gr);
            ASSERT_EQ(0, std::memcmp(want, got, sizeof want)) << "len=" << len << " n=" << n;
        }
    }
    EXPECT_EQ(5u, ccbox_libc_strxfrm(nullptr, "hello", 0));
}

// ---- finding characters ---------------------------------------------------------------------

TEST(EnclaveLibcStr, StrchrFamilyEveryByteValue) {
    std::vector<unsigned char> buf(512);
    for (size_t len : {0, 1, 2, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 257}) {
        for (size_t a = 0; a < 32; a += 3) {
            FillRandom(buf.data(), buf.size());
            char* s = reinterpret_cast<char*>(buf.data() + 64 + a);
            for (size_t i = 0; i < len; i++) s[i] = static_cast<char>(RandNonZero());
            s[len] = 0;
            for (int c = -1; c <= 256; c++) {
                ASSERT_EQ(strchr(s, c), ccbox_libc_strchr(s, c)) << "len=" << len << " c=" << c;
                ASSERT_EQ(strrchr(s, c), ccbox_libc_strrchr(s, c)) << "len=" << len << " c=" << c;
                ASSERT_EQ(strchrnul(s, c), ccbox_libc_strchrnul(s, c)) << "len=" << len << " c=" << c;
            }
            // Bytes just before the string must never be reported by strrchr.
            if (a > 0) {
                s[-1] = 'M';
                ASSERT_EQ(strrchr(s, 'M'), ccbox_libc_strrchr(s, 'M'));
            }
        }
    }
    const char* text = "a/b/c//d";
    EXPECT_EQ(text + 1, ccbox_libc_strchr(text, '/'));
    EXPECT_EQ(text + 6, ccbox_libc_strrchr(text, '/'));
    EXPECT_EQ(text + 8, ccbox_libc_strchrnul(text, 'z'));
    EXPECT_EQ(text + 8, ccbox_libc_strrchr(text, 0));
    EXPECT_EQ(nullptr, ccbox_libc_strchr(text, 'z'));
    EXPECT_EQ(nullptr, ccbox_libc_strrchr(text, 'z'));
}

// ---- substring search -------------------------------------------------------------------------

namespace {

std::string RandomString(size_t len, const char* alphabet) {
    size_t k = std::strlen(alphabet);
    std::string s(len, 'a');
    for (auto& c : s) c = alphabet[RandBelow(k)];
    return s;
}

void CheckSearch(const std::string& h, const std::string& n) {
    const char* hs = h.c_str();
    const char* ns = n.c_str();
    const char* want = strstr(hs, ns);
    const char* got = ccbox_libc_strstr(hs, ns);
    ASSERT_EQ(want ? want - hs : -1, got ? got - hs : -1) << "strstr '" << h << "' '" << n << "'";
    const void* wm = memmem(hs, h.size(), ns, n.size());
    const void* gm = ccbox_libc_memmem(hs, h.size(), ns, n.size());
    ASSERT_EQ(wm, gm) << "memmem '" << h << "' '" << n << "'";
    const char* wc = strcasestr(hs, ns);
    const char* gc = ccbox_libc_strcasestr(hs, ns);
    ASSERT_EQ(wc ? wc - hs : -1, gc ? gc - hs : -1) << "strcasestr '" << h << "' '" << n << "'";
}

}  // namespace

TEST(EnclaveLibcSearch, RandomSmallAlphabets) {
    const char* alphabets[] = {"ab", "abc", "aA", "aAbB", "abcdefgh"};
    for (int iter = 0; iter < 60000; iter++) {
        const char* alpha = alphabets[RandBelow(5)];
        std::string h = RandomString(RandBelow(120), alpha);
        std::string n;
        if (RandBelow(2) && !h.empty()) {
            size_t start = RandBelow(h.size());
            n = h.substr(start, RandBelow(std::min<size_t>(h.size() - start, 20) + 1));
            if (RandBelow(3) == 0 && !n.empty()) n[RandBelow(n.size())] ^= 0x20;  // case flip
        } else {
            n = RandomString(RandBelow(10), alpha);
        }
        CheckSearch(h, n);
    }
}

TEST(EnclaveLibcSearch, PeriodicAndLongNeedles) {
    const std::string needles[] = {"aaaab", "baaaa", "abababac", "abcabcabd", "aabaabaaab",
                                   "abaabaabaab", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
                                   std::string(300, 'a') + "b", "b" + std::string(300, 'a'),
                                   std::string(600, 'a')};
    for (const auto& n : needles) {
        for (int rep = 0; rep < 30; rep++) {
            std::string h;
            while (h.size() < 2000) {
                switch (RandBelow(4)) {
                case 0: h += n; break;
                case 1: h += n.substr(0, RandBelow(n.size() + 1)); break;
                case 2: h += n.substr(RandBelow(n.size())); break;
                default: h += RandomString(RandBelow(5), "abz"); break;
                }
            }
            CheckSearch(h, n);
            CheckSearch(h.substr(0, h.size() - 1), n);
            CheckSearch(h.substr(1), n);
        }
    }
}

TEST(EnclaveLibcSearch, EdgeCases) {
    const char* h = "hello world";
    EXPECT_EQ(h, ccbox_libc_strstr(h, ""));
    EXPECT_EQ(h, ccbox_libc_strcasestr(h, ""));
    EXPECT_EQ(h, ccbox_libc_memmem(h, 11, "", 0));
    EXPECT_EQ(h, ccbox_libc_memmem(h, 0, "", 0));
    EXPECT_EQ(nullptr, ccbox_libc_memmem(h, 0, "h", 1));
    EXPECT_EQ(nullptr, ccbox_libc_memmem(h, 4, "hello", 5));
    EXPECT_EQ(h, ccbox_libc_memmem(h, 5, "hello", 5));
    EXPECT_EQ(h + 6, ccbox_libc_strstr(h, "world"));
    EXPECT_EQ(h + 6, ccbox_libc_strcasestr(h, "WoRLD"));
    EXPECT_EQ(nullptr, ccbox_libc_strstr(h, "world!"));
    EXPECT_EQ(nullptr, ccbox_libc_strstr("", "a"));
    EXPECT_EQ(h + 4, ccbox_libc_strstr(h, "o"));
    // memmem looks at embedded NUL bytes; strstr stops at them.
    const char bin[] = "ab\0cd\0\0ef";
    EXPECT_EQ(bin + 5, ccbox_libc_memmem(bin, sizeof bin - 1, "\0\0e", 3));
    EXPECT_EQ(nullptr, ccbox_libc_strstr(bin, "cd"));
    // High bytes: case folding is ASCII only in the "C" locale.
    EXPECT_EQ(nullptr, ccbox_libc_strcasestr("\xc9t\xc9", "\xe9t"));
    EXPECT_EQ(strcasestr("x\xc9T\xc9", "\xc9t"), ccbox_libc_strcasestr("x\xc9T\xc9", "\xc9t"));
}

TEST(EnclaveLibcSearch, WorstCaseIsLinear) {
    // A naive search would do about 4e11 byte comparisons on each of these (minutes even
    // with vector compares); a linear one does a few million.
    const std::string hay(4000000, 'a');
    const std::string needles[] = {std::string(100000, 'a') + "b", "b" + std::string(100000, 'a'),
                                   std::string(50000, 'a') + "b" + std::string(50000, 'a')};
    auto start = std::chrono::steady_clock::now();
    for (const auto& n : needles) {
        EXPECT_EQ(nullptr, ccbox_libc_memmem(hay.data(), hay.size(), n.data(), n.size()));
        EXPECT_EQ(nullptr, ccbox_libc_strstr(hay.c_str(), n.c_str()));
        EXPECT_EQ(nullptr, ccbox_libc_strcasestr(hay.c_str(), n.c_str()));
    }
    auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 2000);
}

TEST(EnclaveLibcSearch, RepeatedStrstrDoesNotRescanTheWholeString) {
    // strstr must not read the whole haystack before searching: scanning a 4 MB string for
    // its 400000 matches one by one would otherwise take about 1e12 steps.
    std::string text;
    while (text.size() < 4000000) text += "0123456789";
    auto start = std::chrono::steady_clock::now();
    size_t count = 0;
    for (const char* p = text.c_str(); (p = ccbox_libc_strstr(p, "89")) != nullptr; p++) count++;
    auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(400000u, count);
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 2000);
}

// ---- spans and tokens ---------------------------------------------------------------------------

TEST(EnclaveLibcStr, SpanFunctionsMatchGlibc) {
    const char* alphabets[] = {"ab", "abc,; ", "\x80\xff" "a,", "xyz"};
    for (int iter = 0; iter < 100000; iter++) {
        const char* alpha = alphabets[RandBelow(4)];
        std::string s = RandomString(RandBelow(40), alpha);
        std::string set = RandomString(RandBelow(5), alpha);
        ASSERT_EQ(strspn(s.c_str(), set.c_str()), ccbox_libc_strspn(s.c_str(), set.c_str()))
            << "'" << s << "' '" << set << "'";
        ASSERT_EQ(strcspn(s.c_str(), set.c_str()), ccbox_libc_strcspn(s.c_str(), set.c_str()))
            << "'" << s << "' '" << set << "'";
        ASSERT_EQ(strpbrk(s.c_str(), set.c_str()), ccbox_libc_strpbrk(s.c_str(), set.c_str()));
    }
    // Every byte value as a one-byte and two-byte set.
    std::string all;
    for (int c = 1; c < 256; c++) all += static_cast<char>(c);
    for (int c = 1; c < 256; c++) {
        char one[2] = {static_cast<char>(c), 0};
        char two[3] = {static_cast<char>(c), static_cast<char>(c ^ 0x55), 0};
        ASSERT_EQ(strspn(all.c_str(), one), ccbox_libc_strspn(all.c_str(), one));
        ASSERT_EQ(strcspn(all.c_str(), one), ccbox_libc_strcspn(all.c_str(), one));
        ASSERT_EQ(strspn(all.c_str() + c - 1, two), ccbox_libc_strspn(all.c_str() + c - 1, two));
        ASSERT_EQ(strcspn(all.c_str(), two), ccbox_libc_strcspn(all.c_str(), two));
    }
}

TEST(EnclaveLibcStr, StrtokAndStrsepMatchGlibc) {
    const char* alpha = "ab,; ";
    for (int iter = 0; iter < 20000; iter++) {
        std::string s = RandomString(RandBelow(30), alpha);
        std::string delim = RandomString(RandBelow(3), ",; ");
        // strtok_r
        {
            std::string a = s, b = s;
            char *sa = nullptr, *sb = nullptr;
            char* ta = strtok_r(a.data(), delim.c_str(), &sa);
            char* tb = ccbox_libc_strtok_r(b.data(), delim.c_str(), &sb);
            for (int step = 0;; step++) {
                ASSERT_EQ(ta ? ta - a.data() : -1, tb ? tb - b.data() : -1) << "'" << s << "'";
                ASSERT_EQ(sa - a.data(), sb - b.data()) << "'" << s << "' step " << step;
                ASSERT_EQ(a, b);
                if (ta == nullptr) break;
                ta = strtok_r(nullptr, delim.c_str(), &sa);
                tb = ccbox_libc_strtok_r(nullptr, delim.c_str(), &sb);
            }
            // Calling again after the end keeps returning NULL.
            ASSERT_EQ(nullptr, ccbox_libc_strtok_r(nullptr, delim.c_str(), &sb));
        }
        // strtok (static state)
        {
            std::string a = s, b = s;
            char* ta = strtok(a.data(), delim.c_str());
            char* tb = ccbox_libc_strtok(b.data(), delim.c_str());
            for (;;) {
                ASSERT_EQ(ta ? ta - a.data() : -1, tb ? tb - b.data() : -1);
                ASSERT_EQ(a, b);
                if (ta == nullptr) break;
                ta = strtok(nullptr, delim.c_str());
                tb = ccbox_libc_strtok(nullptr, delim.c_str());
            }
        }
        // strsep
        {
            std::string a = s, b = s;
            char* pa = a.data();
            char* pb = b.data();
            for (;;) {
                char* ta = strsep(&pa, delim.c_str());
                char* tb = ccbox_libc_strsep(&pb, delim.c_str());
                ASSERT_EQ(ta ? ta - a.data() : -1, tb ? tb - b.data() : -1);
                ASSERT_EQ(pa ? pa - a.data() : -1, pb ? pb - b.data() : -1);
                ASSERT_EQ(a, b);
                if (ta == nullptr) break;
            }
        }
    }
}

// ---- error messages ------------------------------------------------------------------------------

TEST(EnclaveLibcStrerror, EveryErrnoMatchesGlibc) {
    std::vector<int> values;
    for (int e = -300; e <= 1000; e++) values.push_back(e);
    for (int e : {INT_MIN, INT_MIN + 1, INT_MAX, 99999, -99999, 1000000000}) values.push_back(e);
    for (int e : values) {
        std::string want = strerror(e);
        std::string got = ccbox_libc_strerror(e);
        ASSERT_EQ(want, got) << "errno " << e;
    }
    EXPECT_STREQ("No such file or directory", ccbox_libc_strerror(ENOENT));
    EXPECT_STREQ("Success", ccbox_libc_strerror(0));
    EXPECT_STREQ("Unknown error 41", ccbox_libc_strerror(41));
    EXPECT_STREQ("Unknown error -1", ccbox_libc_strerror(-1));
    EXPECT_STREQ("Unknown error -2147483648", ccbox_libc_strerror(INT_MIN));
    EXPECT_STREQ("Resource temporarily unavailable", ccbox_libc_strerror(EWOULDBLOCK));
}

// The names (%#m) come from the same list as the messages.
TEST(EnclaveLibcStrerror, EveryErrnoNameMatchesGlibc) {
    for (int e = -300; e <= 1000; e++) {
        const char* want = strerrorname_np(e);
        const char* got = ccbox_libc_strerrorname_np(e);
        if (e == 0) {
            EXPECT_STREQ(got, "0") << "what %#m prints for 0";
            continue;
        }
        ASSERT_EQ(want == nullptr, got == nullptr) << "errno " << e;
        if (want)
            EXPECT_STREQ(want, got) << "errno " << e;
    }
}

TEST(EnclaveLibcStrerror, GnuStrerrorR) {
    std::vector<int> values;
    for (int e = -3; e <= 140; e++) values.push_back(e);
    values.push_back(INT_MIN);
    values.push_back(123456);
    for (int e : values) {
        for (size_t len = 0; len <= 40; len++) {
            char want[64], got[64];
            std::memset(want, '#', sizeof want);
            std::memset(got, '#', sizeof got);
            // glibc leaves the buffer unterminated for len 0, and ASan's interceptor reads it
            // as a string: a NUL past every length tested keeps that read in bounds.
            want[63] = got[63] = '\0';
            char* wr = strerror_r(e, want, len);
            char* gr = ccbox_libc_strerror_r(e, got, len);
            ASSERT_EQ(wr == want, gr == got) << "errno " << e << " len " << len;
            if (wr == want) {
                ASSERT_EQ(0, std::memcmp(want, got, sizeof want)) << "errno " << e << " len " << len;
            } else {
                ASSERT_STREQ(wr, gr);
                ASSERT_EQ(0, std::memcmp(want, got, sizeof want));  // buffer untouched
            }
        }
    }
}

TEST(EnclaveLibcStrerror, XsiStrerrorR) {
    std::vector<int> values;
    for (int e = -3; e <= 140; e++) values.push_back(e);
    values.push_back(INT_MIN);
    values.push_back(123456);
    for (int e : values) {
        for (size_t len = 0; len <= 60; len++) {
            char want[64], got[64];
            std::memset(want, '#', sizeof want);
            std::memset(got, '#', sizeof got);
            int wr = __xpg_strerror_r(e, want, len);
            int gr = ccbox_libc___xpg_strerror_r(e, got, len);
            ASSERT_EQ(wr, gr) << "errno " << e << " len " << len;
            ASSERT_EQ(0, std::memcmp(want, got, sizeof want)) << "errno " << e << " len " << len;
        }
    }
}

// ---- wide characters --------------------------------------------------------------------------------

namespace {

std::wstring RandomWide(size_t len) {
    // Includes values that are negative as wchar_t, to pin down signed comparison.
    const wchar_t pool[] = {L'a', L'b', 0x7f, 0x80, 0xff, 0x100, 0x10ffff, 0x7fffffff,
                            static_cast<wchar_t>(0x80000000u), static_cast<wchar_t>(0xffffffffu)};
    std::wstring s(len, L'a');
    for (auto& c : s) c = pool[RandBelow(sizeof pool / sizeof pool[0])];
    return s;
}

}  // namespace

TEST(EnclaveLibcWide, MatchesGlibc) {
    for (int iter = 0; iter < 30000; iter++) {
        std::wstring s = RandomWide(RandBelow(20));
        std::wstring t = RandBelow(2) ? s : RandomWide(RandBelow(20));
        if (RandBelow(3) == 0 && !t.empty()) t[RandBelow(t.size())] = RandomWide(1)[0];
        ASSERT_EQ(wcslen(s.c_str()), ccbox_libc_wcslen(s.c_str()));
        size_t n = RandBelow(25);
        ASSERT_EQ(wcsnlen(s.c_str(), n), ccbox_libc_wcsnlen(s.c_str(), n));
        ASSERT_EQ(Sign(wcscmp(s.c_str(), t.c_str())), Sign(ccbox_libc_wcscmp(s.c_str(), t.c_str())));
        ASSERT_EQ(Sign(wcsncmp(s.c_str(), t.c_str(), n)), Sign(ccbox_libc_wcsncmp(s.c_str(), t.c_str(), n)));
        size_t m = std::min(s.size(), t.size());
        size_t k = RandBelow(m + 1);
        ASSERT_EQ(Sign(wmemcmp(s.data(), t.data(), k)), Sign(ccbox_libc_wmemcmp(s.data(), t.data(), k)));
        wchar_t c = RandomWide(1)[0];
        if (RandBelow(4) == 0) c = 0;
        ASSERT_EQ(wcschr(s.c_str(), c), ccbox_libc_wcschr(s.c_str(), c));
        ASSERT_EQ(wcsrchr(s.c_str(), c), ccbox_libc_wcsrchr(s.c_str(), c));
        ASSERT_EQ(wmemchr(s.data(), c, s.size()), ccbox_libc_wmemchr(s.data(), c, s.size()));

        std::vector<wchar_t> d1(64, L'#'), d2(64, L'#');
        wcscpy(d1.data() + 1, s.c_str());
        ASSERT_EQ(d2.data() + 1, ccbox_libc_wcscpy(d2.data() + 1, s.c_str()));
        ASSERT_EQ(d1, d2);
        std::fill(d1.begin(), d1.end(), L'#');
        std::fill(d2.begin(), d2.end(), L'#');
        wcsncpy(d1.data() + 1, s.c_str(), n);
        ASSERT_EQ(d2.data() + 1, ccbox_libc_wcsncpy(d2.data() + 1, s.c_str(), n));
        ASSERT_EQ(d1, d2);
        wmemset(d1.data() + 3, c, n);
        ASSERT_EQ(d2.data() + 3, ccbox_libc_wmemset(d2.data() + 3, c, n));
        ASSERT_EQ(d1, d2);
        wmemcpy(d1.data() + 2, s.data(), s.size());
        ASSERT_EQ(d2.data() + 2, ccbox_libc_wmemcpy(d2.data() + 2, s.data(), s.size()));
        ASSERT_EQ(d1, d2);
        size_t from = RandBelow(20), to = RandBelow(20), cnt = RandBelow(20);
        wmemmove(d1.data() + to, d1.data() + from, cnt);
        ASSERT_EQ(d2.data() + to, ccbox_libc_wmemmove(d2.data() + to, d2.data() + from, cnt));
        ASSERT_EQ(d1, d2);
    }
    EXPECT_GT(0, ccbox_libc_wcscmp(L"\x80000000", L"a"));  // negative wchar_t sorts first
}

// ---- _FORTIFY_SOURCE entry points ----------------------------------------------------------------------

TEST(EnclaveLibcFortify, BehaveLikePlainFunctionsWhenTheyFit) {
    char buf[32], want[32];
    const char src[] = "0123456789abcdefghij";  // 20 chars
    std::memset(buf, '#', sizeof buf);
    EXPECT_EQ(buf, ccbox_libc___memcpy_chk(buf, src, 20, 20));
    EXPECT_EQ(0, std::memcmp(buf, src, 20));
    EXPECT_EQ(buf + 3, ccbox_libc___memmove_chk(buf + 3, buf, 10, 10));
    EXPECT_EQ(0, std::memcmp(buf + 3, src, 10));
    EXPECT_EQ(buf + 20, ccbox_libc___mempcpy_chk(buf, src, 20, 32));
    EXPECT_EQ(buf, ccbox_libc___memset_chk(buf, 'x', 32, 32));
    EXPECT_EQ(std::string(32, 'x'), std::string(buf, 32));
    ccbox_libc___explicit_bzero_chk(buf, 32, 32);
    EXPECT_EQ(std::string(32, '\0'), std::string(buf, 32));

    EXPECT_EQ(buf, ccbox_libc___strcpy_chk(buf, src, 21));  // exactly fits with its NUL
    EXPECT_STREQ(src, buf);
    EXPECT_EQ(buf + 20, ccbox_libc___stpcpy_chk(buf, src, 21));
    std::memset(buf, '#', sizeof buf);
    std::memset(want, '#', sizeof want);
    strncpy(want, "abc", 10);
    EXPECT_EQ(buf, ccbox_libc___strncpy_chk(buf, "abc", 10, 10));
    EXPECT_EQ(0, std::memcmp(buf, want, sizeof buf));
    EXPECT_EQ(buf + 3, ccbox_libc___stpncpy_chk(buf, "abc", 10, 10));

    std::strcpy(buf, "abc");
    EXPECT_EQ(buf, ccbox_libc___strcat_chk(buf, "defg", 8));  // 7 chars + NUL
    EXPECT_STREQ("abcdefg", buf);
    std::strcpy(buf, "abc");
    EXPECT_EQ(buf, ccbox_libc___strncat_chk(buf, "defghijk", 4, 8));
    EXPECT_STREQ("abcdefg", buf);
    std::strcpy(buf, "abc");
    EXPECT_EQ(buf, ccbox_libc___strncat_chk(buf, "de", 100, 6));
    EXPECT_STREQ("abcde", buf);

    wchar_t w[8], ww[8];
    const wchar_t wsrc[] = L"abcdefg";
    EXPECT_EQ(w, ccbox_libc___wmemcpy_chk(w, wsrc, 8, 8));
    EXPECT_EQ(0, wmemcmp(w, wsrc, 8));
    EXPECT_EQ(w + 1, ccbox_libc___wmemmove_chk(w + 1, w, 7, 7));
    wmemmove(ww, wsrc, 8);
    wmemmove(ww + 1, ww, 7);
    EXPECT_EQ(0, wmemcmp(w, ww, 8));
    EXPECT_EQ(w, ccbox_libc___wmemset_chk(w, L'z', 8, 8));
    EXPECT_EQ(std::wstring(8, L'z'), std::wstring(w, 8));
}

TEST(EnclaveLibcFortifyDeathTest, OverflowsCallChkFail) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    char buf[16] = "abc";
    const char* big = "0123456789abcdef";  // 16 chars: needs 17 bytes
    const char* msg = "buffer overflow detected";
    EXPECT_DEATH(ccbox_libc___memcpy_chk(buf, big, 16, 15), msg);
    EXPECT_DEATH(ccbox_libc___memmove_chk(buf, big, 16, 15), msg);
    EXPECT_DEATH(ccbox_libc___mempcpy_chk(buf, big, 16, 15), msg);
    EXPECT_DEATH(ccbox_libc___memset_chk(buf, 0, 17, 16), msg);
    EXPECT_DEATH(ccbox_libc___explicit_bzero_chk(buf, 17, 16), msg);
    EXPECT_DEATH(ccbox_libc___strcpy_chk(buf, big, 16), msg);
    EXPECT_DEATH(ccbox_libc___stpcpy_chk(buf, big, 16), msg);
    EXPECT_DEATH(ccbox_libc___strncpy_chk(buf, "a", 17, 16), msg);
    EXPECT_DEATH(ccbox_libc___stpncpy_chk(buf, "a", 17, 16), msg);
    EXPECT_DEATH(ccbox_libc___strcat_chk(buf, "0123", 7), msg);        // 3 + 4 + 1 > 7
    EXPECT_DEATH(ccbox_libc___strncat_chk(buf, "0123456", 4, 7), msg);  // 3 + 4 + 1 > 7
    char unterminated[4] = {'a', 'b', 'c', 'd'};
    EXPECT_DEATH(ccbox_libc___strcat_chk(unterminated, "", 4), msg);
    wchar_t w[4];
    const wchar_t wsrc[] = L"abcde";
    EXPECT_DEATH(ccbox_libc___wmemcpy_chk(w, wsrc, 5, 4), msg);
    EXPECT_DEATH(ccbox_libc___wmemmove_chk(w, wsrc, 5, 4), msg);
    EXPECT_DEATH(ccbox_libc___wmemset_chk(w, L'a', 5, 4), msg);
}
