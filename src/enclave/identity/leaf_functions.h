// EGETKEY and EREPORT as enclave code calls them: through the platform's leaf-function table
// (the ENCLU model, docs/call-abi.md). Trust domain: enclave.
#pragma once

#include <ccbox/result.h>

#include "common/sgx/arch.h"

namespace ccbox::enclave {

ccbox_result_t egetkey(const sgx::Keyrequest& request, uint8_t key[16]);
ccbox_result_t ereport(const sgx::Targetinfo& target, const uint8_t report_data[64], sgx::Report* report);
// The REPORTBODY of this enclave (an EREPORT targeted at itself).
ccbox_result_t self_report_body(sgx::Reportbody* body);

}  // namespace ccbox::enclave
