// Tests of the enclave libc's stdlib functions (stdlib.c) against glibc: strto* on tricky and
// random input, ato*, integer helpers, qsort / qsort_r against std::sort (with comparison
// counts bounded on adversarial inputs) and bsearch.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <inttypes.h>
#include <stdlib.h>

#include "libc_test_decls.h"

namespace {

std::mt19937_64& Rng() {
    static std::mt19937_64 rng(0xC0FFEE1234ULL);
    return rng;
}

size_t RandBelow(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Rng()() % n); }

// Result of one conversion: value, errno afterwards, and end offset (-2 if untouched).
template <typename T>
struct Conv {
    T value;
    int err;
    long end;
    bool operator==(const Conv& o) const { return value == o.value && err == o.err && end == o.end; }
};

template <typename T>
std::ostream& operator<<(std::ostream& os, const Conv<T>& c) {
    return os << "{value=" << c.value << " errno=" << c.err << " end=" << c.end << "}";
}

template <typename T, typename F>
Conv<T> Run(F f, const char* s, int base, int errno_before) {
    char sentinel;
    char* end = &sentinel;
    errno = errno_before;
    T v = f(s, &end, base);
    Conv<T> c{v, errno, end == &sentinel ? -2 : static_cast<long>(end - s)};
    // The same conversion without an end pointer gives the same value and errno.
    errno = errno_before;
    T v2 = f(s, nullptr, base);
    EXPECT_EQ(v, v2);
    EXPECT_EQ(c.err, errno);
    return c;
}

template <typename T, typename F, typename G>
void CompareStrto(F glibc, G ours, const char* s, int base, int errno_before) {
    Conv<T> want = Run<T>(glibc, s, base, errno_before);
    Conv<T> got = Run<T>(ours, s, base, errno_before);
    if (base < 0 || base == 1 || base > 36) {
        // glibc leaves *endptr alone for a bad base (sanitizer interceptors do not, so the
        // reference's end pointer is not used here).
        EXPECT_EQ(want.value, got.value);
        EXPECT_EQ(EINVAL, got.err);
        EXPECT_EQ(want.err, got.err);
        EXPECT_EQ(-2, got.end);
    } else {
        EXPECT_EQ(want, got);
    }
}

void CheckAllStrto(const char* s, int base) {
    for (int errno_before : {0, EDOM}) {
        SCOPED_TRACE(testing::Message() << "input \"" << s << "\" base " << base);
        CompareStrto<long>(strtol, ccbox_libc_strtol, s, base, errno_before);
        CompareStrto<unsigned long>(strtoul, ccbox_libc_strtoul, s, base, errno_before);
        CompareStrto<long long>(strtoll, ccbox_libc_strtoll, s, base, errno_before);
        CompareStrto<unsigned long long>(strtoull, ccbox_libc_strtoull, s, base, errno_before);
        CompareStrto<intmax_t>(strtoimax, ccbox_libc_strtoimax, s, base, errno_before);
        CompareStrto<uintmax_t>(strtoumax, ccbox_libc_strtoumax, s, base, errno_before);
    }
}

// v written in base b (2..36), lower case.
std::string InBase(unsigned long long v, int b) {
    std::string s;
    do {
        int d = static_cast<int>(v % b);
        s += static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10);
        v /= b;
    } while (v != 0);
    std::reverse(s.begin(), s.end());
    return s;
}

// "v + 1" for a digit string in base b.
std::string PlusOne(std::string s, int b) {
    for (size_t i = s.size(); i-- > 0;) {
        int d = s[i] <= '9' ? s[i] - '0' : s[i] - 'a' + 10;
        if (d + 1 < b) {
            d++;
            s[i] = static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10);
            return s;
        }
        s[i] = '0';
    }
    return "1" + s;
}

