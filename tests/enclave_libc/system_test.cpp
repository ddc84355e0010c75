// The enclave libc's setjmp/longjmp, and the functions an enclave has no system for: each
// fails the documented way (and the few with a meaning inside an enclave work).
#include <gtest/gtest.h>

#include <cerrno>
#include <csetjmp>
#include <cstdlib>
#include <cstring>
#include <netdb.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/shm.h>
#include <sys/utsname.h>
#include <termios.h>
#include <type_traits>
#include <ucontext.h>

#include "absent_abi.h"

// The glibc numbers and types that enclave code declares itself (absent_abi.h) instead of
// including these host headers.
static_assert(CCBOX_EAI_BADFLAGS == EAI_BADFLAGS && CCBOX_EAI_NONAME == EAI_NONAME && CCBOX_EAI_AGAIN == EAI_AGAIN &&
              CCBOX_EAI_FAIL == EAI_FAIL && CCBOX_EAI_FAMILY == EAI_FAMILY && CCBOX_EAI_SOCKTYPE == EAI_SOCKTYPE &&
              CCBOX_EAI_SERVICE == EAI_SERVICE && CCBOX_EAI_MEMORY == EAI_MEMORY && CCBOX_EAI_SYSTEM == EAI_SYSTEM &&
              CCBOX_EAI_OVERFLOW == EAI_OVERFLOW);
static_assert(CCBOX_FD_SETSIZE == FD_SETSIZE && CCBOX_NFDBITS == __NFDBITS);
static_assert(std::is_same_v<ccbox_socklen_t, socklen_t> && std::is_same_v<ccbox_nfds_t, nfds_t> &&
              std::is_same_v<ccbox_key_t, key_t>);

extern "C" {
int ccbox_libc_setjmp(jmp_buf env) __attribute__((returns_twice));
[[noreturn]] void ccbox_libc_longjmp(jmp_buf env, int value);
[[noreturn]] void ccbox_libc___longjmp_chk(jmp_buf env, int value);
int ccbox_libc_socket(int, int, int);
int ccbox_libc_connect(int, const struct sockaddr*, socklen_t);
int ccbox_libc_select(int, fd_set*, fd_set*, fd_set*, struct timeval*);
long int ccbox_libc___fdelt_chk(long int fd);
int ccbox_libc_getaddrinfo(const char*, const char*, const struct addrinfo*, struct addrinfo**);
const char* ccbox_libc_gai_strerror(int code);
void* ccbox_libc_dlopen(const char*, int);
char* ccbox_libc_dlerror(void);
int ccbox_libc_tcgetattr(int, struct termios*);
int ccbox_libc_getcontext(ucontext_t*);
int ccbox_libc_uname(struct utsname*);
}

