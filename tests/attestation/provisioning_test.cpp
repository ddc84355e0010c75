// The embedded default: an unprovisioned platform makes a development PKI on its first quote,
// says so, and keeps it; first quotes that race end under one whole PKI.
#include "ccbox_pki_fixture.hpp"

#include "platform/quoting/provisioning.hpp"
#include "support/file_io.hpp"

#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>

namespace ccbox::attestation {
namespace {

using namespace testing;

class DevelopmentDefault : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/ccbox-provisioning-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir = tmpl;
    }
    void TearDown() override { std::filesystem::remove_all(dir); }
    std::string dir;
};

TEST_F(DevelopmentDefault, FirstQuoteMakesADevelopmentPkiAndSaysSo) {
    auto secrets = make_secrets(PlatformMode::kProduction);
    std::string notice;
    auto chain = quoting::pck_chain(dir, secrets, kNow, &notice);
    ASSERT_TRUE(chain.ok()) << chain.error().message();
    EXPECT_NE(notice.find("made a development PKI in " + dir + "/development-pki"), std::string::npos) << notice;
    auto pki = Pki::load(dir + "/development-pki");
    ASSERT_TRUE(pki.ok()) << pki.error().message();
    EXPECT_TRUE(pki->settings().development);
    // Later quotes reuse it silently.
    std::string again;
    auto chain2 = quoting::pck_chain(dir, secrets, kNow, &again);
    ASSERT_TRUE(chain2.ok());
    EXPECT_EQ(*chain, *chain2);
    EXPECT_TRUE(again.empty());
    // Even a production platform's quotes verify as development under it.
    Platform p{secrets, nullptr, *chain};
    auto r = verify_quote(quote_of(p), collateral_of(*pki), roots_of(*pki), kNow);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.verdict.platform_mode, PlatformMode::kDevelopment);
}

TEST_F(DevelopmentDefault, RacingFirstQuotesEndUnderOnePki) {
    auto secrets = make_secrets(PlatformMode::kDevelopment);
    std::vector<pid_t> children;
    for (int i = 0; i < 4; ++i) {
        pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0)
            ::_exit(quoting::pck_chain(dir, secrets, kNow, nullptr).ok() ? 0 : 1);
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    auto pki = Pki::load(dir + "/development-pki");
    ASSERT_TRUE(pki.ok()) << pki.error().message();
    auto chain = read_file(quoting::pck_chain_path(dir, secrets));
    ASSERT_TRUE(chain.ok());
    Platform p{secrets, nullptr, std::string(chain->begin(), chain->end())};
    auto r = verify_quote(quote_of(p), collateral_of(*pki), roots_of(*pki), kNow);
    EXPECT_TRUE(r.ok()) << r.error.message;
    size_t leftovers = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        leftovers += entry.path().filename().string().find(".new.") != std::string::npos;
    EXPECT_EQ(leftovers, 0u);
}

TEST(PckChainCheck, ThePlatformStoresOnlyItsOwnCertificate) {
    auto secrets = make_secrets(PlatformMode::kDevelopment);
    Pki pki = make_pki(true, secrets);
    Platform mine = provision(pki, secrets);
    EXPECT_TRUE(quoting::check_pck_chain_for(secrets, mine.chain).ok());
    // Another platform's certificate, or a chain out of order, is refused.
    Platform other = provision(pki, make_secrets(PlatformMode::kDevelopment));
    auto r = quoting::check_pck_chain_for(secrets, other.chain);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message().find("not for the platform's PCK key"), std::string::npos);
    const std::string reordered = certificate_pem(pki.pck_ca()) + certificate_pem(mine.pck.get()) +
                                  certificate_pem(pki.root());
    EXPECT_FALSE(quoting::check_pck_chain_for(secrets, reordered).ok());
    EXPECT_FALSE(quoting::check_pck_chain_for(secrets, certificate_pem(mine.pck.get())).ok());
}

}  // namespace
}  // namespace ccbox::attestation
