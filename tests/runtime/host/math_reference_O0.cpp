// The host's side of the maths comparison, compiled at -O0 like math_enclave_O0.
#include "math_eval.hpp"

double host_math_eval_O0(int function, double a, double b, double c, int* error) {
    return ccbox_test::math_eval(function, a, b, c, error);
}
