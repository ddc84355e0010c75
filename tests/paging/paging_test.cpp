// Issue 14, acceptance 1, 2, 4 and 5: enclaves larger than the EPC, alone and together, run
// correctly; the resident total never exceeds the EPC; everything is freed when an enclave goes.
#include "paging_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace ccbox::test::paging {
namespace {

ccbox_result_t create(const std::string& path, const ccbox_enclave_setting_t* setting, ccbox_enclave_t** e,
                      uint32_t flags = CCBOX_ENCLAVE_FLAG_ISOLATED | CCBOX_ENCLAVE_FLAG_DEBUG) {
    return ccbox_create_paging_test_enclave(path.c_str(), flags, setting, setting ? 1 : 0, e);
}

// Fills `bytes` from `seed`, verifies them; returns the ECALL's result (CCBOX_OK only when
// every word came back).
ccbox_result_t fill_and_verify(ccbox_enclave_t* e, uint64_t seed, uint64_t bytes, uint64_t* mismatches) {
    int r = -1;
    uint64_t address = 0;
    ccbox_result_t c = pg_fill(e, &r, seed, bytes, &address);
    if (c != CCBOX_OK || r != CCBOX_OK)
        return c != CCBOX_OK ? c : static_cast<ccbox_result_t>(r);
    c = pg_verify(e, &r, seed, bytes, mismatches);
    return c != CCBOX_OK ? c : static_cast<ccbox_result_t>(r);
}

uint64_t paging(const nlohmann::json& s, const char* field) { return s["paging"][field].get<uint64_t>(); }

// Acceptance 1 and 4 (terminate).
TEST(Paging, OneEnclaveBiggerThanTheEpcOfADC1sV2) {
    PagingPlatform platform({"--sku", "DC1s_v2"});
    ASSERT_TRUE(platform.ready()) << platform.log();
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("paging_enclave.64mib.signed"), platform.setting(), &e), CCBOX_OK)
        << ccbox_get_last_error() << platform.log();
    uint64_t mismatches = 1;
    ASSERT_EQ(fill_and_verify(e, 0x1234, 60 * kMiB, &mismatches), CCBOX_OK) << platform.log();
    EXPECT_EQ(mismatches, 0u);
    auto s = platform.status();
    ASSERT_TRUE(s);
    EXPECT_GT(paging(*s, "page_outs"), 0u) << s->dump();
    EXPECT_GT(paging(*s, "page_ins"), 0u) << s->dump();
    EXPECT_LE((*s)["epc_resident_bytes"].get<uint64_t>(), 28 * kMiB);
    EXPECT_LE((*s)["epc_resident_high_water_bytes"].get<uint64_t>(), 28 * kMiB) << s->dump();
    EXPECT_GT((*s)["epc_resident_high_water_bytes"].get<uint64_t>(), 20 * kMiB) << "the EPC was used";
    const auto& mine = (*s)["enclaves"][0]["paging"];
    EXPECT_GT(mine["evicted_pages"].get<uint64_t>(), 32 * kMiB / kPage) << s->dump();
    EXPECT_EQ(mine["page_ins"], (*s)["paging"]["page_ins"]);
    // The same figures in the text status.
    auto text = ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "status", "--socket",
                                  (*s)["socket"].get<std::string>()});
    EXPECT_NE(text.out.find("page-ins"), std::string::npos) << text.out << text.err;

    ASSERT_EQ(ccbox_terminate_enclave(e), CCBOX_OK);
    s = platform.status();
    ASSERT_TRUE(s);
    EXPECT_EQ((*s)["epc_resident_bytes"].get<uint64_t>(), 0u) << s->dump();
    EXPECT_EQ(paging(*s, "evicted_pages"), 0u);
    EXPECT_EQ(paging(*s, "resident_pages"), 0u);
    EXPECT_EQ(paging(*s, "va_resident_pages"), 0u);
    EXPECT_EQ(paging(*s, "va_evicted_pages"), 0u);
    EXPECT_GT(paging(*s, "page_ins"), 0u) << "the platform's totals stay";
}

