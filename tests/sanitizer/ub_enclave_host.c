/* tests/sanitizer: runs ub_add_to_max(ADDEND) in the sim backend and prints the result, or
 * the failure (CCBOX_ENCLAVE_ABORTED when the trapping UBSan stopped the enclave). Exits 0 only
 * when the ECALL succeeded. Usage: ub_enclave_host IMAGE ADDEND */
#include <stdio.h>
#include <stdlib.h>

#include "ub_enclave_u.h"

int main(int argc, char** argv)
{
    if (argc != 3)
        return 2;
    ccbox_enclave_t* enclave = NULL;
    ccbox_result_t r = ccbox_create_ub_enclave_enclave(argv[1], CCBOX_ENCLAVE_FLAG_SIMULATE | CCBOX_ENCLAVE_FLAG_DEBUG,
                                                       NULL, 0, &enclave);
    if (r != CCBOX_OK) {
        printf("create: %s\n", ccbox_result_str(r));
        return 2;
    }
    int sum = 0;
    r = ub_add_to_max(enclave, &sum, atoi(argv[2]));
    if (r == CCBOX_OK)
        printf("%d\n", sum);
    else
        printf("ub_add_to_max: %s\n", ccbox_result_str(r));
    (void)ccbox_terminate_enclave(enclave);
    return r == CCBOX_OK ? 0 : 1;
}
