/* Open Enclave's verifier (openenclave/attestation/verifier.h) on ccbox_verify_evidence, both
 * sides (docs/openenclave.md "Attestation"). OE_FORMAT_UUID_SGX_ECDSA evidence is ccbox's
 * (quote ‖ custom claims) and is verified by ccbox's one evidence verifier: the quote against
 * collateral under a trusted root, in Intel QVL's order, then the binding of the custom claims
 * and the policies. Nothing the caller did not choose is trusted: when the endorsements or the
 * root come from the host, the claims say so (OE_CLAIM_CCBOX_TRUSTED_ROOT) and a host-chosen
 * root never vouches for production. */
#include "attest_internal.h"

#include <openenclave/attestation/sgx/evidence.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t k_ecdsa[16] = OE_FORMAT_UUID_SGX_ECDSA;
static const uint8_t k_local[16] = OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION;

oe_result_t oe_ccbox_fail(oe_result_t result, const char* who, const char* message)
{
    fprintf(stderr, "%s: %s (%s)\n", who, message, oe_result_str(result));
    return result;
}

oe_result_t oe_verifier_initialize(void) { return OE_OK; }
oe_result_t oe_verifier_shutdown(void) { return OE_OK; }

oe_result_t oe_verifier_get_formats(oe_uuid_t** format_ids, size_t* format_ids_length)
{
    if (!format_ids || !format_ids_length)
        return OE_INVALID_PARAMETER;
    oe_uuid_t* ids = (oe_uuid_t*)malloc(2 * sizeof(oe_uuid_t));
    if (!ids)
        return OE_OUT_OF_MEMORY;
    memcpy(ids[0].b, k_ecdsa, 16);
    memcpy(ids[1].b, k_local, 16);
    *format_ids = ids;
    *format_ids_length = 2;
    return OE_OK;
}

oe_result_t oe_verifier_free_formats(oe_uuid_t* format_ids)
{
    free(format_ids);
    return OE_OK;
}

oe_result_t oe_verifier_free_format_settings(uint8_t* settings)
{
    free(settings);
    return OE_OK;
}

oe_result_t oe_free_claims(oe_claim_t* claims, size_t claims_length)
{
    return ccbox_free_claims((ccbox_claim_t*)claims, claims_length);
}

/* Days since 1970-01-01 of a civil date (the proleptic Gregorian calendar). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static oe_result_t datetime_seconds(const oe_datetime_t* t, int64_t* out)
{
    if (t->year < 1970 || t->year > 9999 || t->month < 1 || t->month > 12 || t->day < 1 || t->day > 31 ||
        t->hours > 23 || t->minutes > 59 || t->seconds > 60)
        return OE_INVALID_UTC_DATE_TIME;
    *out = days_from_civil(t->year, t->month, t->day) * 86400 + t->hours * 3600 + t->minutes * 60 + t->seconds;
    return OE_OK;
}

static oe_result_t add_policy(oe_ccbox_verification_t* v, ccbox_policy_type_t type, const void* p, size_t size)
{
    for (size_t i = 0; i < v->policies_size; ++i)
        if (v->policies[i].type == type)
            return OE_INVALID_PARAMETER; /* each policy once */
    v->policies[v->policies_size].type = type;
    v->policies[v->policies_size].policy = p;
    v->policies[v->policies_size].policy_size = size;
    ++v->policies_size;
    return OE_OK;
}

void oe_ccbox_verification_free(oe_ccbox_verification_t* v)
{
    free(v->owned_collateral);
    free(v->owned_roots);
    v->owned_collateral = NULL;
    v->owned_roots = NULL;
}

