/* A host that lies to its enclave's collateral OCALL (tests/compat/oe_attest.sh): about the
 * sizes, with endless "too small", with garbage for collateral, with a root of its own. The
 * enclave's oe_verify_evidence must refuse each with its own oe_result_t, keep running, and
 * verify with the next honest answer; a root the enclave pins makes the host's root irrelevant.
 * Usage: oe_attest_liar ENCLAVE_A ENCLAVE_B ROOT_CA_PEM. Exit 0: all passed. */
#include <openenclave/host.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oe_attest_u.h"

char* adversary_root_pem(void);
/* libccbox_oehost.a's honest answer (what oe_ccbox_get_collateral_ocall returns by default). */
int oe_ccbox_host_collateral(uint8_t* collateral, size_t collateral_size, size_t* collateral_needed, uint8_t* roots,
                             size_t roots_size, size_t* roots_needed);

enum lie { HONEST, SIZES_PAST_THE_BUFFERS, HUGE, ALWAYS_TOO_SMALL, GARBAGE, OWN_ROOT, FAILS };
static enum lie lie;
static char* own_root;

/* This host's answer to the OCALL: it replaces libccbox_oehost.a's (an object of its own there). */
int oe_ccbox_get_collateral_ocall(uint8_t* collateral, size_t collateral_size, size_t* collateral_needed,
                                  uint8_t* roots, size_t roots_size, size_t* roots_needed)
{
    int r = oe_ccbox_host_collateral(collateral, collateral_size, collateral_needed, roots, roots_size, roots_needed);
    switch (lie) {
    case HONEST: return r;
    case SIZES_PAST_THE_BUFFERS:
        *collateral_needed = collateral_size + 4096;
        *roots_needed = roots_size + 1;
        return OE_OK;
    case HUGE:
        *collateral_needed = (size_t)1 << 31;
        return OE_BUFFER_TOO_SMALL;
    case ALWAYS_TOO_SMALL:
        *collateral_needed = collateral_size + 1;
        return OE_BUFFER_TOO_SMALL;
    case GARBAGE:
        if (r == OE_OK)
            memset(collateral, '{', *collateral_needed);
        return r;
    case OWN_ROOT: {
        size_t n = strlen(own_root);
        if (r != OE_OK || n > roots_size)
            return OE_BUFFER_TOO_SMALL;
        memcpy(roots, own_root, n);
        *roots_needed = n;
        return OE_OK;
    }
    case FAILS: return OE_SERVICE_UNAVAILABLE;
    }
    return r;
}

static int failures;

static void expect(oe_enclave_t* a, const uint8_t* e, size_t n, int policies, const char* roots, oe_result_t want,
                   const char* what)
{
    char summary[1024];
    int ret = -1;
    oe_result_t r = verify(a, &ret, 0, e, n, policies, roots, summary, sizeof summary);
    if (r != OE_OK || ret != (int)want) {
        fprintf(stderr, "%s: got %s (ECALL %s), want %s\n", what, oe_result_str((oe_result_t)ret), oe_result_str(r),
                oe_result_str(want));
        ++failures;
    }
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

int main(int argc, char** argv)
{
    if (argc != 4)
        return 2;
    uint32_t flags = OE_ENCLAVE_FLAG_DEBUG | (getenv("OE_ATTEST_SIMULATE") ? OE_ENCLAVE_FLAG_SIMULATE : 0);
    oe_enclave_t *a = NULL, *b = NULL;
    if (oe_create_oe_attest_enclave(argv[1], OE_ENCLAVE_TYPE_AUTO, flags, NULL, 0, &a) != OE_OK ||
        oe_create_oe_attest_enclave(argv[2], OE_ENCLAVE_TYPE_AUTO, flags, NULL, 0, &b) != OE_OK)
        return 1;
    own_root = adversary_root_pem();
    static uint8_t evidence[65536];
    size_t n = 0;
    int ret = -1;
    if (!own_root || make_evidence(b, &ret, 0, NULL, 0, "liar", 0, evidence, sizeof evidence, &n) != OE_OK || ret) {
        fprintf(stderr, "setup failed\n");
        return 1;
    }
    const char* roots = read_text(argv[3]);
    if (!roots)
        return 1;
    lie = SIZES_PAST_THE_BUFFERS;
    expect(a, evidence, n, 0, "", OE_UNEXPECTED, "sizes past the buffers");
    lie = HUGE;
    expect(a, evidence, n, 0, "", OE_UNEXPECTED, "2 GiB of collateral");
    lie = ALWAYS_TOO_SMALL;
    expect(a, evidence, n, 0, "", OE_UNEXPECTED, "always too small");
    lie = GARBAGE;
    expect(a, evidence, n, 0, "", OE_JSON_INFO_PARSE_ERROR, "garbage collateral");
    lie = FAILS;
    expect(a, evidence, n, 0, "", OE_SERVICE_UNAVAILABLE, "no collateral");
    lie = OWN_ROOT;
    expect(a, evidence, n, 0, "", OE_VERIFY_FAILED, "the host's own root");
    /* the root the enclave pins: the host's root is not used */
    expect(a, evidence, n, 4, roots, OE_OK, "the host's own root, the enclave's pinned");
    lie = HONEST;
    expect(a, evidence, n, 0, "", OE_OK, "honest again");
    oe_terminate_enclave(a);
    oe_terminate_enclave(b);
    free(own_root);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("oe_attest_liar: all checks passed\n");
    return 0;
}
