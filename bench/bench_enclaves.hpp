// The benchmark enclave (bench/enclave/), created in either backend; isolated enclaves run on a
// private platform (its own state directory, gone when the program ends, and a ccboxd that
// leaves once idle), never on the machine's default one.
#pragma once

#include "bench_u.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace ccbox::bench {

class BenchEnclaves {
public:
    // `program` is argv[0]: the images are built next to the benchmark binaries.
    explicit BenchEnclaves(const char* program)
        : dir_(std::filesystem::path(program).parent_path().string()) {
        char tmpl[] = "/tmp/ccbox-bench-XXXXXX";
        state_dir_ = ::mkdtemp(tmpl);
        platform_.state_dir = state_dir_.c_str();
        setting_.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
        setting_.u.platform = &platform_;
        ::setenv("CCBOX_PLATFORM_IDLE_EXIT", "5", 1);
    }
    ~BenchEnclaves() {
        std::error_code ec;
        std::filesystem::remove_all(state_dir_, ec);
    }
    BenchEnclaves(const BenchEnclaves&) = delete;
    BenchEnclaves& operator=(const BenchEnclaves&) = delete;

    // A built image by name, e.g. "bench_enclave.signed".
    std::string image(const char* name) const { return dir_ + "/" + name; }

    // Creates an enclave or ends the program: a benchmark without its enclave measures nothing.
    ccbox_enclave_t* create(uint32_t flags, const std::string& image) const {
        ccbox_enclave_t* e = nullptr;
        if (ccbox_create_bench_enclave(image.c_str(), flags, &setting_, 1, &e) != CCBOX_OK) {
            std::fprintf(stderr, "cannot create %s: %s\n", image.c_str(), ccbox_get_last_error());
            std::exit(1);
        }
        return e;
    }

private:
    std::string dir_, state_dir_;
    ccbox_enclave_setting_platform_t platform_{};
    ccbox_enclave_setting_t setting_{};
};

}  // namespace ccbox::bench
