/* Time inside the enclave. Trust domain: enclave (libc).
 * The clock comes from the host through an OCALL and is therefore untrusted: enclave code
 * must not base security decisions on it (docs/enclave-libc.md). Calendar conversions are
 * done inside, in UTC; there are no time zones. */
#include "enclave/core/runtime_c.h"
#include "libc_export.h"

#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int ccbox_libc_clock_gettime(clockid_t clock_id, struct timespec* ts)
{
    if (clock_id != CLOCK_REALTIME && clock_id != CLOCK_MONOTONIC && clock_id != CLOCK_MONOTONIC_RAW &&
        clock_id != CLOCK_REALTIME_COARSE && clock_id != CLOCK_MONOTONIC_COARSE && clock_id != CLOCK_BOOTTIME) {
        errno = EINVAL;
        return -1;
    }
    int64_t sec = 0, nsec = 0;
    int host_clock = (clock_id == CLOCK_REALTIME || clock_id == CLOCK_REALTIME_COARSE) ? CLOCK_REALTIME
                                                                                          : CLOCK_MONOTONIC;
    if (ccbox_rt_host_clock(host_clock, &sec, &nsec) != 0) {
        errno = EIO;
        return -1;
    }
    ts->tv_sec = (time_t)sec;
    ts->tv_nsec = (long)nsec;
    return 0;
}
CCBOX_LIBC_EXPORT(clock_gettime)

