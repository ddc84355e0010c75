// Host helpers for local attestation: target information of an enclave or of a report.
// Trust domain: host (untrusted; it only moves data between enclaves).
#include "host/enclave.hpp"

#include "common/sgx/arch.h"

#include <cstring>

namespace {

void write_target_info(const uint8_t mrenclave[32], const ccbox::sgx::Attributes& attributes, uint32_t miscselect,
                       const uint8_t* configid, uint16_t configsvn, ccbox_target_info_t* out) {
    ccbox::sgx::Targetinfo ti{};
    std::memcpy(ti.measurement, mrenclave, 32);
    ti.attributes = attributes;
    ti.miscselect = miscselect;
    if (configid)
        std::memcpy(ti.configid, configid, 64);
    ti.configsvn = configsvn;
    std::memcpy(out->bytes, &ti, sizeof ti);
}

}  // namespace

extern "C" ccbox_result_t ccbox_get_enclave_target_info(const ccbox_enclave_t* enclave,
                                                        ccbox_target_info_t* target_info) {
    ccbox::host::clear_last_error();
    if (!enclave || enclave->magic != ccbox::host::kEnclaveMagic || !target_info)
        return CCBOX_INVALID_PARAMETER;
    const ccbox::EnclaveIdentity& id = enclave->backend->identity();
    write_target_info(id.mrenclave.data(), id.attributes, id.miscselect, nullptr, 0, target_info);
    return CCBOX_OK;
}

extern "C" ccbox_result_t ccbox_get_target_info_of_report(const void* report, size_t report_size,
                                                          ccbox_target_info_t* target_info) {
    ccbox::host::clear_last_error();
    if (!target_info)
        return CCBOX_INVALID_PARAMETER;
    ccbox_report_identity_t identity;
    ccbox_result_t r = ccbox_parse_report(report, report_size, &identity);
    if (r != CCBOX_OK)
        return r;
    write_target_info(identity.unique_id, {identity.attributes, identity.xfrm}, identity.miscselect,
                      identity.config_id, identity.config_svn, target_info);
    return CCBOX_OK;
}
