/* oe_serialize_custom_claims / oe_deserialize_custom_claims in Open Enclave's layout
 * (openenclave/attestation/custom_claims.h). Both sides. The buffer being parsed usually came
 * out of verified evidence, but the parser assumes nothing: every size is checked against what
 * is left before it is used, and no sum can overflow. */
#include <openenclave/attestation/custom_claims.h>

#include <stdlib.h>
#include <string.h>

#define HEADER_SIZE 16u /* version, number of claims */
#define ENTRY_SIZE 16u  /* name_size, value_size */

static void put_u64(uint8_t* p, uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_u64(const uint8_t* p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

oe_result_t oe_free_serialized_custom_claims(uint8_t* custom_claims_buffer)
{
    free(custom_claims_buffer);
    return OE_OK;
}

oe_result_t oe_free_custom_claims(oe_claim_t* custom_claims, size_t custom_claims_length)
{
    if (!custom_claims)
        return OE_OK;
    for (size_t i = 0; i < custom_claims_length; ++i) {
        free(custom_claims[i].name);
        free(custom_claims[i].value);
    }
    free(custom_claims);
    return OE_OK;
}

oe_result_t oe_serialize_custom_claims(const oe_claim_t* custom_claims, size_t custom_claims_length,
                                       uint8_t** claims_out, size_t* claims_size_out)
{
    if (!claims_out || !claims_size_out || (custom_claims_length && !custom_claims))
        return OE_INVALID_PARAMETER;
    *claims_out = NULL;
    *claims_size_out = 0;
    size_t total = HEADER_SIZE;
    for (size_t i = 0; i < custom_claims_length; ++i) {
        const oe_claim_t* c = &custom_claims[i];
        if (!c->name || (c->value_size && !c->value))
            return OE_INVALID_PARAMETER;
        const size_t name_size = strlen(c->name) + 1;
        if (total > SIZE_MAX - ENTRY_SIZE || total + ENTRY_SIZE > SIZE_MAX - name_size ||
            total + ENTRY_SIZE + name_size > SIZE_MAX - c->value_size)
            return OE_INTEGER_OVERFLOW;
        total += ENTRY_SIZE + name_size + c->value_size;
    }
    uint8_t* out = (uint8_t*)malloc(total);
    if (!out)
        return OE_OUT_OF_MEMORY;
    put_u64(out, OE_CUSTOM_CLAIMS_VERSION);
    put_u64(out + 8, custom_claims_length);
    size_t at = HEADER_SIZE;
    for (size_t i = 0; i < custom_claims_length; ++i) {
        const oe_claim_t* c = &custom_claims[i];
        const size_t name_size = strlen(c->name) + 1;
        put_u64(out + at, name_size);
        put_u64(out + at + 8, c->value_size);
        at += ENTRY_SIZE;
        memcpy(out + at, c->name, name_size);
        at += name_size;
        if (c->value_size)
            memcpy(out + at, c->value, c->value_size);
        at += c->value_size;
    }
    *claims_out = out;
    *claims_size_out = total;
    return OE_OK;
}

oe_result_t oe_deserialize_custom_claims(const uint8_t* claims_buffer, size_t claims_buffer_size,
                                         oe_claim_t** claims_out, size_t* claims_length_out)
{
    if (!claims_buffer || !claims_out || !claims_length_out)
        return OE_INVALID_PARAMETER;
    *claims_out = NULL;
    *claims_length_out = 0;
    if (claims_buffer_size < HEADER_SIZE || get_u64(claims_buffer) != OE_CUSTOM_CLAIMS_VERSION)
        return OE_INVALID_PARAMETER;
    const uint64_t count = get_u64(claims_buffer + 8);
    /* Each claim takes at least ENTRY_SIZE + 1 bytes: a count larger than that is a lie, and
     * refusing it here keeps the allocation below bounded by the buffer. */
    if (count > (claims_buffer_size - HEADER_SIZE) / (ENTRY_SIZE + 1))
        return OE_INVALID_PARAMETER;
    oe_claim_t* claims = (oe_claim_t*)calloc(count ? (size_t)count : 1, sizeof(oe_claim_t));
    if (!claims)
        return OE_OUT_OF_MEMORY;
    size_t at = HEADER_SIZE;
    oe_result_t result = OE_OK;
    size_t done = 0;
    for (; done < count; ++done) {
        size_t left = claims_buffer_size - at;
        if (left < ENTRY_SIZE) {
            result = OE_INVALID_PARAMETER;
            break;
        }
        const uint64_t name_size = get_u64(claims_buffer + at);
        const uint64_t value_size = get_u64(claims_buffer + at + 8);
        at += ENTRY_SIZE;
        left -= ENTRY_SIZE;
        if (name_size == 0 || name_size > left || value_size > left - name_size ||
            claims_buffer[at + name_size - 1] != 0 || memchr(claims_buffer + at, 0, name_size) != claims_buffer + at + name_size - 1) {
            result = OE_INVALID_PARAMETER;
            break;
        }
        claims[done].name = (char*)malloc((size_t)name_size);
        claims[done].value = (uint8_t*)malloc(value_size ? (size_t)value_size : 1);
        if (!claims[done].name || !claims[done].value) {
            ++done;
            result = OE_OUT_OF_MEMORY;
            break;
        }
        memcpy(claims[done].name, claims_buffer + at, (size_t)name_size);
        at += name_size;
        if (value_size)
            memcpy(claims[done].value, claims_buffer + at, (size_t)value_size);
        claims[done].value_size = (size_t)value_size;
        at += value_size;
    }
    if (result == OE_OK && at != claims_buffer_size)
        result = OE_INVALID_PARAMETER; /* trailing bytes */
    if (result != OE_OK) {
        oe_free_custom_claims(claims, done);
        return result;
    }
    *claims_out = claims;
    *claims_length_out = (size_t)count;
    return OE_OK;
}