const char* const kTricky[] = {
    "", " ", "+", "-", "+-1", "-+1", "--1", "- 1", "0", "-0", "+0", "00", "0x", "0X", "0x0",
    "0xg", "0Xg", " -0x", "-0x", "+0x", "0x1", "0X1f", "0x1g", "-0x10", "  +0x1f", "00x10",
    "0x-1", "0x 1", "0b101", "0B1", "1e5", "  \t\n\v\f\r42", "42  ", "\x80" "1", "\xa0" "1",
    "1_000", "1,000", "zz", "ZZ", "Zz9", "z", "777", "08", "09", "0777", "0778", "019",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "18446744073709551615", "18446744073709551616",
    "-18446744073709551615", "-18446744073709551616", "-1", "-18446744073709551614",
    "99999999999999999999999999999999999999", "-99999999999999999999999999999999",
    "0x7fffffffffffffff", "0x8000000000000000", "-0x8000000000000000", "-0x8000000000000001",
    "0xffffffffffffffff", "0x10000000000000000", "0x00000000000000000000000000001",
    "1111111111111111111111111111111111111111111111111111111111111111",
    "11111111111111111111111111111111111111111111111111111111111111111",
    "3w5e11264sgsf", "3w5e11264sgsg", "-3w5e11264sgsg", "1y2p0ij32e8e7", "1y2p0ij32e8e8",
    "2147483647", "2147483648", "4294967296", "-2147483649", "0000000000000000000000000000012",
    "12abc", "abc", "\x31\x00\x32", "\t-\t1", "+ 0x1", "0x\x80", "0xFFffFFff", "1" "\xd9\xa3",
};

}  // namespace

TEST(EnclaveLibcStrto, TrickyInputsEveryBase) {
    for (const char* s : kTricky) {
        for (int base = -2; base <= 40; base++) CheckAllStrto(s, base);
        CheckAllStrto(s, INT_MIN);
        CheckAllStrto(s, INT_MAX);
    }
}

TEST(EnclaveLibcStrto, SpecifiedCorners) {
    char* end = nullptr;
    const char* s = "0x";
    errno = 0;
    EXPECT_EQ(0, ccbox_libc_strtol(s, &end, 0));
    EXPECT_EQ(s + 1, end);  // only the "0" is a number
    s = " -0xz";
    EXPECT_EQ(0, ccbox_libc_strtol(s, &end, 16));
    EXPECT_EQ(s + 3, end);
    s = "  abc";
    EXPECT_EQ(0, ccbox_libc_strtoul(s, &end, 10));
    EXPECT_EQ(s, end);  // no digits: end is the start, not after the spaces
    EXPECT_EQ(0, errno);
    char* untouched = const_cast<char*>("x");
    end = untouched;
    EXPECT_EQ(0, ccbox_libc_strtol("12", &end, 1));
    EXPECT_EQ(EINVAL, errno);
    EXPECT_EQ(untouched, end);
    errno = 0;
    EXPECT_EQ(LONG_MAX, ccbox_libc_strtol("9223372036854775808", &end, 10));
    EXPECT_EQ(ERANGE, errno);
    errno = 0;
    EXPECT_EQ(LONG_MIN, ccbox_libc_strtol("-9223372036854775808", &end, 10));
    EXPECT_EQ(0, errno);
    EXPECT_EQ(ULONG_MAX, ccbox_libc_strtoul("-1", &end, 10));
    EXPECT_EQ(0, errno);
    EXPECT_EQ(1ul, ccbox_libc_strtoul("-18446744073709551615", &end, 10));
    EXPECT_EQ(0, errno);
    EXPECT_EQ(ULONG_MAX, ccbox_libc_strtoul("-18446744073709551616", &end, 10));
    EXPECT_EQ(ERANGE, errno);
    EXPECT_EQ(35, ccbox_libc_strtol("z", nullptr, 36));
    EXPECT_EQ(0x1f, ccbox_libc_strtol("0x1F", nullptr, 0));
    EXPECT_EQ(0777, ccbox_libc_strtol("0777", nullptr, 0));
}

TEST(EnclaveLibcStrto, LimitsInEveryBase) {
    for (int base = 2; base <= 36; base++) {
        const unsigned long long limits[] = {LONG_MAX, static_cast<unsigned long long>(LONG_MAX) + 1,
                                             ULONG_MAX, ULONG_MAX - 1, 0, 1, INT_MAX,
                                             static_cast<unsigned long long>(INT_MAX) + 1,
                                             UINT_MAX, static_cast<unsigned long long>(UINT_MAX) + 1};
        for (unsigned long long v : limits) {
            std::string d = InBase(v, base);
            for (const std::string& digits : {d, PlusOne(d, base), PlusOne(PlusOne(d, base), base)}) {
                for (const char* sign : {"", "-", "+", " -", "\t+"}) {
                    std::string s = std::string(sign) + digits;
                    CheckAllStrto(s.c_str(), base);
                    std::string upper = s;
                    for (auto& c : upper) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
                    CheckAllStrto(upper.c_str(), base);
                    if (base == 16) {
                        CheckAllStrto((std::string(sign) + "0x" + digits).c_str(), 16);
                        CheckAllStrto((std::string(sign) + "0X" + digits).c_str(), 0);
                    }
                    if (base == 8) CheckAllStrto((std::string(sign) + "0" + digits).c_str(), 0);
                    if (base == 10) CheckAllStrto(s.c_str(), 0);
                }
            }
        }
    }
}