namespace {

jmp_buf g_env;
int g_depth_reached = 0;

[[noreturn]] void unwind_from(int depth, int value) {
    if (depth == 0)
        ccbox_libc_longjmp(g_env, value);
    g_depth_reached = depth;
    volatile char frame[256];  // a real frame on the way down
    frame[0] = static_cast<char>(depth);
    unwind_from(depth - 1, value + frame[0] * 0);
}

TEST(EnclaveLibcSetjmp, LongjmpReturnsToSetjmpWithItsValue) {
    volatile int calls = 0;
    volatile long kept = 0x1234;  // survives the jump (volatile: not in a clobbered register)
    const int got = ccbox_libc_setjmp(g_env);
    calls = calls + 1;
    if (got == 0) {
        kept = 0x5678;
        unwind_from(20, 42);
    }
    EXPECT_EQ(got, 42);
    EXPECT_EQ(calls, 2) << "setjmp returned twice";
    EXPECT_EQ(kept, 0x5678);
    EXPECT_EQ(g_depth_reached, 1) << "the jump crossed twenty frames";
}

TEST(EnclaveLibcSetjmp, LongjmpWithZeroMakesSetjmpReturnOne) {
    volatile int rounds = 0;
    const int got = ccbox_libc_setjmp(g_env);
    rounds = rounds + 1;
    if (rounds == 1)
        ccbox_libc_longjmp(g_env, 0);
    EXPECT_EQ(got, 1);
    EXPECT_EQ(rounds, 2);
}

// The saved stack pointer and return address never appear in the buffer as they are: they are
// mangled with the guard (setjmp.S), so a jmp_buf an overflow rewrites cannot name a target.
__attribute__((noinline)) uintptr_t frame_of_caller() { return reinterpret_cast<uintptr_t>(__builtin_frame_address(0)); }

TEST(EnclaveLibcSetjmp, SavedPointersAreMangled) {
    jmp_buf a;
    const uintptr_t here = frame_of_caller();
    if (ccbox_libc_setjmp(a) != 0)
        return;
    const auto* words = reinterpret_cast<const uint64_t*>(a[0].__jmpbuf);
    for (int i : {1, 6, 7}) {  // rbp, rsp, pc
        const uint64_t w = words[i];
        EXPECT_GT(w > here ? w - here : here - w, uint64_t{1} << 32)
            << "word " << i << " looks like a stack or code address";
        const uint64_t code = reinterpret_cast<uintptr_t>(&frame_of_caller);
        EXPECT_GT(w > code ? w - code : code - w, uint64_t{1} << 32) << "word " << i;
    }
}

TEST(EnclaveLibcSetjmp, LongjmpChkToALiveFrameWorks) {
    volatile int rounds = 0;
    const int got = ccbox_libc_setjmp(g_env);
    rounds = rounds + 1;
    if (rounds == 1)
        ccbox_libc___longjmp_chk(g_env, 7);
    EXPECT_EQ(got, 7);
    EXPECT_EQ(rounds, 2);
}

// The attacks: each must abort before the jump, never land anywhere.
jmp_buf g_victim;
int g_landed = 0;
__attribute__((noinline)) void landing() {
    g_landed = 1;
    std::_Exit(0);
}

__attribute__((noinline)) void set_in_a_frame_that_returns() {
    if (ccbox_libc_setjmp(g_victim) != 0)
        std::_Exit(3);  // reached only if a jump into this dead frame were allowed
}

using EnclaveLibcSetjmpDeathTest = ::testing::Test;

TEST(EnclaveLibcSetjmpDeathTest, TamperedSavedPcAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            jmp_buf env;
            if (ccbox_libc_setjmp(env) == 0) {
                // The raw address, as an attacker who does not know the guard would write it,
                auto* words = reinterpret_cast<uint64_t*>(env[0].__jmpbuf);
                words[7] = reinterpret_cast<uintptr_t>(&landing);
                ccbox_libc_longjmp(env, 1);
            }
            std::_Exit(2);
        },
        ::testing::KilledBySignal(SIGABRT), "");
    EXPECT_EXIT(
        {
            jmp_buf env;
            if (ccbox_libc_setjmp(env) == 0) {
                // ... or a single flipped bit of the mangled value.
                auto* words = reinterpret_cast<uint64_t*>(env[0].__jmpbuf);
                words[7] ^= 1u << 20;
                ccbox_libc___longjmp_chk(env, 1);
            }
            std::_Exit(2);
        },
        ::testing::KilledBySignal(SIGABRT), "");
    EXPECT_EXIT(
        {
            jmp_buf env;
            if (ccbox_libc_setjmp(env) == 0) {
                auto* words = reinterpret_cast<uint64_t*>(env[0].__jmpbuf);
                words[6] += 64;  // the saved stack pointer
                ccbox_libc_longjmp(env, 1);
            }
            std::_Exit(2);
        },
        ::testing::KilledBySignal(SIGABRT), "");
    EXPECT_EXIT(
        {
            jmp_buf env;
            if (ccbox_libc_setjmp(env) == 0) {
                std::memcpy(env, g_env, sizeof env);  // a whole buffer from elsewhere: still valid
                auto* bytes = reinterpret_cast<unsigned char*>(env);
                bytes[72] ^= 1;  // but not with its check word changed
                ccbox_libc_longjmp(env, 1);
            }
            std::_Exit(2);
        },
        ::testing::KilledBySignal(SIGABRT), "");
}

