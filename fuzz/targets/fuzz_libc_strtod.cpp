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
// and 0x1.233021p-127 is taken as exact (no ERANGE). Decimal input is not affected. For such
// inputs the reference is the exactly rounded value, from glibc's strtold when it is exact
// (at most 16 significant hex digits) and the x87's correctly rounded conversion.
template <typename T>
bool hex_reference_agrees(const std::string& text, T ours, int ours_errno) {
    if constexpr (sizeof(T) > 8) {
        return false;
    } else {
        size_t x = text.find_first_of("xX");
        if (x == std::string::npos)
            return false;
        size_t digits = 0, p = x + 1;
        bool started = false;
        for (; p < text.size() && (std::isxdigit(static_cast<unsigned char>(text[p])) || text[p] == '.'); ++p)
            if (text[p] != '.' && (started |= text[p] != '0'))
                ++digits;
        if (digits == 0 || digits > 16)
            return false;
        const long double exact = glibc<long double (*)(const char*, char**)>("strtold")(text.c_str(), nullptr);
        const T rounded = static_cast<T>(exact);
        const bool tiny = rounded == 0 || std::fpclassify(rounded) == FP_SUBNORMAL;
        const int want_errno = (tiny && static_cast<long double>(rounded) != exact) || std::isinf(rounded) ? ERANGE : 0;
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
    if ((std::memcmp(&a, &b, bytes) != 0 || e1 != e2) && end1 == end2 && hex_reference_agrees(text, a, e1))
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
