// The enclave heap (src/enclave/libc/malloc.c, host build) against a shadow model: a sequence
// of malloc, calloc, realloc, free, memalign, posix_memalign and aligned_alloc read from the
// input. After every step: each live block is where the model says, has at least its size,
// its alignment, does not overlap another block, still holds the bytes written into it
// (realloc keeps the common prefix, calloc is zero), and the heap's own invariant check
// passes; exhaustion gives NULL and leaves everything intact. Any disagreement aborts.
#include "libc_fuzz_support.hpp"

#include <cerrno>
#include <algorithm>
#include <iterator>
#include <map>

#include "heap.h"

namespace {

struct Block {
    size_t size;
    size_t align;
    uint8_t fill;
};

alignas(4096) unsigned char g_region[1 << 18];

void check(bool ok, const char* what) {
    if (!ok)
        ccbox_fuzz::disagree("heap", what);
}

bool holds(const unsigned char* p, size_t n, uint8_t fill) {
    for (size_t i = 0; i < n; ++i)
        if (p[i] != static_cast<uint8_t>(fill + i))
            return false;
    return true;
}

void write(unsigned char* p, size_t n, uint8_t fill) {
    for (size_t i = 0; i < n; ++i)
        p[i] = static_cast<uint8_t>(fill + i);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ccbox_fuzz::Bytes in(data, size);
    std::memset(g_region, 0, sizeof g_region);
    check(ccbox_heap_reset_for_tests(g_region, sizeof g_region) == 0, "init");
    std::map<unsigned char*, Block> live;
    uint8_t next_fill = 1;
    auto size_from = [&]() -> size_t {
        switch (in.below(4)) {
            case 0: return in.below(33);
            case 1: return in.u8() * 8u + in.below(8);
            case 2: return (in.u8() | in.u8() << 8) * 4u;
            default: return in.below(8) == 0 ? (size_t{1} << 18) + in.u8() : in.u8();
        }
    };
    auto pick = [&]() -> unsigned char* {
        if (live.empty())
            return nullptr;
        auto it = live.begin();
        std::advance(it, in.below(static_cast<unsigned>(std::min<size_t>(live.size(), 255))));
        return it->first;
    };
    for (int step = 0; step < 200 && !in.empty(); ++step) {
        unsigned op = in.below(7);
        size_t n = size_from();
        unsigned char* p = nullptr;
        size_t align = 16;
        switch (op) {
            case 0: p = static_cast<unsigned char*>(ccbox_libc_malloc(n)); break;
            case 1: {
                size_t count = 1 + in.below(8);
                p = static_cast<unsigned char*>(ccbox_libc_calloc(count, n / count));
                n = count * (n / count);
                if (p)
                    check(std::all_of(p, p + n, [](unsigned char c) { return c == 0; }), "calloc gave dirty memory");
                break;
            }
            case 2: {
                unsigned char* old = pick();
                if (!old)
                    continue;
                Block b = live[old];
                p = static_cast<unsigned char*>(ccbox_libc_realloc(old, n));
                if (n == 0) {
                    check(p == nullptr, "realloc(p, 0) frees");
                    live.erase(old);
                    continue;
                }
                if (!p) {
                    check(holds(old, b.size, b.fill), "failed realloc kept the block");
                    continue;
                }
                check(holds(p, std::min(n, b.size), b.fill), "realloc kept the contents");
                live.erase(old);
                break;
            }
            case 3: {
                unsigned char* old = pick();
                if (!old)
                    continue;
                check(holds(old, live[old].size, live[old].fill), "a live block kept its contents");
                ccbox_libc_free(old);
                live.erase(old);
                continue;
            }
            case 4:
                align = size_t{1} << in.below(14);
                p = static_cast<unsigned char*>(ccbox_libc_memalign(align, n));
                if (align < 16)
                    align = 16;
                break;
            case 5: {
                align = sizeof(void*) << in.below(12);
                void* q = nullptr;
                int r = ccbox_libc_posix_memalign(&q, align, n);
                check((r == 0) == (q != nullptr), "posix_memalign result");
                p = static_cast<unsigned char*>(q);
                if (align < 16)
                    align = 16;
                break;
            }
            default:
                align = size_t{16} << in.below(9);
                p = static_cast<unsigned char*>(ccbox_libc_aligned_alloc(align, n));
                break;
        }
        if (p == nullptr) {
            check(errno == ENOMEM || n > sizeof g_region / 2 || !live.empty(), "NULL only when the heap is full");
            continue;
        }
        check(reinterpret_cast<uintptr_t>(p) % align == 0, "alignment");
        check(p >= g_region && p + n <= g_region + sizeof g_region, "inside the region");
        check(ccbox_libc_malloc_usable_size(p) >= n, "usable size");
        auto after = live.lower_bound(p);
        check(after == live.end() || p + n <= after->first, "overlaps the next block");
        if (after != live.begin()) {
            auto before = std::prev(after);
            check(before->first + before->second.size <= p, "overlaps the previous block");
        }
        Block b{n, align, next_fill++};
        if (op == 2) {
            // keep the realloc'd prefix's pattern check meaningful: rewrite all of it
        }
        write(p, n, b.fill);
        live[p] = b;
        check(ccbox_heap_check_for_tests(0) == 0, "the heap's invariants");
    }
    for (auto& [p, b] : live) {
        check(holds(p, b.size, b.fill), "contents at the end");
        ccbox_libc_free(p);
    }
    check(ccbox_heap_bytes_in_use() == 0, "everything freed");
    check(ccbox_heap_check_for_tests(1) == 0, "the heap is whole again");
    return 0;
}
