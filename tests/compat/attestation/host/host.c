/* The host side of the OE attestation test (tests/compat/oe_attest.sh): OE's attestation API
 * on ccbox, used as OE applications use it and attacked as a host can attack it: changed bytes
 * in reports, quotes, custom claims, endorsements and certificates; evidence of the wrong
 * format; a report for another enclave; a development platform's evidence under a production
 * policy; a certificate whose key the evidence does not bind. Each must be refused with its
 * own oe_result_t. Usage: oe_attest_host ENCLAVE_A ENCLAVE_B ROOT_CA_PEM. Exit 0: all passed. */
#define _GNU_SOURCE
#include <openenclave/attestation/custom_claims.h>
#include <openenclave/attestation/sgx/evidence.h>
#include <openenclave/attestation/sgx/report.h>
#include <openenclave/attestation/verifier.h>
#include <openenclave/host.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oe_attest_u.h"

size_t forge_rekeyed_certificate(const unsigned char* der, size_t size, unsigned char** out);
char* public_key_pem(const char* path, int other_key);
/* libccbox_oehost.a's answer to the enclave's collateral OCALL: what the host has. */
int oe_ccbox_get_collateral_ocall(uint8_t* collateral, size_t collateral_size, size_t* collateral_needed,
                                  uint8_t* roots, size_t roots_size, size_t* roots_needed);

static int failures;
#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            ++failures;                                                              \
        }                                                                            \
    } while (0)
/* An ECALL that must return `want` (an oe_result_t). */
#define EXPECT(want, call)                                                                                 \
    do {                                                                                                   \
        int ret_ = -1;                                                                                     \
        oe_result_t r_ = (call);                                                                           \
        if (r_ != OE_OK || ret_ != (int)(want)) {                                                          \
            fprintf(stderr, "%s:%d: %s: got %s (ECALL %s), want %s\n", __FILE__, __LINE__, #call,         \
                    oe_result_str((oe_result_t)ret_), oe_result_str(r_), oe_result_str(want));            \
            ++failures;                                                                                    \
        }                                                                                                  \
    } while (0)
#define RET &ret_

static const oe_uuid_t k_ecdsa = {OE_FORMAT_UUID_SGX_ECDSA};
static const oe_uuid_t k_local = {OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION};

static const oe_claim_t* find(const oe_claim_t* claims, size_t n, const char* name)
{
    for (size_t i = 0; i < n; ++i)
        if (strcmp(claims[i].name, name) == 0)
            return &claims[i];
    return NULL;
}

static int claim_is(const oe_claim_t* claims, size_t n, const char* name, const char* text)
{
    const oe_claim_t* c = find(claims, n, name);
    return c && c->value_size == strlen(text) + 1 && memcmp(c->value, text, c->value_size) == 0;
}

static oe_result_t host_verify(const oe_uuid_t* format, const uint8_t* e, size_t n, const uint8_t* endorsements,
                               size_t endorsements_size, const oe_policy_t* p, size_t np, const uint8_t* unique_id,
                               const char* root)
{
    oe_claim_t* claims = NULL;
    size_t length = 0;
    oe_result_t r = oe_verify_evidence(format, e, n, endorsements, endorsements_size, p, np, &claims, &length);
    if (r == OE_OK) {
        const oe_claim_t* id = find(claims, length, OE_CLAIM_UNIQUE_ID);
        CHECK(id && id->value_size == 32 && memcmp(id->value, unique_id, 32) == 0);
        CHECK(claim_is(claims, length, OE_CLAIM_CCBOX_TRUSTED_ROOT, root));
        CHECK(claim_is(claims, length, OE_CLAIM_CCBOX_PLATFORM_MODE, "development"));
        const oe_claim_t* attributes = find(claims, length, OE_CLAIM_ATTRIBUTES);
        CHECK(attributes && attributes->value_size == 8 && (attributes->value[0] & 3) == 3); /* debug, remote */
    }
    oe_free_claims(claims, length);
    return r;
}

