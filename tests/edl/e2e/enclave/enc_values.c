/* ECALLs taking and returning values: scalars, enums, structs, unions, foreign types, and the
 * ones that come from imported EDLs or #ifdef sections. */
#include <string.h>

#include "enc_check.h"

int ecall_scalars(char c, signed char sc, unsigned char uc, short s, unsigned short us, int i, unsigned int ui,
                  long l, unsigned long ul, long long ll, unsigned long long ull, float f, double d,
                  long double ld, bool b, wchar_t wc, size_t sz) {
    CHECK(c == TV_CHAR);
    CHECK(sc == TV_SCHAR);
    CHECK(uc == TV_UCHAR);
    CHECK(s == TV_SHORT);
    CHECK(us == TV_USHORT);
    CHECK(i == TV_INT);
    CHECK(ui == TV_UINT);
    CHECK(l == TV_LONG);
    CHECK(ul == TV_ULONG);
    CHECK(ll == TV_LLONG);
    CHECK(ull == TV_ULLONG);
    CHECK(f == TV_FLOAT);
    CHECK(d == TV_DOUBLE);
    CHECK(ld == TV_LDOUBLE);
    CHECK(b == true);
    CHECK(wc == TV_WCHAR);
    CHECK(sz == TV_SIZE);
    return 0;
}

int ecall_fixed_width(int8_t i8, int16_t i16, int32_t i32, int64_t i64, uint8_t u8, uint16_t u16, uint32_t u32,
                      uint64_t u64) {
    CHECK(i8 == TV_I8);
    CHECK(i16 == TV_I16);
    CHECK(i32 == TV_I32);
    CHECK(i64 == TV_I64);
    CHECK(u8 == TV_U8);
    CHECK(u16 == TV_U16);
    CHECK(u32 == TV_U32);
    CHECK(u64 == TV_U64);
    return 0;
}

uint64_t ecall_sum_u64(uint64_t a, uint64_t b) { return a + b; }

long double ecall_ldouble(long double x) { return x * 2; }

enum test_color ecall_enum(enum test_color c, test_color d) {
    return (c == COLOR_BLUE && d == COLOR_NEGATIVE) ? COLOR_GREEN : COLOR_RED;
}

struct scalars ecall_struct_value(struct scalars s) {
    struct scalars r = s;
    int ok = s.c == TV_CHAR && s.ll == TV_LLONG && s.ld == TV_LDOUBLE && s.wc == TV_WCHAR && s.b &&
             s.color == COLOR_BLUE && memcmp(s.text, "abcde", 6) == 0 && s.grid[1][2] == 5;
    r.i = ok ? s.i + 1 : -1;
    r.text[0] = 'Z';
    r.ld = s.ld / 2;
    return r;
}

union number ecall_union(union number n, union number* p) {
    union number r;
    r.d = (n.i == 0x1122334455667788LL && p && p->d == 2.5) ? 0.125 : -1.0;
    if (p)
        p->i = 42;
    return r;
}

foreign_pair_t ecall_foreign(foreign_pair_t v, foreign_pair_t* p) {
    foreign_pair_t r = {v.first + p->first, v.second + p->second};
    p->first = -1;
    p->second = -2;
    return r;
}

int ecall_from_plain_import(int x) { return x + 1000; }

int ecall_imported_point(struct imported_point* p) {
    CHECK_INSIDE(p, sizeof *p);
    CHECK(p->x == 3 && p->y == 4);
    p->x = p->x * p->x + p->y * p->y;
    return 0;
}

int pick_one(void) { return 1; }
int pick_two(void) { return 2; }

int ecall_else_branch(void) { return 17; }
int ecall_defined_branch(void) { return 29; }
