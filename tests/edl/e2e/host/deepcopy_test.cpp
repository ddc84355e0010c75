// Deep copy: structs whose pointer members carry size/count, nested two levels, arrays of
// structs, NULL members; [in], [in, out] and [out].
#include "test_enclave.h"

#include <gtest/gtest.h>

#include <cstring>

namespace {

using edl_test::enclave;

TEST(EdlDeepCopy, In) {
    uint8_t hello[5] = {'h', 'e', 'l', 'l', 'o'};
    struct blob b{5, hello};
    int32_t v1[1] = {100}, v2[2] = {200, 201}, v3[3] = {300, 301, 302};
    struct ints arr[3] = {{1, v1}, {2, v2}, {3, v3}};
    int r = -1;
    ASSERT_EQ(ecall_deep_in(enclave(), &r, &b, arr, 3), CCBOX_OK);
    EXPECT_EQ(r, 0) << "failed check at enc_deep.c:" << r;
    EXPECT_EQ(b.data, hello);
}

struct Tree {
    uint8_t data[2][2][3];
    struct blob blobs[2][2];
    int32_t values[2][2];
    struct ints one[2];
    struct nested children[2];
    struct tree t;

    Tree() {
        std::memset(this, 0, sizeof *this);
        for (int k = 0; k < 2; ++k) {
            for (int j = 0; j < 2; ++j) {
                data[k][j][0] = 'a';
                data[k][j][1] = 'b';
                data[k][j][2] = static_cast<uint8_t>('0' + j);
                blobs[k][j] = {3, data[k][j]};
            }
            values[k][0] = 7;
            values[k][1] = 8;
            one[k] = {2, values[k]};
            children[k] = {k, reinterpret_cast<struct blob*>(uintptr_t{0x1234}), blobs[k], &one[k]};
        }
        t.n = 2;
        t.children = children;
        std::strcpy(t.name, "root");
    }
};

TEST(EdlDeepCopy, InOutNestedKeepsTheCallersShape) {
    Tree tree;
    int r = -1;
    ASSERT_EQ(ecall_deep_inout(enclave(), &r, &tree.t), CCBOX_OK);
    ASSERT_EQ(r, 0) << "failed check at enc_deep.c:" << r;
    // contents changed by the enclave come back
    EXPECT_STREQ(tree.t.name, "Root");
    EXPECT_EQ(tree.children[0].id, 10);
    EXPECT_EQ(tree.children[1].id, 11);
    EXPECT_EQ(tree.data[0][1][0], 'X');
    EXPECT_EQ(tree.data[1][1][0], 'X');
    EXPECT_EQ(tree.values[1][1], 80);
    // sizes and pointers are the caller's, whatever the enclave did with its copy
    EXPECT_EQ(tree.t.n, 2u);
    EXPECT_EQ(tree.t.children, tree.children);
    EXPECT_EQ(tree.blobs[1][0].len, 3u);
    EXPECT_EQ(tree.children[0].one, &tree.one[0]);
    EXPECT_EQ(tree.children[0].blobs, tree.blobs[0]);
    EXPECT_EQ(tree.children[1].shallow, reinterpret_cast<struct blob*>(uintptr_t{0x1234}));
}

TEST(EdlDeepCopy, OutFillsTheCallersBuffers) {
    int32_t v0[2] = {-1, -1}, v1[3] = {-1, -1, -1};
    struct ints arr[2] = {{2, v0}, {3, v1}};
    int r = -1;
    ASSERT_EQ(ecall_deep_out(enclave(), &r, arr), CCBOX_OK);
    ASSERT_EQ(r, 0) << "failed check at enc_deep.c:" << r;
    EXPECT_EQ(arr[0].values, v0);
    EXPECT_EQ(arr[1].n, 3u);
    EXPECT_EQ(v0[0], 0);
    EXPECT_EQ(v0[1], 1);
    EXPECT_EQ(v1[0], 10);
    EXPECT_EQ(v1[2], 12);
}

TEST(EdlDeepCopy, LiteralCountsAndSizeTimesCount) {
    uint16_t four[4] = {1, 2, 3, 4};
    uint8_t eight[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    struct fixed f{four, 't', eight};
    uint8_t cells[6] = {10, 11, 12, 13, 14, 15};
    struct matrix m{2, 3, cells};
    int r = -1;
    ASSERT_EQ(ecall_deep_fixed(enclave(), &r, &f, &m), CCBOX_OK);
    ASSERT_EQ(r, 0) << "failed check at enc_deep.c:" << r;
    EXPECT_EQ(four[3], 8);
    EXPECT_EQ(f.tag, 'T');
    EXPECT_EQ(eight[0], 0xEE);
    EXPECT_EQ(f.four, four);
}

TEST(EdlDeepCopy, NullMembers) {
    uint8_t xy[2] = {'x', 'y'};
    struct blob b[2] = {{4, nullptr}, {2, xy}};
    int r = -1;
    ASSERT_EQ(ecall_deep_null(enclave(), &r, b), CCBOX_OK);
    ASSERT_EQ(r, 0) << "failed check at enc_deep.c:" << r;
    EXPECT_EQ(b[0].data, nullptr);
    EXPECT_EQ(xy[1], 'Z');
}

}  // namespace
