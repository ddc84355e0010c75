// Host unit tests for the enclave heap allocator (src/enclave/libc/malloc.c), built without
// CCBOX_ENCLAVE_LIBC so the ccbox_libc_ functions are called directly and compared with glibc.
#include <gtest/gtest.h>

#include <errno.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "heap.h"

namespace {

constexpr size_t kRegionSize = size_t{64} << 20;

uint64_t Mix(uint64_t x) {
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ULL;
    x ^= x >> 27;
    x *= 0x81dadef4bc2dd44dULL;
    x ^= x >> 33;
    return x;
}

// Fills n bytes at p with a pattern determined by seed (p is 16-byte aligned).
void Fill(void* p, size_t n, uint64_t seed) {
    auto* w = static_cast<unsigned char*>(p);
    uint64_t v = Mix(seed) | 1;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x = v + i * 0x9e3779b97f4a7c15ULL;
        memcpy(w + i, &x, 8);
    }
    uint64_t x = v + i * 0x9e3779b97f4a7c15ULL;
    memcpy(w + i, &x, n - i);
}

// Length of the prefix of [p, p+n) that still holds Fill(p, ., seed)'s pattern.
size_t PatternPrefix(const void* p, size_t n, uint64_t seed) {
    const auto* w = static_cast<const unsigned char*>(p);
    uint64_t v = Mix(seed) | 1;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x = v + i * 0x9e3779b97f4a7c15ULL;
        if (memcmp(w + i, &x, 8) != 0) return i;
    }
    uint64_t x = v + i * 0x9e3779b97f4a7c15ULL;
    return memcmp(w + i, &x, n - i) == 0 ? n : i;
}

bool CheckPattern(const void* p, size_t n, uint64_t seed) {
    return PatternPrefix(p, n, seed) == n;
}

bool AllZero(const void* p, size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; i++)
        if (c[i] != 0) return false;
    return true;
}

size_t NextPow2(size_t a) {
    size_t r = 1;
    while (r < a) r <<= 1;
    return r;
}

// True when malloc & co. in this process are glibc 2.36's own.
bool HostIsGlibc236() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return false;
#else
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
    return false;
#endif
#endif
    return strcmp(gnu_get_libc_version(), "2.36") == 0;
#endif
}