TEST(EnclaveLibcStrto, RandomStrings) {
    const char alphabet[] = " \t\n+-0123456789abcdefxXzZ\x80";
    const char digits[] = "0123456789abcdefABCDEF";
    for (int iter = 0; iter < 50000; iter++) {
        std::string s;
        size_t len = RandBelow(30);
        bool digit_heavy = RandBelow(2) != 0;
        for (size_t i = 0; i < len; i++) {
            if (digit_heavy && i > 2)
                s += digits[RandBelow(sizeof digits - 1)];
            else
                s += alphabet[RandBelow(sizeof alphabet - 1)];
        }
        int base = static_cast<int>(RandBelow(38));  // includes 0, 1 and 37
        CheckAllStrto(s.c_str(), base);
        if (HasFailure()) return;
    }
}

TEST(EnclaveLibcStrto, AtoiFamilyMatchesGlibc) {
    for (const char* s : kTricky) {
        errno = 0;
        int a = atoi(s);
        int ea = errno;
        errno = 0;
        EXPECT_EQ(a, ccbox_libc_atoi(s)) << s;
        EXPECT_EQ(ea, errno) << s;
        EXPECT_EQ(atol(s), ccbox_libc_atol(s)) << s;
        EXPECT_EQ(atoll(s), ccbox_libc_atoll(s)) << s;
    }
    EXPECT_EQ(-42, ccbox_libc_atoi("  -42xyz"));
    EXPECT_EQ(0, ccbox_libc_atoi("0x10"));  // base 10 only
}

TEST(EnclaveLibcArith, AbsAndDiv) {
    const long long values[] = {0, 1, -1, 2, -2, 7, -7, 13, -13, 100, -100, INT_MAX, INT_MIN + 1,
                                LLONG_MAX, LLONG_MIN + 1, 123456789012LL, -123456789012LL};
    for (long long v : values) {
        if (v >= INT_MIN && v <= INT_MAX) {
            EXPECT_EQ(abs(static_cast<int>(v)), ccbox_libc_abs(static_cast<int>(v)));
        }
        EXPECT_EQ(labs(v), ccbox_libc_labs(v));
        EXPECT_EQ(llabs(v), ccbox_libc_llabs(v));
        EXPECT_EQ(imaxabs(v), ccbox_libc_imaxabs(v));
        for (long long d : values) {
            if (d == 0) continue;
            if (v >= INT_MIN && v <= INT_MAX && d >= INT_MIN && d <= INT_MAX) {
                div_t w = div(static_cast<int>(v), static_cast<int>(d));
                div_t g = ccbox_libc_div(static_cast<int>(v), static_cast<int>(d));
                EXPECT_EQ(w.quot, g.quot);
                EXPECT_EQ(w.rem, g.rem);
            }
            ldiv_t lw = ldiv(v, d), lg = ccbox_libc_ldiv(v, d);
            EXPECT_EQ(lw.quot, lg.quot);
            EXPECT_EQ(lw.rem, lg.rem);
            lldiv_t llw = lldiv(v, d), llg = ccbox_libc_lldiv(v, d);
            EXPECT_EQ(llw.quot, llg.quot);
            EXPECT_EQ(llw.rem, llg.rem);
            imaxdiv_t iw = imaxdiv(v, d), ig = ccbox_libc_imaxdiv(v, d);
            EXPECT_EQ(iw.quot, ig.quot);
            EXPECT_EQ(iw.rem, ig.rem);
        }
    }
    div_t d = ccbox_libc_div(-7, 2);  // C99: truncation toward zero
    EXPECT_EQ(-3, d.quot);
    EXPECT_EQ(-1, d.rem);
}

