/* ccbox_result_t: the one error type of the public API, on both sides of the boundary.
 * Names and order follow Open Enclave's oe_result_t; codes specific to ccbox follow after
 * CCBOX_SGX_QUOTE_LIBRARY_ERROR so that the shared prefix keeps OE's numbering. */
#ifndef CCBOX_RESULT_H
#define CCBOX_RESULT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Every result, in numeric order starting at CCBOX_OK = 0. */
#define CCBOX_RESULT_LIST(X) \
    X(CCBOX_OK) \
    X(CCBOX_FAILURE) \
    X(CCBOX_BUFFER_TOO_SMALL) \
    X(CCBOX_INVALID_PARAMETER) \
    X(CCBOX_REENTRANT_ECALL) \
    X(CCBOX_OUT_OF_MEMORY) \
    X(CCBOX_OUT_OF_THREADS) \
    X(CCBOX_UNEXPECTED) \
    X(CCBOX_VERIFY_FAILED) \
    X(CCBOX_NOT_FOUND) \
    X(CCBOX_INTEGER_OVERFLOW) \
    X(CCBOX_PUBLIC_KEY_NOT_FOUND) \
    X(CCBOX_OUT_OF_BOUNDS) \
    X(CCBOX_OVERLAPPED_COPY) \
    X(CCBOX_CONSTRAINT_FAILED) \
    X(CCBOX_IOCTL_FAILED) \
    X(CCBOX_UNSUPPORTED) \
    X(CCBOX_READ_FAILED) \
    X(CCBOX_SERVICE_UNAVAILABLE) \
    X(CCBOX_ENCLAVE_ABORTING) \
    X(CCBOX_ENCLAVE_ABORTED) \
    X(CCBOX_PLATFORM_ERROR) \
    X(CCBOX_INVALID_CPUSVN) \
    X(CCBOX_INVALID_ISVSVN) \
    X(CCBOX_INVALID_KEYNAME) \
    X(CCBOX_DEBUG_DOWNGRADE) \
    X(CCBOX_REPORT_PARSE_ERROR) \
    X(CCBOX_MISSING_CERTIFICATE_CHAIN) \
    X(CCBOX_BUSY) \
    X(CCBOX_NOT_OWNER) \
    X(CCBOX_INVALID_SGX_CERTIFICATE_EXTENSIONS) \
    X(CCBOX_MEMORY_LEAK) \
    X(CCBOX_BAD_ALIGNMENT) \
    X(CCBOX_JSON_INFO_PARSE_ERROR) \
    X(CCBOX_TCB_LEVEL_INVALID) \
    X(CCBOX_QUOTE_PROVIDER_LOAD_ERROR) \
    X(CCBOX_QUOTE_PROVIDER_CALL_ERROR) \
    X(CCBOX_INVALID_REVOCATION_INFO) \
    X(CCBOX_INVALID_UTC_DATE_TIME) \
    X(CCBOX_INVALID_QE_IDENTITY_INFO) \
    X(CCBOX_INVALID_ENDORSEMENT) \
    X(CCBOX_UNSUPPORTED_ENCLAVE_IMAGE) \
    X(CCBOX_VERIFY_CRL_EXPIRED) \
    X(CCBOX_VERIFY_CRL_MISSING) \
    X(CCBOX_VERIFY_REVOKED) \
    X(CCBOX_VERIFY_FAILED_TO_FIND_VALIDITY_PERIOD) \
    X(CCBOX_CRYPTO_ERROR) \
    X(CCBOX_INCORRECT_REPORT_SIZE) \
    X(CCBOX_QUOTE_VERIFICATION_ERROR) \
    X(CCBOX_QUOTE_ENCLAVE_IDENTITY_VERIFICATION_FAILED) \
    X(CCBOX_QUOTE_ENCLAVE_IDENTITY_UNIQUEID_MISMATCH) \
    X(CCBOX_VERIFY_FAILED_AES_CMAC_MISMATCH) \
    X(CCBOX_CONTEXT_SWITCHLESS_OCALL_MISSED) \
    X(CCBOX_THREAD_CREATE_ERROR) \
    X(CCBOX_THREAD_JOIN_ERROR) \
    X(CCBOX_ALREADY_EXISTS) \
    X(CCBOX_ALREADY_INITIALIZED) \
    X(CCBOX_QUOTE_HASH_MISMATCH) \
    X(CCBOX_INVALID_SGX_SIGNING_KEY) \
    X(CCBOX_INVALID_IMAGE) \
    X(CCBOX_QUOTE_LIBRARY_LOAD_ERROR) \
    X(CCBOX_SGX_QUOTE_LIBRARY_ERROR) \
    /* ccbox-specific codes */ \
    X(CCBOX_INVALID_CONFIG) /* enclave configuration file or settings are invalid */ \
    X(CCBOX_IO_ERROR) /* a file could not be read or written */ \
    X(CCBOX_NOT_SIGNED) /* the image carries no SIGSTRUCT */ \
    X(CCBOX_INVALID_SIGSTRUCT) /* a SIGSTRUCT constant, reserved field or size is wrong */ \
    X(CCBOX_INVALID_SIGNATURE) /* the SIGSTRUCT signature (or Q1/Q2) does not verify */ \
    X(CCBOX_MEASUREMENT_MISMATCH) /* the image no longer measures to SIGSTRUCT.ENCLAVEHASH */ \
    X(CCBOX_INVALID_ATTRIBUTE) /* enclave attributes/miscselect do not satisfy the masks */ \
    X(CCBOX_OUT_OF_EPC) /* the platform's EPC cannot hold the enclave */ \
    X(CCBOX_PROTOCOL_ERROR) /* a malformed message on a platform channel */ \
    X(CCBOX_ECALL_NOT_ALLOWED) /* a private ECALL, or one the current OCALL does not allow() */ \
    X(CCBOX_INVALID_KEYPOLICY) /* a seal KEYREQUEST's KEYPOLICY is not exactly MRENCLAVE or MRSIGNER */ \
    X(CCBOX_INVALID_KEYREQUEST) /* a seal KEYREQUEST's masks, CONFIGSVN or reserved fields differ from ccbox_seal's */ \
    X(CCBOX_ENCLAVE_NOT_READY) /* an ECALL before CCBOX_ECALL_INIT has finished (constructors still running) */ \
    X(CCBOX_ENCLAVE_TERMINATED) /* an ECALL once CCBOX_ECALL_TERMINATE has begun */

#define CCBOX_RESULT_ENUMERATOR_(name) name,
typedef enum ccbox_result_t {
    CCBOX_RESULT_LIST(CCBOX_RESULT_ENUMERATOR_)
    CCBOX_RESULT_COUNT_,
    CCBOX_RESULT_MAX_ = 0x7fffffff
} ccbox_result_t;
#undef CCBOX_RESULT_ENUMERATOR_

/* A short, stable, human-readable description of a result ("CCBOX_OK", ...). Never NULL. */
const char* ccbox_result_str(ccbox_result_t result);

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_RESULT_H */