// Acceptance 2: resident total sampled while two enclaves run.
TEST(Paging, TwoEnclavesTogetherOnADC2sV2NeverExceedItsEpc) {
    PagingPlatform platform({"--sku", "DC2s_v2"});
    ASSERT_TRUE(platform.ready()) << platform.log();
    ccbox_enclave_t* e[2] = {};
    for (auto*& one : e)
        ASSERT_EQ(create(image("paging_enclave.40mib.signed"), platform.setting(), &one), CCBOX_OK)
            << ccbox_get_last_error();
    std::atomic<bool> done{false};
    std::atomic<uint64_t> samples{0}, worst{0};
    std::thread sampler([&] {
        while (!done) {
            if (auto s = platform.status()) {
                ++samples;
                const uint64_t resident = (*s)["epc_resident_bytes"];
                if (resident > worst)
                    worst = resident;
            }
            ::usleep(2000);
        }
    });
    ccbox_result_t results[2];
    uint64_t mismatches[2] = {1, 1};
    std::thread second([&] { results[1] = fill_and_verify(e[1], 2, 36 * kMiB, &mismatches[1]); });
    results[0] = fill_and_verify(e[0], 1, 36 * kMiB, &mismatches[0]);
    second.join();
    done = true;
    sampler.join();
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(results[i], CCBOX_OK) << i;
        EXPECT_EQ(mismatches[i], 0u) << i;
    }
    auto s = platform.status();
    ASSERT_TRUE(s);
    EXPECT_GT(samples.load(), 5u);
    EXPECT_LE(worst.load(), 56 * kMiB);
    EXPECT_LE((*s)["epc_resident_high_water_bytes"].get<uint64_t>(), 56 * kMiB) << s->dump();
    for (const auto& one : (*s)["enclaves"])
        EXPECT_GT(one["paging"]["page_outs"].get<uint64_t>(), 0u) << s->dump();
    for (auto* one : e)
        ccbox_terminate_enclave(one);
}

// Acceptance 4: a host that is killed leaves nothing resident, evicted or in VA slots.
TEST(Paging, AKilledHostFreesEverything) {
    PagingPlatform platform({"--epc", "8MiB"});
    ASSERT_TRUE(platform.ready()) << platform.log();
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t host = ::fork();
    if (host == 0) {
        ccbox_enclave_t* e = nullptr;
        uint64_t mismatches = 1;
        char ok = create(image("paging_enclave.40mib.signed"), platform.setting(), &e) == CCBOX_OK &&
                  fill_and_verify(e, 3, 16 * kMiB, &mismatches) == CCBOX_OK && mismatches == 0;
        (void)!::write(ready[1], &ok, 1);
        ::pause();
        ::_exit(0);
    }
    char ok = 0;
    ASSERT_EQ(::read(ready[0], &ok, 1), 1);
    EXPECT_EQ(ok, 1);
    auto s = platform.status();
    ASSERT_TRUE(s);
    EXPECT_GT(paging(*s, "evicted_pages"), 0u) << s->dump();
    ::kill(host, SIGKILL);
    ::waitpid(host, nullptr, 0);
    bool freed = false;
    for (int i = 0; i < 500 && !freed; ++i) {
        s = platform.status();
        freed = s && (*s)["enclaves"].empty() && (*s)["epc_resident_bytes"] == 0 && paging(*s, "evicted_pages") == 0 &&
                paging(*s, "va_resident_pages") == 0 && paging(*s, "va_evicted_pages") == 0;
        if (!freed)
            ::usleep(10000);
    }
    EXPECT_TRUE(freed) << (s ? s->dump() : "no status");
    ::close(ready[0]);
    ::close(ready[1]);
}

// The design holds for a platform that is not root: the enclave process's userfaultfd is
// limited to user-mode faults (vm.unprivileged_userfaultfd = 0), which is all enclave code makes.
TEST(Paging, AnUnprivilegedPlatformPagesToo) {
    PagingPlatform platform({"--epc", "1MiB"}, 65534);
    ASSERT_TRUE(platform.ready()) << platform.log();
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("paging_enclave.signed"), platform.setting(), &e), CCBOX_OK)
        << ccbox_get_last_error() << platform.log();
    uint64_t mismatches = 1;
    EXPECT_EQ(fill_and_verify(e, 7, 2 * kMiB, &mismatches), CCBOX_OK) << platform.log();
    EXPECT_EQ(mismatches, 0u);
    auto s = platform.status();
    ASSERT_TRUE(s);
    EXPECT_GT(paging(*s, "page_ins"), 0u);
    EXPECT_LE((*s)["epc_resident_high_water_bytes"].get<uint64_t>(), 1 * kMiB);
    EXPECT_EQ((*s)["uid"], 65534);
    ccbox_terminate_enclave(e);
}

// Acceptance 5: the sim backend does not page (the enclave is the host's own memory).
TEST(Paging, TheSimBackendRunsTheSameEnclaveWithoutPaging) {
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("paging_enclave.64mib.signed"), nullptr, &e,
                     CCBOX_ENCLAVE_FLAG_SIMULATE | CCBOX_ENCLAVE_FLAG_DEBUG),
              CCBOX_OK)
        << ccbox_get_last_error();
    uint64_t mismatches = 1;
    EXPECT_EQ(fill_and_verify(e, 5, 60 * kMiB, &mismatches), CCBOX_OK);
    EXPECT_EQ(mismatches, 0u);
    ccbox_terminate_enclave(e);
}

}  // namespace
}  // namespace ccbox::test::paging