// ---- qsort ---------------------------------------------------------------------------------------------

namespace {

// Elements are `size` bytes; the key is the first min(size, 4) bytes, read big-endian, and
// the rest is a payload that must travel with the key.
struct SortCase {
    size_t size;
    std::vector<unsigned char> data;
    size_t count() const { return data.size() / size; }
};

uint32_t KeyOf(const unsigned char* p, size_t size) {
    uint32_t k = 0;
    for (size_t i = 0; i < std::min<size_t>(size, 4); i++) k = (k << 8) | p[i];
    return k;
}

size_t g_elem_size;
size_t g_compares;

int CompareKeys(const void* a, const void* b) {
    g_compares++;
    uint32_t x = KeyOf(static_cast<const unsigned char*>(a), g_elem_size);
    uint32_t y = KeyOf(static_cast<const unsigned char*>(b), g_elem_size);
    return (x > y) - (x < y);
}

int CompareKeysR(const void* a, const void* b, void* arg) {
    const int direction = *static_cast<const int*>(arg);
    return direction * CompareKeys(a, b);
}

enum class Pattern { kRandom, kSorted, kReverse, kAllEqual, kOrganPipe, kSawtooth, kFewUnique, kNearlySorted };

std::vector<uint32_t> MakeKeys(Pattern p, size_t n) {
    std::vector<uint32_t> k(n);
    for (size_t i = 0; i < n; i++) {
        switch (p) {
        case Pattern::kRandom: k[i] = static_cast<uint32_t>(Rng()()); break;
        case Pattern::kSorted: k[i] = static_cast<uint32_t>(i); break;
        case Pattern::kReverse: k[i] = static_cast<uint32_t>(n - i); break;
        case Pattern::kAllEqual: k[i] = 42; break;
        case Pattern::kOrganPipe: k[i] = static_cast<uint32_t>(i < n / 2 ? i : n - i); break;
        case Pattern::kSawtooth: k[i] = static_cast<uint32_t>(i % 17); break;
        case Pattern::kFewUnique: k[i] = static_cast<uint32_t>(RandBelow(4)); break;
        case Pattern::kNearlySorted: k[i] = static_cast<uint32_t>(i); break;
        }
    }
    if (p == Pattern::kNearlySorted && n > 1)
        for (int s = 0; s < 5; s++) std::swap(k[RandBelow(n)], k[RandBelow(n)]);
    return k;
}

SortCase MakeCase(const std::vector<uint32_t>& keys, size_t size) {
    SortCase c{size, std::vector<unsigned char>(keys.size() * size)};
    for (size_t i = 0; i < keys.size(); i++) {
        unsigned char* e = c.data.data() + i * size;
        uint32_t k = keys[i];
        if (size < 4) k &= (1u << (8 * size)) - 1;  // keys must fit the key bytes
        for (size_t b = 0; b < std::min<size_t>(size, 4); b++)
            e[b] = static_cast<unsigned char>(k >> (8 * (std::min<size_t>(size, 4) - 1 - b)));
        for (size_t b = 4; b < size; b++) e[b] = static_cast<unsigned char>(i * 31 + b);
    }
    return c;
}

// Whole elements as strings, sorted: equal iff the arrays are permutations of each other.
std::vector<std::string> Multiset(const SortCase& c) {
    std::vector<std::string> v;
    for (size_t i = 0; i < c.count(); i++)
        v.emplace_back(reinterpret_cast<const char*>(c.data.data() + i * c.size), c.size);
    std::sort(v.begin(), v.end());
    return v;
}

void CheckSorted(const SortCase& before, const SortCase& after, int direction) {
    ASSERT_EQ(Multiset(before), Multiset(after));
    std::vector<uint32_t> keys, got;
    for (size_t i = 0; i < before.count(); i++) keys.push_back(KeyOf(before.data.data() + i * before.size, before.size));
    for (size_t i = 0; i < after.count(); i++) got.push_back(KeyOf(after.data.data() + i * after.size, after.size));
    if (direction > 0)
        std::sort(keys.begin(), keys.end());
    else
        std::sort(keys.begin(), keys.end(), std::greater<uint32_t>());
    ASSERT_EQ(keys, got);
}

const Pattern kPatterns[] = {Pattern::kRandom,    Pattern::kSorted,   Pattern::kReverse,
                             Pattern::kAllEqual,  Pattern::kOrganPipe, Pattern::kSawtooth,
                             Pattern::kFewUnique, Pattern::kNearlySorted};

}  // namespace

