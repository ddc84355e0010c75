// ECALLs implemented in C++: the generated X_t.h declares them with C linkage.
#include "enc_check.h"

namespace {
constexpr int kSwitchlessFactor = 3;
}

int ecall_switchless(int x) {
    ccbox_result_t r = ocall_switchless();
    return r == CCBOX_OK ? x * kSwitchlessFactor : -1;
}

int ecall_ifndef_branch(void) { return 23; }
