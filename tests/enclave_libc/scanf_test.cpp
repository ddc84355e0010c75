// Tests of the enclave libc's sscanf and vsscanf (scanf.c). Every call is made with the
// host glibc's sscanf too (the C99 one, __isoc99_sscanf, which the headers select for
// C++11 and later) on the same input and format, with the same argument buffers, and the
// return values and every byte the two wrote through their arguments must agree.
#include <gtest/gtest.h>

#include <cctype>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cwchar>
#include <random>
#include <string>
#include <vector>

#include "libc_test_decls.h"

#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-security"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

namespace {

long g_comparisons = 0;

constexpr int kArgs = 8;
constexpr size_t kArgBytes = 96;

// The return value of one call and the bytes behind its arguments: kArgs buffers filled
// with 0xAA beforehand, so that what was written, and how much of it, shows.
struct Outcome {
    int ret;
    int err;  // errno afterwards
    alignas(16) unsigned char bytes[kArgs][kArgBytes];
};

using ScanFn = int (*)(const char*, const char*, ...);

Outcome Call(ScanFn fn, const char* in, const char* fmt) {
    Outcome o;
    memset(o.bytes, 0xaa, sizeof o.bytes);
    unsigned char(*b)[kArgBytes] = o.bytes;
    errno = 0;
    o.ret = fn(in, fmt, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
    o.err = errno;
    return o;
}

// sscanf through the vsscanf V.
template <int (*V)(const char*, const char*, va_list)>
int ThroughV(const char* in, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int r = V(in, fmt, ap);
    va_end(ap);
    return r;
}

// S with control and non-ASCII bytes escaped, for messages.
std::string Printable(const std::string& s) {
    std::string r;
    char b[8];
    for (unsigned char c : s) {
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
            r += static_cast<char>(c);
        } else {
            snprintf(b, sizeof b, "\\x%02x", c);
            r += b;
        }
    }
    return r;
}

// The written bytes of one argument buffer, in hex (the untouched 0xAA tail left out).
std::string Written(const unsigned char* p) {
    size_t n = kArgBytes;
    while (n > 0 && p[n - 1] == 0xaa) n--;
    std::string r;
    char b[4];
    for (size_t i = 0; i < n; i++) {
        snprintf(b, sizeof b, "%02x", p[i]);
        r += b;
    }
    return r.empty() ? "(untouched)" : r;
}

// Compares a call of ours with glibc's. errno only if COMPARE_ERRNO: scanf.c lets the
// ERANGE of strto* through as glibc does, but not glibc's resetting of errno when its
// stream reaches the end of the input (which depends on where that happens).
::testing::AssertionResult SameScan(const std::string& in, const std::string& fmt,
                                    ScanFn glibc = sscanf, ScanFn ours = ccbox_libc_sscanf,
                                    bool compare_errno = false) {
    Outcome g = Call(glibc, in.c_str(), fmt.c_str());
    Outcome o = Call(ours, in.c_str(), fmt.c_str());
    ++g_comparisons;
    if (g.ret == o.ret && (g.err == o.err || !compare_errno) &&
        memcmp(g.bytes, o.bytes, sizeof g.bytes) == 0)
        return ::testing::AssertionSuccess();
    auto f = ::testing::AssertionFailure();
    f << "sscanf(\"" << Printable(in.substr(0, 300)) << (in.size() > 300 ? "..." : "")
      << "\", \"" << Printable(fmt) << "\"): glibc returned " << g.ret << " errno " << g.err
      << ", ours " << o.ret << " errno " << o.err;
    for (int i = 0; i < kArgs; i++)
        if (memcmp(g.bytes[i], o.bytes[i], kArgBytes) != 0)
            f << "\n  argument " << i << ": glibc " << Written(g.bytes[i]) << ", ours "
              << Written(o.bytes[i]);
    return f;
}

struct Case {
    const char* in;
    const char* fmt;
    int ret;  // glibc's return value, for the reader (and checked)
};

const Case kCases[] = {
    // d, i, u, o, x, X, p: signs, prefixes, overflow (strtol/strtoul cast)
    {"42", "%d", 1},
    {"-42", "%d", 1},
    {"+42", "%d", 1},
    {"  \t\n42", "%d", 1},
    {"12abc", "%d%n", 1},
    {"abc", "%d", 0},
    {"", "%d", -1},
    {"   ", "%d", -1},
    {"-", "%d", 0},
    {"- 1", "%d", 0},
    {"+-1", "%d", 0},
    {"2147483648", "%d", 1},
    {"4294967297", "%d", 1},
    {"99999999999999999999", "%d", 1},
    {"-9223372036854775809", "%d", 1},
    {"0x1f", "%d%n", 1},
    {"0x1f", "%i", 1},
    {"0X1F", "%i", 1},
    {"017", "%i", 1},
    {"-017", "%i", 1},
    {"08", "%i%n", 1},
    {"0x", "%i%n", 1},
    {"0xg", "%i%n", 1},
    {"-0x10", "%i", 1},
    {"0", "%i%n", 1},
    {"99999999999999999999", "%i", 1},
    {"-1", "%u", 1},
    {"4294967295", "%u", 1},
    {"4294967296", "%u", 1},
    {"18446744073709551615", "%u", 1},
    {"18446744073709551616", "%u", 1},
    {"-18446744073709551616", "%u", 1},
    {"777", "%o", 1},
    {"8", "%o", 0},
    {"-17", "%o", 1},
    {"0x17", "%o%n", 1},
    {"ff", "%x", 1},
    {"0xff", "%x", 1},
    {"0XFF", "%X", 1},
    {"-ff", "%x", 1},
    {"0x", "%x%n", 1},
    {"0xg", "%x%n", 1},
    {"g", "%x", 0},
    {"ffffffffffffffffff", "%x", 1},
    {"0x1234", "%p", 1},
    {"1234", "%p", 1},
    {"(nil)", "%p%n", 1},
    {"(NIL)", "%p%n", 1},
    {"(ni", "%p", 0},
    {" (nil)x", "%p%n", 1},
    {"-(nil)", "%p", 0},
    {"(nil)", "%4p", 0},
    {"-1", "%p", 1},
    // length modifiers
    {"-1", "%hhd", 1},
    {"300", "%hhd", 1},
    {"-129", "%hhu", 1},
    {"70000", "%hd", 1},
    {"-1", "%hu", 1},
    {"4294967297", "%ld", 1},
    {"-1", "%lu", 1},
    {"99999999999999999999", "%lld", 1},
    {"-1", "%llu", 1},
    {"0x8000000000000000", "%Li", 1},
    {"-5", "%qd", 1},
    {"-5", "%jd", 1},
    {"-5", "%zd", 1},
    {"-5", "%td", 1},
    {"5", "%zu", 1},
    {"5", "%jx", 1},
    // widths, suppression, flags
    {"12345", "%2d%d", 2},
    {"12345", "%1d%2d%n", 2},
    {"-1", "%1d", 0},
    {"-1", "%2d", 1},
    {"0x1", "%1x%n", 1},
    {"0x1", "%2x%n", 1},
    {"-0x1", "%2x%n", 1},
    {"0x1", "%2i%n", 1},
    {"123", "%0d%n", 1},
    {"1 2 3", "%d%*d%d", 2},
    {"1 2", "%*d%*d", 0},
    {"1", "%*d%n", 0},
    {"1", "%*d", 0},
    {"1", "%*d%d", -1},
    {"1 x", "%*d %d", 0},
    {"5", "%'d", 1},
    {"5", "%I2d%n", 1},
    {"5", "%*'d%n", 0},
    // floating point: syntax, overflow, lengths
    {"1.5", "%f", 1},
    {"-1.5", "%f", 1},
    {"+.5", "%f", 1},
    {"1.", "%f%n", 1},
    {".5e1", "%f", 1},
    {"1e10", "%f", 1},
    {"1e+", "%f%n", 1},
    {"1e-x", "%f%n", 1},
    {"1e5e5", "%f%n", 1},
    {"1.5.3", "%f%n", 1},
    {".", "%f", 0},
    {"-.", "%f", 0},
    {"e5", "%f", 0},
    {".e5", "%f", 0},
    {"0e5", "%f%n", 1},
    {"1e400", "%f", 1},
    {"1e-50", "%f", 1},
    {"1e400", "%lf", 1},
    {"1e-400", "%lf", 1},
    {"1e5000", "%Lf", 1},
    {"0.1", "%lf", 1},
    {"0.1", "%Lf", 1},
    {"0.1", "%llf", 1},
    {"0.1", "%qf", 1},
    {"0.1", "%hf", 1},
    {"0.1", "%hhf", 1},
    {"0.1", "%jf", 1},
    {"0.1", "%zf", 1},
    {"0.1", "%tf", 1},
    {"3.25", "%e", 1},
    {"3.25", "%E", 1},
    {"3.25", "%g", 1},
    {"3.25", "%G", 1},
    {"3.25", "%F", 1},
    // hexadecimal floats, inf, nan, and fields cut by a width
    {"0x1.8p1", "%a", 1},
    {"0X1.8P1", "%A", 1},
    {"0x1p-1074", "%lf", 1},
    {"0x1.fffffffffffffp1023", "%lf", 1},
    {"0x.8", "%f%n", 1},
    {"0x1p", "%f%n", 1},
    {"0x1p+", "%f%n", 1},
    {"0x1pa", "%f%n", 1},
    {"0x1e5", "%f%n", 1},
    {"0x", "%f", 0},
    {"0xg", "%f", 0},
    {"0x.", "%f%n", 1},
    {"0x.p1", "%f%n", 1},
    {"-0x", "%f", 0},
    {"0xp1", "%f", 0},
    {"inf", "%f%n", 1},
    {"-inf", "%lf", 1},
    {"INF", "%f", 1},
    {"infinity", "%f%n", 1},
    {"InFiNiTy!", "%f%n", 1},
    {"infi", "%f", 0},
    {"infinit", "%f", 0},
    {"in", "%f", 0},
    {"nan", "%f%n", 1},
    {"-NaN", "%lf", 1},
    {"nan(123)", "%f%n", 1},
    {"na", "%f", 0},
    {"infinity", "%3f%n", 1},
    {"infinity", "%4f", 0},
    {"infinity", "%8f%n", 1},
    {"nan", "%2f", 0},
    {"-inf", "%3f", 0},
    {"0x1p3", "%2f%n", 1},
    {"0x1p3", "%3f%n", 1},
    {"0x", "%3f", 0},
    {"-0x", "%3f%n", 1},
    {"1e+5", "%3f%n", 1},
    {"-1.5", "%1f", 0},
    {"123.456", "%4lf%n", 1},
    {"1.5e3", "%4lf%n", 1},
    {"1.5e30", "%5lf%n", 1},
    {"1 2.5", "%d%lf", 2},
    // c, s
    {"a", "%c", 1},
    {"abc", "%c%c%c", 3},
    {"abc", "%3c%n", 1},
    {"ab", "%5c%n", 1},
    {" a", "%c", 1},
    {" a", "% c", 0},
    {"", "%c", -1},
    {"ab", "%*c%c", 1},
    {"  abc def", "%s%n", 1},
    {"abcdef", "%3s%n", 1},
    {"abc def", "%s%s", 2},
    {"abc def", "%*s%s", 1},
    {"\x80\xff", "%s%n", 1},
    {"a\tb", "%s%n", 1},
    {"a\vb", "%s%n", 1},
    {"", "%s", -1},
    {"   ", "%s", -1},
    // scansets
    {"abcxyz", "%[abc]%n", 1},
    {"abcxyz", "%[^x]%n", 1},
    {"xyz", "%[abc]", 0},
    {"", "%[abc]", -1},
    {" abc", "%[abc]", 0},
    {" abc", "% [abc]%n", 0},
    {"abc", "%[a-c]%n", 1},
    {"b-a", "%[a-c]%n", 1},
    {"a-c", "%[-a]%n", 1},
    {"a-c", "%[a-]%n", 1},
    {"c-ab", "%[c-a]%n", 1},
    {"]a]x", "%[]a]%n", 1},
    {"]-a", "%[]-a]%n", 1},
    {"^a", "%[^a]%n", 1},
    {"b^a", "%[^^]%n", 1},
    {"-]x", "%[^]-]%n", 0},
    {"acd-", "%[a-c-e]%n", 1},
    {",-./", "%[,--]%n", 1},
    {"abc", "%2[abc]%n", 1},
    {"abc", "%0[abc]%n", 1},
    {"abc", "%*[abc]%n", 0},
    {"abc", "%[abc", 0},
    {"]", "%[]", 0},
    {"abc", "%[^]", 0},
    {"\x80\xfe\xff", "%[\x80-\xfe]%n", 1},
    {"a b", "%[^\n]%n", 1},
    {"5 6", "%d%*[ ]%d", 2},
    // literals, white space, n, %
    {"abc", "abc%n", 0},
    {"abc", "abd%n", 0},
    {"ab", "abc%n", -1},
    {"", "x", -1},
    {"x", "abc", 0},
    {"  x", "x", 0},
    {"  x", " x%n", 0},
    {"1,2", "%d,%d", 2},
    {"1;2", "%d,%d", 1},
    {"1 ,2", "%d,%d", 1},
    {"1 ,2", "%d ,%d", 2},
    {"1", "%d,", 1},
    {"a1b", "a%db%n", 1},
    {"1\n\t 2", "%d %d", 2},
    {"1 2", "%d%d", 2},
    {"12", "%d %d", 1},
    {"1", "%d %n", 1},
    {"1", "%d%n", 1},
    {"", "%n", 0},
    {" ", "%n", 0},
    {"", " ", 0},
    {"", "", 0},
    {"x", "%nx%n", 0},
    {"abc", "a%*nb%n", 0},
    {"1", "%5n%n", 0},
    {"1", "%hhn%hn%ln%lln%jn%zn%tn", 0},
    {"%", "%%%n", 0},
    {" %", "%%%n", 0},
    {" %5", "%%%n", 0},
    {"x", "%%", 0},
    {"", "%%", -1},
    {"5%", "%d%%", 1},
    {"1%2", "%d%%%d", 2},
    {"1 % 2", "%d%%%d", 2},
    {"1", "%d%", 1},
    // unknown conversions and malformed specifications: the count so far
    {"1", "%y", 0},
    {"", "%y", 0},
    {"1 2", "%d%y", 1},
    {"", "%", 0},
    {"1", "%5*d", 0},
    {"1", "%hhhd", 0},
    {"1", "%lll", 0},
    {"1", "%hld", 0},
    {"1", "%Zd", 0},
    {"12", "%1Id", 0},
};

}  // namespace

