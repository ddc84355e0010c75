// The `ccbox` command line: reproducing other toolchains' SIGSTRUCTs, inspecting, measuring,
// signing in one or two steps, and reporting tampering.
#include "platform/elf_image.hpp"
#include "support/hex.hpp"
#include "support/sha256.hpp"
#include "test_support.hpp"

#include <ccbox/bits/properties.h>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstring>
#include <filesystem>
#include <functional>

namespace ccbox {
namespace {

using test::run;

std::string sigdata(const std::string& name) { return test::testdata_dir() + "/sigstruct/" + name; }

// The last line of a command's output, without its newline.
std::string last_line(const std::string& out) {
    std::string text = out.ends_with('\n') ? out.substr(0, out.size() - 1) : out;
    return text.substr(text.rfind('\n') + 1);
}

void write_text(const std::string& path, const std::string& text) {
    test::write_bytes(path, std::vector<uint8_t>(text.begin(), text.end()));
}

// Whether `dir` holds the file `name` or a temporary copy of it (write_file_atomic's NAME.tmp.*).
bool has_output(const test::TempDir& dir, const std::string& name) {
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        if (entry.path().filename().string().starts_with(name))
            return true;
    return false;
}

// A command that must fail, with `message` in its error text.
struct BadInvocation {
    std::vector<std::string> argv;
    int exit_code;
    std::string message;
};

void expect_refused(const BadInvocation& c) {
    auto r = run(c.argv);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.argv[1] << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.argv[1] << ": expected '" << c.message << "' in " << r.err;
}

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
    EXPECT_EQ(last_line(r.out), "784acfd7d5096a8f0fbd3265760bff21b120f62407a9a9e5ba31aa3c8ed198fc");
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
    std::string measure(const std::vector<std::string>& extra = {}) { return measure_image(image, extra); }
    std::string measure_image(const std::string& path, const std::vector<std::string>& extra = {}) {
        std::vector<std::string> argv{test::ccbox_tool(), "measure", "-e", path};
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto r = run(argv);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    }
    // A configuration file in the test's directory.
    std::string conf_file(const std::string& name, const std::string& text) {
        std::string path = dir.file(name);
        write_text(path, text);
        return path;
    }
    // A copy of the image with `patch` applied to its bytes.
    std::string patched_image(const std::string& name, const std::function<void(std::vector<uint8_t>&)>& patch) {
        auto bytes = test::read_bytes(image);
        patch(bytes);
        std::string path = dir.file(name);
        test::write_bytes(path, bytes);
        return path;
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
    EXPECT_EQ(last_line(r.out) + "\n", direct);
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
    std::string other_conf = conf_file("other.conf", "NumTCS=1\n");
    r = run({test::ccbox_tool(), "sign", "-e", image, "-c", other_conf, "--public-key", dir.file("pub.pem"),
             "--signature", signature, "-o", dir.file("bad.signed"), "--date", "20260101"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("does not verify"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("bad.signed"))) << "nothing is written on failure";
}

// The plain-text report: identity, decoded attributes, properties, layout, verdicts; and the
// layout's EPC pages follow the configuration (heap pages are added, per TCS: stack, TCS,
// SSA and thread-data pages).
TEST_F(CliImage, InspectTextShowsIdentityPropertiesLayoutAndVerdicts) {
    std::string signed_path = dir.file("enclave.signed");
    ASSERT_EQ(run({test::ccbox_tool(), "sign", "-e", image, "-c", conf, "-k", key, "-o", signed_path}).exit_code, 0);
    auto j = inspect(signed_path);
    auto text = run({test::ccbox_tool(), "inspect", signed_path});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    for (const std::string& line : {
             "enclave image " + signed_path + "\n",
             "  mrenclave      " + j["mrenclave"].get<std::string>() + "\n",
             "  mrsigner       " + j["mrsigner"].get<std::string>() + "\n",
             std::string("  isvprodid      4\n"),
             std::string("  isvsvn         5\n"),
             std::string("  attributes     DEBUG|MODE64BIT (flags 0x6, xfrm 0x3)\n"),
             std::string("  properties     Debug=1 NumHeapPages=96 NumStackPages="),
             "  layout         ELRANGE " + std::to_string(j["elrange_bytes"].get<uint64_t>() >> 20) + " MiB, " +
                 std::to_string(j["epc_pages"].get<uint64_t>()) + " EPC pages with the SECS (",
             std::string("  signature      valid\n"),
             std::string("  measurement    matches ENCLAVEHASH\n"),
         })
        EXPECT_NE(text.out.find(line), std::string::npos) << line << "\nin:\n" << text.out;
    EXPECT_EQ(text.out.find("check failed"), std::string::npos);

    auto pages_with = [&](const std::string& name, const std::string& config) {
        const std::string out = dir.file(name + ".signed");
        EXPECT_EQ(run({test::ccbox_tool(), "sign", "-e", image, "-c", conf_file(name, config), "-k", key, "-o", out})
                      .exit_code,
                  0);
        return inspect(out)["epc_pages"].get<uint64_t>();
    };
    const uint64_t base = pages_with("base.conf", "NumHeapPages=96\nNumStackPages=16\nNumTCS=2\n");
    EXPECT_EQ(pages_with("heap.conf", "NumHeapPages=128\nNumStackPages=16\nNumTCS=2\n"), base + 32);
    EXPECT_EQ(pages_with("stack.conf", "NumHeapPages=96\nNumStackPages=20\nNumTCS=2\n"), base + 2 * 4);
    const uint64_t one_more_tcs = pages_with("tcs.conf", "NumHeapPages=96\nNumStackPages=16\nNumTCS=3\n") - base;
    EXPECT_GT(one_more_tcs, 16u + 1 + 2) << "a thread adds its stack, TCS, SSA frames and thread data";
    EXPECT_EQ(j["epc_bytes"].get<uint64_t>(), j["epc_pages"].get<uint64_t>() * 4096);
    EXPECT_LE(j["epc_bytes"].get<uint64_t>(), j["elrange_bytes"].get<uint64_t>());
}

// A bare SIGSTRUCT whose signature was changed: the text report says so, with the check.
TEST_F(CliImage, InspectTextOfABareSigstructWithABadSignature) {
    std::string sig = dir.file("bare.bin");
    auto r = run({test::ccbox_tool(), "sigstruct", "--key", key, "--enclave-hash", std::string(64, 'a'), "--date",
                  "20260101", "-o", sig});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto good = run({test::ccbox_tool(), "inspect", sig});
    EXPECT_EQ(good.exit_code, 0) << good.out;
    EXPECT_NE(good.out.find("SIGSTRUCT " + sig + "\n"), std::string::npos) << good.out;
    EXPECT_NE(good.out.find("  signature      valid\n"), std::string::npos) << good.out;
    EXPECT_EQ(good.out.find("layout"), std::string::npos) << "a bare SIGSTRUCT has no layout";
    auto bytes = test::read_bytes(sig);
    bytes[600] ^= 1;  // inside SIGNATURE
    test::write_bytes(sig, bytes);
    auto bad = run({test::ccbox_tool(), "inspect", sig});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.out.find("  signature      INVALID\n"), std::string::npos) << bad.out;
    EXPECT_NE(bad.out.find("  check failed   signature: "), std::string::npos) << bad.out;
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

// Acceptance 4: one byte of code, the heap size or the TCS count changes MRENCLAVE; the same
// inputs always give the same value.
TEST_F(CliImage, MeasurementFollowsCodeHeapAndTcs) {
    const std::string base_conf = conf_file("base.conf", "NumHeapPages=96\nNumTCS=3\n");
    const std::string base = measure({"-c", base_conf});
    ASSERT_EQ(base.size(), 65u) << base;
    EXPECT_EQ(measure({"-c", base_conf}), base) << "same inputs, same value";

    auto elf = ElfImage::load(image);
    ASSERT_TRUE(elf.ok()) << elf.error().message();
    const ElfSection* text = elf->find_section(".text");
    ASSERT_NE(text, nullptr);
    ASSERT_GT(text->size, 0u);
    const std::string flipped =
        patched_image("flipped", [&](std::vector<uint8_t>& bytes) { bytes[text->offset + text->size / 2] ^= 0x01; });
    const std::string flipped_value = measure_image(flipped, {"-c", base_conf});
    EXPECT_NE(flipped_value, base) << "one byte of .text";
    EXPECT_EQ(measure_image(flipped, {"-c", base_conf}), flipped_value);

    const std::string heap = measure({"-c", conf_file("heap.conf", "NumHeapPages=97\nNumTCS=3\n")});
    const std::string tcs = measure({"-c", conf_file("tcs.conf", "NumHeapPages=96\nNumTCS=4\n")});
    EXPECT_NE(heap, base) << "NumHeapPages";
    EXPECT_NE(tcs, base) << "NumTCS";
    EXPECT_NE(heap, tcs);
    EXPECT_EQ(measure({"-c", base_conf}), base) << "still the same value";
}

TEST_F(CliImage, MeasureJsonHasOnlyTheMrenclave) {
    auto r = run({test::ccbox_tool(), "measure", "-e", image, "-c", conf, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_TRUE(j.is_object()) << r.out;
    EXPECT_EQ(j.size(), 1u) << r.out;
    ASSERT_TRUE(j.contains("mrenclave")) << r.out;
    const std::string value = j["mrenclave"].get<std::string>();
    EXPECT_EQ(value.size(), 64u);
    EXPECT_EQ(value.find_first_not_of("0123456789abcdef"), std::string::npos) << "lowercase hex: " << value;
    EXPECT_EQ(value + "\n", measure({"-c", conf})) << "the same value as the text output";
}

TEST_F(CliImage, SigstructFieldsComeBackFromInspect) {
    const std::string out = dir.file("fields.bin");
    const std::string hash = last_line(measure({"-c", conf}));
    auto r = run({test::ccbox_tool(), "sigstruct", "--key", key, "--enclave-hash", hash, "--date", "20240229",
                  "--vendor", "0x8086", "--product-id", "0x1234", "--svn", "77", "--attributes", "MODE64BIT|KSS",
                  "--family-id", "00112233445566778899aabbccddeeff", "--ext-product-id",
                  "ffeeddccbbaa99887766554433221100", "-o", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(test::read_bytes(out).size(), 1808u);
    auto j = inspect(out);
    EXPECT_EQ(j["type"], "sigstruct");
    EXPECT_EQ(j["signature_valid"], true);
    EXPECT_EQ(j["vendor"], 0x8086);
    EXPECT_EQ(j["isvprodid"], 0x1234);
    EXPECT_EQ(j["isvsvn"], 77);
    EXPECT_EQ(j["isvfamilyid"], "00112233445566778899aabbccddeeff");
    EXPECT_EQ(j["isvextprodid"], "ffeeddccbbaa99887766554433221100");
    EXPECT_EQ(j["mrenclave"], hash);
    EXPECT_EQ(j["date"], "2024-02-29");
    EXPECT_EQ(j["attributes"]["names"], "MODE64BIT|KSS");

    // The same key signing the image gives the same MRSIGNER.
    std::string signed_path = dir.file("enclave.signed");
    ASSERT_EQ(run({test::ccbox_tool(), "sign", "-e", image, "-c", conf, "-k", key, "-o", signed_path}).exit_code, 0);
    EXPECT_EQ(j["mrsigner"], inspect(signed_path)["mrsigner"]);
}

// An enclave larger than the 64 GiB ELRANGE is refused by `measure` and `sign` with the file,
// line and key responsible; `sign` writes nothing.
TEST_F(CliImage, ElrangeOverflowNamesTheConfigLineAndKey) {
    const std::string tail = "are too large: the enclave needs ";
    const std::string limit = "more than the 64 GiB limit of ELRANGE";
    const std::string heap = conf_file("heap.conf", "Debug=1\nNumHeapPages=16777216\n");
    const std::string big = conf_file("big.conf", "NumTCS=1024\nNumStackPages=65536\n");
    const std::string stack = conf_file("stack.conf", "# threads\nNumStackPages=20000\nNumTCS=1024\n");
    const std::pair<std::string, std::string> cases[] = {
        {heap, heap + ":2: NumHeapPages: 16777216 heap pages " + tail},
        {big, big + ":2: NumStackPages: 1024 threads x 65536 stack pages (NumTCS from " + big + ":1) " + tail},
        {stack, stack + ":2: NumStackPages: 1024 threads x 20000 stack pages (NumTCS from " + stack + ":3) " + tail},
    };
    const std::string out = dir.file("out.signed");
    for (const auto& [config, message] : cases) {
        expect_refused({{test::ccbox_tool(), "measure", "-e", image, "-c", config}, 1, message});
        expect_refused({{test::ccbox_tool(), "measure", "-e", image, "-c", config}, 1, limit});
        expect_refused({{test::ccbox_tool(), "sign", "-e", image, "-c", config, "-k", key, "-o", out}, 1, message});
        EXPECT_FALSE(has_output(dir, "out.signed")) << config;
    }
}

// Bad configuration files through the command line: `sign`, `digest` and `measure` name the
// file as given, the line and the key, exit 1 and write nothing. A missing file and one over
// the 1 MiB limit are refused the same way.
TEST_F(CliImage, BadConfigurationFilesAreRefusedByEveryCommand) {
    std::string huge = dir.file("huge.conf");
    write_text(huge, "# padding\n" + std::string((1 << 20) + 1, '#'));
    const std::pair<std::string, std::string> cases[] = {
        {conf_file("unknown.conf", "Debug=1\nNumThreads=4\n"), ":2: unknown key 'NumThreads'"},
        {conf_file("duplicate.conf", "NumTCS=2\nNumTCS=3\n"), ":2: NumTCS: duplicate key (first set on line 1)"},
        {conf_file("malformed.conf", "\n\nNumHeapPages=lots\n"), ":3: NumHeapPages: 'lots' is not a number"},
        {conf_file("range.conf", "NumTCS=0\n"), ":1: NumTCS: 0 is out of range (1..1024)"},
        {dir.file("missing.conf"), dir.file("missing.conf") + ": cannot open"},
        {huge, huge + ": file is too large (1048587 bytes, at most 1048576)"},
    };
    const std::string out = dir.file("out.signed"), digest = dir.file("digest.bin");
    for (const auto& [config, message] : cases) {
        SCOPED_TRACE(config);
        const std::string located = message.front() == ':' ? config + message : message;
        expect_refused({{test::ccbox_tool(), "measure", "-e", image, "-c", config}, 1, located});
        expect_refused({{test::ccbox_tool(), "sign", "-e", image, "-c", config, "-k", key, "-o", out}, 1, located});
        expect_refused({{test::ccbox_tool(), "digest", "-e", image, "-c", config, "-o", digest}, 1, located});
        EXPECT_FALSE(std::filesystem::exists(out)) << "nothing is written";
        EXPECT_FALSE(std::filesystem::exists(digest)) << "nothing is written";
    }
}

// The same when the value comes from the image's CCBOX_SET_ENCLAVE_PROPERTIES.
TEST_F(CliImage, ElrangeOverflowFromEmbeddedPropertiesSaysSo) {
    auto set_property = [](std::vector<uint8_t>& bytes, size_t field, uint64_t value) {
        const uint64_t magic = CCBOX_PROPERTIES_MAGIC;
        auto at = std::search(bytes.begin(), bytes.end(), reinterpret_cast<const uint8_t*>(&magic),
                              reinterpret_cast<const uint8_t*>(&magic) + sizeof magic);
        ASSERT_NE(at, bytes.end());
        std::memcpy(&*at + field, &value, sizeof value);
    };
    const std::string big_heap = patched_image("big_heap", [&](std::vector<uint8_t>& bytes) {
        set_property(bytes, offsetof(ccbox_enclave_properties_t, config.num_heap_pages), 16777216);
    });
    const std::string big_stack = patched_image("big_stack", [&](std::vector<uint8_t>& bytes) {
        set_property(bytes, offsetof(ccbox_enclave_properties_t, config.num_stack_pages), 65536);
    });
    const std::string heap_message =
        big_heap + ": embedded properties (section .ccbox.props): NumHeapPages: 16777216 heap pages are too large";
    const std::string tcs = conf_file("tcs.conf", "Debug=1\nNumTCS=1024\n");
    const std::string debug = conf_file("debug.conf", "Debug=1\n");
    const std::string out = dir.file("out.signed");
    const BadInvocation cases[] = {
        {{test::ccbox_tool(), "measure", "-e", big_heap}, 1, heap_message},
        {{test::ccbox_tool(), "measure", "-e", big_heap, "-c", debug}, 1, heap_message},
        {{test::ccbox_tool(), "sign", "-e", big_heap, "-c", debug, "-k", key, "-o", out}, 1, heap_message},
        {{test::ccbox_tool(), "measure", "-e", big_stack, "-c", tcs},
         1,
         tcs + ":2: NumTCS: 1024 threads x 65536 stack pages (NumStackPages from the embedded properties) are too "
               "large"},
    };
    for (const auto& c : cases)
        expect_refused(c);
    EXPECT_FALSE(has_output(dir, "out.signed"));
    EXPECT_EQ(measure_image(big_stack).size(), 65u) << "two threads of 65536 stack pages fit";
}

// Bad keys and signatures for `sign`: the error says what was wrong, and nothing is written.
TEST_F(CliImage, BadKeysAndSignaturesAreRefusedWithoutOutput) {
    const std::string garbage_pem = dir.file("garbage.pem"), short_sig = dir.file("short.sig");
    write_text(garbage_pem, "-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n");
    test::write_bytes(short_sig, {1, 2, 3, 4});
    test::write_bytes(dir.file("full.sig"), std::vector<uint8_t>(384, 0x5a));
    const std::string rsa2048 = dir.file("rsa2048.pem");
    auto r = run({"/usr/bin/openssl", "genrsa", "-out", rsa2048, "2048"});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const std::string out = dir.file("out.signed");
    const std::string tool = test::ccbox_tool();
    const BadInvocation cases[] = {
        {{tool, "sign", "-e", image, "--public-key", garbage_pem, "--signature", dir.file("full.sig"), "-o", out},
         1,
         garbage_pem + ": not a PEM RSA key; make one with `ccbox keygen -o KEY.pem`"},
        {{tool, "sign", "-e", image, "--public-key", dir.file("pub.pem"), "--signature", short_sig, "-o", out},
         1,
         short_sig + ": the signature must be 384 bytes (a big-endian RSA-3072 signature), got 4"},
        {{tool, "sign", "-e", image, "-k", rsa2048, "-o", out},
         1,
         rsa2048 + ": SGX signing keys must be RSA-3072 with public exponent 3 (this key is RSA-2048 with exponent "
                   "65537); make one with `ccbox keygen -o KEY.pem`"},
    };
    for (const auto& c : cases)
        expect_refused(c);
    EXPECT_FALSE(has_output(dir, "out.signed"));
}

TEST(Cli, TruncatedSigstructIsRefused) {
    CCBOX_REQUIRE_TESTDATA();
    test::TempDir dir;
    auto bytes = test::read_bytes(sigdata("test_enclave.sig"));
    ASSERT_EQ(bytes.size(), 1808u);
    bytes.pop_back();
    const std::string truncated = dir.file("truncated.sig");
    test::write_bytes(truncated, bytes);
    for (const char* json : {"--json", ""}) {
        std::vector<std::string> argv{test::ccbox_tool(), "inspect", truncated};
        if (*json)
            argv.push_back(json);
        auto r = run(argv);
        EXPECT_EQ(r.exit_code, 1) << r.err;
        EXPECT_NE(r.err.find(truncated + ": neither an enclave image (ELF) nor a 1808-byte SIGSTRUCT (1807 bytes)"),
                  std::string::npos)
            << r.err;
        EXPECT_EQ(r.out, "") << "no report for a file that is not one";
    }
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1) << "nothing written";
}

TEST(Cli, BadInputGetsAClearErrorAndNoOutput) {
    test::TempDir dir;
    const std::string tool = test::ccbox_tool();
    test::write_bytes(dir.file("garbage"), {1, 2, 3});
    test::write_bytes(dir.file("garbage.pem"), {'x'});
    const std::vector<BadInvocation> cases = {
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
    for (const auto& c : cases)
        expect_refused(c);
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
