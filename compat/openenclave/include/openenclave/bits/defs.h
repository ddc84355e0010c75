/* Open Enclave's basic macros (bits/defs.h). */
#ifndef OPENENCLAVE_BITS_DEFS_H
#define OPENENCLAVE_BITS_DEFS_H

#ifdef __cplusplus
#define OE_EXTERNC extern "C"
#define OE_EXTERNC_BEGIN extern "C" {
#define OE_EXTERNC_END }
#else
#define OE_EXTERNC
#define OE_EXTERNC_BEGIN
#define OE_EXTERNC_END
#endif

#define OE_EXPORT __attribute__((visibility("default")))
#define OE_NO_RETURN __attribute__((__noreturn__))
#define OE_UNUSED_ATTRIBUTE __attribute__((unused))
#define OE_USED __attribute__((__used__))
#define OE_WEAK __attribute__((weak))
#define OE_ALIGNED(BYTES) __attribute__((aligned(BYTES)))
#define OE_PACK_BEGIN _Pragma("pack(push, 1)")
#define OE_PACK_END _Pragma("pack(pop)")
#define OE_INLINE static __inline__
#define OE_ALWAYS_INLINE __attribute__((always_inline))
#define OE_NEVER_INLINE __attribute__((noinline))
#define OE_PRINTF_FORMAT(N, M) __attribute__((format(printf, N, M)))
#define OE_DEPRECATED(FUNC, MSG) FUNC __attribute__((deprecated(MSG)))
#define OE_UNUSED(P) (void)(P)
#define OE_COUNTOF(ARR) (sizeof(ARR) / sizeof((ARR)[0]))
#define OE_OFFSETOF(TYPE, MEMBER) __builtin_offsetof(TYPE, MEMBER)
#define OE_FIELD_SIZE(TYPE, FIELD) (sizeof(((TYPE*)0)->FIELD))
#define OE_PAGE_SIZE 0x1000
#define OE_CHECK_SIZE(N, M) typedef unsigned char OE_CONCAT(__OE_CHECK_SIZE, __LINE__)[((N) == (M)) ? 1 : -1] OE_UNUSED_ATTRIBUTE
#define OE_CONCAT_(X, Y) X##Y
#define OE_CONCAT(X, Y) OE_CONCAT_(X, Y)
#define OE_STATIC_ASSERT(COND) typedef unsigned char OE_CONCAT(__OE_STATIC_ASSERT, __LINE__)[(COND) ? 1 : -1] OE_UNUSED_ATTRIBUTE

#ifndef OE_API_VERSION
#define OE_API_VERSION 2
#endif

#endif /* OPENENCLAVE_BITS_DEFS_H */