TEST(Scanf, Table) {
    for (const Case& c : kCases) {
        EXPECT_TRUE(SameScan(c.in, c.fmt));
        EXPECT_EQ(Call(ccbox_libc_sscanf, c.in, c.fmt).ret, c.ret)
            << "sscanf(\"" << Printable(c.in) << "\", \"" << Printable(c.fmt) << "\")";
    }
}

TEST(Scanf, Vsscanf) {
    for (const Case& c : kCases)
        EXPECT_TRUE(SameScan(c.in, c.fmt, ThroughV<vsscanf>, ThroughV<ccbox_libc_vsscanf>));
}

TEST(Scanf, ValuesReachTypedArguments) {
    signed char hh = 0;
    short h = 0;
    long l = 0;
    unsigned long long ull = 0;
    float f = 0;
    double d = 0;
    long double ld = 0;
    void* p = nullptr;
    char s[8] = {}, c[3] = {}, set[8] = {};
    int n = 0;
    EXPECT_EQ(ccbox_libc_sscanf("-3 -4 -5 18446744073709551615 1.5 2.5 3.5 0xbeef abc xyz",
                                "%hhd %hd %ld %llu %f %lf %Lf %p %s%2c%[z]%n", &hh, &h, &l,
                                &ull, &f, &d, &ld, &p, s, c, set, &n),
              10);
    EXPECT_EQ(hh, -3);
    EXPECT_EQ(h, -4);
    EXPECT_EQ(l, -5);
    EXPECT_EQ(ull, UINT64_MAX);
    EXPECT_EQ(f, 1.5f);
    EXPECT_EQ(d, 2.5);
    EXPECT_EQ(ld, 3.5L);
    EXPECT_EQ(p, reinterpret_cast<void*>(0xbeef));
    EXPECT_STREQ(s, "abc");
    EXPECT_STREQ(c, " x");  // %c does not skip white space
    EXPECT_STREQ(set, "");  // 'y' is not in the set: a matching failure, set untouched
    EXPECT_EQ(n, 0);        // not reached
    EXPECT_EQ(ccbox_libc_sscanf("  yz!", " %[xyz]%n", set, &n), 1);
    EXPECT_STREQ(set, "yz");
    EXPECT_EQ(n, 4);
}

