// Deep-copied [out] parameters with Open Enclave's meaning (deepout.edl, compiled with
// oeedger8r). ECALLs: the enclave allocates, the host gets buffers of its own and frees them
// with free(). OCALLs: the host allocates, and a hostile host's answers -- blocks in the
// enclave, lengths that overflow or lie, markers that are addresses, a block rewritten while
// and after the enclave reads it -- are refused or contained by the enclave's generated code.
#include "deepout_u.h"

#include "host/enclave.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

// ---- the host's OCALLs (the generated wrappers call them) ----

static std::function<void()> g_rewrite;

int ocall_make_blob(size_t len, uint8_t fill, struct blob* b) {
    if (!b || b->len || b->data)
        return 1;
    b->data = static_cast<uint8_t*>(std::malloc(len ? len : 1));
    std::memset(b->data, fill, len);
    b->len = len;
    return 0;
}

int ocall_make_bundle(size_t count, struct bundle* b) {
    b->items = static_cast<struct blob*>(std::calloc(count ? count : 1, sizeof(struct blob)));
    b->count = count;
    for (size_t i = 0; i < count; ++i)
        ocall_make_blob(i + 1, static_cast<uint8_t>(0x10 + i), &b->items[i]);
    b->name = static_cast<char*>(std::malloc(5));
    std::memcpy(b->name, "host", 5);
    b->name_len = 5;
    return 0;
}

void ocall_rewrite() {
    if (g_rewrite)
        g_rewrite();
}