class HeapTest : public ::testing::Test {
protected:
    void SetUp() override {
        void* m = mmap(nullptr, kRegionSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        ASSERT_NE(m, MAP_FAILED);
        region_ = static_cast<unsigned char*>(m);
        ASSERT_EQ(ccbox_heap_reset_for_tests(region_, kRegionSize), 0);
        baseline_ = ccbox_heap_bytes_in_use();
        ASSERT_EQ(baseline_, 0u);
        ASSERT_GT(ccbox_heap_capacity(), kRegionSize - 8192);
        ASSERT_LT(ccbox_heap_capacity(), kRegionSize);
    }

    void TearDown() override {
        if (region_ == nullptr) return;
        EXPECT_EQ(ccbox_heap_check_for_tests(0), 0);
        ccbox_heap_reset_for_tests(nullptr, 0);
        munmap(region_, kRegionSize);
    }

    // The whole usable part of p lies inside the region.
    bool InRegion(const void* p) const {
        auto a = reinterpret_cast<uintptr_t>(p);
        auto b = reinterpret_cast<uintptr_t>(region_);
        size_t u = ccbox_libc_malloc_usable_size(const_cast<void*>(p));
        return a >= b && a + u <= b + kRegionSize && u > 0;
    }

    // Frees everything a test allocated and checks the heap is whole again.
    void ExpectEmptyAndCoalesced() {
        EXPECT_EQ(ccbox_heap_bytes_in_use(), baseline_);
        EXPECT_EQ(ccbox_heap_check_for_tests(1), 0);
        size_t cap = ccbox_heap_capacity();
        void* big = ccbox_libc_malloc(cap);
        ASSERT_NE(big, nullptr) << "a block of the full capacity no longer fits: free space is fragmented";
        EXPECT_TRUE(InRegion(big));
        EXPECT_GE(ccbox_libc_malloc_usable_size(big), cap);
        ccbox_libc_free(big);
        EXPECT_EQ(ccbox_heap_bytes_in_use(), baseline_);
    }

    unsigned char* region_ = nullptr;
    size_t baseline_ = 0;
};

using HeapDeathTest = HeapTest;

// ---- initialisation ---------------------------------------------------------------------

TEST(HeapInitTest, InitContract) {
    ccbox_heap_reset_for_tests(nullptr, 0);
    errno = 0;
    EXPECT_EQ(ccbox_libc_malloc(1), nullptr);
    EXPECT_EQ(errno, ENOMEM);
    EXPECT_EQ(ccbox_heap_capacity(), 0u);
    EXPECT_EQ(ccbox_heap_bytes_in_use(), 0u);

    void* m = mmap(nullptr, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(m, MAP_FAILED);
    auto* page = static_cast<unsigned char*>(m) + 4096;
    EXPECT_EQ(ccbox_heap_init(nullptr, 4096), -1);
    EXPECT_EQ(ccbox_heap_init(page, 512), -1);  // too small for the allocator state
    EXPECT_EQ(ccbox_heap_init(page + 8, 4096), -1);  // misaligned
    EXPECT_EQ(ccbox_heap_init(page, SIZE_MAX - 100), -1);  // wraps around
    EXPECT_EQ(ccbox_heap_capacity(), 0u);

    // A one-page heap works; guard bytes around it must stay untouched.
    memset(page - 4096, 0x5a, 4096);
    memset(page + 4096, 0x5a, 4096);
    ASSERT_EQ(ccbox_heap_init(page, 4096), 0);
    EXPECT_EQ(ccbox_heap_init(page, 4096), -1);  // only once
    size_t cap = ccbox_heap_capacity();
    EXPECT_GT(cap, 1024u);
    EXPECT_LT(cap, 4096u);
    errno = 0;
    EXPECT_EQ(ccbox_libc_malloc(cap + 1), nullptr);
    EXPECT_EQ(errno, ENOMEM);
    void* all = ccbox_libc_malloc(cap);
    ASSERT_NE(all, nullptr);
    EXPECT_GE(reinterpret_cast<unsigned char*>(all), page);
    EXPECT_LE(reinterpret_cast<unsigned char*>(all) + cap, page + 4096);
    memset(all, 0xff, cap);
    errno = 0;
    EXPECT_EQ(ccbox_libc_malloc(0), nullptr);
    EXPECT_EQ(errno, ENOMEM);
    ccbox_libc_free(all);
    EXPECT_EQ(ccbox_heap_bytes_in_use(), 0u);

    std::vector<void*> small;
    for (int i = 0; i < 1000; i++) {
        void* p = ccbox_libc_malloc(24);
        if (p == nullptr) break;
        EXPECT_GE(reinterpret_cast<unsigned char*>(p), page);
        EXPECT_LE(reinterpret_cast<unsigned char*>(p) + 24, page + 4096);
        memset(p, 0xee, 24);
        small.push_back(p);
    }
    EXPECT_GT(small.size(), 30u);
    EXPECT_LT(small.size(), 1000u);
    for (void* p : small) ccbox_libc_free(p);
    EXPECT_EQ(ccbox_heap_bytes_in_use(), 0u);
    EXPECT_EQ(ccbox_heap_check_for_tests(0), 0);
    EXPECT_NE(ccbox_libc_malloc(cap), nullptr);
    for (size_t i = 0; i < 4096; i++) {
        ASSERT_EQ(page[-1 - static_cast<ptrdiff_t>(i)], 0x5a);
        ASSERT_EQ(page[4096 + i], 0x5a);
    }
    ccbox_heap_reset_for_tests(nullptr, 0);
    munmap(m, 3 * 4096);
}

// A heap of tens of GiB (address space only: the memory is never touched except at the ends).
TEST(HeapInitTest, HugeRegion) {
    const size_t size = size_t{24} << 30;
    void* m = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) GTEST_SKIP() << "cannot reserve 24 GiB of address space";
    auto* base = static_cast<unsigned char*>(m);
    ASSERT_EQ(ccbox_heap_reset_for_tests(base, size), 0);
    EXPECT_GT(ccbox_heap_capacity(), size - 8192);
    void* small = ccbox_libc_malloc(100);
    auto* big = static_cast<unsigned char*>(ccbox_libc_malloc(size_t{20} << 30));
    ASSERT_NE(big, nullptr);
    big[0] = 1;
    big[(size_t{20} << 30) - 1] = 2;
    errno = 0;
    EXPECT_EQ(ccbox_libc_malloc(size_t{4} << 30), nullptr);
    EXPECT_EQ(errno, ENOMEM);
    void* aligned = ccbox_libc_memalign(size_t{1} << 30, 4096);  // 1 GiB alignment
    ASSERT_NE(aligned, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(aligned) % (size_t{1} << 30), 0u);
    ccbox_libc_free(big);
    // Reuses the freed 20 GiB block (split), no zeroing needed for the untouched part either.
    auto* again = static_cast<unsigned char*>(ccbox_libc_malloc(size_t{10} << 30));
    EXPECT_EQ(again, big);
    ccbox_libc_free(again);
    ccbox_libc_free(aligned);
    ccbox_libc_free(small);
    EXPECT_EQ(ccbox_heap_bytes_in_use(), 0u);
    EXPECT_EQ(ccbox_heap_check_for_tests(0), 0);
    EXPECT_NE(ccbox_libc_malloc(ccbox_heap_capacity()), nullptr);
    ccbox_heap_reset_for_tests(nullptr, 0);
    munmap(m, size);
}

// ---- basic semantics --------------------------------------------------------------------

TEST_F(HeapTest, MallocZeroFreeNullAndAccounting) {
    void* a = ccbox_libc_malloc(0);
    void* b = ccbox_libc_malloc(0);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_NE(a, b);
    EXPECT_TRUE(InRegion(a));
    ccbox_libc_free(a);
    ccbox_libc_free(b);
    ccbox_libc_free(nullptr);
    EXPECT_EQ(ccbox_libc_malloc_usable_size(nullptr), 0u);
    EXPECT_EQ(ccbox_heap_bytes_in_use(), baseline_);

    for (size_t n : {size_t{1}, size_t{8}, size_t{24}, size_t{25}, size_t{100}, size_t{1000}, size_t{1017},
                     size_t{4096}, size_t{100000}, size_t{3} << 20}) {
        size_t before = ccbox_heap_bytes_in_use();
        void* p = ccbox_libc_malloc(n);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
        size_t used = ccbox_heap_bytes_in_use() - before;
        EXPECT_GE(used, n + 8);
        EXPECT_LE(used, std::max<size_t>(32, n + 8 + 15));  // 8-byte header plus rounding
        size_t u = ccbox_libc_malloc_usable_size(p);
        EXPECT_GE(u, n);
        EXPECT_LT(u, n + 32);
        Fill(p, u, n);
        EXPECT_TRUE(CheckPattern(p, u, n));
        ccbox_libc_free(p);
        EXPECT_EQ(ccbox_heap_bytes_in_use(), before);
    }
    ExpectEmptyAndCoalesced();
}

TEST_F(HeapTest, AlignmentOfEveryPointer) {
    std::mt19937_64 rng(1);
    std::vector<std::pair<void*, size_t>> live;
    for (int i = 0; i < 20000; i++) {
        size_t n = rng() % (size_t{1} << (rng() % 18));
        size_t align = size_t{1} << (rng() % 21);  // up to 1 MiB
        void* p = nullptr;
        size_t want = 16;
        switch (rng() % 5) {
            case 0: p = ccbox_libc_malloc(n); break;
            case 1: p = ccbox_libc_calloc(1, n); break;
            case 2:
                p = ccbox_libc_memalign(align, n);
                want = std::max<size_t>(16, align);
                break;
            case 3:
                p = ccbox_libc_aligned_alloc(align, n);
                want = std::max<size_t>(16, align);
                break;
            case 4:
                align = std::max<size_t>(align, sizeof(void*));
                ASSERT_EQ(ccbox_libc_posix_memalign(&p, align, n), 0);
                want = std::max<size_t>(16, align);
                break;
        }
        ASSERT_NE(p, nullptr);
        ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % want, 0u) << "n=" << n << " align=" << align;
        ASSERT_GE(ccbox_libc_malloc_usable_size(p), n);
        ASSERT_TRUE(InRegion(p));
        Fill(p, n, reinterpret_cast<uintptr_t>(p));
        live.emplace_back(p, n);
        if (live.size() > 300 || rng() % 3 == 0) {
            size_t k = rng() % live.size();
            ASSERT_TRUE(CheckPattern(live[k].first, live[k].second, reinterpret_cast<uintptr_t>(live[k].first)));
            ccbox_libc_free(live[k].first);
            live[k] = live.back();
            live.pop_back();
        }
        if (i % 2000 == 0) {
            ASSERT_EQ(ccbox_heap_check_for_tests(0), 0);
        }
    }
    for (auto& [p, n] : live) {
        ASSERT_TRUE(CheckPattern(p, n, reinterpret_cast<uintptr_t>(p)));
        ccbox_libc_free(p);
    }
    ExpectEmptyAndCoalesced();
}

