// Running enclave tests against every backend: the sim backend and the isolated backend
// with a platform of the test binary's own (a temporary state directory, stopped when the
// tests end), so tests never touch the user's platform.
#pragma once

#include <ccbox/host.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ccbox::test {

enum class Backend { kSim, kIsolated };

// The backends to test: CCBOX_TEST_BACKENDS=sim|isolated|sim,isolated (default both).
std::vector<Backend> backends_under_test();
std::string backend_name(Backend backend);
// gtest's name generator for TEST_P suites parameterised by Backend.
std::string backend_param_name(const ::testing::TestParamInfo<Backend>& info);

uint32_t create_flags(Backend backend);
// Settings that point at the test platform (one element).
const ccbox_enclave_setting_t* platform_settings();
const std::string& platform_state_dir();

// Stops the test platform (and its enclaves) now; the next isolated enclave starts it again.
// True if a platform was running and is gone.
bool stop_test_platform();

}  // namespace ccbox::test
