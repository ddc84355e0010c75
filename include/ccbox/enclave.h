/* The enclave-side public API of ccbox. Trust domain: enclave.
 * Names and semantics follow Open Enclave's enclave.h (oe_ -> ccbox_). */
#ifndef CCBOX_ENCLAVE_H
#define CCBOX_ENCLAVE_H

#ifdef CCBOX_HOST_H
#error "ccbox/enclave.h and ccbox/host.h must not be included in the same compilation unit"
#endif

#include <ccbox/bits/calls.h>
#include <ccbox/bits/properties.h>
#include <ccbox/result.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ccbox_enclave ccbox_enclave_t;

/* True only when all of [ptr, ptr+size) lies inside this enclave's ELRANGE. */
bool ccbox_is_within_enclave(const void* ptr, size_t size);
/* True only when all of [ptr, ptr+size) lies outside this enclave's ELRANGE (no wrap-around). */
bool ccbox_is_outside_enclave(const void* ptr, size_t size);

/* Host memory, through an OCALL to the host's allocator. In the isolated backend the memory
 * comes from the arena shared with the host (docs/isolation.md). */
void* ccbox_host_malloc(size_t size);
void* ccbox_host_calloc(size_t nmemb, size_t size);
void* ccbox_host_realloc(void* ptr, size_t size);
char* ccbox_host_strndup(const char* str, size_t n);
void ccbox_host_free(void* ptr);

/* The host's handle of this enclave (the ccbox_enclave_t* the host created). */
ccbox_enclave_t* ccbox_get_enclave(void);

/* Aborts the enclave: this and every later call into it returns CCBOX_ENCLAVE_ABORTED. */
void ccbox_abort(void) __attribute__((noreturn));

/* Fills `data` with random bytes from the CPU's hardware generator (RDRAND). */
ccbox_result_t ccbox_random(void* data, size_t size);

/* Calls into the host, used by generated OCALL proxies. Both buffers must lie outside the
 * enclave (use ccbox_allocate_ocall_buffer); *output_bytes_written is checked against
 * output_buffer_size. */
ccbox_result_t ccbox_call_host_function(uint32_t function_id, const void* input_buffer, size_t input_buffer_size,
                                        void* output_buffer, size_t output_buffer_size,
                                        size_t* output_bytes_written);
/* Untrusted memory for an OCALL's buffers; freed in reverse order of allocation. */
void* ccbox_allocate_ocall_buffer(size_t size);
void ccbox_free_ocall_buffer(void* buffer);

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_ENCLAVE_H */