// ERANGE from strto* reaches errno, for the characters of the field only.
TEST(Scanf, Errno) {
    const char* const cases[][2] = {
        {"99999999999999999999", "%d"}, {"-99999999999999999999x", "%lu"},
        {"99999999999999999999", "%3d%n"}, {"1e400", "%lf"}, {"1e-400", "%lf"},
        {"1e50", "%f"}, {"1e400", "%3lf%n"}, {"1e4000", "%5Lf%n"}, {"1e4000", "%6Lf%n"},
        {"1e400 x", "%lf x%n"}, {"5", "%d"}, {"0x1p99999", "%5a%n"}};
    for (const auto& c : cases)
        EXPECT_TRUE(SameScan(c[0], c[1], sscanf, ccbox_libc_sscanf, true));
}

// Unsupported: wide characters, %m and positional arguments fail cleanly, returning the
// count so far without writing anything (glibc implements them).
TEST(Scanf, UnsupportedConversionsFailCleanly) {
    const char* formats[] = {"%d %lc", "%d %ls", "%d %l[a]", "%d %C",  "%d %S",
                             "%d %ms", "%d %mc", "%d %m[a]", "%d %2$d", "%d %Lc",
                             "%d %lls", "%d %js"};
    for (const char* fmt : formats) {
        int i = 0;
        unsigned char guard[kArgBytes];
        memset(guard, 0xaa, sizeof guard);
        EXPECT_EQ(ccbox_libc_sscanf("7 a 8", fmt, &i, guard, guard), 1) << fmt;
        EXPECT_EQ(i, 7);
        EXPECT_EQ(Written(guard), "(untouched)") << fmt;
    }
    int i = 5;
    EXPECT_EQ(ccbox_libc_sscanf("7", "%1$d", &i), 0);
    EXPECT_EQ(ccbox_libc_sscanf("", "%lc", &i), 0);
    EXPECT_EQ(i, 5);
}

