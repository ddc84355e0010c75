// What the identity tests share: the signed fixtures, an enclave per test, and sealing and
// unsealing through the test enclave's ECALLs.
#pragma once

#include "enclave_test_support.hpp"
#include "identity_test_u.h"
#include "test_support.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace identity_test {

using ccbox::test::Backend;
using Bytes = std::vector<uint8_t>;

inline std::string image(const std::string& name) { return ccbox::test::built_file("identity/" + name); }

struct Enclave {
    ccbox_enclave_t* e = nullptr;
    ccbox_result_t created = CCBOX_UNEXPECTED;
    Enclave(Backend backend, const std::string& path, const ccbox_enclave_setting_t* settings = nullptr,
            uint32_t extra_flags = 0) {
        created = ccbox_create_identity_test_enclave(path.c_str(), ccbox::test::create_flags(backend) | extra_flags,
                                                     settings ? settings : ccbox::test::platform_settings(), 1, &e);
    }
    ~Enclave() {
        if (e)
            ccbox_terminate_enclave(e);
    }
    Enclave(const Enclave&) = delete;
    Enclave& operator=(const Enclave&) = delete;
    operator ccbox_enclave_t*() const { return e; }
};

inline int seal(ccbox_enclave_t* e, int policy, const Bytes& data, Bytes* blob, const Bytes& aad = {}) {
    blob->assign(data.size() + 1024, 0);
    size_t size = 0;
    int r = -1;
    EXPECT_EQ(id_seal(e, &r, policy, data.data(), data.size(), aad.data(), aad.size(), blob->data(), blob->size(), &size),
              CCBOX_OK);
    blob->resize(r == CCBOX_OK ? size : 0);
    return r;
}

inline int unseal(ccbox_enclave_t* e, const Bytes& blob, Bytes* data, const Bytes& aad = {}) {
    data->assign(blob.size() + 16, 0);
    size_t size = 0;
    int r = -1;
    ccbox_result_t call = id_unseal(e, &r, blob.data(), blob.size(), aad.data(), aad.size(), data->data(),
                                    data->size(), &size);
    EXPECT_EQ(call, CCBOX_OK);
    data->resize(r == CCBOX_OK ? size : 0);
    return r;
}

}  // namespace identity_test