// ---- long random workload ---------------------------------------------------------------

struct Block {
    unsigned char* p = nullptr;
    size_t n = 0;
    uint64_t seed = 0;
};

size_t RandomSize(std::mt19937_64& rng) {
    unsigned r = static_cast<unsigned>(rng() % 1000);
    if (r < 700) return rng() % 257;
    if (r < 900) return 257 + rng() % 8000;
    if (r < 990) return 8192 + rng() % (120 * 1024);
    return (128 * 1024) + rng() % (384 * 1024);
}

TEST_F(HeapTest, RandomWorkloadNoOverlapAndFullCoalescing) {
    std::mt19937_64 rng(42);
    std::vector<Block> slots(2048);
    uint64_t next_seed = 1;
    size_t live_bytes_peak = 0;
    auto alloc_into = [&](Block& b) {
        size_t n = RandomSize(rng);
        unsigned kind = static_cast<unsigned>(rng() % 10);
        void* p = nullptr;
        if (kind < 6) {
            p = ccbox_libc_malloc(n);
        } else if (kind < 8) {
            p = ccbox_libc_calloc(1 + n % 7, n / (1 + n % 7));
            n = (1 + n % 7) * (n / (1 + n % 7));
            ASSERT_NE(p, nullptr);
            ASSERT_TRUE(AllZero(p, n)) << "calloc returned dirty memory";
        } else if (kind < 9) {
            size_t align = size_t{32} << (rng() % 12);
            p = ccbox_libc_memalign(align, n);
            ASSERT_NE(p, nullptr);
            ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % align, 0u);
        } else {
            size_t align = size_t{8} << (rng() % 10);
            ASSERT_EQ(ccbox_libc_posix_memalign(&p, align, n), 0);
            ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % align, 0u);
        }
        ASSERT_NE(p, nullptr);
        ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
        ASSERT_TRUE(InRegion(p));
        b.p = static_cast<unsigned char*>(p);
        b.n = n;
        b.seed = next_seed++;
        Fill(b.p, b.n, b.seed);
    };
    auto check_no_overlap = [&] {
        std::vector<std::pair<uintptr_t, uintptr_t>> iv;
        for (auto& b : slots)
            if (b.p != nullptr) {
                auto a = reinterpret_cast<uintptr_t>(b.p);
                iv.emplace_back(a, a + ccbox_libc_malloc_usable_size(b.p));
            }
        std::sort(iv.begin(), iv.end());
        size_t live = 0;
        for (size_t i = 0; i < iv.size(); i++) {
            live += iv[i].second - iv[i].first;
            if (i > 0) {
                ASSERT_LE(iv[i - 1].second + 8, iv[i].first) << "live blocks overlap";
            }
        }
        live_bytes_peak = std::max(live_bytes_peak, live);
    };

    constexpr int kOps = 300000;
    for (int op = 0; op < kOps; op++) {
        Block& b = slots[rng() % slots.size()];
        if (b.p == nullptr) {
            alloc_into(b);
            if (HasFatalFailure()) return;
            continue;
        }
        ASSERT_TRUE(CheckPattern(b.p, b.n, b.seed)) << "block contents changed while live (overlap or heap corruption)";
        unsigned r = static_cast<unsigned>(rng() % 100);
        if (r < 45) {
            ccbox_libc_free(b.p);
            b = Block{};
        } else if (r < 90) {
            size_t n = RandomSize(rng);
            if (n == 0) n = 1;
            void* q = ccbox_libc_realloc(b.p, n);
            ASSERT_NE(q, nullptr);
            ASSERT_EQ(reinterpret_cast<uintptr_t>(q) % 16, 0u);
            ASSERT_TRUE(InRegion(q));
            ASSERT_GE(ccbox_libc_malloc_usable_size(q), n);
            size_t keep = std::min(n, b.n);
            ASSERT_EQ(PatternPrefix(q, keep, b.seed), keep) << "realloc lost contents";
            b.p = static_cast<unsigned char*>(q);
            b.n = n;
            b.seed = next_seed++;
            Fill(b.p, b.n, b.seed);
        }
        if (op % 25000 == 0) {
            check_no_overlap();
            if (HasFatalFailure()) return;
            ASSERT_EQ(ccbox_heap_check_for_tests(op % 100000 == 0), 0) << "at op " << op;
        }
    }
    check_no_overlap();
    EXPECT_GT(live_bytes_peak, size_t{4} << 20);  // the workload did stress the heap
    EXPECT_GT(ccbox_heap_bytes_in_use(), baseline_);
    for (auto& b : slots) {
        if (b.p == nullptr) continue;
        ASSERT_TRUE(CheckPattern(b.p, b.n, b.seed));
        ccbox_libc_free(b.p);
        b = Block{};
    }
    ExpectEmptyAndCoalesced();
}

// ---- exhaustion and overflow ------------------------------------------------------------