namespace {

// A random integer-like text: white space, sign, prefix, digits (sometimes past 64 bits,
// sometimes outside the base) and a tail.
std::string RandomIntegerText(std::mt19937_64& rng) {
    static const char* kSpace[] = {"", "", "", " ", "\t", "\n  "};
    static const char* kSign[] = {"", "", "", "-", "+"};
    static const char* kPrefix[] = {"", "", "", "0", "0x", "0X", "00", "0x0", "0xx"};
    static const char* kTail[] = {"", "", " ", "x", "g", "-", "9", ".5", ","};
    static const char kDigits[] = "0123456789abcdefABCDEF";
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    std::string s = kSpace[pick(6)];
    s += kSign[pick(5)];
    s += kPrefix[pick(9)];
    size_t len = pick(4) == 0 ? 18 + pick(30) : pick(12);
    size_t alphabet = pick(3) == 0 ? 22 : pick(2) == 0 ? 10 : 8;
    for (size_t i = 0; i < len; i++) s += kDigits[pick(alphabet)];
    s += kTail[pick(9)];
    return s;
}

// A random float-like text: decimal or hex mantissas with points and exponents, inf/nan
// words (sometimes cut short, in mixed case), stray characters.
std::string RandomFloatText(std::mt19937_64& rng) {
    static const char* kSign[] = {"", "", "", "-", "+"};
    static const char* kWords[] = {"inf", "infinity", "nan", "nan(0x12)", "in", "infin", "na"};
    static const char* kTail[] = {"", "", " ", "x", "e", "p", "-", ".", "(", "1"};
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    std::string s = pick(8) == 0 ? " " : "";
    s += kSign[pick(5)];
    int shape = static_cast<int>(pick(10));
    if (shape == 0) {
        std::string w = kWords[pick(7)];
        for (char& c : w)
            if (pick(2)) c = static_cast<char>(toupper(c));
        s += w;
    } else {
        bool hex = shape <= 3;
        const char* digits = hex ? "0123456789abcdefABCDEF" : "0123456789";
        size_t nd = hex ? 22 : 10;
        if (hex) s += pick(2) ? "0x" : "0X";
        size_t ilen = pick(3) == 0 ? 0 : pick(4) == 0 ? 10 + pick(25) : pick(5);
        for (size_t i = 0; i < ilen; i++) s += digits[pick(nd)];
        if (pick(2)) s += '.';
        size_t flen = pick(3) == 0 ? 0 : pick(4) == 0 ? 10 + pick(25) : pick(5);
        for (size_t i = 0; i < flen; i++) s += digits[pick(nd)];
        if (pick(2)) {
            s += hex ? (pick(2) ? "p" : "P") : (pick(2) ? "e" : "E");
            s += kSign[pick(5)];
            size_t elen = pick(5);
            for (size_t i = 0; i < elen; i++) s += static_cast<char>('0' + pick(10));
        }
    }
    s += kTail[pick(10)];
    return s;
}

// One random conversion specification: optional '*', width and length before CONV (a
// scanset gets one of a few sets).
std::string RandomSpec(std::mt19937_64& rng, const char* convs, const char* const* lengths,
                       size_t nlengths) {
    static const char* kSets[] = {"0-9]", "^ ]", "a-fx]", "^0-9.]", "-+0-9]", "]0-9a-]",
                                  "^]xX-]", "9-0e]"};
    std::string f = "%";
    if (rng() % 6 == 0) f += '*';
    if (rng() % 3 == 0) f += std::to_string(rng() % 26);
    f += lengths[rng() % nlengths];
    f += convs[rng() % strlen(convs)];
    if (f.back() == '[') f += kSets[rng() % 8];
    return f;
}

// Formats of one to three specifications of CONVS, separated by nothing, white space or
// a comma, ending in %n; inputs of as many random texts.
template <typename Text>
void CompareRandom(uint64_t seed, int rounds, const char* convs,
                   const char* const* lengths, size_t nlengths, Text text) {
    std::mt19937_64 rng(seed);
    static const char* kSeparators[] = {"", " ", ","};
    int failures = 0;
    for (int r = 0; r < rounds && failures < 10; r++) {
        std::string in, fmt;
        size_t n = 1 + rng() % 3;
        for (size_t i = 0; i < n; i++) {
            const char* sep = i > 0 ? kSeparators[rng() % 3] : "";
            in += sep;
            fmt += sep;
            in += text(rng);
            fmt += RandomSpec(rng, convs, lengths, nlengths);
        }
        fmt += "%n";
        ::testing::AssertionResult same = SameScan(in, fmt);
        EXPECT_TRUE(same);
        if (!same) failures++;
    }
}

const char* const kIntLengths[] = {"", "", "", "hh", "h", "l", "ll", "j", "z", "t", "L", "q"};
const char* const kFloatLengths[] = {"", "", "l", "l", "L", "L", "h", "ll", "q", "j"};

// A random double or long double, printed so that it reads back exactly (or not quite).
std::string RandomFloatValue(std::mt19937_64& rng) {
    char b[128];
    uint64_t bits = rng();
    double d;
    memcpy(&d, &bits, sizeof d);
    switch (rng() % 5) {
    case 0: snprintf(b, sizeof b, "%.17g", d); break;
    case 1: snprintf(b, sizeof b, "%a", d); break;
    case 2: snprintf(b, sizeof b, "%.9g", static_cast<double>(static_cast<float>(d))); break;
    case 3: snprintf(b, sizeof b, "%.25Le", static_cast<long double>(d) * 1.1L); break;
    default: snprintf(b, sizeof b, "%.*g", static_cast<int>(1 + rng() % 20), d); break;
    }
    return b;
}

}  // namespace

