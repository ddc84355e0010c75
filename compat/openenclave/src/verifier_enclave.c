/* The enclave side of OE's verifier (docs/openenclave.md "Attestation"): format settings (this
 * enclave's TARGETINFO for local attestation), local attestation evidence verified with this
 * enclave's report key, and the default collateral and roots, which only the host can give an
 * enclave (through oe_ccbox_get_collateral_ocall of openenclave/edl/sgx/attestation.edl). */
#include "attest_internal.h"

#include <ccbox/enclave.h>
#include <openenclave/attestation/sgx/evidence.h>

#include <mbedtls/sha256.h>

#include <stdlib.h>
#include <string.h>

/* Generated from openenclave/edl/sgx/attestation.edl into the application's X_t.c (platform.edl
 * and attestation.edl import it). Weak: an enclave whose EDL imports neither gets a clear error. */
extern oe_result_t oe_ccbox_get_collateral_ocall(int* retval, uint8_t* collateral, size_t collateral_size,
                                                 size_t* collateral_needed, uint8_t* roots, size_t roots_size,
                                                 size_t* roots_needed) __attribute__((weak));

static const uint8_t k_ecdsa[16] = OE_FORMAT_UUID_SGX_ECDSA;
static const uint8_t k_local[16] = OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION;

#define MAX_COLLATERAL (1u << 20)

oe_result_t oe_ccbox_default_sources(uint8_t** collateral, size_t* collateral_size, char** roots, size_t* roots_size,
                                     const char** root_source)
{
    static const char who[] = "oe_verify_evidence";
    *collateral = NULL;
    *roots = NULL;
    *collateral_size = *roots_size = 0;
    *root_source = "host";
    if (!oe_ccbox_get_collateral_ocall)
        return oe_ccbox_fail(OE_UNSUPPORTED, who,
                             "no endorsements given and this enclave's EDL imports neither "
                             "openenclave/edl/attestation.edl nor platform.edl, which ask the host for them");
    size_t want_c = 32 * 1024, want_r = 8 * 1024;
    for (int attempt = 0; attempt < 2; ++attempt) {
        uint8_t* c = (uint8_t*)malloc(want_c);
        char* rt = (char*)malloc(want_r + 1);
        if (!c || !rt) {
            free(c);
            free(rt);
            return OE_OUT_OF_MEMORY;
        }
        size_t need_c = 0, need_r = 0;
        int answer = OE_FAILURE;
        oe_result_t r = oe_ccbox_get_collateral_ocall(&answer, c, want_c, &need_c, (uint8_t*)rt, want_r, &need_r);
        if (r == OE_OK)
            r = (oe_result_t)answer;
        if (r == OE_OK && (need_c == 0 || need_c > want_c || need_r == 0 || need_r > want_r))
            r = OE_UNEXPECTED; /* the host's sizes are not believed beyond the buffers */
        if (r == OE_OK) {
            rt[need_r] = 0;
            *collateral = c;
            *collateral_size = need_c;
            *roots = rt;
            *roots_size = need_r;
            return OE_OK;
        }
        free(c);
        free(rt);
        if (r != OE_BUFFER_TOO_SMALL || attempt || need_c > MAX_COLLATERAL || need_r > MAX_COLLATERAL)
            return oe_ccbox_fail(r == OE_BUFFER_TOO_SMALL ? OE_UNEXPECTED : r, who,
                                 "the host gave no collateral and trusted roots (oe_ccbox_get_collateral_ocall)");
        want_c = need_c > want_c ? need_c : want_c;
        want_r = need_r > want_r ? need_r : want_r;
    }
    return OE_UNEXPECTED;
}

oe_result_t oe_verifier_get_format_settings(const oe_uuid_t* format_id, uint8_t** settings, size_t* settings_size)
{
    if (!format_id || !settings || !settings_size)
        return OE_INVALID_PARAMETER;
    *settings = NULL;
    *settings_size = 0;
    if (memcmp(format_id->b, k_ecdsa, 16) == 0)
        return OE_OK;
    if (memcmp(format_id->b, k_local, 16) != 0)
        return oe_ccbox_fail(OE_NOT_FOUND, "oe_verifier_get_format_settings", "unknown evidence format");
    ccbox_target_info_t* target = (ccbox_target_info_t*)malloc(sizeof *target);
    if (!target)
        return OE_OUT_OF_MEMORY;
    oe_result_t r = ccbox_get_target_info(target);
    if (r != OE_OK) {
        free(target);
        return r;
    }
    *settings = target->bytes;
    *settings_size = sizeof target->bytes;
    return OE_OK;
}

static void le(uint8_t* out, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        out[i] = (uint8_t)(v >> (8 * i));
}

