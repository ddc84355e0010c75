// `ccbox box` as the data owner runs it: round trips, and the atomic-output promise — a
// refused input leaves no OUT file and no temporary file behind, and an existing OUT untouched.
#include "box_test_support.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace {

using namespace box_test;
using ccbox::test::run;
using ccbox::test::TempDir;
namespace fs = std::filesystem;

size_t entries(const fs::path& dir) {
    return size_t(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(BoxCli, EncryptsAndDecryptsWithRawOrHexKeys) {
    TempDir dir;
    const std::string tool = ccbox::test::ccbox_tool();
    ASSERT_EQ(run({tool, "box", "keygen", "--out", dir.file("k")}).exit_code, 0);
    EXPECT_EQ(fs::status(dir.file("k")).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_NE(run({tool, "box", "keygen", "--out", dir.file("k")}).exit_code, 0) << "never overwrites a key";
    Bytes plain(100000);
    for (size_t i = 0; i < plain.size(); ++i)
        plain[i] = uint8_t(i * 7);
    ccbox::test::write_bytes(dir.file("p"), plain);
    auto r = run({tool, "box", "encrypt", "--key", dir.file("k"), "--key-id", "sales/2026", "--chunk-size", "4096",
                  dir.file("p"), dir.file("e")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run({tool, "box", "inspect", dir.file("e")});
    EXPECT_NE(r.out.find("key id:     sales/2026"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("chunk size: 4096"), std::string::npos) << r.out;
    // The same key as 64 hex digits and a newline.
    const Bytes raw = ccbox::test::read_bytes(dir.file("k"));
    std::string hex;
    for (uint8_t b : raw) {
        char h[3];
        std::snprintf(h, sizeof h, "%02x", b);
        hex += h;
    }
    ccbox::test::write_bytes(dir.file("k.hex"), text(hex + "\n"));
    r = run({tool, "box", "decrypt", "--key", dir.file("k.hex"), dir.file("e"), dir.file("d")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(ccbox::test::read_bytes(dir.file("d")), plain);
}

TEST(BoxCli, EncryptCommitsToTheResultKey) {
    TempDir dir;
    const std::string tool = ccbox::test::ccbox_tool();
    for (const char* k : {"k", "r"})
        ASSERT_EQ(run({tool, "box", "keygen", "--out", dir.file(k)}).exit_code, 0);
    ccbox::test::write_bytes(dir.file("p"), Bytes(5000, 'x'));
    auto r = run({tool, "box", "encrypt", "--key", dir.file("k"), "--key-id", "sales", "--result-key", dir.file("r"),
                  dir.file("p"), dir.file("e")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run({tool, "box", "inspect", dir.file("e")});
    EXPECT_NE(r.out.find("result key: committed (check "), std::string::npos) << r.out;
    const Bytes box = ccbox::test::read_bytes(dir.file("e"));
    Opened o;
    ccbox::box::Decryptor dec(ccbox::test::read_bytes(dir.file("k")).data(), 32, append, &o.plain);
    ASSERT_EQ(dec.expect_result_key(ccbox::test::read_bytes(dir.file("r")).data(), 32), ccbox::box::Error::ok);
    EXPECT_EQ(dec.feed(box.data(), box.size()), ccbox::box::Error::ok);
    EXPECT_EQ(dec.finish(), ccbox::box::Error::ok);
    // Without --result-key: no commitment. A bad result key file: an error naming it, no output.
    r = run({tool, "box", "encrypt", "--key", dir.file("k"), "--key-id", "sales", dir.file("p"), dir.file("u")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(run({tool, "box", "inspect", dir.file("u")}).out.find("result key: none"), std::string::npos);
    ccbox::test::write_bytes(dir.file("short"), Bytes(31, 1));
    r = run({tool, "box", "encrypt", "--key", dir.file("k"), "--key-id", "sales", "--result-key", dir.file("short"),
             dir.file("p"), dir.file("x")});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find(dir.file("short")), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir.file("x")));
}

TEST(BoxCli, ARefusedInputLeavesNoOutputBehind) {
    TempDir dir;
    const std::string tool = ccbox::test::ccbox_tool();
    ASSERT_EQ(run({tool, "box", "keygen", "--out", dir.file("k")}).exit_code, 0);
    ccbox::test::write_bytes(dir.file("p"), Bytes(50000, 'x'));
    ASSERT_EQ(run({tool, "box", "encrypt", "--key", dir.file("k"), "--key-id", "d", "--chunk-size", "1024",
                   dir.file("p"), dir.file("e")})
                  .exit_code,
              0);
    const Bytes box = ccbox::test::read_bytes(dir.file("e"));
    struct Case {
        const char* name;
        Bytes bytes;
        const char* message;
    };
    Bytes tampered = box, truncated = slice(box, 0, box.size() - 1), extended = box;
    tampered[box.size() / 2] ^= 4;
    extended.push_back(0);
    for (const Case& c : {Case{"tampered", tampered, "does not authenticate"},
                          Case{"truncated", truncated, "truncated"}, Case{"extended", extended, "extended"}}) {
        ccbox::test::write_bytes(dir.file("bad"), c.bytes);
        const size_t before = entries(dir.path());
        auto r = run({tool, "box", "decrypt", "--key", dir.file("k"), dir.file("bad"), dir.file("out")});
        EXPECT_EQ(r.exit_code, 1) << c.name;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.name << ": " << r.err;
        EXPECT_NE(r.err.find(dir.file("bad")), std::string::npos) << "the error names the file: " << r.err;
        EXPECT_FALSE(fs::exists(dir.file("out"))) << c.name;
        EXPECT_EQ(entries(dir.path()), before) << c.name << ": a temporary file was left behind";
    }
    // An existing OUT stays as it was.
    ccbox::test::write_bytes(dir.file("out"), text("previous"));
    EXPECT_EQ(run({tool, "box", "decrypt", "--key", dir.file("k"), dir.file("bad"), dir.file("out")}).exit_code, 1);
    EXPECT_EQ(ccbox::test::read_bytes(dir.file("out")), text("previous"));
}

TEST(BoxCli, BadKeyFilesAreNamed) {
    TempDir dir;
    const std::string tool = ccbox::test::ccbox_tool();
    ccbox::test::write_bytes(dir.file("short"), Bytes(16, 1));
    ccbox::test::write_bytes(dir.file("p"), Bytes(10, 1));
    auto r = run({tool, "box", "encrypt", "--key", dir.file("short"), "--key-id", "d", dir.file("p"), dir.file("e")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(dir.file("short") + ": the key file has 16 bytes"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir.file("e")));
    r = run({tool, "box", "encrypt", "--key", dir.file("missing"), "--key-id", "d", dir.file("p"), dir.file("e")});
    EXPECT_NE(r.err.find(dir.file("missing")), std::string::npos) << r.err;
}

}  // namespace
