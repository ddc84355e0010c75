// The real Intel DCAP quote and collateral of shared/testdata/dcap (its README has the
// expected values): verified against Intel's root inside the window, expired outside it.
#include "attestation/verifier.hpp"
#include "support/file_io.hpp"
#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ccbox::attestation {
namespace {

constexpr int64_t kWindowStart = 1750330571;  // 2025-06-19T10:56:11Z
constexpr int64_t kWindowEnd = 1752919278;    // 2025-07-19T10:01:18Z (exclusive)

std::string dcap_dir() { return std::string(CCBOX_TESTDATA_DIR) + "/dcap"; }

class RealQuote : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::filesystem::exists(dcap_dir() + "/sgx_quote.bin"))
            GTEST_SKIP() << "shared test data absent: " << dcap_dir();
        auto q = read_file(dcap_dir() + "/sgx_quote.bin");
        ASSERT_TRUE(q.ok());
        quote = *q;
        auto c = read_file(dcap_dir() + "/sgx_quote_collateral.json");
        ASSERT_TRUE(c.ok());
        auto b = parse_collateral_bundle(std::string(c->begin(), c->end()));
        ASSERT_TRUE(b.ok()) << b.error().message();
        bundle = *b;
        auto r = read_file(dcap_dir() + "/intel_sgx_root_ca.pem");
        ASSERT_TRUE(r.ok());
        auto certs = parse_pem_certificates(std::string(r->begin(), r->end()), "Intel root");
        ASSERT_TRUE(certs.ok());
        TrustedRoot root;
        root.kind = infer_root_kind((*certs)[0].get());
        root.cert = std::move((*certs)[0]);
        roots.push_back(std::move(root));
    }
    Bytes quote;
    CollateralBundle bundle;
    std::vector<TrustedRoot> roots;
};

TEST_F(RealQuote, ParsesWithTheReadmeValues) {
    VerifyError error;
    auto q = parse_quote(quote, &error);
    ASSERT_TRUE(q) << error.message;
    EXPECT_EQ(q->header.version, 3);
    EXPECT_EQ(q->header.att_key_type, 2);
    EXPECT_EQ(q->header.qe_svn, 10);
    EXPECT_EQ(q->header.pce_svn, 15);
    EXPECT_EQ(q->certification_data_type, 5);
    EXPECT_EQ(to_hex(std::span(q->isv_report.mrenclave)),
              "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb");
    EXPECT_EQ(to_hex(std::span(q->isv_report.mrsigner)),
              "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6");
}

TEST_F(RealQuote, VerifiesInsideTheWindowWithTheDocumentedStatus) {
    for (int64_t t : {kWindowStart, kWindowStart + 86400 * 10, kWindowEnd - 1}) {
        auto result = verify_quote(quote, bundle, roots, t);
        ASSERT_TRUE(result.ok()) << failure_id(result.error.failure) << ": " << result.error.message;
        const Verdict& v = result.verdict;
        EXPECT_EQ(v.tcb_status, TcbStatus::kConfigurationAndSWHardeningNeeded);
        EXPECT_EQ(v.advisory_ids, (std::vector<std::string>{"INTEL-SA-00289", "INTEL-SA-00615"}));
        EXPECT_EQ(to_hex(std::span(v.report.mrenclave)),
                  "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb");
        EXPECT_EQ(to_hex(std::span(v.report.mrsigner)),
                  "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6");
        uint8_t expected_data[64] = {};
        std::memcpy(expected_data, "Hello, world!", 13);
        EXPECT_EQ(0, std::memcmp(v.report.reportdata, expected_data, 64));
        EXPECT_FALSE(v.debug);
        EXPECT_EQ(to_hex(v.pck.fmspc), "00a067110000");
        EXPECT_EQ(v.root_kind, RootKind::kHardware);
        EXPECT_EQ(v.platform_mode, PlatformMode::kProduction);
        EXPECT_EQ(v.validity_from, kWindowStart);
        EXPECT_EQ(v.validity_until, kWindowEnd);
    }
}

TEST_F(RealQuote, AfterTheWindowTheCollateralIsExpiredAndSaysWhich) {
    auto result = verify_quote(quote, bundle, roots, kWindowEnd);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error.failure, Failure::kQeIdentityExpired);
    EXPECT_TRUE(is_expiry(result.error.failure));
    EXPECT_NE(result.error.message.find("QE Identity expired at 2025-07-19T10:01:18Z"), std::string::npos)
        << result.error.message;

    result = verify_quote(quote, bundle, roots, kWindowEnd + 86400 * 365);
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(is_expiry(result.error.failure)) << result.error.message;
    EXPECT_NE(result.error.message.find("expired at"), std::string::npos) << result.error.message;
}

TEST_F(RealQuote, BeforeTheWindowTheCollateralIsNotYetValid) {
    auto result = verify_quote(quote, bundle, roots, kWindowStart - 1);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error.failure, Failure::kTcbInfoExpired);
    EXPECT_NE(result.error.message.find("TCB Info is not valid before 2025-06-19T10:56:11Z"), std::string::npos)
        << result.error.message;
}

TEST_F(RealQuote, CachedCollateralVerifiesTheQuoteAgain) {
    VerifyError error;
    auto collateral = VerifiedCollateral::verify(bundle, roots, kWindowStart, &error);
    ASSERT_TRUE(collateral) << error.message;
    for (int i = 0; i < 3; ++i) {
        auto result = verify_quote(quote, *collateral, kWindowStart + i);
        EXPECT_TRUE(result.ok()) << result.error.message;
    }
    // A cached collateral still expires.
    auto late = verify_quote(quote, *collateral, kWindowEnd);
    EXPECT_EQ(late.error.failure, Failure::kQeIdentityExpired);
}

TEST_F(RealQuote, AnotherRootIsUntrusted) {
    // Intel's TCB signing certificate is not a root: trusting only it finds no chain.
    auto certs = parse_pem_certificates(bundle.tcb_info_issuer_chain, "chain");
    ASSERT_TRUE(certs.ok());
    std::vector<TrustedRoot> wrong;
    wrong.push_back({std::move((*certs)[0]), RootKind::kCcboxProduction});
    auto result = verify_quote(quote, bundle, wrong, kWindowStart);
    EXPECT_EQ(result.error.failure, Failure::kRootUntrusted) << result.error.message;
}

TEST_F(RealQuote, ClaimsUseOpenEnclaveNames) {
    auto result = verify_quote(quote, bundle, roots, kWindowStart);
    ASSERT_TRUE(result.ok());
    auto claims = verdict_claims(result.verdict);
    auto find = [&](std::string_view name) -> const Claim* {
        for (const auto& c : claims)
            if (c.name == name)
                return &c;
        return nullptr;
    };
    for (const char* name : {"id_version", "security_version", "attributes", "unique_id", "signer_id", "product_id",
                             "format_uuid", "tcb_status", "sgx_report_data", "ccbox_advisory_ids",
                             "ccbox_platform_mode"})
        ASSERT_NE(find(name), nullptr) << name;
    EXPECT_EQ(to_hex(find("unique_id")->value), "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb");
    EXPECT_EQ(find("tcb_status")->value, (std::vector<uint8_t>{6, 0, 0, 0}));  // OE_SGX_TCB_STATUS_CONFIGURATION_AND_SW_HARDENING_NEEDED
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(find("ccbox_advisory_ids")->value.data())),
              "INTEL-SA-00289,INTEL-SA-00615");
}

}  // namespace
}  // namespace ccbox::attestation
