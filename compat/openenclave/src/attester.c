/* Open Enclave's attester (openenclave/attestation/attester.h) on ccbox_get_evidence, and its
 * attestation certificates on ccbox_get_attestation_certificate_with_evidence. Enclave side
 * (docs/openenclave.md "Attestation"). Evidence is ccbox's, under OE's format ids:
 * OE_FORMAT_UUID_SGX_ECDSA = a DCAP ECDSA quote v3 ‖ custom claims, the custom claims' SHA-256
 * in REPORTDATA[0..32); OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION = a REPORT for the TARGETINFO the
 * verifier's oe_verifier_get_format_settings gave ‖ custom claims. */
#include "attest_internal.h"

#include <ccbox/attester.h>
#include <ccbox/bits/report.h>
#include <openenclave/attestation/attester.h>
#include <openenclave/attestation/sgx/evidence.h>

#include <stdlib.h>
#include <string.h>

static const uint8_t k_ecdsa[16] = OE_FORMAT_UUID_SGX_ECDSA;
static const uint8_t k_local[16] = OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION;

oe_result_t oe_attester_initialize(void) { return OE_OK; }
oe_result_t oe_attester_shutdown(void) { return OE_OK; }

oe_result_t oe_attester_select_format(const oe_uuid_t* format_ids, size_t format_ids_length, oe_uuid_t* selected)
{
    if (!format_ids || !format_ids_length || !selected)
        return OE_INVALID_PARAMETER;
    for (size_t i = 0; i < format_ids_length; ++i)
        if (memcmp(format_ids[i].b, k_ecdsa, 16) == 0 || memcmp(format_ids[i].b, k_local, 16) == 0) {
            *selected = format_ids[i];
            return OE_OK;
        }
    return oe_ccbox_fail(OE_NOT_FOUND, "oe_attester_select_format",
                         "none of the formats is ccbox's (OE_FORMAT_UUID_SGX_ECDSA, _SGX_LOCAL_ATTESTATION)");
}

oe_result_t oe_get_evidence(const oe_uuid_t* format_id, uint32_t flags, const void* custom_claims_buffer,
                            size_t custom_claims_buffer_size, const void* optional_parameters,
                            size_t optional_parameters_size, uint8_t** evidence_buffer, size_t* evidence_buffer_size,
                            uint8_t** endorsements_buffer, size_t* endorsements_buffer_size)
{
    static const char who[] = "oe_get_evidence";
    if (!format_id || !evidence_buffer || !evidence_buffer_size || (endorsements_buffer && !endorsements_buffer_size))
        return oe_ccbox_fail(OE_INVALID_PARAMETER, who, "format_id, evidence_buffer and its size are required");
    if (flags & ~(uint32_t)OE_EVIDENCE_FLAGS_EMBED_FORMAT_ID)
        return oe_ccbox_fail(OE_INVALID_PARAMETER, who, "unknown flags (only OE_EVIDENCE_FLAGS_EMBED_FORMAT_ID)");
    const int ecdsa = memcmp(format_id->b, k_ecdsa, 16) == 0;
    const int local = memcmp(format_id->b, k_local, 16) == 0;
    if (!ecdsa && !local)
        return oe_ccbox_fail(OE_NOT_FOUND, who,
                             "unknown evidence format (ccbox makes OE_FORMAT_UUID_SGX_ECDSA and "
                             "OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION)");
    if (local && (!optional_parameters || optional_parameters_size != CCBOX_TARGET_INFO_SIZE))
        return oe_ccbox_fail(OE_INVALID_PARAMETER, who,
                             "local attestation needs the verifier's format settings (its TARGETINFO, 512 bytes, "
                             "from oe_verifier_get_format_settings)");
    if (ecdsa && optional_parameters_size)
        return oe_ccbox_fail(OE_INVALID_PARAMETER, who, "OE_FORMAT_UUID_SGX_ECDSA takes no optional parameters");
    if (endorsements_buffer) {
        *endorsements_buffer = NULL;
        *endorsements_buffer_size = 0;
    }
    const ccbox_uuid_t* id = (const ccbox_uuid_t*)format_id;
    oe_result_t r = ccbox_get_evidence(id, flags, custom_claims_buffer, custom_claims_buffer_size, optional_parameters,
                                       optional_parameters_size, evidence_buffer, evidence_buffer_size, NULL, NULL);
    if (r != OE_OK)
        return oe_ccbox_fail(r, who, "ccbox_get_evidence failed");
    if (ecdsa && endorsements_buffer) {
        /* Endorsements = the collateral the host has for this platform: it is signed under
         * the PKI's root, so whoever receives it needs no trust in the host that gave it. */
        uint8_t* collateral = NULL;
        char* roots = NULL;
        size_t collateral_size = 0, roots_size = 0;
        const char* source = NULL;
        r = oe_ccbox_default_sources(&collateral, &collateral_size, &roots, &roots_size, &source);
        free(roots);
        if (r != OE_OK) {
            ccbox_free_evidence(*evidence_buffer);
            *evidence_buffer = NULL;
            *evidence_buffer_size = 0;
            return r;
        }
        *endorsements_buffer = collateral;
        *endorsements_buffer_size = collateral_size;
    }
    return OE_OK;
}

oe_result_t oe_free_evidence(uint8_t* evidence_buffer)
{
    ccbox_free_evidence(evidence_buffer);
    return OE_OK;
}

oe_result_t oe_free_endorsements(uint8_t* endorsements_buffer)
{
    free(endorsements_buffer);
    return OE_OK;
}

oe_result_t oe_get_attestation_certificate_with_evidence_v2(
    const oe_uuid_t* format_id, const unsigned char* subject_name, uint8_t* private_key, size_t private_key_size,
    uint8_t* public_key, size_t public_key_size, const void* optional_parameters, size_t optional_parameters_size,
    uint8_t** output_certificate, size_t* output_certificate_size)
{
    static const char who[] = "oe_get_attestation_certificate_with_evidence";
    if (!format_id || memcmp(format_id->b, k_ecdsa, 16) != 0)
        return oe_ccbox_fail(OE_INVALID_PARAMETER, who,
                             "attestation certificates carry OE_FORMAT_UUID_SGX_ECDSA evidence only");
    oe_result_t r = ccbox_get_attestation_certificate_with_evidence(
        (const ccbox_uuid_t*)format_id, (const char*)subject_name, private_key, private_key_size, public_key,
        public_key_size, optional_parameters, optional_parameters_size, output_certificate, output_certificate_size);
    if (r != OE_OK)
        return oe_ccbox_fail(r, who, "ccbox_get_attestation_certificate_with_evidence failed");
    return OE_OK;
}

oe_result_t oe_get_attestation_certificate_with_evidence(const oe_uuid_t* format_id, const unsigned char* subject_name,
                                                         uint8_t* private_key, size_t private_key_size,
                                                         uint8_t* public_key, size_t public_key_size,
                                                         uint8_t** output_certificate,
                                                         size_t* output_certificate_size)
{
    return oe_get_attestation_certificate_with_evidence_v2(format_id, subject_name, private_key, private_key_size,
                                                           public_key, public_key_size, NULL, 0, output_certificate,
                                                           output_certificate_size);
}

void oe_free_attestation_certificate(uint8_t* certificate) { ccbox_free_attestation_certificate(certificate); }
