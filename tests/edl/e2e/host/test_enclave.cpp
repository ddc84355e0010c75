#include "test_enclave.h"

#include "host/enclave.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>

namespace edl_test {

std::function<void()> g_flip_action;
ccbox_result_t g_reentry_private_result = CCBOX_FAILURE;
ccbox_result_t g_reentry_public_result = CCBOX_FAILURE;

namespace {

ccbox_enclave_t* g_enclave = nullptr;
std::mutex g_enclave_mutex;  // tests call enclave() from several threads at once

// The isolated run uses a private platform (its own state directory, this build's ccboxd),
// never the machine's default one, and that platform leaves by itself once unused.
struct TestPlatform {
    std::string state_dir;
    ccbox_enclave_setting_platform_t platform{};
    ccbox_enclave_setting_t setting{};

    TestPlatform() {
        ::setenv("CCBOX_PLATFORM_IDLE_EXIT", "10", 0);
        ::setenv("CCBOX_PLATFORM_PATH", EDL_TEST_PLATFORM_PATH, 0);
        std::string tmpl = (std::filesystem::temp_directory_path() / "ccbox-edl-XXXXXX").string();
        state_dir = ::mkdtemp(tmpl.data());
        platform.state_dir = state_dir.c_str();
        setting.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
        setting.u.platform = &platform;
    }
};

TestPlatform& test_platform() {
    static TestPlatform p;
    return p;
}

class EnclaveEnvironment : public ::testing::Environment {
public:
    void TearDown() override {
        if (g_enclave) {
            EXPECT_EQ(ccbox_terminate_enclave(g_enclave), CCBOX_OK);
        }
        g_enclave = nullptr;
        // The platform exits by itself when idle; its state directory (secrets) goes now.
        if (!test_platform().state_dir.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(test_platform().state_dir, ec);
        }
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

const ccbox_enclave_setting_t* creation_settings() { return isolated_backend() ? &test_platform().setting : nullptr; }

uint32_t creation_setting_count() { return isolated_backend() ? 1 : 0; }

ccbox_enclave_t* enclave() {
    std::lock_guard<std::mutex> lock(g_enclave_mutex);
    if (!g_enclave) {
        ccbox_result_t r = ccbox_create_edl_test_enclave(enclave_path(), creation_flags(), creation_settings(),
                                                         creation_setting_count(), &g_enclave);
        if (r != CCBOX_OK) {
            ADD_FAILURE() << "cannot create the test enclave " << enclave_path() << ": " << ccbox_result_str(r) << " "
                          << ccbox_get_last_error();
            g_enclave = nullptr;
        }
    }
    return g_enclave;
}

SharedBuffer::SharedBuffer(size_t size)
    : data_(static_cast<uint8_t*>(enclave()->backend->allocate_shared(size ? size : 1))), size_(size) {
    if (!data_)
        throw std::bad_alloc();
    std::memset(data_, 0, size_);
}

SharedBuffer::SharedBuffer(const Marshal& contents) : SharedBuffer(contents.size()) {
    std::memcpy(data_, contents.data(), size_);
}

SharedBuffer::~SharedBuffer() { enclave()->backend->free_shared(data_); }

uintptr_t enclave_base() { return enclave()->backend->enclave_base(); }

ccbox_result_t call_unchecked(uint32_t function_id, const void* input, size_t input_size, void* output,
                              size_t output_size, size_t* written) {
    return ccbox::host::call_enclave_unchecked(enclave(), function_id, input, input_size, output, output_size,
                                               written);
}

}  // namespace edl_test
