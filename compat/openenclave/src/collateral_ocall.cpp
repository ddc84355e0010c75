// The host's side of oe_ccbox_get_collateral_ocall (openenclave/edl/sgx/attestation.edl): the
// host's collateral and roots (oe_ccbox_host_collateral, verifier_host.cpp). An object of its own
// in libccbox_oehost.a, so that a host may answer the OCALL itself (tests/compat/attestation's
// lying host does); the enclave believes nothing of the answer but bytes to verify.
#include "attest_internal.h"

extern "C" int oe_ccbox_get_collateral_ocall(uint8_t* collateral, size_t collateral_size, size_t* collateral_needed,
                                             uint8_t* roots, size_t roots_size, size_t* roots_needed) {
    return oe_ccbox_host_collateral(collateral, collateral_size, collateral_needed, roots, roots_size, roots_needed);
}