TEST_F(HeapTest, ExhaustionGivesNullAndEnomem) {
    std::vector<void*> big;
    for (;;) {
        errno = 0;
        void* p = ccbox_libc_malloc(size_t{1} << 20);
        if (p == nullptr) {
            EXPECT_EQ(errno, ENOMEM);
            break;
        }
        ASSERT_TRUE(InRegion(p));
        memset(p, 0x11, size_t{1} << 20);
        big.push_back(p);
        ASSERT_LT(big.size(), 64u);
    }
    EXPECT_EQ(big.size(), 63u);  // 64 MiB minus the allocator's few KiB of metadata
    std::vector<void*> small;
    for (;;) {
        errno = 0;
        void* p = ccbox_libc_malloc(1000);
        if (p == nullptr) {
            EXPECT_EQ(errno, ENOMEM);
            break;
        }
        ASSERT_TRUE(InRegion(p));
        memset(p, 0x22, 1000);
        small.push_back(p);
        ASSERT_LT(small.size(), 1100u);
    }
    EXPECT_GT(small.size(), 900u);
    // Every function reports exhaustion the same way and leaves its argument alone.
    errno = 0;
    EXPECT_EQ(ccbox_libc_calloc(1, 4096), nullptr);
    EXPECT_EQ(errno, ENOMEM);
    errno = 0;
    EXPECT_EQ(ccbox_libc_memalign(4096, 4096), nullptr);
    EXPECT_EQ(errno, ENOMEM);
    errno = 0;
    EXPECT_EQ(ccbox_libc_valloc(4096), nullptr);
    EXPECT_EQ(errno, ENOMEM);
    void* q = &q;
    errno = 1234;
    EXPECT_EQ(ccbox_libc_posix_memalign(&q, 64, 4096), ENOMEM);
    EXPECT_EQ(errno, 1234);
    EXPECT_EQ(q, &q);
    Fill(big[0], size_t{1} << 20, 7);
    errno = 0;
    EXPECT_EQ(ccbox_libc_realloc(big[0], size_t{2} << 20), nullptr);
    EXPECT_EQ(errno, ENOMEM);
    EXPECT_TRUE(CheckPattern(big[0], size_t{1} << 20, 7));
    EXPECT_EQ(ccbox_heap_check_for_tests(0), 0);

    // Freeing one block in the middle lets exactly that size fit again, in the same place.
    void* mid = big[30];
    ccbox_libc_free(mid);
    void* again = ccbox_libc_malloc(size_t{1} << 20);
    EXPECT_EQ(again, mid);
    big[30] = again;

    for (void* p : small) ccbox_libc_free(p);
    for (void* p : big) ccbox_libc_free(p);
    ExpectEmptyAndCoalesced();
}

TEST_F(HeapTest, HugeRequestsFailCleanly) {
    const size_t cap = ccbox_heap_capacity();
    void* keep = ccbox_libc_malloc(100);
    ASSERT_NE(keep, nullptr);
    Fill(keep, 100, 99);
    const size_t before = ccbox_heap_bytes_in_use();
    for (size_t n : {SIZE_MAX, SIZE_MAX - 7, SIZE_MAX - 8, SIZE_MAX - 15, SIZE_MAX - 16, SIZE_MAX - 4095,
                     SIZE_MAX / 2, SIZE_MAX / 2 + 1, static_cast<size_t>(PTRDIFF_MAX), cap + 1, cap + 8}) {
        errno = 0;
        EXPECT_EQ(ccbox_libc_malloc(n), nullptr) << n;
        EXPECT_EQ(errno, ENOMEM);
        errno = 0;
        EXPECT_EQ(ccbox_libc_calloc(1, n), nullptr) << n;
        EXPECT_EQ(errno, ENOMEM);
        errno = 0;
        EXPECT_EQ(ccbox_libc_realloc(keep, n), nullptr) << n;
        EXPECT_EQ(errno, ENOMEM);
        for (size_t a : {size_t{32}, size_t{4096}, size_t{1} << 20}) {
            errno = 0;
            EXPECT_EQ(ccbox_libc_memalign(a, n), nullptr) << n;
            EXPECT_EQ(errno, ENOMEM);
            errno = 0;
            EXPECT_EQ(ccbox_libc_aligned_alloc(a, n), nullptr) << n;
            EXPECT_EQ(errno, ENOMEM);
            void* out = &out;
            errno = 77;
            EXPECT_EQ(ccbox_libc_posix_memalign(&out, a, n), ENOMEM) << n;
            EXPECT_EQ(errno, 77);
            EXPECT_EQ(out, &out);
        }
        errno = 0;
        EXPECT_EQ(ccbox_libc_valloc(n), nullptr) << n;
        EXPECT_EQ(errno, ENOMEM);
        errno = 0;
        EXPECT_EQ(ccbox_libc_pvalloc(n), nullptr) << n;
        EXPECT_EQ(errno, ENOMEM);
    }
    // A huge alignment with a small size, and sizes that only overflow when the alignment is added.
    errno = 0;
    EXPECT_EQ(ccbox_libc_memalign(size_t{1} << 63, 1), nullptr);
    EXPECT_EQ(errno, ENOMEM);
    errno = 0;
    EXPECT_EQ(ccbox_libc_memalign(cap / 2 + 1, cap / 2), nullptr);
    EXPECT_EQ(errno, ENOMEM);
    errno = 0;
    EXPECT_EQ(ccbox_libc_memalign(size_t{1} << 20, SIZE_MAX - (size_t{1} << 20) + 1), nullptr);
    EXPECT_EQ(errno, ENOMEM);
    // Multiplication overflow.
    struct Pair {
        size_t a, b;
    };
    for (Pair pr : {Pair{SIZE_MAX / 2, 3}, Pair{3, SIZE_MAX / 2}, Pair{size_t{1} << 32, size_t{1} << 32},
                    Pair{SIZE_MAX, SIZE_MAX}, Pair{SIZE_MAX, 2}}) {
        errno = 0;
        EXPECT_EQ(ccbox_libc_calloc(pr.a, pr.b), nullptr);
        EXPECT_EQ(errno, ENOMEM);
        errno = 0;
        EXPECT_EQ(ccbox_libc_reallocarray(keep, pr.a, pr.b), nullptr);
        EXPECT_EQ(errno, ENOMEM);
    }
    EXPECT_EQ(ccbox_heap_bytes_in_use(), before);
    EXPECT_TRUE(CheckPattern(keep, 100, 99));
    void* r = ccbox_libc_reallocarray(keep, 10, 30);
    ASSERT_NE(r, nullptr);
    EXPECT_TRUE(CheckPattern(r, 100, 99));
    EXPECT_EQ(ccbox_libc_reallocarray(r, 0, 30), nullptr);  // realloc(p, 0): frees
    ExpectEmptyAndCoalesced();
}

