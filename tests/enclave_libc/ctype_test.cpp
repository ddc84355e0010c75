// Tests of the enclave libc's character classification (ctype.c) against glibc's "C" locale,
// including the raw tables behind glibc's <ctype.h> macros, indexed over -128..255.
#include <gtest/gtest.h>

#include <climits>
#include <clocale>
#include <cstdint>
#include <vector>

#include <ctype.h>
#include <wctype.h>

#include "libc_test_decls.h"

namespace {

class EnclaveLibcCtype : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_NE(nullptr, setlocale(LC_ALL, "C")); }
};

struct Classifier {
    const char* name;
    int (*ours)(int);
    int (*glibc)(int);
};

const Classifier kClassifiers[] = {
    {"isalnum", ccbox_libc_isalnum, ::isalnum}, {"isalpha", ccbox_libc_isalpha, ::isalpha},
    {"isblank", ccbox_libc_isblank, ::isblank}, {"iscntrl", ccbox_libc_iscntrl, ::iscntrl},
    {"isdigit", ccbox_libc_isdigit, ::isdigit}, {"isgraph", ccbox_libc_isgraph, ::isgraph},
    {"islower", ccbox_libc_islower, ::islower}, {"isprint", ccbox_libc_isprint, ::isprint},
    {"ispunct", ccbox_libc_ispunct, ::ispunct}, {"isspace", ccbox_libc_isspace, ::isspace},
    {"isupper", ccbox_libc_isupper, ::isupper}, {"isxdigit", ccbox_libc_isxdigit, ::isxdigit},
};

struct WideClassifier {
    const char* name;
    int (*ours)(wint_t);
    int (*glibc)(wint_t);
};

const WideClassifier kWideClassifiers[] = {
    {"iswalnum", ccbox_libc_iswalnum, ::iswalnum}, {"iswalpha", ccbox_libc_iswalpha, ::iswalpha},
    {"iswblank", ccbox_libc_iswblank, ::iswblank}, {"iswcntrl", ccbox_libc_iswcntrl, ::iswcntrl},
    {"iswdigit", ccbox_libc_iswdigit, ::iswdigit}, {"iswgraph", ccbox_libc_iswgraph, ::iswgraph},
    {"iswlower", ccbox_libc_iswlower, ::iswlower}, {"iswprint", ccbox_libc_iswprint, ::iswprint},
    {"iswpunct", ccbox_libc_iswpunct, ::iswpunct}, {"iswspace", ccbox_libc_iswspace, ::iswspace},
    {"iswupper", ccbox_libc_iswupper, ::iswupper}, {"iswxdigit", ccbox_libc_iswxdigit, ::iswxdigit},
};

}  // namespace

TEST_F(EnclaveLibcCtype, ClassTableMatchesGlibcOverWholeRange) {
    const unsigned short* ours = *ccbox_libc___ctype_b_loc();
    const unsigned short* theirs = *__ctype_b_loc();
    for (int i = -128; i <= 255; i++) ASSERT_EQ(theirs[i], ours[i]) << "index " << i;
    // Spot checks of the bit layout, so a table matching by accident would still fail.
    EXPECT_TRUE(ours['A'] & _ISupper);
    EXPECT_TRUE(ours['a'] & _ISlower);
    EXPECT_TRUE(ours['f'] & _ISxdigit);
    EXPECT_FALSE(ours['g'] & _ISxdigit);
    EXPECT_TRUE(ours['\t'] & _ISblank);
    EXPECT_TRUE(ours['\t'] & _IScntrl);
    EXPECT_TRUE(ours[' '] & _ISprint);
    EXPECT_FALSE(ours[' '] & _ISgraph);
    EXPECT_TRUE(ours['~'] & _ISpunct);
    EXPECT_EQ(0, ours[-1]);    // EOF
    EXPECT_EQ(0, ours[-128]);  // (signed char)0x80
    EXPECT_EQ(0, ours[200]);
}

TEST_F(EnclaveLibcCtype, CaseTablesMatchGlibcOverWholeRange) {
    const int32_t* lower = *ccbox_libc___ctype_tolower_loc();
    const int32_t* upper = *ccbox_libc___ctype_toupper_loc();
    const int32_t* glower = *__ctype_tolower_loc();
    const int32_t* gupper = *__ctype_toupper_loc();
    for (int i = -128; i <= 255; i++) {
        ASSERT_EQ(glower[i], lower[i]) << "tolower index " << i;
        ASSERT_EQ(gupper[i], upper[i]) << "toupper index " << i;
    }
    EXPECT_EQ('a', lower['A']);
    EXPECT_EQ('Z', upper['z']);
    EXPECT_EQ(-1, lower[-1]);
    EXPECT_EQ(128, lower[-128]);
}

