// Enclave-side evidence (Open Enclave's oe_get_evidence): a REPORT for the platform's quoting
// enclave, quoted by the platform through two built-in OCALLs. Trust domain: enclave. The host
// can lie about the QE's TARGETINFO or return any bytes as the "quote": neither gives it
// anything, since the quote is worthless unless it verifies, and the enclave copies the answer
// into its own memory before looking at it.
#include <ccbox/attester.h>
#include <ccbox/enclave.h>

#include "common/call_abi.h"
#include "enclave/core/ocall_builtins.h"

#include <mbedtls/sha256.h>

#include <stdlib.h>
#include <string.h>

using namespace ccbox;

namespace {

constexpr uint8_t kEcdsa[16] = {0xa3, 0xa2, 0x1e, 0x87, 0x1b, 0x4d, 0x40, 0x14,
                                0xb7, 0x0a, 0xa1, 0x25, 0xd2, 0xfb, 0xcd, 0x8c};
constexpr uint8_t kLocal[16] = {0x09, 0x26, 0x8c, 0x33, 0x6e, 0x0b, 0x45, 0xe5,
                                0x8a, 0x27, 0x15, 0x64, 0x4d, 0x0e, 0xf8, 0x9a};
constexpr size_t kMaxQuote = 64 * 1024;

// Evidence = [format id if embedded] ‖ body ‖ custom claims.
ccbox_result_t assemble(const uint8_t* format, bool embed, const uint8_t* body, size_t body_size,
                        const void* claims, size_t claims_size, uint8_t** out, size_t* out_size) {
    const size_t header = embed ? 16 : 0;
    if (body_size > SIZE_MAX - header - claims_size)
        return CCBOX_INTEGER_OVERFLOW;
    const size_t total = header + body_size + claims_size;
    auto* buffer = static_cast<uint8_t*>(malloc(total));
    if (!buffer)
        return CCBOX_OUT_OF_MEMORY;
    if (embed)
        memcpy(buffer, format, 16);
    memcpy(buffer + header, body, body_size);
    if (claims_size)
        memcpy(buffer + header + body_size, claims, claims_size);
    *out = buffer;
    *out_size = total;
    return CCBOX_OK;
}

}  // namespace

extern "C" ccbox_result_t ccbox_get_evidence(const ccbox_uuid_t* format_id, uint32_t flags,
                                             const void* custom_claims_buffer, size_t custom_claims_buffer_size,
                                             const void* optional_parameters, size_t optional_parameters_size,
                                             uint8_t** evidence_buffer, size_t* evidence_buffer_size,
                                             uint8_t** endorsements_buffer, size_t* endorsements_buffer_size) {
    if (!format_id || !evidence_buffer || !evidence_buffer_size || (flags & ~CCBOX_EVIDENCE_FLAGS_EMBED_FORMAT_ID) ||
        (custom_claims_buffer_size && !custom_claims_buffer))
        return CCBOX_INVALID_PARAMETER;
    *evidence_buffer = nullptr;
    *evidence_buffer_size = 0;
    if (endorsements_buffer)
        *endorsements_buffer = nullptr;
    if (endorsements_buffer_size)
        *endorsements_buffer_size = 0;
    const bool ecdsa = memcmp(format_id->b, kEcdsa, 16) == 0;
    const bool local = memcmp(format_id->b, kLocal, 16) == 0;
    if (!ecdsa && !local)
        return CCBOX_INVALID_PARAMETER;

    uint8_t report_data[CCBOX_REPORT_DATA_SIZE] = {};
    if (custom_claims_buffer_size &&
        mbedtls_sha256_ret(static_cast<const unsigned char*>(custom_claims_buffer), custom_claims_buffer_size,
                           report_data, 0) != 0)
        return CCBOX_CRYPTO_ERROR;

    ccbox_target_info_t target{};
    if (local) {
        if (!optional_parameters || optional_parameters_size != sizeof target)
            return CCBOX_INVALID_PARAMETER;
        memcpy(target.bytes, optional_parameters, sizeof target);
    } else {
        size_t written = 0;
        ccbox_result_t r =
            enclave::call_builtin(CCBOX_OCALL_QE_TARGET_INFO, nullptr, 0, target.bytes, sizeof target.bytes, &written);
        if (r != CCBOX_OK)
            return r;
        if (written != sizeof target.bytes)
            return CCBOX_UNEXPECTED;
    }
    ccbox_report_t report;
    ccbox_result_t r = ccbox_get_report(&target, report_data, &report);
    if (r != CCBOX_OK)
        return r;
    if (local)
        return assemble(kLocal, flags & CCBOX_EVIDENCE_FLAGS_EMBED_FORMAT_ID, report.bytes, sizeof report.bytes,
                        custom_claims_buffer, custom_claims_buffer_size, evidence_buffer, evidence_buffer_size);

    size_t room = enclave::scratch_available();
    room = room > sizeof report.bytes + 1024 ? room - sizeof report.bytes - 1024 : 0;
    const size_t capacity = room < kMaxQuote ? room : kMaxQuote;
    auto* quote = static_cast<uint8_t*>(malloc(capacity ? capacity : 1));
    if (!quote)
        return CCBOX_OUT_OF_MEMORY;
    size_t quote_size = 0;
    r = enclave::call_builtin(CCBOX_OCALL_GET_QUOTE, report.bytes, sizeof report.bytes, quote, capacity, &quote_size);
    if (r == CCBOX_OK)
        r = assemble(kEcdsa, flags & CCBOX_EVIDENCE_FLAGS_EMBED_FORMAT_ID, quote, quote_size, custom_claims_buffer,
                     custom_claims_buffer_size, evidence_buffer, evidence_buffer_size);
    free(quote);
    return r;
}

extern "C" void ccbox_free_evidence(uint8_t* evidence_buffer) { free(evidence_buffer); }
