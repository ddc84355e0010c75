/* Foreign types of the end-to-end test EDL (included by its `include`), and the values both
 * sides agree on. Included by host and enclave code. */
#ifndef EDL_TEST_TYPES_H
#define EDL_TEST_TYPES_H

#include <stdint.h>

typedef struct foreign_pair {
    int32_t first;
    int64_t second;
} foreign_pair_t;
typedef foreign_pair_t* pair_ptr_t;  /* a typedef'd pointer: isptr */
typedef uint8_t* byte_ptr_t;         /* isptr, readonly */
typedef int32_t int_array_t[5];      /* a typedef'd array: isary */

/* Values the host sends and the enclave checks (and the other way round). */
#define TV_CHAR 'q'
#define TV_SCHAR ((signed char)-7)
#define TV_UCHAR ((unsigned char)250)
#define TV_SHORT ((short)-12345)
#define TV_USHORT ((unsigned short)54321)
#define TV_INT (-2000000000)
#define TV_UINT 4000000000u
#define TV_LONG (-9000000000000000000L)
#define TV_ULONG 18000000000000000000UL
#define TV_LLONG (-8000000000000000000LL)
#define TV_ULLONG 17000000000000000000ULL
#define TV_FLOAT 3.25f
#define TV_DOUBLE (-1234.5)
#define TV_LDOUBLE 1.0e300L
#define TV_WCHAR ((wchar_t)0x1F600)
#define TV_SIZE ((size_t)0x123456789abcULL)
#define TV_I8 ((int8_t)-128)
#define TV_I16 ((int16_t)-32768)
#define TV_I32 ((int32_t)-2147483647 - 1)
#define TV_I64 ((int64_t)-9223372036854775807LL - 1)
#define TV_U8 ((uint8_t)255)
#define TV_U16 ((uint16_t)65535)
#define TV_U32 ((uint32_t)4294967295u)
#define TV_U64 ((uint64_t)18446744073709551615ULL)

#define TV_STRING "hello, enclave"
#define TV_WSTRING L"wide \x263A string"
#define TV_IO_STRING "mixed Case"  /* the callee upper-cases it */

#endif
