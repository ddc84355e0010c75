/* Internal to the OE attestation mapping (docs/openenclave.md "Attestation"): what verifier.c
 * (both sides) needs from the side-specific files (verifier_enclave.c, verifier_host.cpp). */
#ifndef CCBOX_OE_ATTEST_INTERNAL_H
#define CCBOX_OE_ATTEST_INTERNAL_H

#include <ccbox/verifier.h>
#include <openenclave/attestation/verifier.h>

#include <stdint.h>

OE_EXTERNC_BEGIN

/* Collateral (ccbox's collateral JSON) and trusted roots (PEM) for a verifier given none:
 * in an enclave the host's answer (`*root_source` "host"), on the host the local platform's
 * development PKI or the files named by CCBOX_OE_COLLATERAL / CCBOX_OE_TRUSTED_ROOTS
 * (`*root_source` "local"). Free both with free(). The failure is reported. */
oe_result_t oe_ccbox_default_sources(uint8_t** collateral, size_t* collateral_size, char** roots, size_t* roots_size,
                                     const char** root_source);

/* Host side: the host's answer to the enclave's collateral OCALL (the sources above). */
int oe_ccbox_host_collateral(uint8_t* collateral, size_t collateral_size, size_t* collateral_needed, uint8_t* roots,
                             size_t roots_size, size_t* roots_needed);

/* The verifier's policies as ccbox's, with the endorsements and roots to use. */
typedef struct oe_ccbox_verification {
    ccbox_policy_t policies[8];
    size_t policies_size;
    int64_t time;
    int require_production;
    const uint8_t* endorsements;
    size_t endorsements_size;
    const char* root_source;
    uint8_t* owned_collateral;
    char* owned_roots;
} oe_ccbox_verification_t;

/* Maps OE's policies and fills in the default endorsements and roots where the caller gave
 * none. `who` names the caller in messages. Release with oe_ccbox_verification_free(). */
oe_result_t oe_ccbox_verification_init(oe_ccbox_verification_t* v, const char* who, const uint8_t* endorsements,
                                       size_t endorsements_size, const oe_policy_t* policies, size_t policies_size);
void oe_ccbox_verification_free(oe_ccbox_verification_t* v);

/* ccbox's claims as OE's: a copy with OE_CLAIM_CCBOX_TRUSTED_ROOT = `root_source` added and,
 * when the root came from the host, the platform mode "development". Takes `claims`. */
oe_result_t oe_ccbox_finish_claims(ccbox_claim_t* claims, size_t claims_length, const char* root_source,
                                   oe_claim_t** out, size_t* out_length);

/* Appends {name, value} (copied) to a malloc'd claims array of *length entries. */
oe_result_t oe_ccbox_add_claim(oe_claim_t** claims, size_t* length, const char* name, const void* value,
                               size_t value_size);

/* Prints "who: message" on stderr and returns `result`. */
oe_result_t oe_ccbox_fail(oe_result_t result, const char* who, const char* message);

/* Local attestation evidence (REPORT ‖ custom claims), verified inside its target enclave;
 * OE_UNSUPPORTED on the host. */
oe_result_t oe_ccbox_verify_local(const uint8_t* evidence, size_t evidence_size, const oe_policy_t* policies,
                                  size_t policies_size, oe_claim_t** claims, size_t* claims_length);

OE_EXTERNC_END

#endif /* CCBOX_OE_ATTEST_INTERNAL_H */
