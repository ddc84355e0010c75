// Seal-key requests shared by the key API and sealing. Trust domain: enclave.
#pragma once

#include <ccbox/enclave.h>

#include "common/sgx/arch.h"

namespace ccbox::enclave {

// A SEAL KEYREQUEST for `policy` at this enclave's ISVSVN and CPUSVN with a random KEYID.
ccbox_result_t make_seal_key_request(ccbox_seal_policy_t policy, sgx::Keyrequest* request);
// Whether `request` is a KEYREQUEST make_seal_key_request makes, apart from the KEYID, ISVSVN
// and CPUSVN it chose (EGETKEY checks those two against the enclave's own): KEYNAME SEAL
// (CCBOX_INVALID_KEYNAME), KEYPOLICY exactly MRENCLAVE or MRSIGNER (CCBOX_INVALID_KEYPOLICY),
// its masks, CONFIGSVN 0 and zero reserved fields (CCBOX_INVALID_KEYREQUEST). Every request
// that comes from outside the enclave (a blob, a key_info) passes this before EGETKEY.
ccbox_result_t check_seal_key_request(const sgx::Keyrequest& request);
// EGETKEY for a request check_seal_key_request() accepts.
ccbox_result_t seal_key_for(const sgx::Keyrequest& request, uint8_t key[16]);

}  // namespace ccbox::enclave
