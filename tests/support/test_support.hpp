// Helpers shared by ccbox's tests: where things are, running commands, temporary files.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ccbox::test {

// ../shared/testdata, or "" (tests then GTEST_SKIP with a message).
std::string testdata_dir();
#define CCBOX_REQUIRE_TESTDATA()                                                        \
    do {                                                                                \
        if (::ccbox::test::testdata_dir().empty())                                      \
            GTEST_SKIP() << "../shared/testdata is not available next to the checkout"; \
    } while (0)

// Paths of build products, from compile definitions set in tests/CMakeLists.txt.
std::string ccbox_tool();
std::string built_file(const std::string& name);  // a file in the tests' build directory

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
// Runs argv[0] with arguments (no shell) and captures both streams.
CommandResult run(const std::vector<std::string>& argv);

std::vector<uint8_t> read_bytes(const std::filesystem::path& path);
void write_bytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes);

// A fresh directory removed when the object goes away.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

}  // namespace ccbox::test
