/* The user types of the SDK-style sample enclave (typedef'd pointer and array). */
#ifndef USER_TYPES_H
#define USER_TYPES_H
typedef void* buffer_t;
typedef int array_t[10];
#endif
