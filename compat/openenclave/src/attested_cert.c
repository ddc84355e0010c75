/* Open Enclave's attestation certificate verification (openenclave/attestation/verifier.h) on
 * ccbox_verify_attestation_certificate_with_evidence (docs/attested-tls.md), host and enclave:
 * the certificate's self-signature, its evidence under the trusted root (the caller's
 * OE_POLICY_CCBOX_TRUSTED_ROOTS or the default of oe_verify_evidence), and that the evidence
 * binds the certificate's own key. The certificate is the peer's: nothing in it is trusted
 * before those checks pass. */
#include "attest_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct captured {
    oe_claim_t* claims;
    size_t length;
} captured_t;

/* ccbox frees its claims after the callback: keep a copy. */
static ccbox_result_t capture(ccbox_claim_t* claims, size_t claims_length, void* arg)
{
    captured_t* out = (captured_t*)arg;
    for (size_t i = 0; i < claims_length; ++i) {
        oe_result_t r = oe_ccbox_add_claim(&out->claims, &out->length, claims[i].name, claims[i].value,
                                           claims[i].value_size);
        if (r != OE_OK)
            return r;
    }
    return CCBOX_OK;
}

oe_result_t oe_verify_attestation_certificate_with_evidence_v2(uint8_t* certificate_in_der,
                                                               size_t certificate_in_der_length,
                                                               uint8_t* endorsements_buffer,
                                                               size_t endorsements_buffer_size,
                                                               oe_policy_t* policies, size_t policies_size,
                                                               oe_claim_t** claims, size_t* claims_length)
{
    static const char who[] = "oe_verify_attestation_certificate_with_evidence";
    if (!certificate_in_der || !certificate_in_der_length || !claims || !claims_length)
        return oe_ccbox_fail(OE_INVALID_PARAMETER, who, "the certificate, claims and claims_length are required");
    *claims = NULL;
    *claims_length = 0;
    oe_ccbox_verification_t v;
    oe_result_t r =
        oe_ccbox_verification_init(&v, who, endorsements_buffer, endorsements_buffer_size, policies, policies_size);
    if (r != OE_OK)
        return r;
    captured_t got = {NULL, 0};
    r = ccbox_verify_attestation_certificate_with_evidence(certificate_in_der, certificate_in_der_length,
                                                           v.endorsements, v.endorsements_size, v.policies,
                                                           v.policies_size, capture, &got);
    const char* source = v.root_source;
    oe_ccbox_verification_free(&v);
    if (r != OE_OK) {
        oe_free_claims(got.claims, got.length);
        return oe_ccbox_fail(r, who, ccbox_verifier_last_error());
    }
    return oe_ccbox_finish_claims((ccbox_claim_t*)got.claims, got.length, source, claims, claims_length);
}

oe_result_t oe_verify_attestation_certificate_with_evidence(uint8_t* certificate_in_der,
                                                            size_t certificate_in_der_length,
                                                            oe_verify_claims_callback_t claim_verify_callback,
                                                            void* arg)
{
    oe_claim_t* claims = NULL;
    size_t length = 0;
    oe_result_t r = oe_verify_attestation_certificate_with_evidence_v2(certificate_in_der, certificate_in_der_length,
                                                                       NULL, 0, NULL, 0, &claims, &length);
    if (r == OE_OK && claim_verify_callback)
        r = claim_verify_callback(claims, length, arg);
    oe_free_claims(claims, length);
    return r;
}