static char* read_text(const char* path)
{
    FILE* f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    return text;
}

static void check_custom_claims(void)
{
    char n1[] = "a", n2[] = "bb";
    uint8_t v1[] = {1, 2, 3};
    oe_claim_t in[2] = {{n1, v1, 3}, {n2, NULL, 0}};
    uint8_t* buf = NULL;
    size_t size = 0;
    CHECK(oe_serialize_custom_claims(in, 2, &buf, &size) == OE_OK);
    CHECK(size == 16 + 16 + 2 + 3 + 16 + 3); /* OE's layout */
    oe_claim_t* out = NULL;
    size_t out_n = 0;
    CHECK(oe_deserialize_custom_claims(buf, size, &out, &out_n) == OE_OK && out_n == 2 &&
          strcmp(out[1].name, "bb") == 0 && out[0].value_size == 3 && memcmp(out[0].value, v1, 3) == 0);
    oe_free_custom_claims(out, out_n);
    uint8_t bad[256];
    /* A trailing byte, a claim count larger than the buffer, a name without its NUL, a value
     * size running past the end (and one that would wrap), another version. */
    const struct {
        size_t offset;
        uint8_t value;
        int grow;
    } edits[] = {{0, 0, 1}, {8, 0xff, 0}, {16 + 16 + 1, 'x', 0}, {24, 0xff, 0}, {31, 0xff, 0}, {0, 2, 0}};
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; ++i) {
        memcpy(bad, buf, size);
        size_t n = size + (size_t)edits[i].grow;
        if (!edits[i].grow)
            bad[edits[i].offset] = edits[i].value;
        out = NULL;
        out_n = 0;
        oe_result_t r = oe_deserialize_custom_claims(bad, n, &out, &out_n);
        if (r != OE_INVALID_PARAMETER || out || out_n) {
            fprintf(stderr, "custom claims edit %zu: %s\n", i, oe_result_str(r));
            ++failures;
        }
    }
    oe_free_serialized_custom_claims(buf);
}

/* The platform provisioned under a production PKI whose collateral and root the host's
 * CCBOX_OE_COLLATERAL / CCBOX_OE_TRUSTED_ROOTS name (oe_attest.sh, as root): the quote is a
 * production platform's. The host's own verification says so; an enclave given that root by
 * the host must not believe it (the host chose it: it could be the host's own PKI), and only a
 * root the enclave pins makes its verdict production. */
static void check_production(oe_enclave_t* a, oe_enclave_t* b, const char* roots)
{
    static uint8_t remote[65536];
    size_t remote_size = 0;
    char summary[1024];
    EXPECT(OE_OK, make_evidence(b, RET, 0, NULL, 0, "production", 0, remote, sizeof remote, &remote_size));
    oe_claim_t* claims = NULL;
    size_t length = 0;
    oe_policy_t production = {OE_POLICY_CCBOX_REQUIRE_PRODUCTION, NULL, 0};
    CHECK(oe_verify_evidence(&k_ecdsa, remote, remote_size, NULL, 0, &production, 1, &claims, &length) == OE_OK);
    CHECK(claim_is(claims, length, OE_CLAIM_CCBOX_PLATFORM_MODE, "production"));
    CHECK(claim_is(claims, length, OE_CLAIM_CCBOX_TRUSTED_ROOT, "local"));
    oe_free_claims(claims, length);
    EXPECT(OE_OK, verify(a, RET, 0, remote, remote_size, 0, "", summary, sizeof summary));
    CHECK(strstr(summary, " mode=development root=host ") != NULL);
    EXPECT(OE_CONSTRAINT_FAILED, verify(a, RET, 0, remote, remote_size, 1, "", summary, sizeof summary));
    EXPECT(OE_OK, verify(a, RET, 0, remote, remote_size, 1 | 4, roots, summary, sizeof summary));
    CHECK(strstr(summary, " mode=production root=policy ") != NULL);
    /* an attestation certificate: the same */
    static uint8_t cert[65536];
    size_t cert_size = 0;
    EXPECT(OE_OK, make_certificate(b, RET, cert, sizeof cert, &cert_size));
    EXPECT(OE_OK, verify_certificate(a, RET, cert, cert_size)); /* checks root=host, development */
}

