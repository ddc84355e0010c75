/* Types shared by the runtimes and the code ccbox-edger8r generates. Trust domain: public,
 * shared by host and enclave. */
#ifndef CCBOX_BITS_CALLS_H
#define CCBOX_BITS_CALLS_H

#include <ccbox/result.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An ECALL as the enclave runtime dispatches it: the input buffer has already been copied
 * into enclave memory and the output buffer is enclave memory, zeroed; the runtime copies
 * the first *output_bytes_written bytes out after the call. */
typedef ccbox_result_t (*ccbox_ecall_fn_t)(const uint8_t* input_buffer, size_t input_buffer_size,
                                           uint8_t* output_buffer, size_t output_buffer_size,
                                           size_t* output_bytes_written);

/* An OCALL as the host runtime dispatches it: both buffers are host memory. */
typedef void (*ccbox_ocall_func_t)(const uint8_t* input_buffer, size_t input_buffer_size,
                                   uint8_t* output_buffer, size_t output_buffer_size,
                                   size_t* output_bytes_written);

#define CCBOX_ECALL_FLAG_PUBLIC 0x1u /* callable by the host at any time, not only from allow()ed OCALLs */
#define CCBOX_ECALL_FLAG_SWITCHLESS 0x2u /* transition_using_threads: enclave workers may run it (if also public) */

typedef struct ccbox_ecall_info {
    ccbox_ecall_fn_t function;
    uint32_t flags; /* CCBOX_ECALL_FLAG_* */
    const char* name;
} ccbox_ecall_info_t;

/* For each OCALL, the ECALLs the host may make while it runs (EDL `allow(...)`). */
typedef struct ccbox_ocall_info {
    const uint32_t* allowed_ecalls;
    uint32_t allowed_count;
    const char* name;
} ccbox_ocall_info_t;

/* Overflow-checked size arithmetic for generated code: return non-zero on overflow. */
static inline int ccbox_safe_add(size_t a, size_t b, size_t* out)
{
    return __builtin_add_overflow(a, b, out);
}
static inline int ccbox_safe_mul(size_t a, size_t b, size_t* out)
{
    return __builtin_mul_overflow(a, b, out);
}

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_BITS_CALLS_H */
