/* The helloworld host: creates the enclave, calls into it, and prints what it sends back.
 * Usage: helloworld_host ENCLAVE_IMAGE   (CCBOX_SIMULATE=1 selects the sim backend) */
#include <stdio.h>

#include "helloworld_u.h"

void host_helloworld(const char* message)
{
    printf("%s\n", message);
}

int main(int argc, const char* argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s ENCLAVE_IMAGE\n", argv[0]);
        return 2;
    }
    ccbox_enclave_t* enclave = NULL;
    ccbox_result_t result = ccbox_create_helloworld_enclave(argv[1], CCBOX_ENCLAVE_FLAG_DEBUG_AUTO, NULL, 0, &enclave);
    if (result != CCBOX_OK) {
        fprintf(stderr, "ccbox_create_helloworld_enclave: %s\n", ccbox_result_str(result));
        return 1;
    }
    result = enclave_helloworld(enclave);
    if (result != CCBOX_OK)
        fprintf(stderr, "enclave_helloworld: %s\n", ccbox_result_str(result));
    ccbox_result_t terminated = ccbox_terminate_enclave(enclave);
    if (terminated != CCBOX_OK)
        fprintf(stderr, "ccbox_terminate_enclave: %s\n", ccbox_result_str(terminated));
    return result == CCBOX_OK && terminated == CCBOX_OK ? 0 : 1;
}
