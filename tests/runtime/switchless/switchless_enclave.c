/* The switchless test enclave: every function counts its runs, so the host tests can tell what
 * an attack made the enclave run. */
#include "switchless_test_t.h"

#include <stdint.h>

enum { kEcho, kRecord, kPlain, kPrivate, kHold, kReread, kInner, kFunctions };
static uint64_t g_runs[kFunctions];
static uint32_t g_records[65536];

static void ran(int which) { __atomic_fetch_add(&g_runs[which], 1, __ATOMIC_RELAXED); }

int sw_echo(int x) { ran(kEcho); return x + 1; }

int sw_record(uint64_t id)
{
    ran(kRecord);
    if (id < 65536)
        __atomic_fetch_add(&g_records[id], 1, __ATOMIC_RELAXED);
    return (int)(id ^ 0x5a5a);
}

int sw_plain(int x) { ran(kPlain); return x * 2; }
int sw_private(int x) { ran(kPrivate); return x * 3; }

int sw_hold(int tag)
{
    ran(kHold);
    host_hold(tag);
    return tag;
}

int sw_reread(int x)
{
    ran(kReread);
    volatile int* p = &x;
    int before = *p;
    host_tamper();
    return before + *p;
}

int sw_nested(int x)
{
    int r = -1;
    if (host_nest(&r, x) != CCBOX_OK)
        return -1;
    return r + 1;
}

int sw_inner(int x) { ran(kInner); return x + 1; }

uint64_t sw_runs(int which) { return which >= 0 && which < kFunctions ? __atomic_load_n(&g_runs[which], __ATOMIC_RELAXED) : 0; }

uint64_t sw_check_records(uint64_t count)
{
    uint64_t wrong = 0;
    for (uint64_t i = 0; i < count && i < 65536; ++i)
        wrong += __atomic_load_n(&g_records[i], __ATOMIC_RELAXED) != 1;
    return wrong;
}

int sw_ocall_stress(uint64_t base, int n)
{
    int wrong = 0;
    for (int i = 0; i < n; ++i) {
        int r = -1;
        if (host_record(&r, base + (uint64_t)i) != CCBOX_OK || r != (int)((base + (uint64_t)i) ^ 0x5a5a))
            ++wrong;
    }
    return wrong;
}

int sw_ocall_hold(int tag) { return host_hold_switchless(tag) == CCBOX_OK ? 0 : 1; }
