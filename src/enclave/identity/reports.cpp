// Local attestation inside the enclave: TARGETINFO, EREPORT and report verification.
// Trust domain: enclave. Verification recomputes the MAC with this enclave's REPORT key
// (EGETKEY) and Mbed TLS's AES-128-CMAC.
#include <ccbox/enclave.h>

#include "enclave/identity/leaf_functions.h"

#include <mbedtls/cipher.h>
#include <mbedtls/cmac.h>

#include <string.h>

using namespace ccbox;
using namespace ccbox::enclave;

extern "C" ccbox_result_t ccbox_get_target_info(ccbox_target_info_t* target_info) {
    if (!target_info)
        return CCBOX_INVALID_PARAMETER;
    sgx::Reportbody body;
    ccbox_result_t r = self_report_body(&body);
    if (r != CCBOX_OK)
        return r;
    sgx::Targetinfo ti{};
    memcpy(ti.measurement, body.mrenclave, 32);
    ti.attributes = body.attributes;
    ti.cet_attributes = body.cet_attributes;
    ti.configsvn = body.configsvn;
    ti.miscselect = body.miscselect;
    memcpy(ti.configid, body.configid, 64);
    static_assert(sizeof ti == CCBOX_TARGET_INFO_SIZE);
    memcpy(target_info->bytes, &ti, sizeof ti);
    return CCBOX_OK;
}

extern "C" ccbox_result_t ccbox_get_report(const ccbox_target_info_t* target_info, const uint8_t* report_data,
                                           ccbox_report_t* report) {
    if (!report)
        return CCBOX_INVALID_PARAMETER;
    alignas(512) sgx::Targetinfo ti{};
    if (target_info) {
        memcpy(&ti, target_info->bytes, sizeof ti);
    } else {
        ccbox_target_info_t self;
        ccbox_result_t r = ccbox_get_target_info(&self);
        if (r != CCBOX_OK)
            return r;
        memcpy(&ti, self.bytes, sizeof ti);
    }
    uint8_t data[CCBOX_REPORT_DATA_SIZE] = {};
    if (report_data)
        memcpy(data, report_data, sizeof data);
    alignas(512) sgx::Report out{};
    ccbox_result_t r = ereport(ti, data, &out);
    if (r == CCBOX_OK)
        memcpy(report->bytes, &out, CCBOX_REPORT_SIZE);
    return r;
}

extern "C" ccbox_result_t ccbox_verify_report(const void* report, size_t report_size,
                                              ccbox_report_identity_t* identity) {
    if (!report)
        return CCBOX_INVALID_PARAMETER;
    if (report_size != CCBOX_REPORT_SIZE)
        return CCBOX_INCORRECT_REPORT_SIZE;
    alignas(512) sgx::Report copy{};
    memcpy(&copy, report, CCBOX_REPORT_SIZE);  // read the (possibly untrusted) report once

    alignas(512) sgx::Keyrequest request{};
    request.keyname = static_cast<uint16_t>(sgx::KeyName::kReport);
    memcpy(request.keyid, copy.keyid, sizeof request.keyid);
    uint8_t key[16];
    ccbox_result_t r = egetkey(request, key);
    if (r != CCBOX_OK)
        return r;
    uint8_t mac[16];
    const mbedtls_cipher_info_t* aes = mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_128_ECB);
    int rc = mbedtls_cipher_cmac(aes, key, 128, reinterpret_cast<const uint8_t*>(&copy.body), sizeof copy.body, mac);
    explicit_bzero(key, sizeof key);
    if (rc != 0)
        return CCBOX_CRYPTO_ERROR;
    uint8_t diff = 0;  // constant time
    for (size_t i = 0; i < sizeof mac; ++i)
        diff |= mac[i] ^ copy.mac[i];
    if (diff != 0)
        return CCBOX_VERIFY_FAILED_AES_CMAC_MISMATCH;
    return identity ? ccbox_parse_report(&copy, CCBOX_REPORT_SIZE, identity) : CCBOX_OK;
}
