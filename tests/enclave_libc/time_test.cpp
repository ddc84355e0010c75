// The enclave libc's calendar functions against glibc's, over a wide range of times.
#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <random>

extern "C" {
struct tm* ccbox_libc_gmtime_r(const time_t* timer, struct tm* out);
time_t ccbox_libc_timegm(struct tm* tm);
// time.c's clock functions reach the host through the runtime; not used here.
int ccbox_rt_host_clock(int, int64_t*, int64_t*) { return -1; }
void ccbox_rt_host_sleep(uint64_t) {}
}

namespace {

void expect_same(time_t t) {
    struct tm ours {}, theirs {};
    ASSERT_NE(ccbox_libc_gmtime_r(&t, &ours), nullptr) << t;
    ASSERT_NE(gmtime_r(&t, &theirs), nullptr) << t;
    EXPECT_EQ(ours.tm_year, theirs.tm_year) << t;
    EXPECT_EQ(ours.tm_mon, theirs.tm_mon) << t;
    EXPECT_EQ(ours.tm_mday, theirs.tm_mday) << t;
    EXPECT_EQ(ours.tm_hour, theirs.tm_hour) << t;
    EXPECT_EQ(ours.tm_min, theirs.tm_min) << t;
    EXPECT_EQ(ours.tm_sec, theirs.tm_sec) << t;
    EXPECT_EQ(ours.tm_wday, theirs.tm_wday) << t;
    EXPECT_EQ(ours.tm_yday, theirs.tm_yday) << t;
    struct tm copy = ours;
    EXPECT_EQ(ccbox_libc_timegm(&copy), t) << "timegm inverts gmtime";
}

TEST(EnclaveTime, GmtimeAndTimegmMatchGlibc) {
    for (time_t t : {time_t(0), time_t(-1), time_t(951782400), time_t(951868800), time_t(4107542400),
                     time_t(-2208988800), time_t(253402300799), time_t(-62135596800)})
        expect_same(t);
    std::mt19937_64 rng(1);
    for (int i = 0; i < 200000; ++i)
        expect_same(static_cast<time_t>(rng() % 40000000000ull) - 10000000000ll);
}

TEST(EnclaveTime, TimegmNormalisesOutOfRangeFields) {
    struct tm tm {};
    tm.tm_year = 124;
    tm.tm_mon = 13;  // February of the next year
    tm.tm_mday = 31; // ... which is March 3rd (2025 is not a leap year)
    tm.tm_hour = 25;
    struct tm copy = tm;
    EXPECT_EQ(ccbox_libc_timegm(&tm), timegm(&copy));
    EXPECT_EQ(tm.tm_mon, copy.tm_mon);
    EXPECT_EQ(tm.tm_mday, copy.tm_mday);
}

}  // namespace
