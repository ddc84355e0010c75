// The enclave libc fails safe (issue 17): each attack on fortified printf, setjmp/longjmp and the
// heap, made from inside an enclave, aborts that enclave (CCBOX_ENCLAVE_ABORTED) in every
// backend, while the legitimate use of the same function keeps working.
#include "enclave_test_support.hpp"
#include "hardening_test_u.h"
#include "test_support.hpp"

#include <atomic>
#include <string>

namespace {
std::atomic<int> g_landed{0};
}  // namespace

extern "C" void hd_host_landed(void) { g_landed = 1; }

namespace {

using ccbox::test::Backend;

struct Enclave {
    ccbox_enclave_t* e = nullptr;
    ccbox_result_t created = CCBOX_UNEXPECTED;
    explicit Enclave(Backend backend) {
        const auto path = ccbox::test::built_file("runtime/hardening_enclave.signed");
        created = ccbox_create_hardening_test_enclave(path.c_str(), ccbox::test::create_flags(backend),
                                                      ccbox::test::platform_settings(), 1, &e);
    }
    ~Enclave() {
        if (e)
            ccbox_terminate_enclave(e);
    }
    operator ccbox_enclave_t*() const { return e; }
};

class Hardening : public ::testing::TestWithParam<Backend> {
  protected:
    void SetUp() override { g_landed = 0; }
};

// Each attack in a fresh enclave; the enclave stays aborted afterwards.
void expect_aborted(Backend backend, ccbox_result_t (*call)(ccbox_enclave_t*, int*, int), int attack,
                    const char* what) {
    Enclave e(backend);
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    int r = -1;
    EXPECT_EQ(call(e, &r, attack), CCBOX_ENCLAVE_ABORTED) << what << " (returned " << r << ")";
    EXPECT_EQ(call(e, &r, 0), CCBOX_ENCLAVE_ABORTED) << what << ": and every later call";
}

TEST_P(Hardening, PercentNInAReadOnlyFormatWorks) {
    Enclave e(GetParam());
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    int r = -1;
    ASSERT_EQ(hd_printf_n(e, &r, 0), CCBOX_OK);
    EXPECT_EQ(r, 3) << "%n after \"abc\" in a format in .rodata";
    ASSERT_EQ(hd_printf_n(e, &r, 3), CCBOX_OK);
    EXPECT_EQ(r, 5) << "a writable format without %n is fine";
}

TEST_P(Hardening, PercentNInAWritableFormatAbortsTheEnclave) {
    expect_aborted(GetParam(), hd_printf_n, 1, "__snprintf_chk, %n in a heap format");
    expect_aborted(GetParam(), hd_printf_n, 2, "__snprintf_chk, %n in a stack format");
    expect_aborted(GetParam(), hd_printf_n, 4, "__printf_chk, %n in a heap format");
}

TEST_P(Hardening, LongjmpWorks) {
    Enclave e(GetParam());
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    int r = -1;
    ASSERT_EQ(hd_longjmp(e, &r, 0), CCBOX_OK);
    EXPECT_EQ(r, 42);
}

TEST_P(Hardening, TamperedJmpBufAbortsInsteadOfJumping) {
    expect_aborted(GetParam(), hd_longjmp, 1, "saved pc replaced with the address of landed()");
    expect_aborted(GetParam(), hd_longjmp, 2, "one bit of the mangled pc flipped");
    expect_aborted(GetParam(), hd_longjmp, 3, "__longjmp_chk into a frame that has returned");
    EXPECT_EQ(g_landed.load(), 0) << "control reached the attacker's target";
}

TEST_P(Hardening, HeapWorks) {
    Enclave e(GetParam());
    ASSERT_EQ(e.created, CCBOX_OK) << ccbox_get_last_error();
    int r = -1;
    ASSERT_EQ(hd_heap(e, &r, 0), CCBOX_OK);
    EXPECT_EQ(r, 0) << "-3: the test's blocks were not neighbours";
}

TEST_P(Hardening, DoubleFreeAbortsTheEnclave) { expect_aborted(GetParam(), hd_heap, 1, "double free"); }

TEST_P(Hardening, OverflowIntoTheNextHeaderIsCaught) {
    expect_aborted(GetParam(), hd_heap, 2, "one byte into the next block's header, caught at free");
    expect_aborted(GetParam(), hd_heap, 3, "one byte into a free block's header, caught at malloc");
}

INSTANTIATE_TEST_SUITE_P(Backends, Hardening, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

}  // namespace