// ---- calloc -----------------------------------------------------------------------------

TEST_F(HeapTest, CallocZeroesReusedMemory) {
    // Freed next to the top block: the same memory comes back.
    void* a = ccbox_libc_malloc(4000);
    memset(a, 0xab, 4000);
    ccbox_libc_free(a);
    void* c = ccbox_libc_calloc(1, 4000);
    EXPECT_EQ(c, a);
    EXPECT_TRUE(AllZero(c, ccbox_libc_malloc_usable_size(c)));
    ccbox_libc_free(c);

    // Reused from the exact bins, between allocated guards.
    std::vector<void*> freed, guards;
    for (int i = 0; i < 100; i++) {
        void* p = ccbox_libc_malloc(200);
        memset(p, 0xcd, 200);
        freed.push_back(p);
        guards.push_back(ccbox_libc_malloc(16));
    }
    for (void* p : freed) ccbox_libc_free(p);
    std::vector<void*> cs;
    size_t reused = 0;
    for (int i = 0; i < 100; i++) {
        void* p = ccbox_libc_calloc(200, 1);
        ASSERT_NE(p, nullptr);
        EXPECT_TRUE(AllZero(p, 200)) << i;
        reused += std::find(freed.begin(), freed.end(), p) != freed.end();
        cs.push_back(p);
    }
    EXPECT_EQ(reused, 100u);
    for (void* p : cs) ccbox_libc_free(p);
    for (void* p : guards) ccbox_libc_free(p);

    // A dirty stretch followed by never-used memory, and the tail trimmed by memalign.
    void* x = ccbox_libc_malloc(100000);
    memset(x, 0xee, 100000);
    ccbox_libc_free(x);
    void* y = ccbox_libc_calloc(3, 100000);
    ASSERT_NE(y, nullptr);
    EXPECT_TRUE(AllZero(y, 300000));
    ccbox_libc_free(y);
    void* m = ccbox_libc_memalign(size_t{1} << 16, 1000);
    memset(m, 0x77, ccbox_libc_malloc_usable_size(m));
    ccbox_libc_free(m);
    void* z = ccbox_libc_calloc(1, 400000);
    EXPECT_TRUE(AllZero(z, 400000));
    ccbox_libc_free(z);

    // Large block split from a free block of a log-spaced bin.
    void* l1 = ccbox_libc_malloc(50000);
    void* g = ccbox_libc_malloc(16);
    memset(l1, 0x99, 50000);
    ccbox_libc_free(l1);
    void* l2 = ccbox_libc_calloc(1, 30000);
    EXPECT_EQ(l2, l1);
    EXPECT_TRUE(AllZero(l2, 30000));
    ccbox_libc_free(l2);
    ccbox_libc_free(g);

    void* e1 = ccbox_libc_calloc(0, 5);
    void* e2 = ccbox_libc_calloc(5, 0);
    ASSERT_NE(e1, nullptr);
    ASSERT_NE(e2, nullptr);
    EXPECT_NE(e1, e2);
    ccbox_libc_free(e1);
    ccbox_libc_free(e2);
    errno = 0;
    EXPECT_EQ(ccbox_libc_calloc(SIZE_MAX / 2, 3), nullptr);
    EXPECT_EQ(errno, ENOMEM);
    ExpectEmptyAndCoalesced();
}

// ---- realloc ----------------------------------------------------------------------------

TEST_F(HeapTest, ReallocPreservesContentsAndGrowsInPlace) {
    void* p = ccbox_libc_realloc(nullptr, 100);  // = malloc
    ASSERT_NE(p, nullptr);
    Fill(p, 100, 1);
    // Next to the top block: grows in place.
    void* q = ccbox_libc_realloc(p, 10000);
    EXPECT_EQ(q, p);
    EXPECT_TRUE(CheckPattern(q, 100, 1));
    Fill(q, 10000, 2);
    // Shrinks in place and gives the tail back.
    size_t before = ccbox_heap_bytes_in_use();
    void* s = ccbox_libc_realloc(q, 300);
    EXPECT_EQ(s, q);
    EXPECT_TRUE(CheckPattern(s, 300, 2));
    EXPECT_LE(ccbox_heap_bytes_in_use(), before - 9000);
    EXPECT_GE(ccbox_libc_malloc_usable_size(s), 300u);
    EXPECT_LT(ccbox_libc_malloc_usable_size(s), 10000u);

    // Next block free: grows in place into it, partly and then entirely.
    void* nb = ccbox_libc_malloc(5000);
    void* guard = ccbox_libc_malloc(10);
    Fill(s, 300, 3);
    ccbox_libc_free(nb);
    void* g1 = ccbox_libc_realloc(s, 3000);
    EXPECT_EQ(g1, s);
    EXPECT_TRUE(CheckPattern(g1, 300, 3));
    EXPECT_EQ(ccbox_heap_check_for_tests(0), 0);
    Fill(g1, 3000, 4);
    void* g2 = ccbox_libc_realloc(g1, 5300);
    EXPECT_EQ(g2, s);
    EXPECT_TRUE(CheckPattern(g2, 3000, 4));
    EXPECT_EQ(ccbox_heap_check_for_tests(0), 0);
    Fill(g2, 5300, 5);

    // Next block allocated: moves, keeps everything, frees the old block.
    size_t in_use = ccbox_heap_bytes_in_use();
    void* moved = ccbox_libc_realloc(g2, 200000);
    ASSERT_NE(moved, nullptr);
    EXPECT_NE(moved, g2);
    EXPECT_TRUE(CheckPattern(moved, 5300, 5));
    EXPECT_LT(ccbox_heap_bytes_in_use(), in_use + 200000 + 64);
    Fill(moved, 200000, 6);
    void* shrunk = ccbox_libc_realloc(moved, 17);
    EXPECT_EQ(shrunk, moved);
    EXPECT_TRUE(CheckPattern(shrunk, 17, 6));

    // realloc(p, 0) frees and returns NULL, like glibc.
    EXPECT_EQ(ccbox_libc_realloc(shrunk, 0), nullptr);
    ccbox_libc_free(guard);
    EXPECT_EQ(ccbox_heap_bytes_in_use(), baseline_);

    // A chain of random resizes keeps the common prefix every time.
    std::mt19937_64 rng(5);
    size_t n = 1;
    unsigned char* cur = static_cast<unsigned char*>(ccbox_libc_malloc(n));
    Fill(cur, n, 100);
    std::vector<void*> noise;
    for (int i = 0; i < 3000; i++) {
        size_t m = 1 + rng() % (size_t{1} << (rng() % 17));
        auto* nx = static_cast<unsigned char*>(ccbox_libc_realloc(cur, m));
        ASSERT_NE(nx, nullptr);
        ASSERT_EQ(PatternPrefix(nx, std::min(n, m), 100 + i), std::min(n, m)) << i;
        Fill(nx, m, 101 + i);
        cur = nx;
        n = m;
        if (rng() % 2) noise.push_back(ccbox_libc_malloc(rng() % 2000));
        if (noise.size() > 20) {
            ccbox_libc_free(noise.front());
            noise.erase(noise.begin());
        }
    }
    ccbox_libc_free(cur);
    for (void* v : noise) ccbox_libc_free(v);
    ExpectEmptyAndCoalesced();
}

