/* Intel SGX SDK source compatibility (docs/edl-dialects.md, "Intel SGX SDK style"): sgx_status_t is
 * ccbox_result_t, so the generated proxies, which return ccbox_result_t, return what Intel-style
 * code expects. The SGX_ERROR_* names that have a ccbox meaning are ccbox's codes with that
 * meaning; their numbers are ccbox's, not Intel's. Names without a ccbox meaning are not defined,
 * so code that tests for them fails to compile rather than testing for something that cannot
 * happen. */
#ifndef CCBOX_SGX_ERROR_H
#define CCBOX_SGX_ERROR_H

#include <ccbox/result.h>

typedef ccbox_result_t sgx_status_t;

#define SGX_SUCCESS CCBOX_OK
#define SGX_ERROR_UNEXPECTED CCBOX_UNEXPECTED
#define SGX_ERROR_INVALID_PARAMETER CCBOX_INVALID_PARAMETER
#define SGX_ERROR_OUT_OF_MEMORY CCBOX_OUT_OF_MEMORY
#define SGX_ERROR_ENCLAVE_CRASHED CCBOX_ENCLAVE_ABORTED
#define SGX_ERROR_INVALID_FUNCTION CCBOX_NOT_FOUND
#define SGX_ERROR_OUT_OF_TCS CCBOX_OUT_OF_THREADS
#define SGX_ERROR_ECALL_NOT_ALLOWED CCBOX_ECALL_NOT_ALLOWED
#define SGX_ERROR_FEATURE_NOT_SUPPORTED CCBOX_UNSUPPORTED

#endif /* CCBOX_SGX_ERROR_H */
