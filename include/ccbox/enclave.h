/* The enclave-side public API of ccbox. Trust domain: enclave.
 * Names and semantics follow Open Enclave's enclave.h (oe_ -> ccbox_). */
#ifndef CCBOX_ENCLAVE_H
#define CCBOX_ENCLAVE_H

#ifdef CCBOX_HOST_H
#error "ccbox/enclave.h and ccbox/host.h must not be included in the same compilation unit"
#endif

#include <ccbox/bits/calls.h>
#include <ccbox/bits/properties.h>
#include <ccbox/bits/report.h>
#include <ccbox/bits/seal.h>
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
/* The same OCALL through a host worker thread when the host started any (a transition_using_threads
 * OCALL); an ordinary OCALL when none is free. The same checks and answers as above. */
ccbox_result_t ccbox_switchless_call_host_function(uint32_t function_id, const void* input_buffer,
                                                   size_t input_buffer_size, void* output_buffer,
                                                   size_t output_buffer_size, size_t* output_bytes_written);
/* Untrusted memory for an OCALL's buffers; freed in reverse order of allocation. */
void* ccbox_allocate_ocall_buffer(size_t size);
void ccbox_free_ocall_buffer(void* buffer);

/* ---- Local attestation (SGX EREPORT) ---- */

/* This enclave's TARGETINFO, for another enclave to make a report it can verify. */
ccbox_result_t ccbox_get_target_info(ccbox_target_info_t* target_info);
/* A REPORT about this enclave, MACed with the report key of the target (NULL: this enclave
 * itself), carrying report_data (NULL: zeros). */
ccbox_result_t ccbox_get_report(const ccbox_target_info_t* target_info, const uint8_t* report_data,
                                ccbox_report_t* report);
/* Verifies that a REPORT was made on this platform for this enclave and decodes it:
 * CCBOX_VERIFY_FAILED_AES_CMAC_MISMATCH if it was not (another target, a changed byte). */
ccbox_result_t ccbox_verify_report(const void* report, size_t report_size, ccbox_report_identity_t* identity);

/* ---- Sealing ---- */

/* A 128-bit seal key for `policy` at this enclave's current ISVSVN and the platform's CPUSVN,
 * with a fresh random KEYID. key_info (a KEYREQUEST) reproduces the key later with
 * ccbox_get_seal_key(). Free both with ccbox_free_key(). */
ccbox_result_t ccbox_get_seal_key_by_policy(ccbox_seal_policy_t policy, uint8_t** key_buffer,
                                            size_t* key_buffer_size, uint8_t** key_info, size_t* key_info_size);
/* key_info may have been kept outside the enclave, so it must be a KEYREQUEST that
 * ccbox_get_seal_key_by_policy() makes: KEYNAME SEAL (else CCBOX_INVALID_KEYNAME), KEYPOLICY
 * exactly MRENCLAVE or MRSIGNER (else CCBOX_INVALID_KEYPOLICY), its masks, CONFIGSVN 0 and
 * zero reserved fields (else CCBOX_INVALID_KEYREQUEST); only KEYID, ISVSVN and CPUSVN may
 * differ (EGETKEY refuses values above the enclave's own). ccbox_unseal() applies the same
 * rule to the KEYREQUEST in a blob. */
ccbox_result_t ccbox_get_seal_key(const uint8_t* key_info, size_t key_info_size, uint8_t** key_buffer,
                                  size_t* key_buffer_size);
/* The explicit opt-in for weaker seal keys: EGETKEY(SEAL) for a 512-byte KEYREQUEST that this
 * enclave's own code built, with any KEYPOLICY and masks SGX allows (KEYPOLICY 0, for one, is
 * a key every enclave with the same ProductID and attributes can derive, whoever signed it).
 * `key_request` must lie inside the enclave (CCBOX_INVALID_PARAMETER otherwise); never pass it
 * bytes that came from outside. ccbox_unseal() and ccbox_get_seal_key() never use it.
 * Free the key with ccbox_free_key(). */
ccbox_result_t ccbox_get_seal_key_for_own_request(const uint8_t* key_request, size_t key_request_size,
                                                  uint8_t** key_buffer, size_t* key_buffer_size);
/* Wipes and frees what the functions above return (either pointer may be NULL). */
void ccbox_free_key(uint8_t* key_buffer, size_t key_buffer_size, uint8_t* key_info, size_t key_info_size);

/* Encrypts and authenticates `plaintext` (AES-256-GCM under a key derived from a fresh seal
 * key) into a self-describing blob (docs/sealing.md); `aad` is authenticated, not stored.
 * Free the blob with ccbox_free(). */
ccbox_result_t ccbox_seal(ccbox_seal_policy_t policy, const uint8_t* plaintext, size_t plaintext_size,
                          const uint8_t* aad, size_t aad_size, uint8_t** blob, size_t* blob_size);
/* Checks and decrypts a blob made by ccbox_seal(). Any change to the blob or the aad, a
 * truncation, another enclave or signer (per policy), a lower ISVSVN or another platform
 * fails with an error and no plaintext. Free the plaintext with ccbox_free(). */
ccbox_result_t ccbox_unseal(const uint8_t* blob, size_t blob_size, const uint8_t* aad, size_t aad_size,
                            uint8_t** plaintext, size_t* plaintext_size);
/* Blobs and plaintexts from ccbox_seal()/ccbox_unseal() are enclave heap memory (malloc), so
 * free() releases them too; ccbox_free() wipes them before freeing. NULL is a no-op. */
void ccbox_free(void* pointer);

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_ENCLAVE_H */
