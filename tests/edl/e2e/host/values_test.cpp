// ECALLs with values: every scalar type, enums, structs and unions by value, foreign types,
// return values, functions from imported EDLs and from #ifdef branches.
#include "edl_test_types.h"
#include "test_enclave.h"

#include <gtest/gtest.h>

#include <cstring>

namespace {

using edl_test::enclave;

TEST(EdlValues, AllScalarTypes) {
    ASSERT_NE(enclave(), nullptr);
    int r = -1;
    ASSERT_EQ(ecall_scalars(enclave(), &r, TV_CHAR, TV_SCHAR, TV_UCHAR, TV_SHORT, TV_USHORT, TV_INT, TV_UINT,
                            TV_LONG, TV_ULONG, TV_LLONG, TV_ULLONG, TV_FLOAT, TV_DOUBLE, TV_LDOUBLE, true, TV_WCHAR,
                            TV_SIZE),
              CCBOX_OK);
    EXPECT_EQ(r, 0) << "failed check at enc_values.c:" << r;
}

TEST(EdlValues, FixedWidthTypes) {
    int r = -1;
    ASSERT_EQ(ecall_fixed_width(enclave(), &r, TV_I8, TV_I16, TV_I32, TV_I64, TV_U8, TV_U16, TV_U32, TV_U64), CCBOX_OK);
    EXPECT_EQ(r, 0) << "failed check at enc_values.c:" << r;
}

TEST(EdlValues, ReturnValues) {
    uint64_t sum = 0;
    ASSERT_EQ(ecall_sum_u64(enclave(), &sum, 0xffffffff00000000ull, 0xffffffffull), CCBOX_OK);
    EXPECT_EQ(sum, 0xffffffffffffffffull);
    ASSERT_EQ(ecall_sum_u64(enclave(), nullptr, 1, 2), CCBOX_OK);  // the caller may ignore it
    long double ld = 0;
    ASSERT_EQ(ecall_ldouble(enclave(), &ld, 1.5L), CCBOX_OK);
    EXPECT_EQ(ld, 3.0L);
}

TEST(EdlValues, Enums) {
    enum test_color c = COLOR_RED;
    ASSERT_EQ(ecall_enum(enclave(), &c, COLOR_BLUE, COLOR_NEGATIVE), CCBOX_OK);
    EXPECT_EQ(c, COLOR_GREEN);
    EXPECT_EQ(COLOR_BLUE, 0x10);
    EXPECT_EQ(TEST_ARRAY_LEN, 3);
}

TEST(EdlValues, StructByValueAndReturned) {
    struct scalars s;
    std::memset(&s, 0, sizeof s);
    s.c = TV_CHAR;
    s.ll = TV_LLONG;
    s.ld = TV_LDOUBLE;
    s.wc = TV_WCHAR;
    s.b = true;
    s.color = COLOR_BLUE;
    std::memcpy(s.text, "abcde", 6);
    s.grid[1][2] = 5;
    s.i = 41;
    struct scalars r;
    std::memset(&r, 0, sizeof r);
    ASSERT_EQ(ecall_struct_value(enclave(), &r, s), CCBOX_OK);
    EXPECT_EQ(r.i, 42);
    EXPECT_EQ(r.text[0], 'Z');
    EXPECT_EQ(r.ld, TV_LDOUBLE / 2);
    EXPECT_EQ(r.ll, TV_LLONG);
    EXPECT_EQ(r.grid[1][2], 5);
}

TEST(EdlValues, Unions) {
    union number n, p, r;
    n.i = 0x1122334455667788LL;
    p.d = 2.5;
    r.i = 0;
    ASSERT_EQ(ecall_union(enclave(), &r, n, &p), CCBOX_OK);
    EXPECT_EQ(r.d, 0.125);
    EXPECT_EQ(p.i, 42);
}

TEST(EdlValues, ForeignTypes) {
    foreign_pair_t v{1, 2}, p{10, 20}, r{0, 0};
    ASSERT_EQ(ecall_foreign(enclave(), &r, v, &p), CCBOX_OK);
    EXPECT_EQ(r.first, 11);
    EXPECT_EQ(r.second, 22);
    EXPECT_EQ(p.first, -1);
    EXPECT_EQ(p.second, -2);
}

TEST(EdlValues, ImportedFunctions) {
    int r = 0;
    ASSERT_EQ(ecall_from_plain_import(enclave(), &r, 5), CCBOX_OK);
    EXPECT_EQ(r, 1005);
    struct imported_point p{3, 4};
    ASSERT_EQ(ecall_imported_point(enclave(), &r, &p), CCBOX_OK);
    EXPECT_EQ(r, 0);
    EXPECT_EQ(p.x, 25);
    ASSERT_EQ(pick_one(enclave(), &r), CCBOX_OK);
    EXPECT_EQ(r, 1);
    ASSERT_EQ(pick_two(enclave(), &r), CCBOX_OK);
    EXPECT_EQ(r, 2);
    // pick_not_imported was left out by `from "imported_pick.edl" import pick_one, pick_two;`
    // and the one file imported twice (plain and through imported_from.edl) counts once:
    EXPECT_EQ(edl_test_fcn_id_ecall_from_plain_import, 0);
    EXPECT_EQ(edl_test_fcn_id_ecall_imported_point, 1);
    EXPECT_EQ(edl_test_fcn_id_pick_one, 2);
    EXPECT_EQ(edl_test_fcn_id_pick_two, 3);
    EXPECT_EQ(edl_test_fcn_id_ocall_from_plain_import, 0);
}

TEST(EdlValues, PreprocessorBranchesAndSwitchless) {
    int r = 0;
    ASSERT_EQ(ecall_else_branch(enclave(), &r), CCBOX_OK);
    EXPECT_EQ(r, 17);
    ASSERT_EQ(ecall_ifndef_branch(enclave(), &r), CCBOX_OK);
    EXPECT_EQ(r, 23);
    ASSERT_EQ(ecall_defined_branch(enclave(), &r), CCBOX_OK) << "a -D given through EDL_DEFINES";
    EXPECT_EQ(r, 29);
    ASSERT_EQ(ecall_switchless(enclave(), &r, 5), CCBOX_OK);  // transition_using_threads: a normal call for now
    EXPECT_EQ(r, 15);
}

TEST(EdlValues, BoolIsAlwaysTrueOrFalse) {
    bool r = true;
    ASSERT_EQ(ecall_bool(enclave(), &r, true), CCBOX_OK);
    EXPECT_FALSE(r);
    // A hand-made call with the byte 2 for the bool: the enclave reads true, answers false.
    uint8_t in[8] = {2}, out[8] = {0xff};
    size_t written = 0;
    ASSERT_EQ(ccbox_call_enclave_function(enclave(), edl_test_fcn_id_ecall_bool, in, sizeof in, out, sizeof out,
                                          &written),
              CCBOX_OK);
    EXPECT_EQ(written, 8u);
    EXPECT_EQ(out[0], 0);
}

TEST(EdlValues, UnknownFunctionIdIsRejected) {
    uint8_t out[16];
    size_t written = 0;
    EXPECT_EQ(ccbox_call_enclave_function(enclave(), edl_test_ecall_count, nullptr, 0, out, sizeof out, &written),
              CCBOX_NOT_FOUND);
    EXPECT_EQ(ccbox_call_enclave_function(enclave(), 0xfff0, nullptr, 0, out, sizeof out, &written),
              CCBOX_NOT_FOUND);
}

}  // namespace
