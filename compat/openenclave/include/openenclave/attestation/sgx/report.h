/* Open Enclave's SGX report helpers (attestation/sgx/report.h). Host or enclave. */
#ifndef OPENENCLAVE_ATTESTATION_SGX_REPORT_H
#define OPENENCLAVE_ATTESTATION_SGX_REPORT_H

#include <openenclave/bits/defs.h>
#include <openenclave/bits/result.h>
#include <openenclave/bits/types.h>

OE_EXTERNC_BEGIN

/* The MRSIGNER (OE_CLAIM_SIGNER_ID) of enclaves signed with the RSA key whose public half is
 * `pem` (PEM, its size with or without the NUL): SHA-256 of the little-endian 3072-bit
 * modulus, as SGX computes it. The key must be RSA-3072 with exponent 3, as SGX requires
 * (OE_INVALID_PARAMETER otherwise). *signer_id_size: in, the buffer's size; out, 32
 * (OE_BUFFER_TOO_SMALL when the buffer is shorter). */
oe_result_t oe_sgx_get_signer_id_from_public_key(const char* pem, size_t pem_size, uint8_t* signer_id,
                                                 size_t* signer_id_size);

OE_EXTERNC_END

#endif /* OPENENCLAVE_ATTESTATION_SGX_REPORT_H */