// ---- aligned allocation vs. glibc 2.36 --------------------------------------------------

TEST_F(HeapTest, AlignedApisMatchGlibc) {
    // The expectations are glibc 2.36's behaviour; when the host allocator is glibc 2.36 itself
    // (not a sanitizer's replacement) the same calls are also made to it and compared.
    const bool host_is_glibc = HostIsGlibc236();
    const size_t aligns[] = {0,  1,  2,   3,   4,    8,       16,      17,      24,
                             32, 33, 48,  64,  100,  4096,    4097,    size_t{1} << 20,
                             size_t{3} << 19,  SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 2, SIZE_MAX};
    for (size_t a : aligns) {
        SCOPED_TRACE(a);
        // posix_memalign: EINVAL unless a power-of-two multiple of sizeof(void*); never touches errno.
        void* ours = nullptr;
        errno = 4242;
        int rc = ccbox_libc_posix_memalign(&ours, a, 10);
        EXPECT_EQ(errno, 4242);
        bool valid = a != 0 && a % sizeof(void*) == 0 && (a & (a - 1)) == 0;
        EXPECT_EQ(rc, valid ? (a > ccbox_heap_capacity() ? ENOMEM : 0) : EINVAL);
        if (rc == 0) {
            EXPECT_EQ(reinterpret_cast<uintptr_t>(ours) % a, 0u);
            EXPECT_TRUE(InRegion(ours));
            ccbox_libc_free(ours);
        }
        if (host_is_glibc) {
            void* theirs = nullptr;
            int grc = posix_memalign(&theirs, a, 10);
            EXPECT_EQ(rc, grc);
            if (grc == 0) free(theirs);
        }

        // memalign and aligned_alloc (the same function in glibc 2.36): an alignment that is not
        // a power of two is rounded up, 0..16 means malloc, only alignments above SIZE_MAX/2+1
        // give EINVAL; 2^63 is a valid alignment that cannot be satisfied (ENOMEM).
        const bool einval = a > SIZE_MAX / 2 + 1;
        const size_t effective = a <= 16 ? 16 : einval ? 0 : NextPow2(std::max<size_t>(a, 32));
        const bool enomem = !einval && effective > ccbox_heap_capacity();
        using Fn = void* (*)(size_t, size_t);
        const std::pair<Fn, Fn> pairs[] = {{ccbox_libc_memalign, memalign}, {ccbox_libc_aligned_alloc, aligned_alloc}};
        for (auto [mine, glibc] : pairs) {
            errno = 0;
            void* p = mine(a, 10);
            int e = errno;
            if (einval || enomem) {
                EXPECT_EQ(p, nullptr);
                EXPECT_EQ(e, einval ? EINVAL : ENOMEM);
            } else {
                ASSERT_NE(p, nullptr);
                EXPECT_EQ(e, 0);
                EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % effective, 0u);
                EXPECT_GE(ccbox_libc_malloc_usable_size(p), 10u);
                EXPECT_TRUE(InRegion(p));
                ccbox_libc_free(p);
            }
            if (host_is_glibc) {
                errno = 0;
                void* g = glibc(a, 10);
                EXPECT_EQ(p == nullptr, g == nullptr);
                EXPECT_EQ(e, errno);
                if (g != nullptr) {
                    EXPECT_EQ(reinterpret_cast<uintptr_t>(g) % effective, 0u);
                }
                free(g);
            }
        }
    }
    EXPECT_EQ(ccbox_heap_bytes_in_use(), baseline_);

    // Large alignments: 1, 4 and 16 MiB, with other blocks around.
    std::vector<void*> v;
    for (size_t a : {size_t{1} << 20, size_t{4} << 20, size_t{16} << 20}) {
        v.push_back(ccbox_libc_malloc(1000));
        void* p = ccbox_libc_aligned_alloc(a, 3 * 4096);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % a, 0u);
        EXPECT_TRUE(InRegion(p));
        memset(p, 0x42, 3 * 4096);
        v.push_back(p);
        void* out = nullptr;
        ASSERT_EQ(ccbox_libc_posix_memalign(&out, a, 0), 0);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(out) % a, 0u);
        v.push_back(out);
    }
    EXPECT_LT(ccbox_heap_bytes_in_use(), size_t{1} << 20);  // alignment slack went back to the heap
    EXPECT_EQ(ccbox_heap_check_for_tests(0), 0);
    for (void* p : v) ccbox_libc_free(p);

    // valloc / pvalloc: page aligned; pvalloc rounds the size up to whole pages.
    void* va = ccbox_libc_valloc(1);
    void* v0 = ccbox_libc_valloc(0);
    void* pa = ccbox_libc_pvalloc(100);
    void* p0 = ccbox_libc_pvalloc(0);
    void* p5 = ccbox_libc_pvalloc(4097);
    for (void* p : {va, v0, pa, p0, p5}) {
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 4096, 0u);
        EXPECT_TRUE(InRegion(p));
    }
    EXPECT_GE(ccbox_libc_malloc_usable_size(pa), 4096u);
    EXPECT_LT(ccbox_libc_malloc_usable_size(pa), 4096u + 32);
    EXPECT_GE(ccbox_libc_malloc_usable_size(p0), 4096u);  // documented choice; glibc gives 24 bytes
    EXPECT_GE(ccbox_libc_malloc_usable_size(p5), 8192u);
    memset(p5, 1, 8192);
    for (void* p : {va, v0, pa, p0, p5}) ccbox_libc_free(p);
    ExpectEmptyAndCoalesced();
}

