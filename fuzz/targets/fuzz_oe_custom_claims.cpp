// Fuzzes oe_deserialize_custom_claims (compat/openenclave/src/custom_claims.c), which parses the
// custom claims an OE application takes out of evidence (docs/openenclave.md "Attestation").
// Whatever it accepts must serialize back to exactly the input: every byte accounted for,
// NUL-terminated names, sizes within the buffer.
#include <openenclave/attestation/custom_claims.h>

#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    oe_claim_t* claims = nullptr;
    size_t n = 0;
    if (oe_deserialize_custom_claims(data, size, &claims, &n) != OE_OK) {
        if (claims || n)
            std::abort();  // a refusal leaves nothing behind
        return 0;
    }
    uint8_t* again = nullptr;
    size_t again_size = 0;
    if (oe_serialize_custom_claims(claims, n, &again, &again_size) != OE_OK || again_size != size ||
        std::memcmp(again, data, size) != 0)
        std::abort();
    oe_free_serialized_custom_claims(again);
    oe_free_custom_claims(claims, n);
    return 0;
}
