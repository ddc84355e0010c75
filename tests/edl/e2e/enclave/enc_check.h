/* Checks in the test enclave: each ECALL returns 0, or the line of the first failed check. */
#ifndef EDL_TEST_ENC_CHECK_H
#define EDL_TEST_ENC_CHECK_H

#include "edl_test_t.h"

#define CHECK(cond)              \
    do {                         \
        if (!(cond))             \
            return __LINE__;     \
    } while (0)

/* Fails unless the whole buffer is enclave memory (a deep copy, not a host pointer). */
#define CHECK_INSIDE(p, n) CHECK((p) != NULL && ccbox_is_within_enclave((p), (n)))

#endif
