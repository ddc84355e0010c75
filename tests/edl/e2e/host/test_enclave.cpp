#include "test_enclave.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

namespace edl_test {

std::function<void()> g_flip_action;
ccbox_result_t g_reentry_private_result = CCBOX_FAILURE;
ccbox_result_t g_reentry_public_result = CCBOX_FAILURE;

namespace {

ccbox_enclave_t* g_enclave = nullptr;

class EnclaveEnvironment : public ::testing::Environment {
public:
    void TearDown() override {
        if (g_enclave) {
            EXPECT_EQ(ccbox_terminate_enclave(g_enclave), CCBOX_OK);
        }
        g_enclave = nullptr;
    }
};

[[maybe_unused]] ::testing::Environment* const g_environment =
    ::testing::AddGlobalTestEnvironment(new EnclaveEnvironment);

}  // namespace

bool isolated_backend() {
    const char* backend = std::getenv("CCBOX_TEST_BACKEND");
    return backend && std::strcmp(backend, "isolated") == 0;
}

uint32_t creation_flags() {
    if (isolated_backend())
        return CCBOX_ENCLAVE_FLAG_DEBUG | CCBOX_ENCLAVE_FLAG_ISOLATED;
    return CCBOX_ENCLAVE_FLAG_DEBUG | CCBOX_ENCLAVE_FLAG_SIMULATE;
}

const char* enclave_path() { return EDL_TEST_ENCLAVE_PATH; }

ccbox_enclave_t* enclave() {
    if (!g_enclave) {
        ccbox_result_t r = ccbox_create_edl_test_enclave(enclave_path(), creation_flags(), nullptr, 0, &g_enclave);
        if (r != CCBOX_OK) {
            ADD_FAILURE() << "cannot create the test enclave " << enclave_path() << ": " << ccbox_result_str(r) << " "
                          << ccbox_get_last_error();
            g_enclave = nullptr;
        }
    }
    return g_enclave;
}

}  // namespace edl_test