// ---- threads ----------------------------------------------------------------------------

TEST_F(HeapTest, MultiThreadedStressWithHandOff) {
    constexpr int kThreads = 8;
    constexpr int kOpsPerThread = 40000;
    constexpr size_t kMailboxes = 64;
    std::atomic<void*> mailbox[kMailboxes];
    for (auto& m : mailbox) m.store(nullptr);
    std::atomic<int> failures{0};

    // Each block records its own size and seed in its first 16 bytes.
    auto make = [&](std::mt19937_64& rng, uint64_t seed) -> void* {
        size_t n = 16 + (rng() % 4 == 0 ? rng() % 20000 : rng() % 300);
        void* p = nullptr;
        switch (rng() % 4) {
            case 0: p = ccbox_libc_calloc(1, n); break;
            case 1: p = ccbox_libc_memalign(64, n); break;
            default: p = ccbox_libc_malloc(n); break;
        }
        if (p == nullptr || reinterpret_cast<uintptr_t>(p) % 16 != 0 || !InRegion(p)) {
            failures++;
            return nullptr;
        }
        memcpy(p, &n, 8);
        memcpy(static_cast<char*>(p) + 8, &seed, 8);
        Fill(static_cast<char*>(p) + 16, n - 16, seed);
        return p;
    };
    auto verify_and_free = [&](void* p) {
        size_t n;
        uint64_t seed;
        memcpy(&n, p, 8);
        memcpy(&seed, static_cast<char*>(p) + 8, 8);
        if (n < 16 || n > 20316 || !CheckPattern(static_cast<char*>(p) + 16, n - 16, seed)) failures++;
        ccbox_libc_free(p);
    };

    auto worker = [&](int id) {
        std::mt19937_64 rng(1000 + id);
        std::vector<void*> mine;
        uint64_t seed = static_cast<uint64_t>(id) << 40;
        for (int i = 0; i < kOpsPerThread; i++) {
            unsigned r = static_cast<unsigned>(rng() % 10);
            if (r < 4 || mine.empty()) {
                void* p = make(rng, ++seed);
                if (p != nullptr) mine.push_back(p);
            } else if (r < 7) {
                size_t k = rng() % mine.size();
                verify_and_free(mine[k]);
                mine[k] = mine.back();
                mine.pop_back();
            } else if (r < 8) {
                // Hand a block to whichever thread takes it from the mailbox next.
                size_t k = rng() % mine.size();
                void* got = mailbox[rng() % kMailboxes].exchange(mine[k]);
                mine[k] = mine.back();
                mine.pop_back();
                if (got != nullptr) mine.push_back(got);
            } else {
                size_t k = rng() % mine.size();
                size_t n;
                uint64_t s;
                memcpy(&n, mine[k], 8);
                memcpy(&s, static_cast<char*>(mine[k]) + 8, 8);
                size_t m = 16 + rng() % 6000;
                void* q = ccbox_libc_realloc(mine[k], m);
                if (q == nullptr || !CheckPattern(static_cast<char*>(q) + 16, std::min(n, m) - 16, s)) {
                    failures++;
                    continue;
                }
                memcpy(q, &m, 8);
                Fill(static_cast<char*>(q) + 16, m - 16, s);
                mine[k] = q;
            }
            if (mine.size() > 200) {
                verify_and_free(mine.front());
                mine.erase(mine.begin());
            }
        }
        for (void* p : mine) verify_and_free(p);
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; t++) threads.emplace_back(worker, t);
    for (auto& t : threads) t.join();
    for (auto& m : mailbox) {
        void* p = m.exchange(nullptr);
        if (p != nullptr) verify_and_free(p);
    }
    EXPECT_EQ(failures.load(), 0);
    ExpectEmptyAndCoalesced();
}

// ---- corruption detection ---------------------------------------------------------------

TEST_F(HeapDeathTest, DoubleFreeAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            void* p = ccbox_libc_malloc(100);
            void* guard = ccbox_libc_malloc(100);
            ccbox_libc_free(p);
            ccbox_libc_free(p);
            ccbox_libc_free(guard);
        },
        ::testing::KilledBySignal(SIGABRT), "");
    // Freed next to the top block (the block is gone into it).
    EXPECT_EXIT(
        {
            void* p = ccbox_libc_malloc(100);
            ccbox_libc_free(p);
            ccbox_libc_free(p);
        },
        ::testing::KilledBySignal(SIGABRT), "");
    // The second free of a block that was merged into its free predecessor.
    EXPECT_EXIT(
        {
            void* a = ccbox_libc_malloc(100);
            void* b = ccbox_libc_malloc(100);
            void* guard = ccbox_libc_malloc(100);
            ccbox_libc_free(a);
            ccbox_libc_free(b);
            ccbox_libc_free(b);
            ccbox_libc_free(guard);
        },
        ::testing::KilledBySignal(SIGABRT), "");
    // ... and of one merged with free blocks on both sides (the next block's flags look fine).
    EXPECT_EXIT(
        {
            void* a = ccbox_libc_malloc(100);
            void* b = ccbox_libc_malloc(100);
            void* c = ccbox_libc_malloc(100);
            void* guard = ccbox_libc_malloc(100);
            ccbox_libc_free(a);
            ccbox_libc_free(c);
            ccbox_libc_free(b);
            ccbox_libc_free(b);
            ccbox_libc_free(guard);
        },
        ::testing::KilledBySignal(SIGABRT), "");
}

