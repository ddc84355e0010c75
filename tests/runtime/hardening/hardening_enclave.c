/* Attacks on the enclave libc's hardening, from inside the enclave. Built like Debian's
 * hardened packages (-O2 -D_FORTIFY_SOURCE=2, tests/runtime/CMakeLists.txt), so printf becomes
 * __printf_chk/__snprintf_chk with flag 1 and longjmp becomes __longjmp_chk. */
#include "hardening_test_t.h"

#include <ccbox/enclave.h>

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

CCBOX_SET_ENCLAVE_PROPERTIES(/*product*/ 1, /*svn*/ 1, /*debug*/ 1, /*heap*/ 256, /*stack*/ 16, /*tcs*/ 2);

/* Keeps the compiler from seeing through a pointer. */
static void* opaque(void* p) {
    __asm__ volatile("" : "+r"(p));
    return p;
}

int hd_printf_n(int where) {
    static const char kReadOnly[] = "abc%n";
    char out[32];
    int count = -1;
    switch (where) {
        case 0:
            snprintf(out, sizeof out, opaque((void*)kReadOnly), &count);
            return count; /* 3 */
        case 1: {
            char* heap = malloc(16);
            strcpy(heap, kReadOnly); /* a format an overflow could have written */
            snprintf(out, sizeof out, opaque(heap), &count);
            free(heap);
            return 100 + count;
        }
        case 2: {
            char stack[16];
            strcpy(stack, kReadOnly);
            snprintf(out, sizeof out, opaque(stack), &count);
            return 200 + count;
        }
        case 3: {
            char stack[16];
            strcpy(stack, "abc%d");
            return snprintf(out, sizeof out, opaque(stack), 42); /* 5 */
        }
        case 4: {
            char* heap = malloc(16);
            strcpy(heap, "x%n\n");
            printf(opaque(heap), &count);
            free(heap);
            return 400 + count;
        }
        default:
            return -1;
    }
}

static jmp_buf g_env;
static jmp_buf g_dead;

__attribute__((noinline)) static void landed(void) {
    hd_host_landed();
    for (;;) __builtin_ia32_pause(); /* the stack is not ours to return on */
}

__attribute__((noinline)) static void jump_back(jmp_buf env) { longjmp(env, 42); }

__attribute__((noinline)) static void set_in_a_frame_that_returns(void) {
    if (setjmp(g_dead) != 0) landed(); /* this frame is gone by the time anyone jumps here */
}

int hd_longjmp(int attack) {
    volatile int rounds = 0;
    int got = setjmp(g_env);
    rounds = rounds + 1;
    if (rounds > 1) return got;
    uint64_t* words = (uint64_t*)(void*)g_env[0].__jmpbuf;
    switch (attack) {
        case 0: break;
        case 1: words[7] = (uint64_t)(uintptr_t)&landed; break;
        case 2: words[7] ^= (uint64_t)1 << 12; break;
        case 3:
            set_in_a_frame_that_returns();
            longjmp(g_dead, 1);
        default: return -1;
    }
    jump_back(opaque(g_env));
    return -2;
}

/* Blocks of a size nothing else in this enclave allocates, so that they are carved one after
 * the other from the top of the heap: 3000 bytes of payload, 3008-byte blocks (0xbc0). */
enum { kPayload = 3000 };

int hd_heap(int attack) {
    char* a = malloc(kPayload);
    char* b = malloc(kPayload);
    char* c = malloc(kPayload);
    char* d = malloc(kPayload);
    int r = 0;
    if (b != a + kPayload + 8 || c != b + kPayload + 8 || d != c + kPayload + 8)
        return -3; /* the blocks are not neighbours: the attacks below would hit something else */
    switch (attack) {
        case 0:
            free(b);
            b = malloc(kPayload);
            break;
        case 1: {
            void* volatile again = b; /* hidden from gcc's -Wuse-after-free */
            free(b);
            free(again);
            break;
        }
        case 2: {
            /* Two bytes past a: b's header (0xbc3: 3008 bytes, in use, previous in use) now says
             * 0x1783, 6016 bytes, swallowing the live c. */
            volatile char* past = (volatile char*)opaque(a) + kPayload;
            past[0] = (char)0x83;
            past[1] = 0x17;
            free(b);
            b = malloc(6000);
            r = (b != NULL && b + 6000 > c) ? 10 : 0; /* the heap handed out c's memory again */
            break;
        }
        case 3: {
            char* big = malloc(2200); /* a 2208-byte block (0x8a0) right after d */
            char* guard = malloc(2900); /* keeps big from merging into the top block */
            if (big != d + kPayload + 8 || guard != big + 2208) return -4;
            free(big);
            /* The free block's header 0x8a2 (previous in use) becomes 0x8b2: 2224 bytes, the
             * same bin and flags, and the block now ends inside `guard`. */
            ((volatile char*)opaque(d))[kPayload] = (char)0xb2;
            big = malloc(2200);
            r = 10;
            free(big);
            free(guard);
            break;
        }
        default: return -1;
    }
    free(a);
    free(b);
    free(c);
    free(d);
    return r;
}
