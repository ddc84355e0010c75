// Seal-key requests shared by the key API and sealing. Trust domain: enclave.
#pragma once

#include <ccbox/enclave.h>

#include "common/sgx/arch.h"

namespace ccbox::enclave {

// A SEAL KEYREQUEST for `policy` at this enclave's ISVSVN and CPUSVN with a random KEYID.
ccbox_result_t make_seal_key_request(ccbox_seal_policy_t policy, sgx::Keyrequest* request);
// EGETKEY for a SEAL request (refuses other key names).
ccbox_result_t seal_key_for(const sgx::Keyrequest& request, uint8_t key[16]);

}  // namespace ccbox::enclave
