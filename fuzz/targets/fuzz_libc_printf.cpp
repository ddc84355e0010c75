// Differential fuzzer: the enclave libc's vsnprintf (src/enclave/libc/format.c) against glibc's,
// on formats built from the input: every conversion, flag, width, precision and length modifier,
// '*' widths and precisions, %n, and positional ("%N$") formats, with arguments of the right
// types (raw double and long double bit patterns included) and every buffer size.
// A disagreement in the output, the return value, errno or a %n result aborts.
#include "libc_fuzz_support.hpp"

#include <cerrno>
#include <string>
#include <wchar.h>

extern "C" int ccbox_libc_vsnprintf(char* buf, size_t size, const char* fmt, va_list ap);

namespace {

using ccbox_fuzz::ArgTape;
using ccbox_fuzz::Bytes;

enum Kind { kInt, kLong, kDouble, kLongDouble, kString, kWString, kPointer, kCount, kPercentN, kStar };

struct Arg {
    Kind kind;
    uint64_t word;
    long double ld;
    int string;
};

const char* const kStrings[] = {"", "x", "hello, world", "%s%n", "\xff\x80 bytes", "a longer string of forty characters.."};
const wchar_t* const kWStrings[] = {L"", L"w", L"wide ascii", L"caf\u00e9"};

struct Built {
    std::string format;
    std::vector<Arg> args;  // in argument order
};

// Appends one conversion specification; `position` > 0 makes it positional.
void add_spec(Bytes& in, Built& b, int position, std::vector<int>* star_positions, Kind* data_kind,
              std::string* type_key = nullptr) {
    static const char kConversions[] = "diouxXbBcspeEfFgGaA%nCS";
    std::string& f = b.format;
    f += '%';
    if (position > 0)
        f += std::to_string(position) + "$";
    unsigned flags = in.u8();
    unsigned w = in.below(8);
    // glibc 2.36 bug: in a positional format a negative '*' width with the '0' flag keeps
    // padding with zeros on the right (%f of 1.0 in 12: "1.0000000000", %g: "100000000000",
    // %a: no padding). The enclave libc pads with spaces, as C requires and as glibc's own
    // sequential path does (tests/enclave_libc/format_test.cpp); not generated here.
    if (star_positions && w == 3)
        flags &= ~(1u << 4);
    for (int i = 0; i < 7; ++i)
        if (flags & (1u << i))
            f += "-+ #0'I"[i];
    if (w == 1)
        f += std::to_string(in.u8() % 40);
    else if (w == 2)
        f += std::to_string(in.u8() + in.u8() * 4u);  // up to 1275
    else if (w == 3) {
        f += '*';
        if (star_positions)
            star_positions->push_back(0), f += "%STAR$";  // placeholder, numbered below
        else
            b.args.push_back({kInt, static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(in.u8()))), 0, 0});
    }
    unsigned p = in.below(8);
    if (p == 1)
        f += ".";
    else if (p == 2)
        f += "." + std::to_string(in.u8() % 40);
    else if (p == 3)
        f += "." + std::to_string(in.u8() * 3u);
    else if (p == 4) {
        f += ".*";
        if (star_positions)
            star_positions->push_back(0), f += "%STAR$";
        else
            b.args.push_back({kInt, static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(in.u8()) * 3)), 0, 0});
    }
    char conv = kConversions[in.below(sizeof kConversions - 1)];
    if (position > 0 && (conv == '%'))
        conv = 'd';
    const char* length = "";
    Kind kind = kInt;
    switch (conv) {
        case 'd': case 'i': case 'o': case 'u': case 'x': case 'X': case 'b': case 'B': {
            static const char* const kLengths[] = {"", "hh", "h", "l", "ll", "j", "z", "t", "q", "L"};
            unsigned l = in.below(10);
            length = kLengths[l];
            kind = l >= 3 ? kLong : kInt;
            break;
        }
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
            if (in.below(3) == 0) {
                length = "L";
                kind = kLongDouble;
            } else {
                length = in.below(4) == 0 ? "l" : "";
                kind = kDouble;
            }
            break;
        case 'c':
            if (in.below(4) == 0)
                length = "l";
            kind = kInt;
            break;
        case 'C':
            kind = kInt;
            break;
        case 's':
            if (in.below(4) == 0) {
                length = "l";
                kind = kWString;
            } else {
                kind = kString;
            }
            break;
        case 'S':
            kind = kWString;
            break;
        case 'p':
            kind = kPointer;
            break;
        case 'n': {
            static const char* const kLengths[] = {"", "hh", "h", "l", "ll", "j", "z"};
            length = kLengths[in.below(7)];
            kind = kPointer;  // filled in per implementation
            break;
        }
        case '%':
            kind = kCount;
            break;
    }
    f += length;
    f += conv;
    if (type_key)  // the exact type the conversion reads: a positional argument keeps one type
        *type_key = std::string(length) + (std::strchr("diouxXbB", conv) ? "i" : std::strchr("eEfFgGaA", conv) ? "f" : std::string(1, conv));
    if (conv == 'n')
        kind = kPercentN;
    *data_kind = kind;
}

