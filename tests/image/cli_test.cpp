// The `ccbox` command line: reproducing other toolchains' SIGSTRUCTs, inspecting, measuring,
// signing in one or two steps, and reporting tampering.
#include "support/hex.hpp"
#include "support/sha256.hpp"
#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace ccbox {
namespace {

using test::run;

std::string sigdata(const std::string& name) { return test::testdata_dir() + "/sigstruct/" + name; }

TEST(Cli, SigstructReproducesSig1ByteForByte) {
    CCBOX_REQUIRE_TESTDATA();
    test::TempDir dir;
    auto r = run({test::ccbox_tool(), "sigstruct", "--key", sigdata("sig1.key.pem"), "--enclave-hash",
                  "c50673624a6cb17c1c6c2a4e6906f47a170c4629b8723781d1017ef376f1a75d", "--date", "20160109",
                  "--vendor", "0", "--attributes", "MODE64BIT", "--xfrm", "0x3", "--attributes-mask",
                  "0xfffffffffffffffd", "--xfrm-mask", "0xffffffffffffff1b", "--miscselect", "0", "--misc-mask",
                  "0xffffffff", "--product-id", "0", "--svn", "0", "-o", dir.file("sig1.bin")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(test::read_bytes(dir.file("sig1.bin")), test::read_bytes(sigdata("sig1.sigstruct.bin")));
}

TEST(Cli, InspectJsonOfAForeignSigstruct) {
    CCBOX_REQUIRE_TESTDATA();
    auto r = run({test::ccbox_tool(), "inspect", "--json", sigdata("test_enclave.sig")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["signature_valid"], true);
    EXPECT_EQ(j["mrsigner"], "fb4bab3d6036ac1d730fa83d7366df1dd2dfeac194ef335d6854d8a6c6475542");
    EXPECT_EQ(j["mrenclave"], "784acfd7d5096a8f0fbd3265760bff21b120f62407a9a9e5ba31aa3c8ed198fc");
    EXPECT_EQ(j["isvprodid"], 65535);
    EXPECT_EQ(j["isvsvn"], 0);
    EXPECT_EQ(j["debug"], false);
    EXPECT_EQ(j["date"], "2016-12-14");
    EXPECT_EQ(j["attributes"]["names"], "MODE64BIT");
}

TEST(Cli, MeasureReplaysAnSgxsStream) {
    CCBOX_REQUIRE_TESTDATA();
    auto r = run({test::ccbox_tool(), "measure", "--sgxs-in", sigdata("test_enclave.sgxs")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string last_line = r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1);
    EXPECT_EQ(last_line, "784acfd7d5096a8f0fbd3265760bff21b120f62407a9a9e5ba31aa3c8ed198fc\n");
    auto json = run({test::ccbox_tool(), "measure", "--json", "--sgxs-in", sigdata("test_enclave.sgxs")});
    EXPECT_EQ(nlohmann::json::parse(json.out)["mrenclave"],
              "784acfd7d5096a8f0fbd3265760bff21b120f62407a9a9e5ba31aa3c8ed198fc");
}

class CliImage : public ::testing::Test {
protected:
    void SetUp() override {
        image = test::built_file("image/image_enclave");
        conf = std::string(CCBOX_SOURCE_DIR) + "/tests/image/enclaves/image_enclave.conf";
        key = dir.file("key.pem");
        auto r = run({test::ccbox_tool(), "keygen", "-o", key, "--public-out", dir.file("pub.pem")});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    std::string measure(const std::vector<std::string>& extra = {}) {
        std::vector<std::string> argv{test::ccbox_tool(), "measure", "-e", image};
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto r = run(argv);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    }
    nlohmann::json inspect(const std::string& file, int expected_exit = 0) {
        auto r = run({test::ccbox_tool(), "inspect", "--json", file});
        EXPECT_EQ(r.exit_code, expected_exit) << r.err;
        return r.exit_code < 2 && !r.out.empty() ? nlohmann::json::parse(r.out) : nlohmann::json();
    }
    test::TempDir dir;
    std::string image, conf, key;
};

TEST_F(CliImage, SignedImageMeasuresToItsEnclaveHash) {
    std::string signed_path = dir.file("enclave.signed");
    auto r = run({test::ccbox_tool(), "sign", "-e", image, "-c", conf, "-k", key, "-o", signed_path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = inspect(signed_path);
    EXPECT_EQ(j["signature_valid"], true);
    EXPECT_EQ(j["measurement_matches"], true);
    EXPECT_EQ(j["debug"], true);
    EXPECT_EQ(j["isvprodid"], 4);
    EXPECT_EQ(j["isvsvn"], 5);
    EXPECT_EQ(j["properties"]["NumHeapPages"], 96);
    EXPECT_EQ(measure({"-c", conf}), j["mrenclave"].get<std::string>() + "\n");
    EXPECT_EQ(measure({"-c", conf}), measure({"-c", conf})) << "same inputs, same value";
    EXPECT_TRUE(std::filesystem::status(signed_path).permissions() != std::filesystem::perms::none);
}

TEST_F(CliImage, SignDefaultsToImageDotSigned) {
    std::string copy = dir.file("copy");
    std::filesystem::copy_file(image, copy);
    auto r = run({test::ccbox_tool(), "sign", "-e", copy, "-k", key});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(copy + ".signed"));
    EXPECT_EQ(inspect(copy + ".signed")["properties"]["NumHeapPages"], 64) << "embedded properties without -c";
}

TEST_F(CliImage, SgxsOutputReplaysToTheSameValue) {
    std::string sgxs = dir.file("image.sgxs");
    std::string direct = measure({"-c", conf, "--sgxs-out", sgxs});
    auto r = run({test::ccbox_tool(), "measure", "--sgxs-in", sgxs});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1), direct);
    EXPECT_EQ(to_hex(sha256(test::read_bytes(sgxs))) + "\n", direct);
}

TEST_F(CliImage, TwoStepSigningWithAnOfflineKey) {
    std::string digest = dir.file("digest.bin"), signature = dir.file("sig.bin"), out = dir.file("two.signed");
    auto r = run({test::ccbox_tool(), "digest", "-e", image, "-c", conf, "-o", digest, "--date", "20260101"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(test::read_bytes(digest).size(), 32u);
    // The offline signer: plain OpenSSL over the digest.
    r = run({"/usr/bin/openssl", "pkeyutl", "-sign", "-inkey", key, "-pkeyopt", "digest:sha256", "-in", digest,
             "-out", signature});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run({test::ccbox_tool(), "sign", "-e", image, "-c", conf, "--public-key", dir.file("pub.pem"), "--signature",
             signature, "-o", out, "--date", "20260101"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = inspect(out);
    EXPECT_EQ(j["signature_valid"], true);
    EXPECT_EQ(j["measurement_matches"], true);
    EXPECT_EQ(j["date"], "2026-01-01");

    // The same signature assembled against another configuration does not verify.
    std::string other_conf = dir.file("other.conf");
    std::string text = "NumTCS=1\n";
    test::write_bytes(other_conf, std::vector<uint8_t>(text.begin(), text.end()));
    r = run({test::ccbox_tool(), "sign", "-e", image, "-c", other_conf, "--public-key", dir.file("pub.pem"),
             "--signature", signature, "-o", dir.file("bad.signed"), "--date", "20260101"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("does not verify"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("bad.signed"))) << "nothing is written on failure";
}

// Tampering with a signed image is reported as the check that failed.
TEST_F(CliImage, TamperingIsReportedByCheck) {
    std::string signed_path = dir.file("enclave.signed");
    ASSERT_EQ(run({test::ccbox_tool(), "sign", "-e", image, "-c", conf, "-k", key, "-o", signed_path}).exit_code, 0);
    const auto original = test::read_bytes(signed_path);
    auto find = [&](const std::string& text) {
        std::vector<uint8_t> needle(text.begin(), text.end());
        auto it = std::search(original.begin(), original.end(), needle.begin(), needle.end());
        return static_cast<size_t>(it - original.begin());
    };
    auto failed_checks = [](const nlohmann::json& j) {
        std::vector<std::string> out;
        for (const auto& c : j["checks"])
            if (!c["passed"].get<bool>())
                out.push_back(c["name"]);
        return out;
    };

    // One byte of a measured section (the read-only greeting).
    auto code = original;
    code[find("measured read-only data")] ^= 0x20;
    test::write_bytes(signed_path, code);
    auto j = inspect(signed_path, 1);
    EXPECT_EQ(j["measurement_matches"], false);
    EXPECT_EQ(j["signature_valid"], true);
    EXPECT_EQ(failed_checks(j), std::vector<std::string>{"enclavehash"});
    auto text = run({test::ccbox_tool(), "inspect", signed_path});
    EXPECT_NE(text.out.find("check failed   enclavehash: the enclave measures to"), std::string::npos) << text.out;

    // One byte of the SIGSTRUCT's signed part (ISVSVN) and of its signature.
    const size_t sigstruct = find(std::string("\x06\x00\x00\x00\xe1\x00\x00\x00\x00\x00\x01\x00", 12));
    ASSERT_LT(sigstruct, original.size());
    auto svn = original;
    svn[sigstruct + 1026] ^= 1;
    test::write_bytes(signed_path, svn);
    j = inspect(signed_path, 1);
    EXPECT_EQ(j["signature_valid"], false);
    EXPECT_EQ(failed_checks(j), std::vector<std::string>{"signature"});
    auto signature = original;
    signature[sigstruct + 600] ^= 1;
    test::write_bytes(signed_path, signature);
    EXPECT_EQ(failed_checks(inspect(signed_path, 1)), (std::vector<std::string>{"signature", "q1/q2"}));
    auto header = original;
    header[sigstruct + 1] = 1;
    test::write_bytes(signed_path, header);
    auto f = failed_checks(inspect(signed_path, 1));
    EXPECT_NE(std::find(f.begin(), f.end(), "header"), f.end());
}

TEST(Cli, BadInputGetsAClearErrorAndNoOutput) {
    test::TempDir dir;
    const std::string tool = test::ccbox_tool();
    test::write_bytes(dir.file("garbage"), {1, 2, 3});
    test::write_bytes(dir.file("garbage.pem"), {'x'});
    struct Case {
        std::vector<std::string> argv;
        int exit_code;
        const char* message;
    };
    const std::vector<Case> cases = {
        {{tool, "inspect", dir.file("missing")}, 1, "cannot open"},
        {{tool, "inspect", dir.file("garbage")}, 1, "neither an enclave image (ELF) nor a 1808-byte SIGSTRUCT"},
        {{tool, "measure", "-e", dir.file("garbage")}, 1, "too small to be an ELF image"},
        {{tool, "measure", "--sgxs-in", dir.file("garbage")}, 1, "truncated record header"},
        {{tool, "measure"}, 1, "either -e IMAGE or --sgxs-in FILE"},
        {{tool, "sigstruct", "--key", dir.file("garbage.pem"), "--enclave-hash", std::string(64, '0'), "--date",
          "20260101", "-o", dir.file("out")},
         1, "not a PEM RSA private key"},
        {{tool, "sigstruct", "--key", dir.file("garbage.pem"), "--enclave-hash", "abc", "--date", "20260101", "-o",
          dir.file("out")},
         1, "--enclave-hash"},
        {{tool, "sigstruct", "--key", dir.file("garbage.pem"), "--enclave-hash", std::string(64, '0'), "--date",
          "20261332", "-o", dir.file("out")},
         1, "not a valid calendar date"},
        {{tool, "sigstruct", "--key", dir.file("k"), "--enclave-hash", std::string(64, '0'), "--date", "20260101",
          "--attributes", "TURBO", "-o", dir.file("out")},
         1, "unknown attribute 'TURBO'"},
        {{tool, "frobnicate"}, 2, ""},
    };
    for (const auto& c : cases) {
        auto r = run(c.argv);
        EXPECT_EQ(r.exit_code, c.exit_code) << c.argv[1] << ": " << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.argv[1] << ": " << r.err;
    }
    EXPECT_FALSE(std::filesystem::exists(dir.file("out")));
}

TEST(Cli, KeygenMakesSgxKeysAndDoesNotOverwrite) {
    test::TempDir dir;
    auto r = run({test::ccbox_tool(), "keygen", "-o", dir.file("k.pem")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(std::filesystem::status(dir.file("k.pem")).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto text = run({"/usr/bin/openssl", "rsa", "-in", dir.file("k.pem"), "-noout", "-text"});
    EXPECT_NE(text.out.find("Private-Key: (3072 bit"), std::string::npos);
    EXPECT_NE(text.out.find("publicExponent: 3 "), std::string::npos);
    r = run({test::ccbox_tool(), "keygen", "-o", dir.file("k.pem")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("already exists"), std::string::npos);
}

}  // namespace
}  // namespace ccbox
