// The host's side of the maths comparison, compiled at -O2 like math_enclave_O2.
#include "math_eval.hpp"

double host_math_eval_O2(int function, double a, double b, double c, int* error) {
    return ccbox_test::math_eval(function, a, b, c, error);
}