int ccbox_libc_gettimeofday(struct timeval* restrict tv, void* restrict tz)
{
    (void)tz;
    struct timespec ts;
    if (ccbox_libc_clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return -1;
    if (tv) {
        tv->tv_sec = ts.tv_sec;
        tv->tv_usec = ts.tv_nsec / 1000;
    }
    return 0;
}
CCBOX_LIBC_EXPORT(gettimeofday)

time_t ccbox_libc_time(time_t* out)
{
    struct timespec ts;
    time_t t = ccbox_libc_clock_gettime(CLOCK_REALTIME, &ts) == 0 ? ts.tv_sec : (time_t)-1;
    if (out)
        *out = t;
    return t;
}
CCBOX_LIBC_EXPORT(time)

clock_t ccbox_libc_clock(void)
{
    struct timespec ts;
    if (ccbox_libc_clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return (clock_t)-1;
    return (clock_t)(ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}
CCBOX_LIBC_EXPORT(clock)

double ccbox_libc_difftime(time_t end, time_t start) { return (double)end - (double)start; }
CCBOX_LIBC_EXPORT(difftime)

int ccbox_libc_nanosleep(const struct timespec* request, struct timespec* remaining)
{
    if (request->tv_nsec < 0 || request->tv_nsec >= 1000000000 || request->tv_sec < 0) {
        errno = EINVAL;
        return -1;
    }
    ccbox_rt_host_sleep((uint64_t)request->tv_sec * 1000000000u + (uint64_t)request->tv_nsec);
    if (remaining)
        remaining->tv_sec = remaining->tv_nsec = 0;
    return 0;
}
CCBOX_LIBC_EXPORT(nanosleep)

int ccbox_libc_usleep(useconds_t usec)
{
    ccbox_rt_host_sleep((uint64_t)usec * 1000u);
    return 0;
}
CCBOX_LIBC_EXPORT(usleep)

unsigned int ccbox_libc_sleep(unsigned int seconds)
{
    ccbox_rt_host_sleep((uint64_t)seconds * 1000000000u);
    return 0;
}
CCBOX_LIBC_EXPORT(sleep)

/* Calendar arithmetic in the proleptic Gregorian calendar: whole 400-year cycles (146097
 * days each) are handled by division, the remainder year by year and month by month. */
#define DAYS_PER_400_YEARS 146097

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m)
{
    static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return kDays[m] + (m == 1 && is_leap(y));
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/* Days from 2000-01-01 (the start of a 400-year cycle) to January 1st of `year`. */
static int64_t days_to_year(int64_t year)
{
    int64_t cycles = floor_div(year - 2000, 400);
    int64_t days = cycles * DAYS_PER_400_YEARS;
    for (int64_t y = 2000 + cycles * 400; y < year; ++y)
        days += 365 + is_leap(y);
    return days;
}

static const int64_t kDays1970To2000 = 10957;

/* Days since 1970-01-01 of year-month(0-11)-day(1-31). */
static int64_t days_from_date(int64_t year, int month, int64_t day)
{
    int64_t days = days_to_year(year) + kDays1970To2000;
    for (int m = 0; m < month; ++m)
        days += days_in_month(year, m);
    return days + day - 1;
}

struct tm* ccbox_libc_gmtime_r(const time_t* restrict timer, struct tm* restrict out)
{
    int64_t t = *timer;
    int64_t days = floor_div(t, 86400);
    int64_t secs = t - days * 86400;
    int64_t from_2000 = days - kDays1970To2000;
    int64_t cycles = floor_div(from_2000, DAYS_PER_400_YEARS);
    int64_t rest = from_2000 - cycles * DAYS_PER_400_YEARS;
    int64_t year = 2000 + cycles * 400;
    while (rest >= 365 + is_leap(year)) {
        rest -= 365 + is_leap(year);
        ++year;
    }
    int yday = (int)rest;
    int month = 0;
    while (rest >= days_in_month(year, month)) {
        rest -= days_in_month(year, month);
        ++month;
    }
    if (year - 1900 > INT32_MAX || year - 1900 < INT32_MIN) {
        errno = EOVERFLOW;
        return NULL;
    }
    out->tm_year = (int)(year - 1900);
    out->tm_mon = month;
    out->tm_mday = (int)rest + 1;
    out->tm_hour = (int)(secs / 3600);
    out->tm_min = (int)(secs % 3600 / 60);
    out->tm_sec = (int)(secs % 60);
    out->tm_wday = (int)(floor_div(days + 4, 7) * -7 + days + 4); /* 1970-01-01 was a Thursday */
    out->tm_yday = yday;
    out->tm_isdst = 0;
    out->tm_gmtoff = 0;
    out->tm_zone = "GMT";
    return out;
}
CCBOX_LIBC_EXPORT(gmtime_r)

static struct tm ccbox_static_tm;
struct tm* ccbox_libc_gmtime(const time_t* timer) { return ccbox_libc_gmtime_r(timer, &ccbox_static_tm); }
CCBOX_LIBC_EXPORT(gmtime)
/* No time zones inside an enclave: local time is UTC. */
struct tm* ccbox_libc_localtime_r(const time_t* restrict timer, struct tm* restrict out)
{
    return ccbox_libc_gmtime_r(timer, out);
}
CCBOX_LIBC_EXPORT(localtime_r)
struct tm* ccbox_libc_localtime(const time_t* timer) { return ccbox_libc_gmtime_r(timer, &ccbox_static_tm); }
CCBOX_LIBC_EXPORT(localtime)

time_t ccbox_libc_timegm(struct tm* tm)
{
    int64_t year = (int64_t)tm->tm_year + 1900 + floor_div(tm->tm_mon, 12);
    int month = (int)(tm->tm_mon - floor_div(tm->tm_mon, 12) * 12);
    int64_t days = days_from_date(year, month, tm->tm_mday);
    int64_t t = days * 86400 + (int64_t)tm->tm_hour * 3600 + (int64_t)tm->tm_min * 60 + tm->tm_sec;
    time_t result = (time_t)t;
    ccbox_libc_gmtime_r(&result, tm); /* normalise the fields as mktime does */
    return result;
}
CCBOX_LIBC_EXPORT(timegm)
time_t ccbox_libc_mktime(struct tm* tm) { return ccbox_libc_timegm(tm); }
CCBOX_LIBC_EXPORT(mktime)