oe_result_t oe_ccbox_verification_init(oe_ccbox_verification_t* v, const char* who, const uint8_t* endorsements,
                                       size_t endorsements_size, const oe_policy_t* policies, size_t policies_size)
{
    memset(v, 0, sizeof *v);
    if (policies_size && !policies)
        return oe_ccbox_fail(OE_INVALID_PARAMETER, who, "policies_size is not 0 but policies is NULL");
    int has_roots = 0;
    for (size_t i = 0; i < policies_size; ++i) {
        const oe_policy_t* p = &policies[i];
        oe_result_t r = OE_OK;
        switch ((int)p->type) {
        case OE_POLICY_ENDORSEMENTS_TIME:
            if (!p->policy || p->policy_size != sizeof(oe_datetime_t))
                return oe_ccbox_fail(OE_INVALID_PARAMETER, who, "OE_POLICY_ENDORSEMENTS_TIME: expected an oe_datetime_t");
            if ((r = datetime_seconds((const oe_datetime_t*)p->policy, &v->time)) != OE_OK)
                return oe_ccbox_fail(r, who, "OE_POLICY_ENDORSEMENTS_TIME: not a valid UTC time");
            r = add_policy(v, CCBOX_POLICY_VERIFICATION_TIME, &v->time, sizeof v->time);
            break;
        case OE_POLICY_ENDORSEMENTS_BASELINE:
            return oe_ccbox_fail(OE_UNSUPPORTED, who,
                                 "OE_POLICY_ENDORSEMENTS_BASELINE has no ccbox meaning (ccbox's collateral is "
                                 "the PKI owner's, not Intel's PCS baseline)");
        case OE_POLICY_TCB_BASELINE_DATE:
            return oe_ccbox_fail(OE_UNSUPPORTED, who,
                                 "OE_POLICY_TCB_BASELINE_DATE has no ccbox meaning (use the tcb_status and "
                                 "tcb_date claims)");
        case OE_POLICY_CCBOX_TRUSTED_ROOTS:
            if (!p->policy || !p->policy_size)
                return oe_ccbox_fail(OE_INVALID_PARAMETER, who, "OE_POLICY_CCBOX_TRUSTED_ROOTS: no PEM given");
            r = add_policy(v, CCBOX_POLICY_TRUSTED_ROOTS, p->policy, p->policy_size);
            has_roots = 1;
            break;
        case OE_POLICY_CCBOX_REQUIRE_PRODUCTION:
            r = add_policy(v, CCBOX_POLICY_REQUIRE_PRODUCTION, NULL, 0);
            v->require_production = 1;
            break;
        case OE_POLICY_CCBOX_REFUSE_DEBUG: r = add_policy(v, CCBOX_POLICY_REFUSE_DEBUG, NULL, 0); break;
        default: return oe_ccbox_fail(OE_INVALID_PARAMETER, who, "unknown policy type");
        }
        if (r != OE_OK)
            return oe_ccbox_fail(r, who, "a policy type is given twice");
    }
    v->endorsements = endorsements;
    v->endorsements_size = endorsements ? endorsements_size : 0;
    v->root_source = has_roots ? "policy" : NULL;
    if (v->endorsements_size && has_roots)
        return OE_OK;
    size_t collateral_size = 0, roots_size = 0;
    const char* source = NULL;
    oe_result_t r =
        oe_ccbox_default_sources(&v->owned_collateral, &collateral_size, &v->owned_roots, &roots_size, &source);
    if (r != OE_OK)
        return r;
    if (!v->endorsements_size) {
        v->endorsements = v->owned_collateral;
        v->endorsements_size = collateral_size;
    }
    if (!has_roots) {
        v->root_source = source;
        /* A root the host chose can vouch for nothing the host could fake: a production policy
         * is refused before anything is verified. */
        if (v->require_production && strcmp(source, "host") == 0) {
            oe_ccbox_verification_free(v);
            return oe_ccbox_fail(OE_CONSTRAINT_FAILED, who,
                                 "policy_development_platform: OE_POLICY_CCBOX_REQUIRE_PRODUCTION needs a trusted "
                                 "root of the enclave's own (OE_POLICY_CCBOX_TRUSTED_ROOTS); the root the host "
                                 "supplied cannot vouch for production");
        }
        r = add_policy(v, CCBOX_POLICY_TRUSTED_ROOTS, v->owned_roots, roots_size);
        if (r != OE_OK) {
            oe_ccbox_verification_free(v);
            return r;
        }
    }
    return OE_OK;
}

oe_result_t oe_ccbox_add_claim(oe_claim_t** claims, size_t* length, const char* name, const void* value,
                               size_t value_size)
{
    oe_claim_t* grown = (oe_claim_t*)realloc(*claims, (*length + 1) * sizeof(oe_claim_t));
    if (!grown)
        return OE_OUT_OF_MEMORY;
    *claims = grown;
    oe_claim_t* c = &grown[*length];
    c->name = (char*)malloc(strlen(name) + 1);
    c->value = (uint8_t*)malloc(value_size ? value_size : 1);
    if (!c->name || !c->value) {
        free(c->name);
        free(c->value);
        return OE_OUT_OF_MEMORY;
    }
    memcpy(c->name, name, strlen(name) + 1);
    if (value_size)
        memcpy(c->value, value, value_size);
    c->value_size = value_size;
    ++*length;
    return OE_OK;
}

