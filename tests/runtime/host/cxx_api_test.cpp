// <ccbox/host.hpp> as a newcomer uses it (sim backend: the C++ layer is backend-independent,
// runtime_test.cpp covers both backends): an ECALL's own int status through call_checked(),
// and a failure reported once, in the exception, not also on stderr.
#include "runtime_test_u.h"

#include "test_support.hpp"

#include <ccbox/host.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <unistd.h>

// The OCALLs of runtime_test.edl; none is reached by the ECALLs used here.
extern "C" void host_empty(void) {}
extern "C" void host_log(const char*) {}
extern "C" void host_wait_for_release(void) {}
extern "C" int host_nested(int x) { return x; }

namespace {

std::string image(const std::string& name) { return ccbox::test::built_file("runtime/" + name); }

// What the code run by `f` writes to stderr (fd 2).
template <typename F>
std::string stderr_of(F&& f) {
    std::fflush(stderr);
    FILE* capture = std::tmpfile();
    const int saved = ::dup(2);
    ::dup2(::fileno(capture), 2);
    f();
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    std::string text;
    std::rewind(capture);
    for (int c; (c = std::fgetc(capture)) != EOF;)
        text += static_cast<char>(c);
    std::fclose(capture);
    return text;
}

TEST(CxxApi, CallCheckedThrowsOnANonZeroStatus) {
    ccbox::Enclave e(ccbox_create_runtime_test_enclave, image("runtime_enclave.signed"),
                     CCBOX_ENCLAVE_FLAG_SIMULATE | CCBOX_ENCLAVE_FLAG_DEBUG);
    EXPECT_NO_THROW(e.call_checked(rt_add, 0, 0));  // rt_add returns a + b: 0 is success
    try {
        e.call_checked(rt_add, 40, 2);
        ADD_FAILURE() << "status 42 must throw";
    } catch (const ccbox::Error& error) {
        EXPECT_EQ(error.code(), CCBOX_FAILURE);
        EXPECT_NE(std::string(error.what()).find("returned status 42"), std::string::npos) << error.what();
    }
}

TEST(CxxApi, AFailureIsReportedOnceInTheException) {
    const std::string unsigned_image = image("runtime_enclave");
    // The C API prints the failure (and keeps it for ccbox_get_last_error()).
    const std::string c_output = stderr_of([&] {
        ccbox_enclave_t* e = nullptr;
        EXPECT_EQ(ccbox_create_runtime_test_enclave(unsigned_image.c_str(), CCBOX_ENCLAVE_FLAG_SIMULATE, nullptr, 0, &e),
                  CCBOX_NOT_SIGNED);
    });
    EXPECT_NE(c_output.find("the image is not signed"), std::string::npos) << c_output;
    // The C++ layer throws the same message and prints nothing itself.
    std::string what;
    const std::string cxx_output = stderr_of([&] {
        try {
            ccbox::Enclave e(ccbox_create_runtime_test_enclave, unsigned_image, CCBOX_ENCLAVE_FLAG_SIMULATE);
        } catch (const ccbox::Error& error) {
            what = error.what();
        }
    });
    EXPECT_NE(what.find("the image is not signed"), std::string::npos) << what;
    EXPECT_EQ(cxx_output, "");
    // And printing is back on for the C API afterwards.
    const std::string again = stderr_of([&] {
        ccbox_enclave_t* e = nullptr;
        (void)ccbox_create_runtime_test_enclave(unsigned_image.c_str(), CCBOX_ENCLAVE_FLAG_SIMULATE, nullptr, 0, &e);
    });
    EXPECT_NE(again.find("the image is not signed"), std::string::npos) << again;
}

}  // namespace