TEST(EnclaveLibcQsort, MatchesStdSortForAllSizesAndPatterns) {
    const size_t elem_sizes[] = {1, 2, 3, 4, 5, 7, 8, 12, 16, 24, 31, 32, 100};
    const size_t counts[] = {0, 1, 2, 3, 4, 5, 7, 11, 12, 13, 14, 20, 31, 50, 100, 127, 128, 129, 1000, 5000};
    for (size_t size : elem_sizes) {
        g_elem_size = size;
        for (size_t n : counts) {
            for (Pattern p : kPatterns) {
                SortCase before = MakeCase(MakeKeys(p, n), size);
                SortCase after = before;
                ccbox_libc_qsort(after.data.data(), n, size, CompareKeys);
                CheckSorted(before, after, 1);
                if (HasFatalFailure()) {
                    ADD_FAILURE() << "size=" << size << " n=" << n << " pattern=" << static_cast<int>(p);
                    return;
                }
                after = before;
                int direction = -1;
                ccbox_libc_qsort_r(after.data.data(), n, size, CompareKeysR, &direction);
                CheckSorted(before, after, -1);
                if (HasFatalFailure()) return;
            }
        }
    }
}

TEST(EnclaveLibcQsort, QsortRPassesArgument) {
    std::vector<int> v = {5, 3, 9, 1, 7};
    struct Arg {
        int calls = 0;
    } arg;
    ccbox_libc_qsort_r(
        v.data(), v.size(), sizeof(int),
        [](const void* a, const void* b, void* p) {
            static_cast<Arg*>(p)->calls++;
            return *static_cast<const int*>(a) - *static_cast<const int*>(b);
        },
        &arg);
    EXPECT_EQ((std::vector<int>{1, 3, 5, 7, 9}), v);
    EXPECT_GT(arg.calls, 0);
}

namespace {

// McIlroy's adversary: the comparator decides the values of elements lazily ("gas" until
// compared against the pivot candidate), which drives a plain quicksort to n^2 comparisons.
struct Adversary {
    std::vector<int> val;
    int gas;
    int nsolid = 0;
    int candidate = -1;
    size_t compares = 0;
};

Adversary* g_adv;

int AdversaryCompare(const void* pa, const void* pb) {
    Adversary& a = *g_adv;
    a.compares++;
    int x = *static_cast<const int*>(pa);
    int y = *static_cast<const int*>(pb);
    if (a.val[x] == a.gas && a.val[y] == a.gas) {
        if (x == a.candidate)
            a.val[x] = a.nsolid++;
        else
            a.val[y] = a.nsolid++;
    }
    if (a.val[x] == a.gas)
        a.candidate = x;
    else if (a.val[y] == a.gas)
        a.candidate = y;
    return a.val[x] - a.val[y];
}

double NLogN(size_t n) { return static_cast<double>(n) * std::log2(static_cast<double>(n)); }

}  // namespace

TEST(EnclaveLibcQsort, ComparisonCountIsNLogNEvenAgainstAnAdversary) {
    for (size_t n : {1000, 10000, 100000}) {
        Adversary adv;
        adv.gas = static_cast<int>(n);
        adv.val.assign(n, adv.gas);
        std::vector<int> items(n);
        for (size_t i = 0; i < n; i++) items[i] = static_cast<int>(i);
        g_adv = &adv;
        ccbox_libc_qsort(items.data(), n, sizeof(int), AdversaryCompare);
        // The outcome is consistent with the values the adversary settled on.
        for (size_t i = 1; i < n; i++) ASSERT_LE(adv.val[items[i - 1]], adv.val[items[i]]);
        EXPECT_LT(static_cast<double>(adv.compares), 6 * NLogN(n)) << "n=" << n;
    }
    g_elem_size = 4;
    for (Pattern p : kPatterns) {
        const size_t n = 100000;
        SortCase c = MakeCase(MakeKeys(p, n), 4);
        g_compares = 0;
        ccbox_libc_qsort(c.data.data(), n, 4, CompareKeys);
        EXPECT_LT(static_cast<double>(g_compares), 3 * NLogN(n)) << "pattern " << static_cast<int>(p);
    }
}

