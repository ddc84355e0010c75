/* The helloworld enclave: answers an ECALL with an OCALL. */
#include <stdio.h>

#include "helloworld_t.h"

void enclave_helloworld(void)
{
    ccbox_result_t result = host_helloworld("Hello world from the enclave");
    if (result != CCBOX_OK)
        fprintf(stderr, "host_helloworld failed: %s\n", ccbox_result_str(result));
}
