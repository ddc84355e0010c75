/* The key broker tests' enclave: ccbox_get_evidence() over the claims it is given, as a
 * key-release enclave does over nonce ‖ its ephemeral public point. */
#include <ccbox/attester.h>
#include <string.h>

#include "keybroker_test_t.h"

int kb_get_evidence(const uint8_t* claims, size_t claims_size, uint8_t* evidence, size_t capacity, size_t* evidence_size)
{
    static const ccbox_uuid_t kFormat = CCBOX_FORMAT_UUID_SGX_ECDSA;
    uint8_t* buffer = NULL;
    size_t size = 0;
    ccbox_result_t r = ccbox_get_evidence(&kFormat, 0, claims, claims_size, NULL, 0, &buffer, &size, NULL, NULL);
    if (r != CCBOX_OK)
        return r;
    *evidence_size = size;
    if (size <= capacity)
        memcpy(evidence, buffer, size);
    else
        r = CCBOX_BUFFER_TOO_SMALL;
    ccbox_free_evidence(buffer);
    return r;
}