static int write_file(const char* dir, const char* name, const void* data, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE* f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, size, f) == size;
    if (f)
        ok = fclose(f) == 0 && ok;
    return ok;
}

/* What OE's `oeutil generate-evidence` makes for OE's host_verify sample, from B: SGX ECDSA
 * evidence, its endorsements (the host's collateral) and an attestation certificate. */
static int export_evidence(oe_enclave_t* b, const char* dir)
{
    static uint8_t evidence[65536], cert[65536], collateral[1 << 20], roots[1 << 16];
    size_t evidence_size = 0, cert_size = 0, collateral_size = 0, roots_size = 0;
    EXPECT(OE_OK, make_evidence(b, RET, 0, NULL, 0, "host_verify", 0, evidence, sizeof evidence, &evidence_size));
    EXPECT(OE_OK, make_certificate(b, RET, cert, sizeof cert, &cert_size));
    CHECK(oe_ccbox_get_collateral_ocall(collateral, sizeof collateral, &collateral_size, roots, sizeof roots,
                                        &roots_size) == OE_OK);
    CHECK(write_file(dir, "sgx_evidence.bin", evidence, evidence_size));
    CHECK(write_file(dir, "sgx_endorsements.bin", collateral, collateral_size));
    CHECK(write_file(dir, "sgx_cert_ec.der", cert, cert_size));
    return failures ? 1 : 0;
}

