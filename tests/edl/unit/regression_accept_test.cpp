// The regression EDLs (in the style of the Intel SGX SDK's and Open Enclave's samples, system
// EDLs and tests) are accepted with their include and import directories. edl_compile.*
// compiles what they generate.
#include "compiler.h"

#include <gtest/gtest.h>

namespace {

using namespace ccbox::edl;

struct Input {
    const char* name;
    const char* edl;
    std::vector<std::string> search;
    std::set<std::string> defines;
};

void PrintTo(const Input& i, std::ostream* os) { *os << i.name; }

class RegressionEdl : public ::testing::TestWithParam<Input> {};

TEST_P(RegressionEdl, IsAccepted) {
    const Input& in = GetParam();
    const std::string root = EDL_REGRESSION_DIR;
    CompileOptions options;
    options.edl_path = root + "/" + in.edl;
    for (const std::string& s : in.search)
        options.search_paths.push_back(root + "/" + s);
    options.defines = in.defines;
    DiskFileProvider files;
    Diagnostics diagnostics;
    auto out = compile_edl(options, files, diagnostics);
    std::string messages;
    for (const auto& d : diagnostics.list())
        messages += format_diagnostic(d) + "\n";
    EXPECT_TRUE(out.has_value()) << messages;
    EXPECT_EQ(messages, "");
}

const Input kInputs[] = {
    {"SgxSampleEnclave", "sgx_sdk/Enclave.edl", {"sgx_system"}, {}},
    {"SgxFunctions", "sgx_sdk/Edger8rSyntax/Functions.edl", {}, {}},
    {"SgxTstdc", "sgx_system/sgx_tstdc.edl", {}, {}},
    {"SgxTsgxssl", "sgx_system/sgx_tsgxssl.edl", {}, {}},
    {"SgxPthread", "sgx_system/sgx_pthread.edl", {}, {}},
    {"SgxKeyExchange", "sgx_system/sgx_tkey_exchange.edl", {}, {}},
    {"SgxProtectedFs", "sgx_system/sgx_tprotected_fs.edl", {}, {}},
    {"OeApp", "oe_system/app.edl", {"oe_system"}, {}},
    {"OeAppWithDefines", "oe_system/app.edl", {"oe_system"}, {"OE_WITH_EXPERIMENTAL_EEID", "OE_NO_SGX_QUOTE_VERIFICATION"}},
    {"OeHelloworld", "oe_samples/helloworld.edl", {"oe_system"}, {}},
    {"OeFileEncryptor", "oe_samples/fileencryptor.edl", {}, {}},
    {"OeAttestation", "oe_samples/attestation.edl", {}, {}},
    {"OeDataSealing", "oe_samples/datasealing.edl", {}, {}},
    {"Deepcopy", "oe_tests/deepcopy.edl", {}, {}},
    {"AllTypes", "oe_tests/alltypes.edl", {}, {}},
    {"Ifdef", "oe_tests/ifdef.edl", {}, {}},
    {"IfdefA", "oe_tests/ifdef.edl", {}, {"FEATURE_A"}},
    {"Empty", "oe_tests/empty.edl", {}, {}},
    {"OnlyOcalls", "oe_tests/only_ocalls.edl", {}, {}},
    {"Security", "oe_tests/security.edl", {}, {}},
};
INSTANTIATE_TEST_SUITE_P(All, RegressionEdl, ::testing::ValuesIn(kInputs),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(RegressionEdl, EndToEndInterfaceIsAccepted) {
    CompileOptions options;
    options.edl_path = std::string(EDL_E2E_DIR) + "/edl_test.edl";
    options.search_paths = {std::string(EDL_E2E_DIR) + "/imports"};
    DiskFileProvider files;
    Diagnostics diagnostics;
    EXPECT_TRUE(compile_edl(options, files, diagnostics).has_value());
}

}  // namespace
