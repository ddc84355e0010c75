// The lifecycle test enclave: state a constructor builds (around an OCALL) and a destructor
// frees, so that a call that runs before the constructor finished or after TERMINATE sees
// what it should not. Trust domain: enclave (test).
#include "lifecycle_test_t.h"

#include <stdint.h>
#include <string.h>

#include <vector>

namespace {

// Larger than the runtime's inline call buffers (512 bytes), so that the block a destructor
// frees is one an ECALL's input copy could be given next.
constexpr size_t kStateSize = 4096;

uint8_t pattern(size_t i) { return static_cast<uint8_t>(i * 131 + 7); }

struct State {
    std::vector<uint8_t> bytes;
    int stage = 0;  // 1: the constructor is in its OCALL, 2: done
    State() {
        stage = 1;
        host_in_constructor(reinterpret_cast<uintptr_t>(ccbox_get_enclave()));
        bytes.resize(kStateSize);
        for (size_t i = 0; i < kStateSize; ++i)
            bytes[i] = pattern(i);
        stage = 2;
    }
    // As most code does: frees (the vector's destructor, after this), and leaves the object
    // as it is. Its OCALL allow()s ECALLs, which the runtime still refuses while terminating.
    ~State() {
        stage = 3;
        host_in_destructor();
    }
};

State g_state;

}  // namespace

int lc_check_state() {
    int wrong = 0;
    if (g_state.stage != 2)
        wrong |= 1;
    if (g_state.bytes.size() != kStateSize)
        wrong |= 2;
    else
        for (size_t i = 0; i < kStateSize; ++i)
            if (g_state.bytes[i] != pattern(i)) {
                wrong |= 4;
                break;
            }
    return wrong;
}

int lc_add(int a, int b) { return a + b; }

int lc_hold_and_check(int tag) {
    volatile int own = tag * 3 + 1;  // this ECALL's own state, on its stack
    const uint8_t* data = g_state.bytes.data();
    int before = lc_check_state();
    host_hold(tag);
    int after = lc_check_state();
    if (g_state.bytes.data() != data)
        after |= 8;
    if (own != tag * 3 + 1)
        after |= 16;
    return before == 0 ? after : 0x100 | before;
}

int lc_during_constructor() { return g_state.stage; }

int lc_nest(int levels) {
    if (levels <= 0)
        return 1;
    int inner = 0;
    ccbox_result_t r = host_nest(&inner, levels - 1);
    if (r != CCBOX_OK)
        return -static_cast<int>(r);
    return inner > 0 ? inner + 1 : inner;
}

int lc_nest_inner(int levels) { return lc_nest(levels); }