Arg value_for(Bytes& in, Kind kind) {
    Arg a{kind, 0, 0, 0};
    switch (kind) {
        case kInt: {
            static const int64_t kEdges[] = {0, 1, -1, 127, 128, 255, 32767, -32768, 65535, INT32_MAX, INT32_MIN};
            a.word = in.below(3) == 0 ? static_cast<uint64_t>(kEdges[in.below(11)]) : in.u64();
            if (in.below(5) == 0)  // %lc with a character beyond ASCII
                a.word = 0x20ac;
            break;
        }
        case kLong: case kPointer: a.word = in.u64(); break;
        case kDouble: {
            static const double kEdges[] = {0.0, -0.0, 1.0, 0.5, 9.5, 0.05, 1e22, 1e23, 5e-324, 2.2250738585072014e-308,
                                            1.7976931348623157e308, __builtin_inf(), -__builtin_inf(), __builtin_nan(""),
                                            -__builtin_nan("")};
            if (in.below(2) == 0) {
                double d = kEdges[in.below(15)];
                std::memcpy(&a.word, &d, 8);
            } else {
                a.word = in.u64();
            }
            break;
        }
        case kLongDouble: {
            unsigned char b[16] = {};
            uint64_t mant = in.u64();
            uint16_t se = static_cast<uint16_t>(in.u8() | in.u8() << 8);
            if (in.below(3) != 0)  // mostly valid encodings: the integer bit agrees with the exponent
                mant = ((se & 0x7fff) != 0) ? (mant | (1ull << 63)) : (mant & ~(1ull << 63));
            std::memcpy(b, &mant, 8);
            std::memcpy(b + 8, &se, 2);
            std::memcpy(&a.ld, b, sizeof a.ld < 16 ? sizeof a.ld : 16);
            break;
        }
        case kStar:  // a '*' width or precision: small, negative included (a width < 0 means '-')
            a.word = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(in.u8()) * 3));
            break;
        case kString: a.string = static_cast<int>(in.below(6)); break;
        case kWString: a.string = static_cast<int>(in.below(4)); break;
        default: break;
    }
    return a;
}

struct Slots {
    long long n[64];
};

