// One evaluation of a maths test function, compiled into the enclave (its libm: Debian's libm.a
// inside the enclave) and into the host test (the host's libm.so). std:: names, as an analytics
// enclave written in C++ calls them. Internal linkage: the host test compiles it twice, at -O0
// and at -O2, as the enclaves are (GCC 12 at -O2 assumes sin() leaves errno alone: the callers
// of one optimisation level must be compared with each other).
#pragma once

#include "math_functions.h"

#include <cerrno>
#include <cmath>

namespace ccbox_test {

static inline double math_eval(int function, double a, double b, double c, int* error) {
    double r = 0;
    int e = 0;
    float fa = static_cast<float>(a), fb = static_cast<float>(b), fc = static_cast<float>(c);
    errno = 0;
    switch (function) {
        case MT_SQRT: r = std::sqrt(a); break;
        case MT_POW: r = std::pow(a, b); break;
        case MT_EXP: r = std::exp(a); break;
        case MT_LOG: r = std::log(a); break;
        case MT_LGAMMA: r = std::lgamma(a); break;
        case MT_FMA: r = std::fma(a, b, c); break;
        case MT_EXP2: r = std::exp2(a); break;
        case MT_EXPM1: r = std::expm1(a); break;
        case MT_LOG2: r = std::log2(a); break;
        case MT_LOG10: r = std::log10(a); break;
        case MT_LOG1P: r = std::log1p(a); break;
        case MT_CBRT: r = std::cbrt(a); break;
        case MT_HYPOT: r = std::hypot(a, b); break;
        case MT_SIN: r = std::sin(a); break;
        case MT_COS: r = std::cos(a); break;
        case MT_TAN: r = std::tan(a); break;
        case MT_ASIN: r = std::asin(a); break;
        case MT_ACOS: r = std::acos(a); break;
        case MT_ATAN: r = std::atan(a); break;
        case MT_ATAN2: r = std::atan2(a, b); break;
        case MT_SINH: r = std::sinh(a); break;
        case MT_COSH: r = std::cosh(a); break;
        case MT_TANH: r = std::tanh(a); break;
        case MT_ASINH: r = std::asinh(a); break;
        case MT_ACOSH: r = std::acosh(a); break;
        case MT_ATANH: r = std::atanh(a); break;
        case MT_ERF: r = std::erf(a); break;
        case MT_ERFC: r = std::erfc(a); break;
        case MT_TGAMMA: r = std::tgamma(a); break;
        case MT_FLOOR: r = std::floor(a); break;
        case MT_CEIL: r = std::ceil(a); break;
        case MT_ROUND: r = std::round(a); break;
        case MT_TRUNC: r = std::trunc(a); break;
        case MT_RINT: r = std::rint(a); break;
        case MT_NEARBYINT: r = std::nearbyint(a); break;
        case MT_FMOD: r = std::fmod(a, b); break;
        case MT_REMAINDER: r = std::remainder(a, b); break;
        case MT_FREXP: {
            int exponent = 0;
            r = std::frexp(a, &exponent) + exponent;
            break;
        }
        case MT_LDEXP: r = std::ldexp(a, static_cast<int>(std::fmax(-5000.0, std::fmin(5000.0, b)))); break;
        case MT_MODF: {
            double whole = 0;
            r = std::modf(a, &whole) - whole;
            break;
        }
        case MT_COPYSIGN: r = std::copysign(a, b); break;
        case MT_NEXTAFTER: r = std::nextafter(a, b); break;
        case MT_FDIM: r = std::fdim(a, b); break;
        case MT_FMAX: r = std::fmax(a, b); break;
        case MT_FMIN: r = std::fmin(a, b); break;
        case MT_SQRTF: r = std::sqrt(fa); break;
        case MT_EXPF: r = std::exp(fa); break;
        case MT_LOGF: r = std::log(fa); break;
        case MT_POWF: r = std::pow(fa, fb); break;
        case MT_SINF: r = std::sin(fa); break;
        case MT_COSF: r = std::cos(fa); break;
        case MT_LOG2F: r = std::log2(fa); break;
        case MT_EXP2F: r = std::exp2(fa); break;
        case MT_FMAF: r = std::fma(fa, fb, fc); break;
        default: e = -1; break;
    }
    if (e == 0)
        e = errno;
    *error = e;
    return r;
}

}  // namespace ccbox_test
