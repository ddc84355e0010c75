/* tests/sanitizer: INT_MAX - 1 + addend. 1 fits; 2 is a signed overflow, which the sanitizer
 * configuration's trapping UBSan must turn into an enclave abort. */
#include <limits.h>

#include "ub_enclave_t.h"

int ub_add_to_max(int addend)
{
    volatile int base = INT_MAX - 1;
    return base + addend;
}