TEST(EnclaveLibcSetjmpDeathTest, LongjmpChkIntoADeadFrameAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            set_in_a_frame_that_returns();
            ccbox_libc___longjmp_chk(g_victim, 1);
        },
        ::testing::KilledBySignal(SIGABRT), "");
}

TEST(EnclaveLibcUnsupported, MapFailedIsGlibcs) {
    EXPECT_EQ(CCBOX_MAP_FAILED, MAP_FAILED);
}

TEST(EnclaveLibcUnsupported, NetworkingFailsCleanly) {
    errno = 0;
    EXPECT_EQ(ccbox_libc_socket(AF_INET, SOCK_STREAM, 0), -1);
    EXPECT_EQ(errno, ENOSYS);
    errno = 0;
    EXPECT_EQ(ccbox_libc_connect(3, nullptr, 0), -1);
    EXPECT_EQ(errno, EBADF) << "no descriptor is a socket";
    errno = 0;
    EXPECT_EQ(ccbox_libc_select(0, nullptr, nullptr, nullptr, nullptr), -1);
    EXPECT_EQ(errno, ENOSYS);
    struct addrinfo* list = reinterpret_cast<struct addrinfo*>(1);
    errno = 0;
    EXPECT_EQ(ccbox_libc_getaddrinfo("localhost", "80", nullptr, &list), EAI_SYSTEM);
    EXPECT_EQ(errno, ENOSYS);
    EXPECT_EQ(list, nullptr);
}

TEST(EnclaveLibcUnsupported, GaiStrerrorHasGlibcsTexts) {
    for (int code : {EAI_BADFLAGS, EAI_NONAME, EAI_AGAIN, EAI_FAIL, EAI_FAMILY, EAI_SOCKTYPE, EAI_SERVICE,
                     EAI_MEMORY, EAI_SYSTEM, EAI_OVERFLOW})
        EXPECT_STREQ(ccbox_libc_gai_strerror(code), gai_strerror(code)) << code;
}

TEST(EnclaveLibcUnsupported, FdeltChkChecksTheBound) {
    EXPECT_EQ(ccbox_libc___fdelt_chk(0), 0);
    EXPECT_EQ(ccbox_libc___fdelt_chk(130), 130 / __NFDBITS);
    EXPECT_DEATH(ccbox_libc___fdelt_chk(FD_SETSIZE), "");
    EXPECT_DEATH(ccbox_libc___fdelt_chk(-1), "");
}

TEST(EnclaveLibcUnsupported, DynamicLoadingSaysWhy) {
    EXPECT_EQ(ccbox_libc_dlopen("libfoo.so", 0), nullptr);
    const char* why = ccbox_libc_dlerror();
    ASSERT_NE(why, nullptr);
    EXPECT_NE(std::strstr(why, "enclave"), nullptr) << why;
    EXPECT_EQ(ccbox_libc_dlerror(), nullptr) << "dlerror clears the message";
}

TEST(EnclaveLibcUnsupported, TerminalsAndContextsFail) {
    struct termios t {};
    errno = 0;
    EXPECT_EQ(ccbox_libc_tcgetattr(0, &t), -1);
    EXPECT_EQ(errno, ENOTTY);
    ucontext_t context;
    errno = 0;
    EXPECT_EQ(ccbox_libc_getcontext(&context), -1);
    EXPECT_EQ(errno, ENOSYS);
}

TEST(EnclaveLibcUnsupported, UnameDescribesTheEnclave) {
    struct utsname name;
    std::memset(&name, 0x55, sizeof name);
    ASSERT_EQ(ccbox_libc_uname(&name), 0);
    EXPECT_STREQ(name.sysname, "ccbox-enclave");
    EXPECT_STREQ(name.machine, "x86_64");
    errno = 0;
    EXPECT_EQ(ccbox_libc_uname(nullptr), -1);
    EXPECT_EQ(errno, EFAULT);
}

}  // namespace
