// Shared by the enclave libc's differential fuzzers: reading structured choices from the fuzzer's
// bytes, and a hand-built x86-64 va_list whose arguments all sit in the overflow area, so that
// our vsnprintf/vsscanf and glibc's read exactly the same argument list (the System V ABI fixes
// how va_arg walks it) without a call with a fixed signature.
#pragma once

#include <dlfcn.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace ccbox_fuzz {

class Bytes {
  public:
    Bytes(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
    bool empty() const { return p_ == end_; }
    uint8_t u8() { return p_ == end_ ? 0 : *p_++; }
    uint64_t u64() {
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v = v << 8 | u8();
        return v;
    }
    unsigned below(unsigned n) { return n == 0 ? 0 : u8() % n; }

  private:
    const uint8_t* p_;
    const uint8_t* end_;
};

// The arguments of one call, as va_arg finds them in the overflow area: 8-byte slots, and long
// doubles in 16-byte slots aligned to 16.
class ArgTape {
  public:
    void word(uint64_t v) { put(&v, 8, 8); }
    void pointer(const void* p) { word(reinterpret_cast<uintptr_t>(p)); }
    void real(double d) {
        uint64_t v;
        std::memcpy(&v, &d, 8);
        word(v);
    }
    void long_double(long double x) {
        unsigned char b[16] = {};
        std::memcpy(b, &x, 10);
        put(b, 16, 16);
    }
    // A va_list over the tape; the tape must outlive it and not change.
    void start(va_list ap) {
        bytes_.resize(bytes_.size() + 64);  // slack: a format that reads one more argument
        auto* list = reinterpret_cast<Raw*>(ap);
        list->gp_offset = 48;   // all six general-purpose registers used
        list->fp_offset = 304;  // all eight vector registers used
        list->overflow_arg_area = bytes_.data();
        list->reg_save_area = nullptr;
    }

  private:
    struct Raw {
        unsigned gp_offset, fp_offset;
        void* overflow_arg_area;
        void* reg_save_area;
    };
    static_assert(sizeof(Raw) == sizeof(va_list));
    void put(const void* v, size_t n, size_t align) {
        while (bytes_.size() % align)
            bytes_.push_back(0);
        const auto* b = static_cast<const unsigned char*>(v);
        bytes_.insert(bytes_.end(), b, b + n);
    }
    std::vector<unsigned char, std::allocator<unsigned char>> bytes_;
};

// glibc's own function, not the sanitizer runtime's interceptor of it (ASan's strtol
// interceptor, for one, stores an uninitialised end pointer when the base is invalid).
template <typename F>
F glibc(const char* name) {
    static_assert(sizeof(F) == sizeof(void*));
    void* f = dlsym(RTLD_NEXT, name);
    if (f == nullptr) {
        std::fprintf(stderr, "glibc has no %s\n", name);
        std::abort();
    }
    F out;
    std::memcpy(&out, &f, sizeof f);
    return out;
}

[[noreturn]] inline void disagree(const char* what, const char* detail) {
    std::fprintf(stderr, "DISAGREEMENT with glibc: %s\n%s\n", what, detail);
    std::abort();
}

}  // namespace ccbox_fuzz