namespace {

// The isolated run uses a private platform of its own, which leaves by itself once unused.
struct TestPlatform {
    std::string state_dir;
    ccbox_enclave_setting_platform_t platform{};
    ccbox_enclave_setting_t setting{};
    TestPlatform() {
        ::setenv("CCBOX_PLATFORM_IDLE_EXIT", "10", 0);
        ::setenv("CCBOX_PLATFORM_PATH", DEEPOUT_PLATFORM_PATH, 0);
        std::string tmpl = (std::filesystem::temp_directory_path() / "ccbox-deepout-XXXXXX").string();
        state_dir = ::mkdtemp(tmpl.data());
        platform.state_dir = state_dir.c_str();
        setting.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
        setting.u.platform = &platform;
    }
    ~TestPlatform() {
        std::error_code ec;
        std::filesystem::remove_all(state_dir, ec);
    }
};

bool isolated() {
    const char* b = std::getenv("CCBOX_TEST_BACKEND");
    return b && std::strcmp(b, "isolated") == 0;
}

// A fresh enclave per test, with the generated OCALL table or one with hostile entries.
class DeepOut : public ::testing::Test {
protected:
    void SetUp() override { create(); }
    void TearDown() override {
        g_rewrite = nullptr;
        if (enclave_) {
            EXPECT_EQ(ccbox_terminate_enclave(enclave_), CCBOX_OK);
        }
    }
    void create(ccbox_ocall_func_t make_blob = nullptr, ccbox_ocall_func_t make_bundle = nullptr) {
        if (enclave_) {
            ASSERT_EQ(ccbox_terminate_enclave(enclave_), CCBOX_OK);
        }
        enclave_ = nullptr;
        table_.assign(deepout_ocall_function_table, deepout_ocall_function_table + deepout_ocall_count);
        if (make_blob)
            table_[deepout_fcn_id_ocall_make_blob] = make_blob;
        if (make_bundle)
            table_[deepout_fcn_id_ocall_make_bundle] = make_bundle;
        static TestPlatform platform;
        uint32_t flags = CCBOX_ENCLAVE_FLAG_DEBUG | (isolated() ? CCBOX_ENCLAVE_FLAG_ISOLATED : CCBOX_ENCLAVE_FLAG_SIMULATE);
        ccbox_result_t r = ccbox_create_enclave(DEEPOUT_ENCLAVE_PATH, flags, isolated() ? &platform.setting : nullptr,
                                                isolated() ? 1 : 0, table_.data(),
                                                static_cast<uint32_t>(table_.size()), &enclave_);
        ASSERT_EQ(r, CCBOX_OK) << ccbox_get_last_error();
    }
    size_t host_blocks() {
        std::lock_guard lock(enclave_->allocations_mutex);
        return enclave_->allocations.size();
    }
    void expect_secret_intact() {
        int intact = 0;
        ASSERT_EQ(ecall_secret_intact(enclave_, &intact), CCBOX_OK);
        EXPECT_EQ(intact, 1);
    }
    ccbox_enclave_t* enclave_ = nullptr;
    std::vector<ccbox_ocall_func_t> table_;
};

// ---- ECALLs: the enclave allocates ----

TEST_F(DeepOut, EcallBlobIsTheHostsToFree) {
    size_t blocks = host_blocks();
    // 64 KiB a call, 200 calls: far more than the enclave's 1 MiB heap, so the enclave frees
    // what its ECALL allocated, and the host library every block it received.
    for (int round = 0; round < 200; ++round) {
        struct blob b;
        std::memset(&b, 0x77, sizeof b);  // whatever the caller's struct held
        int ret = -1;
        ASSERT_EQ(ecall_make_blob(enclave_, &ret, 65536, static_cast<uint8_t>(round), &b), CCBOX_OK) << round;
        ASSERT_EQ(ret, 0);
        ASSERT_EQ(b.len, 65536u);
        ASSERT_NE(b.data, nullptr);
        for (size_t k = 0; k < b.len; ++k)
            ASSERT_EQ(b.data[k], static_cast<uint8_t>(round));
        std::free(b.data);
    }
    EXPECT_EQ(host_blocks(), blocks);
}

TEST_F(DeepOut, EcallNestedBundle) {
    struct bundle b;
    int ret = -1;
    ASSERT_EQ(ecall_make_bundle(enclave_, &ret, 3, &b), CCBOX_OK);
    ASSERT_EQ(ret, 0);
    ASSERT_EQ(b.count, 3u);
    ASSERT_EQ(b.name_len, 7u);
    EXPECT_STREQ(b.name, "bundle");
    for (size_t i = 0; i < 3; ++i) {
        ASSERT_EQ(b.items[i].len, i + 1);
        for (size_t k = 0; k <= i; ++k)
            EXPECT_EQ(b.items[i].data[k], 0xa0 + i);
        std::free(b.items[i].data);
    }
    std::free(b.items);
    std::free(b.name);
}

TEST_F(DeepOut, EcallBundleWithoutItems) {
    struct bundle b;
    int ret = -1;
    ASSERT_EQ(ecall_make_bundle(enclave_, &ret, 0, &b), CCBOX_OK);
    ASSERT_EQ(ret, 0);
    EXPECT_EQ(b.count, 0u);
    EXPECT_EQ(b.items, nullptr);  // the enclave's array of 0 items: nothing to copy, NULL
    EXPECT_STREQ(b.name, "bundle");
    std::free(b.name);
}

TEST_F(DeepOut, EcallArrayOfBlobs) {
    struct blob b[4];
    int ret = -1;
    ASSERT_EQ(ecall_make_blobs(enclave_, &ret, 4, b), CCBOX_OK);
    ASSERT_EQ(ret, 0);
    for (size_t i = 0; i < 4; ++i) {
        ASSERT_EQ(b[i].len, 100 * (i + 1));
        EXPECT_EQ(b[i].data[b[i].len - 1], i);
        std::free(b[i].data);
    }
}

TEST_F(DeepOut, EcallThatSetsNothingGivesAZeroedStruct) {
    struct blob b;
    std::memset(&b, 0x77, sizeof b);
    int ret = -1;
    ASSERT_EQ(ecall_leave_unset(enclave_, &ret, &b), CCBOX_OK);
    EXPECT_EQ(ret, 5);
    EXPECT_EQ(b.len, 0u);
    EXPECT_EQ(b.data, nullptr);  // free(b.data) is safe, as OE's data-sealing host does
    ASSERT_EQ(ecall_make_blob(enclave_, &ret, 8, 1, nullptr), CCBOX_OK);
    EXPECT_EQ(ret, 1);  // NULL stays NULL
}

TEST_F(DeepOut, EcallPointerWithLengthZeroArrivesNull) {
    struct blob b;
    int ret = -1;
    ASSERT_EQ(ecall_zero_len_pointer(enclave_, &ret, &b), CCBOX_OK);
    EXPECT_EQ(b.len, 0u);
    EXPECT_EQ(b.data, nullptr);
}

TEST_F(DeepOut, EcallWhoseTreeOverflowsFailsAndLeavesNothing) {
    struct blob b;
    std::memset(&b, 0x77, sizeof b);
    int ret = -1;
    size_t blocks = host_blocks();
    EXPECT_EQ(ecall_overflowing_len(enclave_, &ret, &b), CCBOX_INTEGER_OVERFLOW);
    EXPECT_EQ(b.len, 0u);
    EXPECT_EQ(b.data, nullptr);
    EXPECT_EQ(host_blocks(), blocks);
    ASSERT_EQ(ecall_make_blob(enclave_, &ret, 8, 1, &b), CCBOX_OK);  // and the enclave carries on
    std::free(b.data);
}

// ---- OCALLs: the host allocates, the enclave receives ----

TEST_F(DeepOut, OcallBlobsComeIntoEnclaveMemory) {
    size_t blocks = host_blocks();
    for (int round = 0; round < 200; ++round) {  // 64 KiB each: the enclave frees its copies
        int r = -1;
        ASSERT_EQ(ecall_blob_from_host(enclave_, &r, 65536, static_cast<uint8_t>(round)), CCBOX_OK);
        ASSERT_EQ(r, 0) << "enc_deepout.c:" << r;
    }
    int r = -1;
    ASSERT_EQ(ecall_blob_from_host(enclave_, &r, 0, 1), CCBOX_OK);
    EXPECT_EQ(r, 0) << "enc_deepout.c:" << r;
    EXPECT_EQ(host_blocks(), blocks);  // every block the host handed over was freed
}

// The enclave's copy of the block fits its 1 MiB heap, the rebuilt buffer beside it does not:
// CCBOX_OUT_OF_MEMORY, the caller's struct zeroed, and nothing kept (the next call has room).
TEST_F(DeepOut, OcallTreeTooLargeForTheEnclaveHeap) {
    int r = -1;
    ASSERT_EQ(ecall_blob_from_host(enclave_, &r, 600 * 1024, 3), CCBOX_OK);
    EXPECT_EQ(r, CCBOX_OUT_OF_MEMORY) << "enc_deepout.c:" << r;
    for (int round = 0; round < 3; ++round) {
        ASSERT_EQ(ecall_blob_from_host(enclave_, &r, 400 * 1024, 3), CCBOX_OK);
        EXPECT_EQ(r, 0) << "enc_deepout.c:" << r;
    }
}

TEST_F(DeepOut, OcallNestedBundle) {
    for (size_t count : {0u, 1u, 5u}) {
        int r = -1;
        ASSERT_EQ(ecall_bundle_from_host(enclave_, &r, count), CCBOX_OK);
        EXPECT_EQ(r, 0) << "count " << count << ", enc_deepout.c:" << r;
    }
}

// ---- a hostile host: OCALL answers written by hand, bypassing the generated wrappers ----

// ocall_make_blob and ocall_make_bundle answer {int retval; uint64 address; uint64 size}: the
// return value, then the block holding the tree (docs/edl.md, "Deep copy").
uint64_t g_address = 0, g_size = 0;

void hostile_answer(const uint8_t*, size_t, uint8_t* out, size_t out_size, size_t* written) {
    *written = 0;
    if (out_size != 24)
        return;
    std::memset(out, 0, 24);
    std::memcpy(out + 8, &g_address, 8);
    std::memcpy(out + 16, &g_size, 8);
    *written = 24;
}

// A tree in the block format: elements with 0/1 markers for pointers, each buffer at the
// next 16-byte aligned offset.
class Tree {
public:
    size_t put(const void* data, size_t size) {
        size_t at = (bytes_.size() + 15) & ~size_t{15};
        bytes_.resize(at + size, 0);
        if (size)
            std::memcpy(bytes_.data() + at, data, size);
        return at;
    }
    void u64(size_t at, uint64_t v) { std::memcpy(bytes_.data() + at, &v, 8); }
    const std::vector<uint8_t>& bytes() const { return bytes_; }

private:
    std::vector<uint8_t> bytes_;
};

Tree blob_tree(uint64_t len, uint64_t marker, size_t data_bytes, uint8_t fill) {
    Tree t;
    uint64_t element[2] = {len, marker};
    t.put(element, sizeof element);
    std::vector<uint8_t> data(data_bytes, fill);
    t.put(data.data(), data.size());
    return t;
}

// {count, items, name_len, name}, then `items` blobs of len i+1 (fill 0x10+i), then "host".
Tree bundle_tree(uint64_t count, size_t items, uint64_t item_len_override = 0) {
    Tree t;
    uint64_t element[4] = {count, items ? 1u : 0u, 5, 1};
    t.put(element, sizeof element);
    std::vector<uint64_t> blobs(2 * items);
    for (size_t i = 0; i < items; ++i)
        blobs[2 * i] = i + 1, blobs[2 * i + 1] = 1;
    if (items && item_len_override)
        blobs[0] = item_len_override;
    t.put(blobs.data(), blobs.size() * 8);
    for (size_t i = 0; i < items; ++i) {
        std::vector<uint8_t> data(i + 1, static_cast<uint8_t>(0x10 + i));
        t.put(data.data(), data.size());
    }
    t.put("host", 5);
    return t;
}

// Memory the enclave reads in place (the arena in the isolated backend), owned by the test.
class Block {
public:
    Block(ccbox_enclave_t* e, const Tree& t) : e_(e), size_(t.bytes().size()) {
        data_ = static_cast<uint8_t*>(e_->backend->allocate_shared(size_ + 16));
        std::memset(data_, 0, size_ + 16);
        std::memcpy(data_, t.bytes().data(), size_);
    }
    ~Block() { e_->backend->free_shared(data_); }
    void answer(size_t size_delta = 0) {
        g_address = reinterpret_cast<uintptr_t>(data_);
        g_size = size_ + size_delta;
    }
    uint8_t* data() const { return data_; }
    size_t size() const { return size_; }

private:
    ccbox_enclave_t* e_;
    uint8_t* data_;
    size_t size_;
};

const int kInvalid = CCBOX_INVALID_PARAMETER;

int blob_from_host(ccbox_enclave_t* e, size_t len, uint8_t fill) {
    int r = -1;
    EXPECT_EQ(ecall_blob_from_host(e, &r, len, fill), CCBOX_OK);
    return r;
}

TEST_F(DeepOut, HostileBlobAnswersAreRefused) {
    create(hostile_answer);
    uint64_t secret = 0, tree = 0;
    ASSERT_EQ(ecall_secret_address(enclave_, &secret), CCBOX_OK);
    ASSERT_EQ(ecall_tree_in_enclave(enclave_, &tree), CCBOX_OK);
    const uint64_t base = enclave_->backend->enclave_base();

    Block good(enclave_, blob_tree(8, 1, 8, 7));
    good.answer();
    EXPECT_EQ(blob_from_host(enclave_, 8, 7), 0) << "the well-formed answer (control)";

    struct Placed {
        const char* what;
        uint64_t address, size;
    };
    for (const Placed& c : {Placed{"the block is enclave memory shaped like a tree", tree, 24},
                            Placed{"the block is the enclave's secret", secret, 32},
                            Placed{"the block straddles the start of ELRANGE", base - 16, 64},
                            Placed{"the block wraps the address space", UINT64_MAX - 15, 32},
                            Placed{"an address without a size", reinterpret_cast<uintptr_t>(good.data()), 0},
                            Placed{"a size without an address", 0, 24}}) {
        g_address = c.address;
        g_size = c.size;
        EXPECT_EQ(blob_from_host(enclave_, 8, 7), kInvalid) << c.what;
    }

    struct Shaped {
        const char* what;
        Tree tree;
        size_t size_delta;
    };
    Shaped shaped[] = {
        {"len overflows the address space", blob_tree(UINT64_MAX, 1, 8, 7), 0},
        {"len reaches beyond the block", blob_tree(1000, 1, 8, 7), 0},
        {"the marker is an enclave address", blob_tree(8, secret, 8, 7), 0},
        {"the marker is 2", blob_tree(8, 2, 8, 7), 0},
        {"the block is longer than its tree", blob_tree(8, 1, 8, 7), 16},
        {"the block is shorter than its tree", blob_tree(8, 1, 8, 7), static_cast<size_t>(-4)},
    };
    for (Shaped& c : shaped) {
        Block b(enclave_, c.tree);
        b.answer(c.size_delta);
        EXPECT_EQ(blob_from_host(enclave_, 8, 7), kInvalid) << c.what;
    }

    // A pointer set while its length says 0: nothing to copy, it arrives as NULL.
    Block empty(enclave_, blob_tree(0, 1, 0, 0));
    empty.answer();
    EXPECT_EQ(blob_from_host(enclave_, 0, 1), 0);
    expect_secret_intact();
}

TEST_F(DeepOut, HostileBundleAnswersAreRefused) {
    create(nullptr, hostile_answer);
    auto bundle_from_host = [&](size_t count) {
        int r = -1;
        EXPECT_EQ(ecall_bundle_from_host(enclave_, &r, count), CCBOX_OK);
        return r;
    };
    {
        Block good(enclave_, bundle_tree(2, 2));
        good.answer();
        EXPECT_EQ(bundle_from_host(2), 0) << "the well-formed answer (control)";
    }
    struct Shaped {
        const char* what;
        Tree tree;
    };
    Shaped shaped[] = {
        {"the count says 1000 for 2 items", bundle_tree(1000, 2)},
        {"count x element size overflows", bundle_tree(UINT64_MAX / 8, 2)},
        {"a nested length overflows", bundle_tree(2, 2, UINT64_MAX - 3)},
        {"a nested length reaches beyond the block", bundle_tree(2, 2, 4096)},
    };
    for (Shaped& c : shaped) {
        Block b(enclave_, c.tree);
        b.answer();
        EXPECT_EQ(bundle_from_host(2), kInvalid) << c.what;
    }
    expect_secret_intact();
}

// The host rewrites its block after the enclave read it: the enclave's tree does not change,
// it lies wholly in enclave memory (enc_deepout.c checks both after ocall_rewrite).
TEST_F(DeepOut, BlockRewrittenAfterTheCopyChangesNothing) {
    create(hostile_answer, hostile_answer);
    Block blob(enclave_, blob_tree(32, 1, 32, 9));
    blob.answer();
    g_rewrite = [&] { std::memset(blob.data(), 0xff, blob.size()); };
    EXPECT_EQ(blob_from_host(enclave_, 32, 9), 0);

    Block bundle(enclave_, bundle_tree(3, 3));
    bundle.answer();
    g_rewrite = [&] { std::memset(bundle.data(), 0, bundle.size()); };
    int r = -1;
    ASSERT_EQ(ecall_bundle_from_host(enclave_, &r, 3), CCBOX_OK);
    EXPECT_EQ(r, 0) << "enc_deepout.c:" << r;
}

// Another host thread rewrites the block while the enclave copies it: the length between
// valid and overflowing, the marker between 1 and an enclave address, the data. The enclave
// reads the block once and checks only its copy: it gets a consistent tree or refuses.
// (Its generated code also re-checks every length against the block while it rebuilds.)
TEST_F(DeepOut, BlockRewrittenDuringTheCopy) {
    create(hostile_answer);
    uint64_t secret = 0;
    ASSERT_EQ(ecall_secret_address(enclave_, &secret), CCBOX_OK);
    Block b(enclave_, blob_tree(64, 1, 64, 7));
    b.answer();
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> flips{0};
    std::thread flipper([&] {
        volatile uint64_t* element = reinterpret_cast<volatile uint64_t*>(b.data());
        for (uint64_t k = 0; !stop.load(std::memory_order_relaxed); ++k) {
            element[0] = k & 1 ? 64 : (uint64_t{1} << 40);
            element[1] = k & 2 ? 1 : secret;
            b.data()[16 + k % 64] ^= 0x5a;
            flips.store(k + 1, std::memory_order_relaxed);
        }
    });
    while (flips.load() == 0)
        std::this_thread::yield();
    // Until both outcomes were seen (a loaded machine may schedule the rewriter rarely), at
    // most 20000 calls: only safety is asserted, the counts are printed.
    int ok = 0, refused = 0;
    for (int round = 0; round < 20000 && (ok < 20 || refused < 20); ++round) {
        int r = -1;
        ASSERT_EQ(ecall_blob_race(enclave_, &r, 64, 7), CCBOX_OK);
        ASSERT_TRUE(r == 0 || r == kInvalid) << "enc_deepout.c:" << r;
        (r == 0 ? ok : refused)++;
    }
    stop = true;
    flipper.join();
    std::printf("while the host rewrote the block: %d consistent trees, %d refusals\n", ok, refused);
    expect_secret_intact();
}

}  // namespace
