// Differential fuzzer: the enclave libc's strtod, strtof and strtold (src/enclave/libc/strtod.c)
// against glibc's on the same text: the value's bits, where parsing stopped, and errno.
#include "libc_fuzz_support.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <string>

extern "C" {
double ccbox_libc_strtod(const char* s, char** end);
float ccbox_libc_strtof(const char* s, char** end);
long double ccbox_libc_strtold(const char* s, char** end);
}

namespace {

using ccbox_fuzz::glibc;

// glibc 2.36 rounds some hexadecimal inputs wrongly when the result is subnormal: it keeps the
// first bit below the last place and drops the rest (the sticky bits), so 0x1.233023p-127
// becomes 0x1.23302p-127 as a float (exactly half, rounded to even) instead of 0x1.233024p-127,
// and 0x1.233021p-127 is taken as exact (no ERANGE). Decimal input is not affected. For a
// hexadecimal input on which we disagree, the reference is the exactly rounded value: the
// first 16 significant digits (64 bits) with any further non-zero digit folded into the lowest
// bit (a sticky bit far below a double's rounding position), scaled exactly as a long double,
// then rounded by the x87's correctly rounded conversion.
template <typename T>
bool hex_reference_agrees(const std::string& text, const char* end, T ours, int ours_errno) {
    if constexpr (sizeof(T) > 8) {
        return false;
    } else {
        const char* p = text.c_str();
        while (std::isspace(static_cast<unsigned char>(*p)))
            ++p;
        bool negative = false;
        if (*p == '+' || *p == '-')
            negative = *p++ == '-';
        if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
            return false;
        p += 2;
        uint64_t m = 0;
        int kept = 0;
        long long after_point = 0, dropped = 0;
        bool point = false, sticky = false;
        for (; p < end && *p != 'p' && *p != 'P'; ++p) {
            if (*p == '.') {
                point = true;
                continue;
            }
            const int d = std::isdigit(static_cast<unsigned char>(*p)) ? *p - '0' : (std::tolower(*p) - 'a' + 10);
            if (point)
                ++after_point;
            if (kept == 0 && d == 0)
                continue;
            if (kept < 16) {
                m = m << 4 | static_cast<uint64_t>(d);
                ++kept;
            } else {
                ++dropped;
                sticky |= d != 0;
            }
        }
        long long pexp = 0;
        if (p < end) {  // 'p' and an exponent the parse took
            const std::string exponent(p + 1, end);
            errno = 0;
            pexp = std::strtoll(exponent.c_str(), nullptr, 10);
            if (errno != 0 || pexp < -1000000 || pexp > 1000000)
                return false;  // far outside every format: glibc and we agree there anyway
        }
        if (sticky)
            m |= 1;
        const long long e2 = pexp + 4 * dropped - 4 * after_point;
        if (e2 < -20000 || e2 > 20000)
            return false;
        long double exact = std::ldexp(static_cast<long double>(m), static_cast<int>(e2));
        if (negative)
            exact = -exact;
        const T rounded = static_cast<T>(exact);
        const bool tiny = rounded == 0 || std::fpclassify(rounded) == FP_SUBNORMAL;
        const bool inexact = static_cast<long double>(rounded) != exact || sticky;
        const int want_errno = (tiny && inexact && m != 0) || std::isinf(rounded) ? ERANGE : 0;
        return std::memcmp(&rounded, &ours, sizeof(T)) == 0 && ours_errno == want_errno;
    }
}

template <typename T>
void compare(const char* name, const std::string& text, T (*ours)(const char*, char**), T (*theirs)(const char*, char**)) {
    char* end1 = nullptr;
    char* end2 = nullptr;
    errno = 0;
    T a = ours(text.c_str(), &end1);
    int e1 = errno;
    errno = 0;
    T b = theirs(text.c_str(), &end2);
    int e2 = errno;
    const size_t bytes = sizeof(T) == 16 ? 10 : sizeof(T);  // long double: the 80 value bits
    if ((std::memcmp(&a, &b, bytes) != 0 || e1 != e2) && end1 == end2 && hex_reference_agrees(text, end1, a, e1))
        return;
    if (std::memcmp(&a, &b, bytes) != 0 || end1 != end2 || e1 != e2) {
        std::string detail = "input \"" + text + "\": ours stopped at " + std::to_string(end1 - text.c_str()) +
                             " errno " + std::to_string(e1) + ", glibc at " + std::to_string(end2 - text.c_str()) +
                             " errno " + std::to_string(e2) + (std::memcmp(&a, &b, bytes) != 0 ? ", values differ" : "");
        ccbox_fuzz::disagree(name, detail.c_str());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 4096)
        return 0;
    std::string text(reinterpret_cast<const char*>(data), size);  // stops at an embedded NUL
    static const auto d = glibc<double (*)(const char*, char**)>("strtod");
    static const auto f = glibc<float (*)(const char*, char**)>("strtof");
    static const auto ld = glibc<long double (*)(const char*, char**)>("strtold");
    compare<double>("strtod", text, ccbox_libc_strtod, d);
    compare<float>("strtof", text, ccbox_libc_strtof, f);
    compare<long double>("strtold", text, ccbox_libc_strtold, ld);
    return 0;
}
