// ECALLs implemented in C++: the generated X_t.h declares them with C linkage.
#include <cstring>

#include "enc_check.h"

namespace {
constexpr int kSwitchlessFactor = 3;
}

int ecall_switchless(int x) {
    ccbox_result_t r = ocall_switchless();
    return r == CCBOX_OK ? x * kSwitchlessFactor : -1;
}

int ecall_ifndef_branch(void) { return 23; }

// The proxy of the [dllimport] OCALL memccpy overloads the C library's memccpy, which <cstring>
// declares too: the call with a place for the return value is the OCALL.
int ecall_dllimport_cxx(void) {
    char dest[8] = "-------";
    const char src[8] = "ab\0cdef";
    void* stop = nullptr;
    CHECK(memccpy(&stop, dest, src, '\0', sizeof dest) == CCBOX_OK);
    CHECK(stop != nullptr);  // the host's pointer just after the copied NUL: a value only
    CHECK(std::memcmp(dest, "ab\0----", sizeof dest) == 0);
    return 0;
}
