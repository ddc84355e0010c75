// The command line of ccbox-edger8r: options, output directories and exit status
// (0 success, 1 EDL errors, 2 bad command line).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {

namespace fs = std::filesystem;

class Cli : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("edger8r_cli_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    void write(const std::string& name, const std::string& text) {
        fs::create_directories((dir_ / name).parent_path());
        std::ofstream(dir_ / name) << text;
    }
    std::string read(const fs::path& p) {
        std::ifstream in(p);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    // Runs the tool in dir_ and returns its exit status; stderr goes to err_.
    int run(const std::string& args) {
        std::string cmd = "cd '" + dir_.string() + "' && '" EDGER8R_PATH "' " + args + " 2> stderr.txt > stdout.txt";
        int status = std::system(cmd.c_str());
        err_ = read(dir_ / "stderr.txt");
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    fs::path dir_;
    std::string err_;
};

const char* kEdl = "enclave {\n  trusted { public int f(int x); };\n  untrusted { void g(void); };\n};\n";

TEST_F(Cli, BothSidesIntoTheCurrentDirectoryByDefault) {
    write("x.edl", kEdl);
    ASSERT_EQ(run("x.edl"), 0) << err_;
    for (const char* f : {"x_args.h", "x_t.h", "x_t.c", "x_u.h", "x_u.c"})
        EXPECT_TRUE(fs::exists(dir_ / f)) << f;
    EXPECT_EQ(err_, "");
}

TEST_F(Cli, WarningsArePrintedAndDoNotFail) {
    write("x.edl", "enclave { trusted { public sgx_status_t f(sgx_status_t s); }; };\n");
    ASSERT_EQ(run("x.edl"), 0) << err_;
    EXPECT_EQ(err_.rfind("x.edl:1:28: warning: type 'sgx_status_t' is taken on trust", 0), 0u) << err_;
    EXPECT_EQ(std::count(err_.begin(), err_.end(), '\n'), 1) << err_;  // once per name
    EXPECT_TRUE(fs::exists(dir_ / "x_t.c"));
    // --sgx-sdk: the SDK header declares it, no warning.
    ASSERT_EQ(run("--sgx-sdk x.edl"), 0) << err_;
    EXPECT_EQ(err_, "");
    EXPECT_NE(read(dir_ / "x_args.h").find("#include \"sgx_edger8r.h\""), std::string::npos);
}

TEST_F(Cli, TrustedSideIntoItsDirectory) {
    write("x.edl", kEdl);
    ASSERT_EQ(run("--trusted --trusted-dir out/t x.edl"), 0) << err_;
    EXPECT_TRUE(fs::exists(dir_ / "out/t/x_t.c"));
    EXPECT_TRUE(fs::exists(dir_ / "out/t/x_args.h"));
    EXPECT_FALSE(fs::exists(dir_ / "out/t/x_u.c"));
    EXPECT_FALSE(fs::exists(dir_ / "x_u.c"));
}

TEST_F(Cli, UntrustedHeaderOnly) {
    write("x.edl", kEdl);
    ASSERT_EQ(run("--untrusted --header-only --untrusted-dir u x.edl"), 0) << err_;
    EXPECT_TRUE(fs::exists(dir_ / "u/x_u.h"));
    EXPECT_FALSE(fs::exists(dir_ / "u/x_u.c"));
    EXPECT_FALSE(fs::exists(dir_ / "u/x_t.h"));
}

TEST_F(Cli, SearchPathsAndDefines) {
    write("main.edl", "enclave {\n#ifdef WANT\n  from \"lib.edl\" import *;\n#endif\n};\n");
    write("libs/lib.edl", "enclave { trusted { public void from_lib(); }; };");
    ASSERT_EQ(run("--search-path libs -D WANT main.edl"), 0) << err_;
    EXPECT_NE(read(dir_ / "main_args.h").find("main_fcn_id_from_lib = 0"), std::string::npos);
    ASSERT_EQ(run("-DWANT --search-path=libs main.edl"), 0) << err_;
    ASSERT_EQ(run("main.edl"), 0) << err_;
    EXPECT_EQ(read(dir_ / "main_args.h").find("from_lib"), std::string::npos);
    EXPECT_EQ(run("-D WANT main.edl"), 1);
    EXPECT_NE(err_.find("cannot find imported file 'lib.edl'"), std::string::npos) << err_;
}

TEST_F(Cli, EdlErrorsExitWithOneAndPrintLocations) {
    write("bad.edl", "enclave {\n  trusted { public void f(int* p); };\n};\n");
    EXPECT_EQ(run("bad.edl"), 1);
    EXPECT_EQ(err_, "bad.edl:2:32: error: pointer parameter 'p' needs a direction ('in', 'out' or 'in, out') or "
                    "'user_check'\n");
    EXPECT_FALSE(fs::exists(dir_ / "bad_t.c"));
}

TEST_F(Cli, MissingFileExitsWithOne) {
    EXPECT_EQ(run("nothing.edl"), 1);
    EXPECT_NE(err_.find("cannot read 'nothing.edl'"), std::string::npos) << err_;
}

TEST_F(Cli, BadCommandLineExitsWithTwo) {
    EXPECT_EQ(run(""), 2);
    EXPECT_EQ(run("--no-such-option x.edl"), 2);
    EXPECT_EQ(run("--trusted-dir"), 2);
    EXPECT_EQ(run("a.edl b.edl"), 2);
}

TEST_F(Cli, HelpExitsWithZero) {
    EXPECT_EQ(run("--help"), 0);
}

TEST_F(Cli, UnchangedOutputIsNotRewritten) {
    write("x.edl", kEdl);
    ASSERT_EQ(run("x.edl"), 0);
    auto before = fs::last_write_time(dir_ / "x_t.c");
    fs::last_write_time(dir_ / "x_t.c", before - std::chrono::hours(1));
    auto old = fs::last_write_time(dir_ / "x_t.c");
    ASSERT_EQ(run("x.edl"), 0);
    EXPECT_EQ(fs::last_write_time(dir_ / "x_t.c"), old);
}

TEST_F(Cli, UnwritableOutputDirectoryExitsWithOne) {
    write("x.edl", kEdl);
    write("file", "not a directory");
    EXPECT_EQ(run("--trusted-dir file/sub x.edl"), 1);
}

TEST_F(Cli, DepfileListsTheEdlAndEveryImportedFile) {
    write("main.edl", "enclave {\n  from \"lib.edl\" import *;\n  import \"sub dir/other.edl\";\n};\n");
    write("libs/lib.edl", "enclave { trusted { public void from_lib(); }; };");
    write("libs/sub dir/other.edl", "enclave { untrusted { void from_other(); }; };");
    ASSERT_EQ(run("--untrusted --search-path libs --depfile deps/main.d main.edl"), 1) << err_;
    fs::create_directories(dir_ / "deps");
    ASSERT_EQ(run("--untrusted --search-path libs --depfile deps/main.d main.edl"), 0) << err_;
    std::string root = fs::canonical(dir_).string();
    std::string expected = root + "/main_u.c " + root + "/main_args.h " + root + "/main_u.h: \\\n  " + root +
                           "/main.edl \\\n  " + root + "/libs/lib.edl \\\n  " + root +
                           "/libs/sub\\ dir/other.edl\n";
    EXPECT_EQ(read(dir_ / "deps/main.d"), expected);
}

TEST_F(Cli, NoDepfileWhenTheEdlHasErrors) {
    write("bad.edl", "enclave { trusted { public void f(int* p); }; };");
    EXPECT_EQ(run("--depfile bad.d bad.edl"), 1);
    EXPECT_FALSE(fs::exists(dir_ / "bad.d"));
}

TEST_F(Cli, AFailedWriteLeavesTheOldFileAndNoTemporary) {
    write("x.edl", kEdl);
    write("out/x_t.c", "old contents");
    // A file size limit of 1 KiB (SIGXFSZ ignored, so write() fails with EFBIG) makes writing
    // the generated x_t.c fail part-way, even for root.
    std::string cmd = "cd '" + dir_.string() + "' && (trap '' XFSZ; ulimit -f 1; exec '" EDGER8R_PATH
                      "' --trusted --trusted-dir out x.edl) 2> stderr.txt";
    int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 1);
    EXPECT_NE(read(dir_ / "stderr.txt").find("cannot write"), std::string::npos);
    EXPECT_EQ(read(dir_ / "out/x_t.c"), "old contents");
    for (const auto& entry : fs::directory_iterator(dir_ / "out"))
        EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

}  // namespace