TEST_F(EnclaveLibcCtype, AccessorsAreStable) {
    EXPECT_EQ(ccbox_libc___ctype_b_loc(), ccbox_libc___ctype_b_loc());
    EXPECT_EQ(*ccbox_libc___ctype_b_loc(), *ccbox_libc___ctype_b_loc());
    EXPECT_EQ(ccbox_libc___ctype_tolower_loc(), ccbox_libc___ctype_tolower_loc());
    EXPECT_EQ(ccbox_libc___ctype_toupper_loc(), ccbox_libc___ctype_toupper_loc());
    EXPECT_NE(*ccbox_libc___ctype_tolower_loc(), *ccbox_libc___ctype_toupper_loc());
}

TEST_F(EnclaveLibcCtype, ClassifiersMatchGlibcForEveryByteAndEof) {
    for (const auto& cl : kClassifiers) {
        for (int c = -128; c <= 255; c++) {
            ASSERT_EQ(cl.glibc(c), cl.ours(c)) << cl.name << "(" << c << ")";
        }
        // Outside the table: no class (glibc's behaviour is undefined there).
        for (int c : {-129, 256, 1000, -1000, INT_MIN, INT_MAX}) {
            ASSERT_EQ(0, cl.ours(c)) << cl.name << "(" << c << ")";
        }
    }
    // Signed char values behave like their unsigned counterparts (no class above 127).
    for (int c = -128; c < 0; c++) EXPECT_EQ(0, ccbox_libc_isprint(static_cast<signed char>(c)));
}

TEST_F(EnclaveLibcCtype, CaseMappingMatchesGlibc) {
    for (int c = -1000; c <= 1000; c++) {
        ASSERT_EQ(::tolower(c), ccbox_libc_tolower(c)) << "tolower(" << c << ")";
        ASSERT_EQ(::toupper(c), ccbox_libc_toupper(c)) << "toupper(" << c << ")";
    }
    for (int c : {INT_MIN, INT_MAX, -129, 256}) {
        EXPECT_EQ(c, ccbox_libc_tolower(c));
        EXPECT_EQ(c, ccbox_libc_toupper(c));
    }
}

TEST_F(EnclaveLibcCtype, AsciiHelpersMatchGlibc) {
    for (int c = -1000; c <= 1000; c++) {
        ASSERT_EQ(::isascii(c), ccbox_libc_isascii(c)) << c;
        ASSERT_EQ(::toascii(c), ccbox_libc_toascii(c)) << c;
    }
    for (int c : {INT_MIN, INT_MAX, 0x12345}) {
        EXPECT_EQ(::isascii(c), ccbox_libc_isascii(c));
        EXPECT_EQ(::toascii(c), ccbox_libc_toascii(c));
    }
}

TEST_F(EnclaveLibcCtype, WideClassifiersMatchGlibcCLocale) {
    std::vector<wint_t> values;
    for (wint_t c = 0; c <= 0x10ffff; c++) values.push_back(c);
    for (wint_t c : {WEOF, wint_t{0x110000}, wint_t{0x7fffffff}, wint_t{0x80000000}, wint_t{0xfffffffe}})
        values.push_back(c);
    for (const auto& cl : kWideClassifiers) {
        for (wint_t c : values) {
            ASSERT_EQ(cl.glibc(c) != 0, cl.ours(c) != 0) << cl.name << "(" << c << ")";
        }
    }
    for (wint_t c : values) {
        ASSERT_EQ(::towlower(c), ccbox_libc_towlower(c)) << c;
        ASSERT_EQ(::towupper(c), ccbox_libc_towupper(c)) << c;
    }
    EXPECT_NE(0, ccbox_libc_iswalpha(L'q'));
    EXPECT_EQ(0, ccbox_libc_iswalpha(0xe9));
    EXPECT_EQ(wint_t{L'a'}, ccbox_libc_towlower(L'A'));
    EXPECT_EQ(wint_t{0xc9}, ccbox_libc_towlower(0xc9));
}
