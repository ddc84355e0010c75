// Types taken on trust (a name no EDL declares and no included header could declare): accepted
// with one warning per name, as Intel's and OE's edger8r accept them; the names the generated
// code's own headers declare in oeedger8r's and --sgx-sdk mode; and sizefunc, which Intel's
// edger8r rejects too (docs/edl.md, docs/edl-corpus.md).
#include "test_support.h"

#include <gtest/gtest.h>

namespace {

using edl_unit::compile;
using edl_unit::Source;

const char kTrust[] = "t.edl:%s: warning: type '%s' is taken on trust: it is not declared in this EDL or its "
                      "imports, and no header is included (ccbox cannot check its size or layout; a header must "
                      "declare it for the generated code)";

std::string trust_warning(const std::string& where, const std::string& type) {
    char text[512];
    std::snprintf(text, sizeof text, kTrust, where.c_str(), type.c_str());
    return text;
}

TEST(TypesOnTrust, AcceptedWithOneWarningPerName) {
    auto r = compile(
        "enclave {\n"
        "  trusted {\n"
        "    public sgx_status_t f(sgx_ra_context_t c, [out] sgx_ec256_public_t* k);\n"
        "    public sgx_status_t g([in] const sgx_ec256_public_t* k);\n"
        "  };\n"
        "};\n");
    ASSERT_TRUE(r.ok) << r.messages();
    EXPECT_EQ(r.messages(), trust_warning("3:12", "sgx_status_t") + "\n" +
                                trust_warning("3:27", "sgx_ra_context_t") + "\n" +
                                trust_warning("3:53", "sgx_ec256_public_t") + "\n");
    EXPECT_NE(r.file("t_u.h").find("ccbox_result_t f(ccbox_enclave_t* enclave, sgx_status_t* retval, "
                                   "sgx_ra_context_t c, sgx_ec256_public_t* k);"),
              std::string::npos)
        << r.file("t_u.h");
}

TEST(TypesOnTrust, StructOfAHeaderAndTypedefArraysAndPointers) {
    // Before: "undefined type" errors, and isary refused a type it could not see was an array.
    auto r = compile(edl_unit::in_untrusted(
        "int u([out] struct stat* st, [user_check, isary] array_t a, [in, isptr, size=n] buffer_t b, size_t n);"));
    ASSERT_TRUE(r.ok) << r.messages();
    EXPECT_EQ(r.diagnostics.size(), 3u) << r.messages();
    for (const auto& d : r.diagnostics)
        EXPECT_TRUE(d.warning) << r.messages();
}

TEST(TypesOnTrust, NoWarningWhenAHeaderIsIncludedOrImported) {
    Source s;
    s.main = "enclave { from \"sys.edl\" import *; trusted { public sgx_status_t f(); }; };";
    s.others["sys.edl"] = "enclave { include \"sgx_error.h\" };";
    auto r = compile(s);
    ASSERT_TRUE(r.ok) << r.messages();
    EXPECT_TRUE(r.diagnostics.empty()) << r.messages();
}

TEST(TypesOnTrust, ARealErrorStillFailsNextToWarnings) {
    auto r = compile("enclave { trusted { public sgx_status_t f([out] const int* p); }; };");
    EXPECT_FALSE(r.ok);
    ASSERT_EQ(r.diagnostics.size(), 2u) << r.messages();
    EXPECT_TRUE(r.diagnostics[0].warning);
    EXPECT_FALSE(r.diagnostics[1].warning);
}

TEST(TypesOnTrust, OpenEnclaveModeKnowsOesTypes) {
    Source s;
    s.main = "enclave { trusted { public oe_result_t f([user_check] oe_enclave_t* e); }; };";
    auto ccbox_mode = compile(s);
    ASSERT_TRUE(ccbox_mode.ok);
    EXPECT_EQ(ccbox_mode.diagnostics.size(), 2u) << ccbox_mode.messages();
    s.openenclave = true;
    auto oe_mode = compile(s);
    ASSERT_TRUE(oe_mode.ok) << oe_mode.messages();
    EXPECT_TRUE(oe_mode.diagnostics.empty()) << oe_mode.messages();
}

// OE's attestation sample names oe_uuid_t with no include: oeedger8r's headers declare it.
TEST(TypesOnTrust, OpenEnclaveModeKnowsTheTypesOfItsHeaders) {
    Source s;
    s.main = "enclave { trusted { public int f([in] const oe_uuid_t* id, oe_enclave_type_t t, "
             "oe_seal_policy_t p); }; };";
    auto ccbox_mode = compile(s);
    EXPECT_EQ(ccbox_mode.diagnostics.size(), 3u) << ccbox_mode.messages();
    s.openenclave = true;
    auto oe_mode = compile(s);
    ASSERT_TRUE(oe_mode.ok) << oe_mode.messages();
    EXPECT_TRUE(oe_mode.diagnostics.empty()) << oe_mode.messages();
}

TEST(TypesOnTrust, SgxSdkModeKnowsSgxStatusAndIncludesSgxEdger8r) {
    Source s;
    s.main = "enclave { include \"user.h\" trusted { public sgx_status_t f(sgx_enclave_id_t peer); }; };";
    auto plain = compile(s);
    ASSERT_TRUE(plain.ok) << plain.messages();
    EXPECT_EQ(plain.file("t_args.h").find("sgx_edger8r.h"), std::string::npos);
    s.main = "enclave { trusted { public sgx_status_t f(sgx_enclave_id_t peer, sgx_ra_context_t c); }; };";
    s.sgx_sdk = true;
    auto sgx = compile(s);
    ASSERT_TRUE(sgx.ok) << sgx.messages();
    EXPECT_EQ(sgx.messages(), trust_warning("1:66", "sgx_ra_context_t") + "\n");
    // The SDK's header comes before the EDL's own includes, as in Intel's generated headers.
    s.main = "enclave { include \"user.h\" trusted { public sgx_status_t f(); }; };";
    auto with_include = compile(s);
    std::string args = with_include.file("t_args.h");
    ASSERT_NE(args.find("#include \"sgx_edger8r.h\""), std::string::npos) << args;
    EXPECT_LT(args.find("#include \"sgx_edger8r.h\""), args.find("#include \"user.h\""));
}

TEST(TypesOnTrust, DimensionsStillNeedADeclaration) {
    auto r = compile("enclave { trusted { public void f([in] int a[UNKNOWN_SIZE]); }; };");
    EXPECT_FALSE(r.ok);
}

TEST(Sizefunc, RejectedAsIntelsEdger8rRejectsIt) {
    for (bool oe : {false, true}) {
        Source s;
        s.main = "enclave { trusted { public void f([sizefunc = get_len, in, out] char* buf); }; };";
        s.openenclave = oe;
        auto r = compile(s);
        EXPECT_FALSE(r.ok);
        ASSERT_EQ(r.diagnostics.size(), 1u) << r.messages();
        EXPECT_EQ(r.messages(), "t.edl:1:36: error: 'sizefunc' is not supported: give the buffer size with 'size='\n");
        EXPECT_TRUE(r.files.empty());
    }
}

}  // namespace