int main(int argc, char** argv)
{
    if (argc == 4 && strcmp(argv[2], "--export") == 0) {
        /* oe_attest_host ENCLAVE_B --export DIR */
        uint32_t f = OE_ENCLAVE_FLAG_DEBUG | (getenv("OE_ATTEST_SIMULATE") ? OE_ENCLAVE_FLAG_SIMULATE : 0);
        oe_enclave_t* b = NULL;
        if (oe_create_oe_attest_enclave(argv[1], OE_ENCLAVE_TYPE_AUTO, f, NULL, 0, &b) != OE_OK)
            return 1;
        int r = export_evidence(b, argv[3]);
        oe_terminate_enclave(b);
        return r;
    }
    if (argc != 4 && !(argc == 5 && strcmp(argv[4], "production") == 0)) {
        fprintf(stderr, "usage: %s ENCLAVE_A ENCLAVE_B ROOT_CA_PEM [production]\n"
                        "       %s ENCLAVE_B --export DIR\n", argv[0], argv[0]);
        return 2;
    }
    uint32_t flags = OE_ENCLAVE_FLAG_DEBUG;
    const int simulate = getenv("OE_ATTEST_SIMULATE") != NULL;
    if (simulate)
        flags |= OE_ENCLAVE_FLAG_SIMULATE;
    oe_enclave_t *a = NULL, *b = NULL;
    if (oe_create_oe_attest_enclave(argv[1], OE_ENCLAVE_TYPE_AUTO, flags, NULL, 0, &a) != OE_OK ||
        oe_create_oe_attest_enclave(argv[2], OE_ENCLAVE_TYPE_AUTO, flags, NULL, 0, &b) != OE_OK) {
        fprintf(stderr, "cannot create the enclaves\n");
        return 1;
    }
    if (argc == 5) {
        const char* roots = read_text(argv[3]);
        CHECK(roots != NULL);
        if (roots)
            check_production(a, b, roots);
        oe_terminate_enclave(a);
        oe_terminate_enclave(b);
        if (failures) {
            fprintf(stderr, "%d check(s) failed\n", failures);
            return 1;
        }
        printf("oe_attest: all checks passed\n");
        return 0;
    }
    check_custom_claims();

    uint8_t id_a[32], id_b[32];
    EXPECT(OE_OK, own_identity(a, RET, id_a));
    EXPECT(OE_OK, own_identity(b, RET, id_b));
    CHECK(memcmp(id_a, id_b, 32) != 0);
    char id_b_hex[65];
    for (int i = 0; i < 32; ++i)
        sprintf(id_b_hex + 2 * i, "%02x", id_b[i]);

    /* ---- local attestation: B's evidence for A ---- */
    uint8_t ti_a[512], ti_b[512];
    size_t n = 0;
    EXPECT(OE_OK, format_settings(a, RET, 1, ti_a, sizeof ti_a, &n));
    CHECK(n == 512);
    EXPECT(OE_OK, format_settings(b, RET, 1, ti_b, sizeof ti_b, &n));
    static uint8_t local[8192], remote[65536], scratch[65536];
    size_t local_size = 0, remote_size = 0;
    char summary[1024], want[1024];
    EXPECT(OE_OK, make_evidence(b, RET, 1, ti_a, sizeof ti_a, "local-nonce", 0, local, sizeof local, &local_size));
    EXPECT(OE_OK, verify(a, RET, 1, local, local_size, 0, "", summary, sizeof summary));
    /* The local mode is the platform's own word (its CPUSVN): the sim backend's is always a
     * development platform; the isolated backend's is production only when ccboxd runs as root. */
    const int local_production = strstr(summary, " mode=production ") != NULL;
    CHECK(!(simulate && local_production));
    snprintf(want, sizeof want,
             "unique_id=%s mode=%s root=platform nonce=local-nonce security_version=3 product_id=7", id_b_hex,
             local_production ? "production" : "development");
    if (strcmp(summary, want) != 0) {
        fprintf(stderr, "local claims: %s\n  want %s\n", summary, want);
        ++failures;
    }
    /* a report for another enclave (B's own TARGETINFO) is not A's to accept */
    EXPECT(OE_OK, make_evidence(b, RET, 1, ti_b, sizeof ti_b, "n", 0, scratch, sizeof scratch, &n));
    EXPECT(OE_VERIFY_FAILED_AES_CMAC_MISMATCH, verify(a, RET, 1, scratch, n, 0, "", summary, sizeof summary));
    /* a changed byte of the REPORT (MRENCLAVE), of the custom claims */
    memcpy(scratch, local, local_size);
    scratch[64] ^= 1;
    EXPECT(OE_VERIFY_FAILED_AES_CMAC_MISMATCH, verify(a, RET, 1, scratch, local_size, 0, "", summary, sizeof summary));
    memcpy(scratch, local, local_size);
    scratch[local_size - 2] ^= 1;
    EXPECT(OE_QUOTE_HASH_MISMATCH, verify(a, RET, 1, scratch, local_size, 0, "", summary, sizeof summary));
    /* a development platform's report under a production policy; a debug enclave's under refuse-debug */
    if (local_production)
        EXPECT(OE_OK, verify(a, RET, 1, local, local_size, 1, "", summary, sizeof summary));
    else
        EXPECT(OE_CONSTRAINT_FAILED, verify(a, RET, 1, local, local_size, 1, "", summary, sizeof summary));
    EXPECT(OE_DEBUG_DOWNGRADE, verify(a, RET, 1, local, local_size, 2, "", summary, sizeof summary));
    /* local evidence has no meaning on the host; nor as a quote; an unknown format id */
    CHECK(host_verify(&k_local, local, local_size, NULL, 0, NULL, 0, id_b, "") == OE_UNSUPPORTED);
    EXPECT(OE_NOT_FOUND, verify(a, RET, 2, local, local_size, 0, "", summary, sizeof summary));
    /* local evidence without a TARGETINFO */
    EXPECT(OE_INVALID_PARAMETER, make_evidence(b, RET, 1, NULL, 0, "n", 0, scratch, sizeof scratch, &n));

    /* ---- remote attestation: B's quote ---- */
    EXPECT(OE_OK, make_evidence(b, RET, 0, NULL, 0, "remote-nonce", 0, remote, sizeof remote, &remote_size));
    const char* roots = read_text(argv[3]);
    CHECK(roots != NULL);
    if (!roots)
        roots = "";
    /* on the host, under the local platform's PKI */
    CHECK(host_verify(&k_ecdsa, remote, remote_size, NULL, 0, NULL, 0, id_b, "local") == OE_OK);
    /* inside A, under the root the host supplied: development, says so */
    EXPECT(OE_OK, verify(a, RET, 0, remote, remote_size, 0, "", summary, sizeof summary));
    snprintf(want, sizeof want,
             "unique_id=%s mode=development root=host nonce=remote-nonce security_version=3 product_id=7", id_b_hex);
    if (strcmp(summary, want) != 0) {
        fprintf(stderr, "remote claims: %s\n  want %s\n", summary, want);
        ++failures;
    }
    /* inside A, under a root A pins itself */
    EXPECT(OE_OK, verify(a, RET, 0, remote, remote_size, 4, roots, summary, sizeof summary));
    CHECK(strstr(summary, " root=policy ") != NULL);
    /* a development platform's quote as production: refused with the host's root, with A's own
     * pinned (development) root, and on the host */
    EXPECT(OE_CONSTRAINT_FAILED, verify(a, RET, 0, remote, remote_size, 1, "", summary, sizeof summary));
    EXPECT(OE_CONSTRAINT_FAILED, verify(a, RET, 0, remote, remote_size, 1 | 4, roots, summary, sizeof summary));
    oe_policy_t production = {OE_POLICY_CCBOX_REQUIRE_PRODUCTION, NULL, 0};
    CHECK(host_verify(&k_ecdsa, remote, remote_size, NULL, 0, &production, 1, id_b, "local") == OE_CONSTRAINT_FAILED);
    EXPECT(OE_DEBUG_DOWNGRADE, verify(a, RET, 0, remote, remote_size, 2, "", summary, sizeof summary));
    /* a changed byte of the quote's report body (MRENCLAVE), of the custom claims */
    memcpy(scratch, remote, remote_size);
    scratch[48 + 64] ^= 1;
    CHECK(host_verify(&k_ecdsa, scratch, remote_size, NULL, 0, NULL, 0, id_b, "local") == OE_QUOTE_VERIFICATION_ERROR);
    EXPECT(OE_QUOTE_VERIFICATION_ERROR, verify(a, RET, 0, scratch, remote_size, 0, "", summary, sizeof summary));
    memcpy(scratch, remote, remote_size);
    scratch[remote_size - 2] ^= 1;
    CHECK(host_verify(&k_ecdsa, scratch, remote_size, NULL, 0, NULL, 0, id_b, "local") == OE_QUOTE_HASH_MISMATCH);
    EXPECT(OE_QUOTE_HASH_MISMATCH, verify(a, RET, 0, scratch, remote_size, 0, "", summary, sizeof summary));
    /* local evidence as a quote; a truncated quote; the quote as local evidence */
    CHECK(host_verify(&k_ecdsa, local, local_size, NULL, 0, NULL, 0, id_b, "") == OE_UNSUPPORTED); /* version */
    CHECK(host_verify(&k_ecdsa, remote, 600, NULL, 0, NULL, 0, id_b, "local") == OE_REPORT_PARSE_ERROR);
    {
        int ret_ = -1;
        CHECK(verify(a, &ret_, 1, remote, remote_size, 0, "", summary, sizeof summary) == OE_OK && ret_ != OE_OK);
    }
    /* the format id embedded; then changed */
    EXPECT(OE_OK, make_evidence(b, RET, 0, NULL, 0, "embedded", OE_EVIDENCE_FLAGS_EMBED_FORMAT_ID, scratch,
                                sizeof scratch, &n));
    CHECK(n == remote_size - strlen("remote-nonce") + strlen("embedded") + 16 && memcmp(scratch, k_ecdsa.b, 16) == 0);
    CHECK(host_verify(NULL, scratch, n, NULL, 0, NULL, 0, id_b, "local") == OE_OK);
    EXPECT(OE_OK, verify(a, RET, 0, scratch, n, 8, "", summary, sizeof summary));
    memcpy(scratch, k_local.b, 16);
    CHECK(host_verify(NULL, scratch, n, NULL, 0, NULL, 0, id_b, "local") == OE_UNSUPPORTED);
    scratch[0] ^= 0x80;
    CHECK(host_verify(NULL, scratch, n, NULL, 0, NULL, 0, id_b, "local") == OE_NOT_FOUND);

    /* ---- endorsements: the host's collateral, given explicitly, then changed ---- */
    static uint8_t collateral[1 << 20], root_pem[1 << 16];
    size_t collateral_size = 0, root_size = 0;
    CHECK(oe_ccbox_get_collateral_ocall(collateral, sizeof collateral, &collateral_size, root_pem, sizeof root_pem,
                                        &root_size) == OE_OK);
    CHECK(host_verify(&k_ecdsa, remote, remote_size, collateral, collateral_size, NULL, 0, id_b, "local") == OE_OK);
    /* a changed byte of the QE Identity (its first field after the TCB Info's is
     * tcbEvaluationDataNumber), of the TCB Info (its pceId) */
    {
        static const struct {
            const char* field;
            oe_result_t want;
        } edits[] = {{"tcbEvaluationDataNumber", OE_INVALID_QE_IDENTITY_INFO}, {"pceId", OE_INVALID_ENDORSEMENT}};
        for (size_t i = 0; i < 2; ++i) {
            static uint8_t changed[1 << 20];
            memcpy(changed, collateral, collateral_size);
            uint8_t* at = memmem(changed, collateral_size, edits[i].field, strlen(edits[i].field));
            CHECK(at != NULL);
            if (!at)
                continue;
            uint8_t* digit = at + strlen(edits[i].field);
            while (digit < changed + collateral_size && (*digit < '0' || *digit > '9'))
                ++digit;
            *digit = *digit == '9' ? '8' : (uint8_t)(*digit + 1);
            oe_result_t r = host_verify(&k_ecdsa, remote, remote_size, changed, collateral_size, NULL, 0, id_b, "local");
            if (r != edits[i].want) {
                fprintf(stderr, "changed %s: %s, want %s\n", edits[i].field, oe_result_str(r),
                        oe_result_str(edits[i].want));
                ++failures;
            }
        }
    }
    /* policies: OE's that have no ccbox meaning; a time after the collateral's window; a bad time */
    oe_policy_t baseline = {OE_POLICY_ENDORSEMENTS_BASELINE, (void*)"x", 1};
    CHECK(host_verify(&k_ecdsa, remote, remote_size, NULL, 0, &baseline, 1, id_b, "local") == OE_UNSUPPORTED);
    oe_datetime_t later = {2100, 1, 1, 0, 0, 0}, bad = {2026, 13, 1, 0, 0, 0};
    oe_policy_t at_time = {OE_POLICY_ENDORSEMENTS_TIME, &later, sizeof later};
    CHECK(host_verify(&k_ecdsa, remote, remote_size, NULL, 0, &at_time, 1, id_b, "local") ==
          OE_VERIFY_FAILED_TO_FIND_VALIDITY_PERIOD);
    at_time.policy = &bad;
    CHECK(host_verify(&k_ecdsa, remote, remote_size, NULL, 0, &at_time, 1, id_b, "local") == OE_INVALID_UTC_DATE_TIME);

    /* ---- attestation certificates ---- */
    static uint8_t cert[65536];
    size_t cert_size = 0;
    EXPECT(OE_OK, make_certificate(b, RET, cert, sizeof cert, &cert_size));
    oe_claim_t* claims = NULL;
    size_t length = 0;
    CHECK(oe_verify_attestation_certificate_with_evidence_v2(cert, cert_size, NULL, 0, NULL, 0, &claims, &length) ==
          OE_OK);
    const oe_claim_t* cid = find(claims, length, OE_CLAIM_UNIQUE_ID);
    CHECK(cid && cid->value_size == 32 && memcmp(cid->value, id_b, 32) == 0);
    CHECK(claim_is(claims, length, OE_CLAIM_CCBOX_TRUSTED_ROOT, "local"));
    /* the signer id OE's samples compute from the signing key's public half */
    {
        char* pem = public_key_pem("private.pem", 0);
        uint8_t signer[32];
        size_t signer_size = sizeof signer;
        CHECK(pem && oe_sgx_get_signer_id_from_public_key(pem, strlen(pem) + 1, signer, &signer_size) == OE_OK &&
              signer_size == 32);
        const oe_claim_t* sid = find(claims, length, OE_CLAIM_SIGNER_ID);
        CHECK(sid && sid->value_size == 32 && memcmp(sid->value, signer, 32) == 0);
        signer_size = 16;
        CHECK(pem && oe_sgx_get_signer_id_from_public_key(pem, strlen(pem), signer, &signer_size) ==
                         OE_BUFFER_TOO_SMALL && signer_size == 32);
        free(pem);
        pem = public_key_pem(NULL, 1); /* RSA-2048, e = 65537: not an SGX signing key */
        CHECK(pem && oe_sgx_get_signer_id_from_public_key(pem, strlen(pem), signer, &signer_size) ==
                         OE_INVALID_PARAMETER);
        free(pem);
    }
    oe_free_claims(claims, length);
    EXPECT(OE_OK, verify_certificate(a, RET, cert, cert_size));
    /* the genuine evidence on the adversary's key */
    unsigned char* forged = NULL;
    size_t forged_size = forge_rekeyed_certificate(cert, cert_size, &forged);
    CHECK(forged_size > 0);
    claims = NULL;
    length = 0;
    CHECK(oe_verify_attestation_certificate_with_evidence_v2(forged, forged_size, NULL, 0, NULL, 0, &claims,
                                                             &length) == OE_QUOTE_HASH_MISMATCH &&
          !claims && !length);
    EXPECT(OE_QUOTE_HASH_MISMATCH, verify_certificate(a, RET, forged, forged_size));
    free(forged);
    /* a changed byte of the signed certificate (inside the evidence: B's MRENCLAVE) */
    uint8_t* mr = memmem(cert, cert_size, id_b, 32);
    CHECK(mr != NULL);
    if (mr) {
        mr[0] ^= 1;
        CHECK(oe_verify_attestation_certificate_with_evidence_v2(cert, cert_size, NULL, 0, NULL, 0, &claims,
                                                                 &length) == CCBOX_INVALID_SIGNATURE);
        EXPECT(CCBOX_INVALID_SIGNATURE, verify_certificate(a, RET, cert, cert_size));
    }

    /* keys by policy: UNIQUE differs between A and B, PRODUCT (one signer) does not */
    {
        static char pem_a[4096], pem_b[4096];
        EXPECT(0, check_keys(a, RET, OE_SEAL_POLICY_UNIQUE, pem_a, sizeof pem_a));
        EXPECT(0, check_keys(b, RET, OE_SEAL_POLICY_UNIQUE, pem_b, sizeof pem_b));
        CHECK(strcmp(pem_a, pem_b) != 0);
        EXPECT(0, check_keys(a, RET, OE_SEAL_POLICY_PRODUCT, pem_a, sizeof pem_a));
        EXPECT(0, check_keys(b, RET, OE_SEAL_POLICY_PRODUCT, pem_b, sizeof pem_b));
        CHECK(strcmp(pem_a, pem_b) == 0);
    }

    oe_terminate_enclave(a);
    oe_terminate_enclave(b);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("oe_attest: all checks passed\n");
    return 0;
}