TEST(Scanf, RandomIntegers) {
    CompareRandom(20240601, 60000, "diuoxXp", kIntLengths, 12, RandomIntegerText);
}

TEST(Scanf, RandomFloats) {
    CompareRandom(20240602, 60000, "aAeEfFgG", kFloatLengths, 10, RandomFloatText);
}

TEST(Scanf, RandomFloatValues) {
    CompareRandom(20240603, 20000, "feg", kFloatLengths, 10, RandomFloatValue);
}

TEST(Scanf, RandomMixedConversions) {
    static const char* const kNone[] = {""};
    CompareRandom(20240604, 20000, "dxfsc[", kNone, 1, [](std::mt19937_64& rng) {
        return rng() % 2 ? RandomIntegerText(rng) : RandomFloatText(rng);
    });
}

// Fields longer than scanf.c's copy buffer, cut short by a width, so that the field is
// rewritten (0.<digits>e<exp>) before strto* sees it. Midpoints between adjacent doubles
// and floats are written out in full positional notation (up to 767 significant digits),
// followed by zeros and a 1, or lowered and followed by nines: a width ending in the zeros
// gives exactly the midpoint (round to even), one past the 1 a value just above it, and
// one in the nines a value just below it. Then leading zeros, exponents and hex.
TEST(Scanf, LongFieldsCutByWidth) {
    std::mt19937_64 rng(20240605);
    std::vector<std::string> texts;
    std::vector<long double> midpoints;  // exact in long double
    const double doubles[] = {1.0,     0.1,     1e300,      3e-310, DBL_TRUE_MIN,
                              DBL_MIN, DBL_MAX, 123456.789, 2.5e-308};
    for (double d : doubles) {
        long double ulp = d == DBL_MAX ? ldexpl(1, 971) : nextafter(d, INFINITY) - (long double)d;
        midpoints.push_back(d + ulp / 2);  // for DBL_MAX: where overflow begins
    }
    const float floats[] = {1.0f, 0.1f, 3e38f, FLT_TRUE_MIN, FLT_MIN, 1e-40f, FLT_MAX};
    for (float f : floats) {
        long double ulp = f == FLT_MAX ? ldexpl(1, 104) : nextafterf(f, INFINITY) - (long double)f;
        midpoints.push_back(f + ulp / 2);
    }
    std::vector<char> buf(2000);
    for (long double mid : midpoints) {
        snprintf(buf.data(), buf.size(), "%.1100Lf", mid);  // exact: 1075 places suffice
        std::string digits = buf.data();
        digits.erase(digits.find_last_not_of('0') + 1);  // keeps the '.'
        std::string lowered = digits;                     // minus one unit in the last place
        for (size_t i = lowered.size(); i-- > 0;) {
            if (lowered[i] == '.') continue;
            if (lowered[i] != '0') {
                lowered[i]--;
                break;
            }
            lowered[i] = '9';
        }
        texts.push_back(digits + std::string(900, '0') + "1");
        texts.push_back(lowered + std::string(900, '9'));
        texts.push_back("-" + digits + std::string(900, '0') + "1e0");
    }
    texts.push_back("-" + std::string(1000, '0') + "12345.678e-3");
    texts.push_back("0." + std::string(1000, '0') + "12345678901234567890e1005");
    texts.push_back("0x" + std::string(1000, 'f') + ".8p-4000");
    texts.push_back("0x0." + std::string(1000, '0') + "1fffffffffffff8p+4000");
    texts.push_back(std::string(2000, '9') + "e-2000");
    texts.push_back("1" + std::string(1000, '0') + "e99999999999999999999999");
    for (int i = 0; i < 20; i++) {
        std::string s = rng() % 2 ? "-" : "";
        size_t len = 800 + rng() % 1500;
        for (size_t k = 0; k < len; k++) s += static_cast<char>('0' + rng() % 10);
        s.insert(1 + rng() % len, ".");
        s += "e" + std::to_string(static_cast<int>(rng() % 700) - 350 - static_cast<int>(len));
        texts.push_back(s);
    }
    for (const std::string& t : texts) {
        size_t one = t.find_last_of('1'), nines = t.find_last_not_of('9');
        const size_t widths[] = {t.size() / 2, one, one + 1, nines + 2, nines + 400,
                                 t.size() - 3, t.size() - 1, 900, 1000};
        for (size_t w : widths) {
            if (w == 0 || w > t.size()) continue;
            for (const char* len : {"", "l", "L"})
                EXPECT_TRUE(SameScan(t, "%" + std::to_string(w) + len + "f%n"));
        }
        EXPECT_TRUE(SameScan(t, "%lf%n"));
    }
}

// Runs after the randomized tests above (gtest keeps definition order): they must really have
// compared this many results with glibc, or a broken helper could pass them vacuously.
TEST(Scanf, ComparisonCount) {
    std::printf("sscanf comparisons with glibc: %ld\n", g_comparisons);
    if (GTEST_FLAG_GET(filter) != "*" || GTEST_FLAG_GET(shuffle))
        GTEST_SKIP() << "only meaningful when the whole suite runs in order";
    EXPECT_GE(g_comparisons, 150000L) << "fewer comparisons with glibc than the tests make";
}
