/* The data-sealing enclave: ccbox_seal() and ccbox_unseal(). The sealed blob is safe to hand
 * to the untrusted host: only an enclave the policy allows, on this platform, can open it. */
#include <string.h>

#include "datasealing_t.h"

static const char kContext[] = "data-sealing sample v1"; /* authenticated, not stored */

int seal_secret(int policy, const char* secret, uint8_t* blob, size_t capacity, size_t* blob_size)
{
    uint8_t* sealed = NULL;
    size_t sealed_size = 0;
    ccbox_result_t r = ccbox_seal((ccbox_seal_policy_t)policy, (const uint8_t*)secret, strlen(secret),
                                  (const uint8_t*)kContext, sizeof kContext, &sealed, &sealed_size);
    if (r != CCBOX_OK)
        return r;
    *blob_size = sealed_size;
    if (sealed_size <= capacity)
        memcpy(blob, sealed, sealed_size);
    else
        r = CCBOX_BUFFER_TOO_SMALL;
    ccbox_free(sealed);
    return r;
}

int unseal_secret(const uint8_t* blob, size_t blob_size, char* secret, size_t capacity)
{
    uint8_t* plain = NULL;
    size_t plain_size = 0;
    ccbox_result_t r = ccbox_unseal(blob, blob_size, (const uint8_t*)kContext, sizeof kContext, &plain, &plain_size);
    if (r != CCBOX_OK)
        return r;
    if (plain_size < capacity) {
        memcpy(secret, plain, plain_size);
        secret[plain_size] = '\0';
    } else {
        r = CCBOX_BUFFER_TOO_SMALL;
    }
    memset(plain, 0, plain_size);
    ccbox_free(plain);
    return r;
}