TEST(EnclaveLibcQsort, InconsistentComparatorStaysInBounds) {
    // A comparator that answers at random must not make qsort touch memory outside the array
    // or lose elements.
    for (size_t n : {2, 13, 100, 1000, 20000}) {
        const size_t size = 6;
        std::vector<unsigned char> buf((n + 8) * size, 0xEE);
        SortCase c = MakeCase(MakeKeys(Pattern::kRandom, n), size);
        std::memcpy(buf.data() + 4 * size, c.data.data(), c.data.size());
        ccbox_libc_qsort(buf.data() + 4 * size, n, size, [](const void*, const void*) {
            return static_cast<int>(RandBelow(3)) - 1;
        });
        for (size_t i = 0; i < 4 * size; i++) {
            ASSERT_EQ(0xEE, buf[i]);
            ASSERT_EQ(0xEE, buf[buf.size() - 1 - i]);
        }
        SortCase after{size, std::vector<unsigned char>(buf.begin() + 4 * size, buf.end() - 4 * size)};
        ASSERT_EQ(Multiset(c), Multiset(after));
    }
}

TEST(EnclaveLibcQsort, LargeRandomArray) {
    std::vector<uint64_t> v(1000000);
    for (auto& x : v) x = Rng()();
    std::vector<uint64_t> want = v;
    std::sort(want.begin(), want.end());
    ccbox_libc_qsort(v.data(), v.size(), sizeof v[0], [](const void* a, const void* b) {
        uint64_t x = *static_cast<const uint64_t*>(a), y = *static_cast<const uint64_t*>(b);
        return (x > y) - (x < y);
    });
    EXPECT_EQ(want, v);
    ccbox_libc_qsort(v.data(), 0, sizeof v[0], nullptr);  // nothing to do: comparator unused
    ccbox_libc_qsort(v.data(), 1, sizeof v[0], nullptr);
}

// ---- bsearch ------------------------------------------------------------------------------------------

namespace {

int CompareInt(const void* a, const void* b) {
    int x = *static_cast<const int*>(a), y = *static_cast<const int*>(b);
    return (x > y) - (x < y);
}

struct Wide {
    int key;
    char payload[13];
};

int CompareWide(const void* a, const void* b) {
    int x = static_cast<const Wide*>(a)->key, y = static_cast<const Wide*>(b)->key;
    return (x > y) - (x < y);
}

}  // namespace

TEST(EnclaveLibcBsearch, HitsAndMisses) {
    for (size_t n = 0; n <= 100; n++) {
        std::vector<int> v(n);
        for (size_t i = 0; i < n; i++) v[i] = static_cast<int>(2 * i + 1);  // odd keys
        for (int key = -1; key <= static_cast<int>(2 * n + 2); key++) {
            static const int empty = 0;  // an empty vector's data() may be null: UB for bsearch
            const int* base = n ? v.data() : &empty;
            const void* want = bsearch(&key, base, n, sizeof(int), CompareInt);
            const void* got = ccbox_libc_bsearch(&key, base, n, sizeof(int), CompareInt);
            if (key % 2 != 0 && key > 0 && key < static_cast<int>(2 * n + 1)) {
                ASSERT_EQ(v.data() + (key - 1) / 2, got) << "n=" << n << " key=" << key;
            } else {
                ASSERT_EQ(nullptr, got) << "n=" << n << " key=" << key;
            }
            ASSERT_EQ(want, got);
        }
    }
    // Odd element sizes, and duplicates: any equal element is an acceptable answer.
    std::vector<Wide> w(50);
    for (size_t i = 0; i < w.size(); i++) w[i].key = static_cast<int>(i / 3);
    for (int key = -2; key <= 20; key++) {
        Wide k{key, {}};
        const Wide* got = static_cast<const Wide*>(ccbox_libc_bsearch(&k, w.data(), w.size(), sizeof(Wide), CompareWide));
        if (key >= 0 && key <= 16) {
            ASSERT_NE(nullptr, got) << key;
            EXPECT_EQ(key, got->key);
        } else {
            EXPECT_EQ(nullptr, got) << key;
        }
    }
}
