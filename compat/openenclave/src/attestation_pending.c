/* oe_attester_* / oe_verifier_* / oe_get_evidence / oe_verify_evidence until ccbox's evidence API
 * (ccbox_get_evidence, ccbox_verify_evidence: remote attestation) is merged: each fails with
 * OE_UNSUPPORTED and says so, never pretends. Both sides (the attester functions are declared
 * for enclaves only, but are harmless on the host). */
#include <openenclave/attestation/attester.h>
#include <openenclave/attestation/verifier.h>

#include <stdio.h>

static oe_result_t pending(const char* name)
{
    fprintf(stderr, "%s: not supported yet: ccbox's evidence API (remote attestation) is not in this build\n", name);
    return OE_UNSUPPORTED;
}

oe_result_t oe_attester_initialize(void) { return pending("oe_attester_initialize"); }
oe_result_t oe_attester_select_format(const oe_uuid_t* ids, size_t n, oe_uuid_t* selected)
{
    (void)ids;
    (void)n;
    (void)selected;
    return pending("oe_attester_select_format");
}
oe_result_t oe_get_evidence(const oe_uuid_t* format_id, uint32_t flags, const void* custom_claims,
                            size_t custom_claims_size, const void* optional_parameters,
                            size_t optional_parameters_size, uint8_t** evidence, size_t* evidence_size,
                            uint8_t** endorsements, size_t* endorsements_size)
{
    (void)format_id;
    (void)flags;
    (void)custom_claims;
    (void)custom_claims_size;
    (void)optional_parameters;
    (void)optional_parameters_size;
    (void)evidence;
    (void)evidence_size;
    (void)endorsements;
    (void)endorsements_size;
    return pending("oe_get_evidence");
}
oe_result_t oe_free_evidence(uint8_t* evidence) { return evidence ? OE_INVALID_PARAMETER : OE_OK; }
oe_result_t oe_free_endorsements(uint8_t* endorsements) { return endorsements ? OE_INVALID_PARAMETER : OE_OK; }
oe_result_t oe_attester_shutdown(void) { return pending("oe_attester_shutdown"); }

oe_result_t oe_verifier_initialize(void) { return pending("oe_verifier_initialize"); }
oe_result_t oe_verifier_get_formats(oe_uuid_t** ids, size_t* n)
{
    (void)ids;
    (void)n;
    return pending("oe_verifier_get_formats");
}
oe_result_t oe_verifier_free_formats(oe_uuid_t* ids) { return ids ? OE_INVALID_PARAMETER : OE_OK; }
oe_result_t oe_verify_evidence(const oe_uuid_t* format_id, const uint8_t* evidence, size_t evidence_size,
                               const uint8_t* endorsements, size_t endorsements_size, const oe_policy_t* policies,
                               size_t policies_size, oe_claim_t** claims, size_t* claims_length)
{
    (void)format_id;
    (void)evidence;
    (void)evidence_size;
    (void)endorsements;
    (void)endorsements_size;
    (void)policies;
    (void)policies_size;
    (void)claims;
    (void)claims_length;
    return pending("oe_verify_evidence");
}
oe_result_t oe_free_claims(oe_claim_t* claims, size_t n)
{
    (void)n;
    return claims ? OE_INVALID_PARAMETER : OE_OK;
}
oe_result_t oe_verifier_shutdown(void) { return pending("oe_verifier_shutdown"); }
