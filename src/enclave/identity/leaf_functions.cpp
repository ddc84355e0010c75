#include "enclave/identity/leaf_functions.h"

#include "enclave/core/enclave_state.h"

#include <string.h>

namespace ccbox::enclave {

ccbox_result_t egetkey(const sgx::Keyrequest& request, uint8_t key[16]) {
    const ccbox_enclu_t* enclu = g_enclave.enclu;
    if (!enclu || enclu->version != CCBOX_ENCLU_VERSION || !enclu->egetkey)
        return CCBOX_UNSUPPORTED;
    alignas(512) sgx::Keyrequest copy = request;
    uint32_t r = enclu->egetkey(enclu->platform, &copy, key);
    return r < CCBOX_RESULT_COUNT_ ? static_cast<ccbox_result_t>(r) : CCBOX_PLATFORM_ERROR;
}

ccbox_result_t ereport(const sgx::Targetinfo& target, const uint8_t report_data[64], sgx::Report* report) {
    const ccbox_enclu_t* enclu = g_enclave.enclu;
    if (!enclu || enclu->version != CCBOX_ENCLU_VERSION || !enclu->ereport)
        return CCBOX_UNSUPPORTED;
    uint32_t r = enclu->ereport(enclu->platform, &target, report_data, report);
    return r < CCBOX_RESULT_COUNT_ ? static_cast<ccbox_result_t>(r) : CCBOX_PLATFORM_ERROR;
}

ccbox_result_t self_report_body(sgx::Reportbody* body) {
    alignas(512) sgx::Targetinfo none{};
    alignas(512) sgx::Report report{};
    const uint8_t data[64] = {};
    ccbox_result_t r = ereport(none, data, &report);
    if (r == CCBOX_OK)
        *body = report.body;
    return r;
}

void wipe(void* data, size_t size) {
    volatile auto* p = static_cast<volatile uint8_t*>(data);
    for (size_t i = 0; i < size; ++i)
        p[i] = 0;
}

}  // namespace ccbox::enclave
