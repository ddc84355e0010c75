// Differential fuzzer: the enclave libc's strtol family (src/enclave/libc/stdlib.c) against
// glibc's: value, end pointer and errno, for every base (valid or not) chosen by the first byte.
#include "libc_fuzz_support.hpp"

#include <cerrno>
#include <cinttypes>
#include <string>

extern "C" {
long ccbox_libc_strtol(const char*, char**, int);
unsigned long ccbox_libc_strtoul(const char*, char**, int);
long long ccbox_libc_strtoll(const char*, char**, int);
unsigned long long ccbox_libc_strtoull(const char*, char**, int);
intmax_t ccbox_libc_strtoimax(const char*, char**, int);
uintmax_t ccbox_libc_strtoumax(const char*, char**, int);
}

namespace {

template <typename T>
void compare(const char* name, const std::string& text, int base, T (*ours)(const char*, char**, int),
             T (*theirs)(const char*, char**, int)) {
    char* end1 = nullptr;
    char* end2 = nullptr;
    errno = 0;
    T a = ours(text.c_str(), &end1, base);
    int e1 = errno;
    errno = 0;
    T b = theirs(text.c_str(), &end2, base);
    int e2 = errno;
    if (a != b || end1 != end2 || e1 != e2) {
        std::string detail = "input \"" + text + "\" base " + std::to_string(base) + ": ours " + std::to_string(a) +
                             " end " + std::to_string(end1 - text.c_str()) + " errno " + std::to_string(e1) +
                             ", glibc " + std::to_string(b) + " end " + std::to_string(end2 - text.c_str()) +
                             " errno " + std::to_string(e2);
        ccbox_fuzz::disagree(name, detail.c_str());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0 || size > 1024)
        return 0;
    static const int kBases[] = {0, 10, 16, 8, 2, 36, 1, 37, -1, 3, 35, 20};
    const int base = data[0] < 200 ? kBases[data[0] % 12] : data[0] - 200;
    std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    using ccbox_fuzz::glibc;
    static const auto l = glibc<long (*)(const char*, char**, int)>("strtol");
    static const auto ul = glibc<unsigned long (*)(const char*, char**, int)>("strtoul");
    static const auto ll = glibc<long long (*)(const char*, char**, int)>("strtoll");
    static const auto ull = glibc<unsigned long long (*)(const char*, char**, int)>("strtoull");
    static const auto im = glibc<intmax_t (*)(const char*, char**, int)>("strtoimax");
    static const auto um = glibc<uintmax_t (*)(const char*, char**, int)>("strtoumax");
    compare<long>("strtol", text, base, ccbox_libc_strtol, l);
    compare<unsigned long>("strtoul", text, base, ccbox_libc_strtoul, ul);
    compare<long long>("strtoll", text, base, ccbox_libc_strtoll, ll);
    compare<unsigned long long>("strtoull", text, base, ccbox_libc_strtoull, ull);
    compare<intmax_t>("strtoimax", text, base, ccbox_libc_strtoimax, im);
    compare<uintmax_t>("strtoumax", text, base, ccbox_libc_strtoumax, um);
    return 0;
}