void fill(ArgTape& tape, const std::vector<Arg>& args, Slots& slots) {
    size_t next_slot = 0;
    for (const Arg& a : args) {
        switch (a.kind) {
            case kInt: case kLong: case kPointer: case kDouble: case kStar: tape.word(a.word); break;
            case kLongDouble: tape.long_double(a.ld); break;
            case kString: tape.pointer(kStrings[a.string]); break;
            case kWString: tape.pointer(kWStrings[a.string]); break;
            default: tape.pointer(&slots.n[next_slot++ % 64]); break;  // %n
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Bytes in(data, size);
    Built b;
    const bool positional = in.below(4) == 0;
    const unsigned specs = 1 + in.below(6);
    if (!positional) {
        for (unsigned i = 0; i < specs; ++i) {
            if (in.below(3) == 0)
                b.format += "lit";
            Kind kind;
            add_spec(in, b, 0, nullptr, &kind);
            if (kind != kCount)
                b.args.push_back(value_for(in, kind));
        }
    } else {
        // Every argument 1..k is used with one type; specs refer to them in any order.
        std::vector<Kind> kinds;
        std::vector<std::string> keys;  // glibc and C: one type per positional argument
        std::string format;
        for (unsigned i = 0; i < specs; ++i) {
            Built spec;
            std::vector<int> stars;
            Kind kind;
            std::string key;
            add_spec(in, spec, 1, &stars, &kind, &key);  // position 1 for now, renumbered below
            if (kind == kCount)
                continue;
            // Star arguments and the data argument each get a fresh number, or reuse an
            // earlier argument of the same type.
            auto number = [&](Kind k, const std::string& type) {
                for (size_t j = 0; j < kinds.size(); ++j)
                    if (kinds[j] == k && keys[j] == type && in.below(3) == 0 && k != kPercentN)
                        return static_cast<int>(j + 1);
                kinds.push_back(k);
                keys.push_back(type);
                return static_cast<int>(kinds.size());
            };
            std::string s = spec.format;
            size_t at;
            while ((at = s.find("%STAR$")) != std::string::npos)
                s.replace(at, 6, std::to_string(number(kStar, "*")) + "$");
            s.replace(1, 2, std::to_string(number(kind, key)) + "$");  // "%1$" -> "%N$"
            format += (in.below(3) == 0 ? "-" : "") + s;
        }
        if (kinds.empty())
            return 0;
        b.format = format;
        for (Kind k : kinds)
            b.args.push_back(value_for(in, k));
    }
    size_t capacity = in.below(4) == 0 ? in.below(16) : 4096;
    if (std::getenv("CCBOX_FUZZ_VERBOSE"))
        std::fprintf(stderr, "format \"%s\"\n", b.format.c_str());

    Slots ours_n{}, theirs_n{};
    ArgTape ours_tape, theirs_tape;
    fill(ours_tape, b.args, ours_n);
    fill(theirs_tape, b.args, theirs_n);
    std::vector<char> ours(capacity + 1, '\x7f'), theirs(capacity + 1, '\x7f');
    va_list ap1, ap2;
    ours_tape.start(ap1);
    theirs_tape.start(ap2);
    errno = 0;
    int r1 = ccbox_libc_vsnprintf(ours.data(), capacity, b.format.c_str(), ap1);
    int e1 = errno;
    errno = 0;
    static const auto glibc_vsnprintf = ccbox_fuzz::glibc<int (*)(char*, size_t, const char*, va_list)>("vsnprintf");
    int r2 = glibc_vsnprintf(theirs.data(), capacity, b.format.c_str(), ap2);
    int e2 = errno;
    if (r1 != r2 || (r1 < 0 && e1 != e2) || (r1 >= 0 && ours != theirs) || std::memcmp(&ours_n, &theirs_n, sizeof ours_n) != 0) {
        std::string detail = "format \"" + b.format + "\" size " + std::to_string(capacity) + ": ours " +
                             std::to_string(r1) + " errno " + std::to_string(e1) + " \"" +
                             std::string(ours.data(), r1 > 0 ? std::min<size_t>(r1, capacity ? capacity - 1 : 0) : 0) +
                             "\", glibc " + std::to_string(r2) + " errno " + std::to_string(e2) + " \"" +
                             std::string(theirs.data(), r2 > 0 ? std::min<size_t>(r2, capacity ? capacity - 1 : 0) : 0) + "\"";
        for (const Arg& a : b.args) {
            char word[64];
            std::snprintf(word, sizeof word, " [kind %d: %#llx %La]", static_cast<int>(a.kind),
                          static_cast<unsigned long long>(a.word), a.ld);
            detail += word;
        }
        ccbox_fuzz::disagree("vsnprintf", detail.c_str());
    }
    return 0;
}
