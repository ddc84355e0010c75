// The identity test enclave (tests/identity) as the platform-boundary tests use it: created on a
// given platform, and a seal round trip as proof that it works.
#pragma once

#include "identity_test_u.h"
#include "test_support.hpp"

#include <string>

namespace ccbox::test {

inline std::string identity_image(const std::string& name = "identity_enclave.signed") {
    return built_file("identity/" + name);
}

inline ccbox_result_t create_identity_enclave(const std::string& path, const ccbox_enclave_setting_t* setting,
                                              ccbox_enclave_t** e, uint32_t flags = CCBOX_ENCLAVE_FLAG_ISOLATED) {
    return ccbox_create_identity_test_enclave(path.c_str(), flags, setting, setting ? 1 : 0, e);
}

inline bool seals(ccbox_enclave_t* e) {
    int r = -1;
    return id_seal_roundtrips(e, &r, 64, 2) == CCBOX_OK && r == CCBOX_OK;
}

}  // namespace ccbox::test
