// ccbox_parse_report: decoding an SGX REPORT, on either side. Trust domain: common.
#include <ccbox/bits/report.h>

#include "common/sgx/arch.h"

#include <string.h>

using ccbox::sgx::all_zero;

extern "C" ccbox_result_t ccbox_parse_report(const void* report, size_t report_size,
                                             ccbox_report_identity_t* identity) {
    if (!report || !identity)
        return CCBOX_INVALID_PARAMETER;
    if (report_size != CCBOX_REPORT_SIZE)
        return CCBOX_INCORRECT_REPORT_SIZE;
    ccbox::sgx::Reportbody body;
    memcpy(&body, report, sizeof body);
    if (!all_zero(body.reserved1, sizeof body.reserved1) || !all_zero(body.reserved2, sizeof body.reserved2) ||
        !all_zero(body.reserved3, sizeof body.reserved3) || !all_zero(body.reserved4, sizeof body.reserved4))
        return CCBOX_REPORT_PARSE_ERROR;
    memset(identity, 0, sizeof *identity);
    memcpy(identity->unique_id, body.mrenclave, 32);
    memcpy(identity->signer_id, body.mrsigner, 32);
    identity->product_id = body.isvprodid;
    identity->security_version = body.isvsvn;
    identity->miscselect = body.miscselect;
    identity->attributes = body.attributes.flags;
    identity->xfrm = body.attributes.xfrm;
    identity->debug = (body.attributes.flags & ccbox::sgx::attr::kDebug) != 0;
    memcpy(identity->cpusvn, body.cpusvn, 16);
    memcpy(identity->isv_family_id, body.isvfamilyid, 16);
    memcpy(identity->isv_ext_product_id, body.isvextprodid, 16);
    memcpy(identity->config_id, body.configid, 64);
    identity->config_svn = body.configsvn;
    memcpy(identity->report_data, body.reportdata, CCBOX_REPORT_DATA_SIZE);
    identity->platform_mode = body.cpusvn[CCBOX_CPUSVN_ISOLATION_COMPONENT] >= 1 ? CCBOX_PLATFORM_MODE_PRODUCTION
                                                                               : CCBOX_PLATFORM_MODE_DEVELOPMENT;
    return CCBOX_OK;
}