oe_result_t oe_ccbox_verify_local(const uint8_t* evidence, size_t evidence_size, const oe_policy_t* policies,
                                  size_t policies_size, oe_claim_t** claims, size_t* claims_length)
{
    static const char who[] = "oe_verify_evidence";
    int refuse_debug = 0;
    for (size_t i = 0; i < policies_size; ++i) {
        if (policies[i].type == OE_POLICY_CCBOX_REFUSE_DEBUG)
            refuse_debug = 1;
        else if (policies[i].type != OE_POLICY_CCBOX_REQUIRE_PRODUCTION)
            return oe_ccbox_fail(OE_INVALID_PARAMETER, who,
                                 "local attestation takes only OE_POLICY_CCBOX_REQUIRE_PRODUCTION and _REFUSE_DEBUG");
    }
    if (evidence_size < CCBOX_REPORT_SIZE)
        return oe_ccbox_fail(OE_INCORRECT_REPORT_SIZE, who, "local attestation evidence is shorter than a REPORT");
    /* The evidence may be in host memory: copy before checking, so that what is checked is what
     * is used. */
    uint8_t* copy = (uint8_t*)malloc(evidence_size);
    if (!copy)
        return OE_OUT_OF_MEMORY;
    memcpy(copy, evidence, evidence_size);
    ccbox_report_identity_t id;
    oe_result_t r = ccbox_verify_report(copy, CCBOX_REPORT_SIZE, &id);
    if (r != OE_OK) {
        free(copy);
        return oe_ccbox_fail(r, who, "the REPORT was not made on this platform for this enclave");
    }
    const uint8_t* custom = copy + CCBOX_REPORT_SIZE;
    const size_t custom_size = evidence_size - CCBOX_REPORT_SIZE;
    uint8_t expected[CCBOX_REPORT_DATA_SIZE] = {0};
    if (custom_size && mbedtls_sha256_ret(custom, custom_size, expected, 0) != 0) {
        free(copy);
        return OE_CRYPTO_ERROR;
    }
    if (memcmp(id.report_data, expected, sizeof expected) != 0) {
        free(copy);
        return oe_ccbox_fail(OE_QUOTE_HASH_MISMATCH, who, "REPORTDATA does not bind the custom claims");
    }
    for (size_t i = 0; i < policies_size; ++i)
        if (policies[i].type == OE_POLICY_CCBOX_REQUIRE_PRODUCTION && id.platform_mode != CCBOX_PLATFORM_MODE_PRODUCTION) {
            free(copy);
            return oe_ccbox_fail(OE_CONSTRAINT_FAILED, who,
                                 "policy_development_platform: the REPORT is a development platform's");
        }
    if (refuse_debug && id.debug) {
        free(copy);
        return oe_ccbox_fail(OE_DEBUG_DOWNGRADE, who, "policy_debug_enclave: the REPORT is a debug enclave's");
    }

    oe_claim_t* c = NULL;
    size_t n = 0;
    uint8_t u32[4], u64[8], u16[2], product[16] = {0}, b1[1];
    const char* mode = id.platform_mode == CCBOX_PLATFORM_MODE_PRODUCTION ? "production" : "development";
#define ADD(name, value, size)                                               \
    do {                                                                     \
        if (r == OE_OK)                                                      \
            r = oe_ccbox_add_claim(&c, &n, (name), (value), (size));         \
    } while (0)
    le(u32, 0, 4);
    ADD(OE_CLAIM_ID_VERSION, u32, 4);
    le(u32, id.security_version, 4);
    ADD(OE_CLAIM_SECURITY_VERSION, u32, 4);
    le(u64, id.debug ? OE_EVIDENCE_ATTRIBUTES_SGX_DEBUG : 0, 8); /* not _REMOTE: local evidence */
    ADD(OE_CLAIM_ATTRIBUTES, u64, 8);
    ADD(OE_CLAIM_UNIQUE_ID, id.unique_id, 32);
    ADD(OE_CLAIM_SIGNER_ID, id.signer_id, 32);
    le(product, id.product_id, 2);
    ADD(OE_CLAIM_PRODUCT_ID, product, 16);
    ADD(OE_CLAIM_FORMAT_UUID, k_local, 16);
    ADD(OE_CLAIM_SGX_REPORT_DATA, id.report_data, 64);
    ADD(OE_CLAIM_SGX_CPU_SVN, id.cpusvn, 16);
    ADD(OE_CLAIM_SGX_CONFIG_ID, id.config_id, 64);
    le(u16, id.config_svn, 2);
    ADD(OE_CLAIM_SGX_CONFIG_SVN, u16, 2);
    ADD(OE_CLAIM_SGX_ISV_FAMILY_ID, id.isv_family_id, 16);
    ADD(OE_CLAIM_SGX_ISV_EXTENDED_PRODUCT_ID, id.isv_ext_product_id, 16);
    b1[0] = (id.attributes & 0x4) ? 1 : 0; /* ATTRIBUTES.MODE64BIT */
    ADD("sgx_is_mode64bit", b1, 1);
    ADD(OE_CLAIM_CCBOX_PLATFORM_MODE, mode, strlen(mode) + 1);
    ADD(OE_CLAIM_CCBOX_TRUSTED_ROOT, "platform", sizeof "platform");
    if (custom_size)
        ADD(OE_CLAIM_CUSTOM_CLAIMS_BUFFER, custom, custom_size);
#undef ADD
    free(copy);
    if (r != OE_OK) {
        oe_free_claims(c, n);
        return r;
    }
    *claims = c;
    *claims_length = n;
    return OE_OK;
}
