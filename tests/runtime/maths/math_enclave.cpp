// The maths test enclave: <cmath> from Debian's libm.a, built at -O0 and at -O2
// (tests/runtime/CMakeLists.txt). Trust domain: enclave (test).
#include "math_eval.hpp"
#include "math_test_t.h"

#include <ccbox/enclave.h>

#include <cerrno>
#include <cmath>

CCBOX_SET_ENCLAVE_PROPERTIES(/*product*/ 1, /*svn*/ 1, /*debug*/ 1, /*heap*/ 256, /*stack*/ 32, /*tcs*/ 2);

int mt_eval(int function, const double* a, const double* b, const double* c, double* out, int* err, size_t n) {
    if (function < 0 || function >= MT_COUNT)
        return -1;
    for (size_t i = 0; i < n; ++i)
        out[i] = ccbox_test::math_eval(function, a[i], b[i], c[i], &err[i]);
    return 0;
}

namespace {
volatile double g_minus_one = -1.0;
volatile double g_thousand = 1000.0;
}  // namespace

int mt_errno_thread(int role) {
    errno = 0;
    if (role == 0) {
        (void)std::log(g_minus_one);  // EDOM in this thread
        mt_host_wait();               // meanwhile role 1 runs on another TCS
        return errno;
    }
    (void)std::exp(g_thousand);  // ERANGE in this one
    return errno;
}
