/* The data-sealing host. One run seals, a later run unseals:
 *   datasealing_host ENCLAVE seal unique|product "secret text" FILE
 *   datasealing_host ENCLAVE unseal FILE
 * The host only ever sees the sealed blob. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datasealing_u.h"

static int fail(const char* what, ccbox_result_t r)
{
    fprintf(stderr, "%s: %s\n", what, ccbox_result_str(r));
    return 1;
}

static int seal(ccbox_enclave_t* enclave, const char* policy_name, const char* secret, const char* path)
{
    int policy = strcmp(policy_name, "unique") == 0    ? CCBOX_SEAL_POLICY_UNIQUE
                 : strcmp(policy_name, "product") == 0 ? CCBOX_SEAL_POLICY_PRODUCT
                                                       : 0;
    if (!policy) {
        fprintf(stderr, "policy must be 'unique' or 'product'\n");
        return 2;
    }
    static uint8_t blob[65536];
    size_t blob_size = 0;
    int status = 0;
    ccbox_result_t r = seal_secret(enclave, &status, policy, secret, blob, sizeof blob, &blob_size);
    if (r != CCBOX_OK || status != CCBOX_OK)
        return fail("seal_secret", r != CCBOX_OK ? r : (ccbox_result_t)status);
    FILE* f = fopen(path, "wb");
    if (!f || fwrite(blob, 1, blob_size, f) != blob_size || fclose(f) != 0) {
        perror(path);
        return 1;
    }
    printf("sealed %zu bytes of secret into %s (%zu bytes, %s policy)\n", strlen(secret), path, blob_size, policy_name);
    return 0;
}

static int unseal(ccbox_enclave_t* enclave, const char* path)
{
    static uint8_t blob[65536];
    FILE* f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t blob_size = fread(blob, 1, sizeof blob, f);
    fclose(f);
    char secret[4096];
    int status = 0;
    ccbox_result_t r = unseal_secret(enclave, &status, blob, blob_size, secret, sizeof secret);
    if (r != CCBOX_OK || status != CCBOX_OK)
        return fail("unseal_secret", r != CCBOX_OK ? r : (ccbox_result_t)status);
    printf("unsealed: %s\n", secret);
    return 0;
}

int main(int argc, const char* argv[])
{
    if (argc < 4 || (strcmp(argv[2], "seal") == 0 && argc != 6) || (strcmp(argv[2], "unseal") == 0 && argc != 4)) {
        fprintf(stderr, "usage: %s ENCLAVE seal unique|product SECRET FILE\n       %s ENCLAVE unseal FILE\n", argv[0],
                argv[0]);
        return 2;
    }
    ccbox_enclave_t* enclave = NULL;
    ccbox_result_t r = ccbox_create_datasealing_enclave(argv[1], CCBOX_ENCLAVE_FLAG_DEBUG_AUTO, NULL, 0, &enclave);
    if (r != CCBOX_OK)
        return fail("ccbox_create_datasealing_enclave", r);
    int rc = strcmp(argv[2], "seal") == 0 ? seal(enclave, argv[3], argv[4], argv[5]) : unseal(enclave, argv[3]);
    ccbox_terminate_enclave(enclave);
    return rc;
}
