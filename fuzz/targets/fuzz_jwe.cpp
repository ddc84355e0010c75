// Fuzzes the strict compact-JWE parser (src/common/box/jwe.cpp) that runs inside enclaves on
// the broker's answer as the hostile host relays it. Whatever it accepts must satisfy the
// contract of docs/keybroker.md (sizes, kid bounds) and point into the input.
#include "common/box/jwe.h"

#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ccbox::box::Jwe jwe;
    const char* text = reinterpret_cast<const char*>(data);
    if (ccbox::box::parse_jwe(text, size, &jwe) != ccbox::box::JweError::ok)
        return 0;
    if (jwe.protected_b64 != text || jwe.protected_b64_size >= size || jwe.kid_size == 0 ||
        jwe.kid_size > ccbox::box::kMaxKidSize || std::strlen(jwe.kid) != jwe.kid_size || jwe.ciphertext_size == 0 ||
        jwe.ciphertext_size > ccbox::box::kMaxJwePlaintext)
        std::abort();
    return 0;
}