oe_result_t oe_ccbox_finish_claims(ccbox_claim_t* claims, size_t claims_length, const char* root_source,
                                   oe_claim_t** out, size_t* out_length)
{
    oe_claim_t* c = (oe_claim_t*)claims;
    size_t n = claims_length;
    if (strcmp(root_source, "host") == 0) {
        static const char development[] = "development";
        for (size_t i = 0; i < n; ++i) {
            if (strcmp(c[i].name, OE_CLAIM_CCBOX_PLATFORM_MODE) != 0)
                continue;
            uint8_t* value = (uint8_t*)malloc(sizeof development);
            if (!value) {
                oe_free_claims(c, n);
                return OE_OUT_OF_MEMORY;
            }
            memcpy(value, development, sizeof development);
            free(c[i].value);
            c[i].value = value;
            c[i].value_size = sizeof development;
        }
    }
    oe_result_t r = oe_ccbox_add_claim(&c, &n, OE_CLAIM_CCBOX_TRUSTED_ROOT, root_source, strlen(root_source) + 1);
    if (r != OE_OK) {
        oe_free_claims(c, n);
        return r;
    }
    *out = c;
    *out_length = n;
    return OE_OK;
}

static void warn_host_root_once(void)
{
    static int warned;
    if (warned)
        return;
    warned = 1;
    fprintf(stderr, "oe_verify_evidence: ccbox: no trusted root was given (OE_POLICY_CCBOX_TRUSTED_ROOTS): the "
                    "evidence is verified under the root the host supplied, so the claims are only as good as "
                    "the host and count as a development platform's (docs/openenclave.md)\n");
}

static oe_result_t verify_remote(const uint8_t* evidence, size_t evidence_size, const uint8_t* endorsements,
                                 size_t endorsements_size, const oe_policy_t* policies, size_t policies_size,
                                 oe_claim_t** claims, size_t* claims_length)
{
    static const char who[] = "oe_verify_evidence";
    oe_ccbox_verification_t v;
    oe_result_t r = oe_ccbox_verification_init(&v, who, endorsements, endorsements_size, policies, policies_size);
    if (r != OE_OK)
        return r;
    if (strcmp(v.root_source, "host") == 0)
        warn_host_root_once();
    const ccbox_uuid_t format = {{0xa3, 0xa2, 0x1e, 0x87, 0x1b, 0x4d, 0x40, 0x14, 0xb7, 0x0a, 0xa1, 0x25, 0xd2, 0xfb,
                                  0xcd, 0x8c}};
    ccbox_claim_t* raw = NULL;
    size_t raw_length = 0;
    r = ccbox_verify_evidence(&format, evidence, evidence_size, v.endorsements, v.endorsements_size, v.policies,
                              v.policies_size, &raw, &raw_length);
    const char* source = v.root_source;
    if (r != OE_OK) {
        oe_ccbox_fail(r, who, ccbox_verifier_last_error());
        oe_ccbox_verification_free(&v);
        return r;
    }
    oe_ccbox_verification_free(&v);
    return oe_ccbox_finish_claims(raw, raw_length, source, claims, claims_length);
}

oe_result_t oe_verify_evidence(const oe_uuid_t* format_id, const uint8_t* evidence_buffer, size_t evidence_buffer_size,
                               const uint8_t* endorsements_buffer, size_t endorsements_buffer_size,
                               const oe_policy_t* policies, size_t policies_size, oe_claim_t** claims,
                               size_t* claims_length)
{
    static const char who[] = "oe_verify_evidence";
    if (!evidence_buffer || !evidence_buffer_size || !claims || !claims_length)
        return oe_ccbox_fail(OE_INVALID_PARAMETER, who, "evidence, claims and claims_length are required");
    *claims = NULL;
    *claims_length = 0;
    const uint8_t* format = format_id ? format_id->b : NULL;
    if (!format) {
        /* OE_EVIDENCE_FLAGS_EMBED_FORMAT_ID: ccbox's evidence starts with the 16-byte id. */
        if (evidence_buffer_size < 16)
            return oe_ccbox_fail(OE_INVALID_PARAMETER, who, "no format id given and the evidence has none embedded");
        format = evidence_buffer;
        evidence_buffer += 16;
        evidence_buffer_size -= 16;
    }
    if (memcmp(format, k_ecdsa, 16) == 0)
        return verify_remote(evidence_buffer, evidence_buffer_size, endorsements_buffer, endorsements_buffer_size,
                             policies, policies_size, claims, claims_length);
    if (memcmp(format, k_local, 16) == 0) {
        if (endorsements_buffer && endorsements_buffer_size)
            return oe_ccbox_fail(OE_INVALID_PARAMETER, who, "local attestation evidence has no endorsements");
        return oe_ccbox_verify_local(evidence_buffer, evidence_buffer_size, policies, policies_size, claims,
                                     claims_length);
    }
    return oe_ccbox_fail(OE_NOT_FOUND, who,
                         "unknown evidence format (ccbox verifies OE_FORMAT_UUID_SGX_ECDSA and "
                         "OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION)");
}
