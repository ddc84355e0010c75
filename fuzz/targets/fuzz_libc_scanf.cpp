// Differential fuzzer: the enclave libc's vsscanf (src/enclave/libc/scanf.c) against glibc's, on
// formats built from the input (conversions d i u o x X p n c s [ a e f g %, '*', widths, length
// modifiers, scansets, literals, white space) and input text from the rest of it. Compared:
// the return value and every byte each conversion stored. errno is not compared: glibc's
// stream resets it at the end of the input (scanf.c, documented).
// Not generated, because the enclave libc does not support them (they end its scan, as
// docs/enclave-libc.md says): %lc, %ls, %l[, %C, %S, %m and positional %N$.
#include "libc_fuzz_support.hpp"

#include <string>

extern "C" int ccbox_libc_vsscanf(const char* str, const char* fmt, va_list ap);

namespace {
using ccbox_fuzz::ArgTape;
using ccbox_fuzz::Bytes;

struct alignas(16) Slot {
    unsigned char b[80];
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Bytes in(data, size);
    std::string format;
    unsigned assigned = 0;
    const unsigned specs = 1 + in.below(6);
    for (unsigned i = 0; i < specs && assigned < 16; ++i) {
        switch (in.below(5)) {
            case 0: format += ' '; break;
            case 1: format += static_cast<char>("-,:x0.e+"[in.below(8)]); break;
            default: break;
        }
        static const char kConv[] = "diouxXpncs[aefgEG%";
        char conv = kConv[in.below(sizeof kConv - 1)];
        format += '%';
        if (conv == '%') {
            format += '%';
            continue;
        }
        const bool suppress = conv != 'n' && in.below(5) == 0;
        if (suppress)
            format += '*';
        unsigned width = 0;
        if (conv == 'c' || conv == 's' || conv == '[' || in.below(3) == 0)
            width = 1 + in.below(conv == 'c' || conv == 's' || conv == '[' ? 32 : 60);
        if (width)
            format += std::to_string(width);
        switch (conv) {
            case 'd': case 'i': case 'o': case 'u': case 'x': case 'X': case 'n': {
                static const char* const kLengths[] = {"", "hh", "h", "l", "ll", "j", "z", "t", "q"};
                format += kLengths[in.below(9)];
                break;
            }
            case 'a': case 'e': case 'f': case 'g': case 'E': case 'G':
                format += in.below(3) == 0 ? "L" : in.below(2) == 0 ? "l" : "";
                break;
            default: break;
        }
        format += conv;
        if (conv == '[') {
            if (in.below(3) == 0)
                format += '^';
            if (in.below(4) == 0)
                format += ']';
            static const char kSet[] = "abc0-9x-z- ,.e";
            for (unsigned k = in.below(5); k > 0; --k)
                format += kSet[in.below(sizeof kSet - 1)];
            format += ']';
        }
        if (!suppress)
            ++assigned;
    }
    std::string text;
    while (!in.empty() && text.size() < 200) {
        char c = static_cast<char>(in.u8());
        if (c == 0)
            break;
        text += c;
    }
    std::vector<Slot> ours(assigned + 1), theirs(assigned + 1);
    std::memset(ours.data(), 0x5a, ours.size() * sizeof(Slot));
    std::memset(theirs.data(), 0x5a, theirs.size() * sizeof(Slot));
    ArgTape t1, t2;
    for (unsigned i = 0; i < assigned; ++i) {
        t1.pointer(ours[i].b);
        t2.pointer(theirs[i].b);
    }
    va_list ap1, ap2;
    t1.start(ap1);
    t2.start(ap2);
    int r1 = ccbox_libc_vsscanf(text.c_str(), format.c_str(), ap1);
    static const auto glibc_vsscanf = ccbox_fuzz::glibc<int (*)(const char*, const char*, va_list)>("__isoc99_vsscanf");
    int r2 = glibc_vsscanf(text.c_str(), format.c_str(), ap2);
    if (r1 != r2 || std::memcmp(ours.data(), theirs.data(), ours.size() * sizeof(Slot)) != 0) {
        size_t slot = 0;
        while (slot < ours.size() && std::memcmp(&ours[slot], &theirs[slot], sizeof(Slot)) == 0)
            ++slot;
        std::string detail = "format \"" + format + "\" input \"" + text + "\": ours " + std::to_string(r1) +
                             ", glibc " + std::to_string(r2) + ", first differing destination " + std::to_string(slot);
        ccbox_fuzz::disagree("vsscanf", detail.c_str());
    }
    return 0;
}
