// Seal keys (EGETKEY SEAL) as Open Enclave's oe_get_seal_key* give them. Trust domain: enclave.
#include <ccbox/enclave.h>

#include "enclave/identity/leaf_functions.h"
#include "enclave/identity/seal_keys.h"

#include <stdlib.h>
#include <string.h>

namespace ccbox::enclave {
namespace {

// The SGX SDK's defaults: INIT, DEBUG, MODE64BIT and the upper reserved byte of the flags;
// no XFRM bits; the upper nibble of MISCSELECT.
constexpr uint64_t kSealAttributeMask = 0xff0000000000000bull;
constexpr uint64_t kSealXfrmMask = 0;
constexpr uint32_t kSealMiscMask = 0xf0000000u;

bool all_zero(const uint8_t* p, size_t size) {
    uint8_t any = 0;
    for (size_t i = 0; i < size; ++i)
        any |= p[i];
    return any == 0;
}

}  // namespace

ccbox_result_t check_seal_key_request(const sgx::Keyrequest& r) {
    if (r.keyname != static_cast<uint16_t>(sgx::KeyName::kSeal))
        return CCBOX_INVALID_KEYNAME;
    if (r.keypolicy != sgx::keypolicy::kMrenclave && r.keypolicy != sgx::keypolicy::kMrsigner)
        return CCBOX_INVALID_KEYPOLICY;
    if (r.attributemask.flags != kSealAttributeMask || r.attributemask.xfrm != kSealXfrmMask ||
        r.miscmask != kSealMiscMask || r.configsvn != 0 || r.reserved1 != 0 || !all_zero(r.reserved2, sizeof r.reserved2))
        return CCBOX_INVALID_KEYREQUEST;
    return CCBOX_OK;
}

ccbox_result_t make_seal_key_request(ccbox_seal_policy_t policy, sgx::Keyrequest* request) {
    uint16_t keypolicy = 0;
    if (policy == CCBOX_SEAL_POLICY_UNIQUE)
        keypolicy = sgx::keypolicy::kMrenclave;
    else if (policy == CCBOX_SEAL_POLICY_PRODUCT)
        keypolicy = sgx::keypolicy::kMrsigner;
    else
        return CCBOX_INVALID_PARAMETER;
    sgx::Reportbody self;
    ccbox_result_t r = self_report_body(&self);
    if (r != CCBOX_OK)
        return r;
    *request = sgx::Keyrequest{};
    request->keyname = static_cast<uint16_t>(sgx::KeyName::kSeal);
    request->keypolicy = keypolicy;
    request->isvsvn = self.isvsvn;
    memcpy(request->cpusvn, self.cpusvn, sizeof request->cpusvn);
    request->attributemask.flags = kSealAttributeMask;
    request->attributemask.xfrm = kSealXfrmMask;
    request->miscmask = kSealMiscMask;
    if (ccbox_random(request->keyid, sizeof request->keyid) != CCBOX_OK)
        return CCBOX_FAILURE;
    return CCBOX_OK;
}

ccbox_result_t seal_key_for(const sgx::Keyrequest& request, uint8_t key[16]) {
    ccbox_result_t r = check_seal_key_request(request);
    return r == CCBOX_OK ? egetkey(request, key) : r;
}

}  // namespace ccbox::enclave

using namespace ccbox;
using namespace ccbox::enclave;

namespace {

ccbox_result_t hand_out(const uint8_t key[16], const sgx::Keyrequest* request, uint8_t** key_buffer,
                        size_t* key_buffer_size, uint8_t** key_info, size_t* key_info_size) {
    auto* k = static_cast<uint8_t*>(malloc(16));
    auto* info = request ? static_cast<uint8_t*>(malloc(sizeof(sgx::Keyrequest))) : nullptr;
    if (!k || (request && !info)) {
        free(k);
        free(info);
        return CCBOX_OUT_OF_MEMORY;
    }
    memcpy(k, key, 16);
    *key_buffer = k;
    *key_buffer_size = 16;
    if (request) {
        memcpy(info, request, sizeof(sgx::Keyrequest));
        *key_info = info;
        *key_info_size = sizeof(sgx::Keyrequest);
    }
    return CCBOX_OK;
}

}  // namespace

extern "C" ccbox_result_t ccbox_get_seal_key_by_policy(ccbox_seal_policy_t policy, uint8_t** key_buffer,
                                                       size_t* key_buffer_size, uint8_t** key_info,
                                                       size_t* key_info_size) {
    if (!key_buffer || !key_buffer_size || !key_info || !key_info_size)
        return CCBOX_INVALID_PARAMETER;
    alignas(512) sgx::Keyrequest request;
    ccbox_result_t r = make_seal_key_request(policy, &request);
    if (r != CCBOX_OK)
        return r;
    uint8_t key[16];
    r = seal_key_for(request, key);
    if (r == CCBOX_OK)
        r = hand_out(key, &request, key_buffer, key_buffer_size, key_info, key_info_size);
    explicit_bzero(key, sizeof key);
    return r;
}

extern "C" ccbox_result_t ccbox_get_seal_key(const uint8_t* key_info, size_t key_info_size, uint8_t** key_buffer,
                                             size_t* key_buffer_size) {
    if (!key_info || key_info_size != sizeof(sgx::Keyrequest) || !key_buffer || !key_buffer_size)
        return CCBOX_INVALID_PARAMETER;
    alignas(512) sgx::Keyrequest request;
    memcpy(&request, key_info, sizeof request);
    uint8_t key[16];
    ccbox_result_t r = seal_key_for(request, key);
    if (r == CCBOX_OK)
        r = hand_out(key, nullptr, key_buffer, key_buffer_size, nullptr, nullptr);
    explicit_bzero(key, sizeof key);
    return r;
}

extern "C" ccbox_result_t ccbox_get_seal_key_for_own_request(const uint8_t* key_request, size_t key_request_size,
                                                              uint8_t** key_buffer, size_t* key_buffer_size) {
    if (!key_request || key_request_size != sizeof(sgx::Keyrequest) || !key_buffer || !key_buffer_size)
        return CCBOX_INVALID_PARAMETER;
    // The request must be the enclave's own: host memory is refused outright (a copy of host
    // data in enclave memory is the caller's responsibility, as the documentation says).
    if (!ccbox_is_within_enclave(key_request, key_request_size))
        return CCBOX_INVALID_PARAMETER;
    alignas(512) sgx::Keyrequest request;
    memcpy(&request, key_request, sizeof request);
    if (request.keyname != static_cast<uint16_t>(sgx::KeyName::kSeal))
        return CCBOX_INVALID_KEYNAME;
    uint8_t key[16];
    ccbox_result_t r = egetkey(request, key);  // EGETKEY's own checks (SVNs, reserved fields) still apply
    if (r == CCBOX_OK)
        r = hand_out(key, nullptr, key_buffer, key_buffer_size, nullptr, nullptr);
    explicit_bzero(key, sizeof key);
    return r;
}

extern "C" void ccbox_free_key(uint8_t* key_buffer, size_t key_buffer_size, uint8_t* key_info, size_t key_info_size) {
    if (key_buffer) {
        explicit_bzero(key_buffer, key_buffer_size);
        free(key_buffer);
    }
    if (key_info) {
        explicit_bzero(key_info, key_info_size);
        free(key_info);
    }
}