TEST_F(HeapDeathTest, InvalidPointersAbort) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            alignas(16) static char outside[64];
            ccbox_libc_free(outside + 16);
        },
        ::testing::KilledBySignal(SIGABRT), "");
    EXPECT_EXIT(
        {
            char* p = static_cast<char*>(ccbox_libc_malloc(100));
            ccbox_libc_free(p + 1);
        },
        ::testing::KilledBySignal(SIGABRT), "");
    EXPECT_EXIT(
        {
            char* p = static_cast<char*>(ccbox_libc_malloc(100));
            memset(p, 0, 100);
            ccbox_libc_free(p + 32);  // interior pointer: no valid header there
        },
        ::testing::KilledBySignal(SIGABRT), "");
    EXPECT_EXIT(
        {
            char* p = static_cast<char*>(ccbox_libc_malloc(100));
            (void)ccbox_libc_realloc(p + 48, 10);
        },
        ::testing::KilledBySignal(SIGABRT), "");
}

TEST_F(HeapDeathTest, ClobberedBoundaryTagAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    // The footer of a free block, overwritten (use after free), found when its neighbour is freed.
    EXPECT_EXIT(
        {
            char* a = static_cast<char*>(ccbox_libc_malloc(200));
            char* b = static_cast<char*>(ccbox_libc_malloc(200));
            void* guard = ccbox_libc_malloc(200);
            ccbox_libc_free(a);
            size_t junk = 4096;
            memcpy(b - 16, &junk, sizeof junk);
            ccbox_libc_free(b);
            ccbox_libc_free(guard);
        },
        ::testing::KilledBySignal(SIGABRT), "");
    // The footer of the next free block overwritten, found when the block before it is freed.
    EXPECT_EXIT(
        {
            char* a = static_cast<char*>(ccbox_libc_malloc(200));
            char* b = static_cast<char*>(ccbox_libc_malloc(200));
            char* guard = static_cast<char*>(ccbox_libc_malloc(200));
            ccbox_libc_free(b);
            size_t junk = 64;
            memcpy(guard - 16, &junk, sizeof junk);
            ccbox_libc_free(a);
            ccbox_libc_free(guard);
        },
        ::testing::KilledBySignal(SIGABRT), "");
    // The header of the next free block overwritten by a buffer overflow.
    EXPECT_EXIT(
        {
            char* a = static_cast<char*>(ccbox_libc_malloc(200));
            char* b = static_cast<char*>(ccbox_libc_malloc(200));
            void* guard = ccbox_libc_malloc(200);
            ccbox_libc_free(b);
            memset(a, 0x41, ccbox_libc_malloc_usable_size(a) + 8);
            ccbox_libc_free(a);
            ccbox_libc_free(guard);
        },
        ::testing::KilledBySignal(SIGABRT), "");
    // Free-list links overwritten after free, found when the block is taken again.
    EXPECT_EXIT(
        {
            char* a = static_cast<char*>(ccbox_libc_malloc(200));
            void* g1 = ccbox_libc_malloc(200);
            char* b = static_cast<char*>(ccbox_libc_malloc(200));
            void* g2 = ccbox_libc_malloc(200);
            ccbox_libc_free(a);
            ccbox_libc_free(b);
            memset(b, 0x41, 16);
            void* x = ccbox_libc_malloc(200);
            void* y = ccbox_libc_malloc(200);
            ccbox_libc_free(x);
            ccbox_libc_free(y);
            ccbox_libc_free(g1);
            ccbox_libc_free(g2);
        },
        ::testing::KilledBySignal(SIGABRT), "");
}

// A buffer overflow that rewrites the next block's header with a plausible value: one byte,
// so that the size stays a valid block size and every flag check passes. Without the header
// tags the heap accepts it and later hands out memory that overlaps a live block.
TEST_F(HeapDeathTest, OverflowIntoTheNextHeaderIsCaughtAtTheNextFree) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            char* a = static_cast<char*>(ccbox_libc_malloc(24));  // 32-byte blocks
            char* b = static_cast<char*>(ccbox_libc_malloc(24));
            char* c = static_cast<char*>(ccbox_libc_malloc(24));
            void* d = ccbox_libc_malloc(24);
            // a's last byte and one more: b's header now claims 64 bytes, swallowing c.
            memset(a, 'A', 24);
            a[24] = 0x43;  // the low byte of b's header: size 0x40, INUSE | PINUSE
            ccbox_libc_free(b);
            char* overlap = static_cast<char*>(ccbox_libc_malloc(56));
            if (overlap == b && overlap + 56 > c)
                std::_Exit(10);  // the attack worked: b's new block covers the live c
            ccbox_libc_free(d);
            std::_Exit(0);
        },
        ::testing::KilledBySignal(SIGABRT), "");
}

TEST_F(HeapDeathTest, OverflowIntoAFreeBlocksHeaderIsCaughtAtTheNextMalloc) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            char* a = static_cast<char*>(ccbox_libc_malloc(24));
            char* b = static_cast<char*>(ccbox_libc_malloc(2000));  // a 2016-byte block
            char* guard = static_cast<char*>(ccbox_libc_malloc(24));
            ccbox_libc_free(b);
            // 2016 -> 2032: the same bin, the same flags; the block now ends inside `guard`.
            a[24] = static_cast<char>(0xf2);  // 0x7e2 -> 0x7f2 (size 0x7f0, PINUSE)
            void* again = ccbox_libc_malloc(2000);
            (void)again;
            (void)guard;
            std::_Exit(10);  // the heap took the forged size
        },
        ::testing::KilledBySignal(SIGABRT), "");
}

}  // namespace
