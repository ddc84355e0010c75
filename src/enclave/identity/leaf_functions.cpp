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

// The enclave's own REPORTBODY never changes while it runs (its identity is fixed at EINIT and
// CPUSVN only changes across a reboot, which ends the enclave), so the first EREPORT is kept:
// sealing then costs one EGETKEY, not an EREPORT as well.
ccbox_result_t self_report_body(sgx::Reportbody* body) {
    static sgx::Reportbody cached;
    static int state;  // 0: not yet, 1: being stored, 2: stored
    if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) == 2) {
        *body = cached;
        return CCBOX_OK;
    }
    alignas(512) sgx::Targetinfo none{};
    alignas(512) sgx::Report report{};
    const uint8_t data[64] = {};
    ccbox_result_t r = ereport(none, data, &report);
    if (r != CCBOX_OK)
        return r;
    *body = report.body;
    int expected = 0;
    if (__atomic_compare_exchange_n(&state, &expected, 1, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
        cached = report.body;
        __atomic_store_n(&state, 2, __ATOMIC_RELEASE);
    }
    return CCBOX_OK;
}

}  // namespace ccbox::enclave
