// An independent DCAP verifier — Phala's @phala/dcap-qvl 0.3.9 (pure JavaScript, from the npm
// registry; scripts/install-deps.sh installs it) — accepts our quote with our collateral and
// root CA, and the real Intel quote with Intel's (issue 11, acceptance 3).
#include "ccbox_pki_fixture.hpp"

#include "support/file_io.hpp"

#include <cstdio>
#include <filesystem>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace ccbox::attestation {
namespace {

using namespace testing;

struct Outcome {
    int status;
    std::string output;
};

Outcome run_dcap_qvl(const std::string& quote, const std::string& collateral, const std::string& root, int64_t t) {
    const std::string cmd = "NODE_PATH=" CCBOX_DCAP_QVL_NODE_PATH " node " CCBOX_DCAP_QVL_SCRIPT " '" + quote +
                            "' '" + collateral + "' '" + root + "' " + std::to_string(t) + " 2>&1";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (pipe && std::fgets(buf, sizeof buf, pipe))
        out += buf;
    int status = pipe ? ::pclose(pipe) : -1;
    return {status, out};
}

class IndependentVerifier : public ::testing::Test {
protected:
    void SetUp() override {
        if (std::system("command -v node >/dev/null 2>&1") != 0)
            GTEST_SKIP() << "node is not installed: the independent verifier cannot run";
        if (!std::filesystem::exists(std::string(CCBOX_DCAP_QVL_NODE_PATH) + "/@phala/dcap-qvl/package.json"))
            GTEST_SKIP() << "@phala/dcap-qvl is not installed in " CCBOX_DCAP_QVL_NODE_PATH
                            " (scripts/install-deps.sh installs it)";
        dir = std::filesystem::temp_directory_path() / ("ccbox-dcap-qvl-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
    }
    void TearDown() override {
        if (!dir.empty())
            std::filesystem::remove_all(dir);
    }
    std::string write(const std::string& name, std::span<const uint8_t> data) {
        const std::string path = dir / name;
        EXPECT_TRUE(write_file_atomic(path, data).ok());
        return path;
    }
    std::string write(const std::string& name, const std::string& text) {
        return write(name, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
    }
    std::filesystem::path dir;
};

TEST_F(IndependentVerifier, AcceptsOurQuoteWithOurCollateralAndRoot) {
    Pki pki = make_pki(false, make_secrets(PlatformMode::kProduction));
    Platform platform = provision(pki, make_secrets(PlatformMode::kProduction));
    auto q = write("quote.bin", quote_of(platform));
    auto c = write("collateral.json", collateral_bundle_json(collateral_of(pki)));
    auto r = write("root.pem", certificate_pem(pki.root()));
    auto out = run_dcap_qvl(q, c, r, kNow);
    EXPECT_EQ(out.status, 0) << out.output;
    EXPECT_NE(out.output.find("\"status\":\"UpToDate\""), std::string::npos) << out.output;

    // It also sees a TCB recovery, and refuses our quote under another root.
    auto comps = pki.settings().tcb_levels[0].sgx_components;
    comps[1] += 1;
    pki.tcb_recovery(comps, quoting::kPceIsvSvn, "2026-05-01T00:00:00Z");
    ASSERT_TRUE(pki.set_advisories(1, {"CCBOX-SA-0001"}).ok());
    c = write("collateral.json", collateral_bundle_json(collateral_of(pki)));
    out = run_dcap_qvl(q, c, r, kNow);
    EXPECT_EQ(out.status, 0) << out.output;
    EXPECT_NE(out.output.find("\"status\":\"OutOfDate\",\"advisory_ids\":[\"CCBOX-SA-0001\"]"), std::string::npos)
        << out.output;
    Pki other = make_pki(false, platform.secrets);
    out = run_dcap_qvl(q, c, write("other.pem", certificate_pem(other.root())), kNow);
    EXPECT_NE(out.status, 0) << out.output;
}

TEST_F(IndependentVerifier, FetchesOurCollateralFromCcboxPccsServe) {
    // `ccbox pccs serve` on PCS/PCCS v4 paths over HTTPS; dcap-qvl's own client fetches from it.
    Pki pki = make_pki(false, make_secrets(PlatformMode::kProduction));
    Platform platform = provision(pki, make_secrets(PlatformMode::kProduction));
    auto q = write("quote.bin", quote_of(platform));
    auto c = write("collateral.json", collateral_bundle_json(collateral_of(pki)));
    auto r = write("root.pem", certificate_pem(pki.root()));
    const std::string tls = (dir / "tls").string();
    ASSERT_EQ(std::system(("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout '" + tls +
                           ".key' -out '" + tls + ".pem' -subj /CN=localhost -addext "
                           "subjectAltName=IP:127.0.0.1,DNS:localhost -days 2 >/dev/null 2>&1")
                              .c_str()),
              0);
    const std::string log = (dir / "pccs.log").string();
    const std::string pidfile = (dir / "pccs.pid").string();
    ASSERT_EQ(std::system(("'" CCBOX_TOOL_PATH "' pccs serve --collateral '" + c + "' --tls-cert '" + tls +
                           ".pem' --tls-key '" + tls + ".key' --port 0 >'" + log + "' 2>&1 & echo $! >'" + pidfile +
                           "'")
                              .c_str()),
              0);
    std::string url;
    for (int i = 0; i < 200 && url.empty(); ++i) {
        ::usleep(25000);
        auto text = read_file(log);
        std::string s = text ? std::string(text->begin(), text->end()) : "";
        if (auto pos = s.find("https://"); pos != std::string::npos && s.find('\n', pos) != std::string::npos)
            url = s.substr(pos, s.find("/sgx/", pos) - pos);
    }
    auto pid_text = read_file(pidfile);
    const int pid = pid_text ? std::atoi(std::string(pid_text->begin(), pid_text->end()).c_str()) : 0;
    ASSERT_FALSE(url.empty()) << "ccbox pccs serve did not start";
    const std::string cmd = "NODE_EXTRA_CA_CERTS='" + tls + ".pem' NODE_PATH=" CCBOX_DCAP_QVL_NODE_PATH
                            " node " CCBOX_DCAP_QVL_FETCH_SCRIPT " '" + url + "' '" + q + "' '" + r + "' " +
                            std::to_string(kNow) + " 2>&1";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (pipe && std::fgets(buf, sizeof buf, pipe))
        out += buf;
    const int status = pipe ? ::pclose(pipe) : -1;
    if (pid > 0)
        ::kill(pid, SIGTERM);
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("\"status\":\"UpToDate\""), std::string::npos) << out;
}

TEST_F(IndependentVerifier, AcceptsTheRealIntelQuote) {
    const std::string d = std::string(CCBOX_TESTDATA_DIR) + "/dcap";
    if (!std::filesystem::exists(d + "/sgx_quote.bin"))
        GTEST_SKIP() << "shared test data absent: " << d;
    auto out = run_dcap_qvl(d + "/sgx_quote.bin", d + "/sgx_quote_collateral.json", d + "/intel_sgx_root_ca.pem",
                            1750330571);
    EXPECT_EQ(out.status, 0) << out.output;
    EXPECT_NE(out.output.find("{\"status\":\"ConfigurationAndSWHardeningNeeded\",\"advisory_ids\":[\"INTEL-SA-00289\","
                              "\"INTEL-SA-00615\"]}"),
              std::string::npos)
        << out.output;
}

}  // namespace
}  // namespace ccbox::attestation
