/* The switchless benchmark enclave (bench/switchless_bench.cpp). */
#include "switchless_bench_t.h"

void sb_empty(void) {}
void sb_switchless_empty(void) {}

void sb_ocalls(int count)
{
    for (int i = 0; i < count; ++i)
        sb_host_empty();
}

void sb_switchless_ocalls(int count)
{
    for (int i = 0; i < count; ++i)
        sb_host_switchless_empty();
}
