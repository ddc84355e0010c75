/* The trusted runtime's services for the C parts of the enclave libc. Trust domain: enclave. */
#ifndef CCBOX_ENCLAVE_RUNTIME_C_H
#define CCBOX_ENCLAVE_RUNTIME_C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CCBOX_RT_MAX_KEYS 64

/* Writes to the host's stdout (1) or stderr (2); returns bytes written or -1. */
long ccbox_rt_host_write(int fd, const void* data, size_t size);
/* The host's clock; returns 0 on success. The host's time is untrusted. */
int ccbox_rt_host_clock(int clock_id, int64_t* seconds, int64_t* nanoseconds);
void ccbox_rt_host_sleep(uint64_t nanoseconds);
/* A yield to the host while spinning (an OCALL; cheap in the sim backend). */
void ccbox_rt_host_yield(void);
/* 1-based index of the TCS the caller runs on (0 outside any ECALL). */
uint32_t ccbox_rt_thread_id(void);
/* The calling TCS's pthread_key values (CCBOX_RT_MAX_KEYS of them). */
void** ccbox_rt_key_values(void);
/* The pthread_key values of TCS `thread` (0-based), or NULL past the last TCS. */
void** ccbox_rt_thread_key_values(uint32_t thread);
/* Hardware random bytes (RDRAND); returns 0 on success. */
int ccbox_rt_random(void* data, size_t size);
/* Aborts the enclave with a message; never returns. */
void ccbox_rt_abort(const char* message) __attribute__((noreturn));
/* Enclave start address and heap, for malloc initialisation. */
void ccbox_rt_heap_region(void** base, size_t* size);

/* The other way: the libc's part of termination, which the runtime calls (pthread.c).
 * Runs the pthread key destructors of every TCS: TCS threads outlive every ECALL and end
 * when the enclave terminates. */
void ccbox_pthread_run_key_destructors(void);

#ifdef __cplusplus
}
#endif

#endif
