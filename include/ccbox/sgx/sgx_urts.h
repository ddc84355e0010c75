/* Intel SGX SDK source compatibility, host side (docs/edl.md). An enclave is created with the
 * generated ccbox_create_<X>_enclave(path, flags, NULL, 0, &eid), which binds the EDL's OCALL
 * table; Intel's sgx_create_enclave is not provided, because it cannot know which EDL's OCALLs
 * to bind (ccbox binds them at creation, Intel's runtime at each call). */
#ifndef CCBOX_SGX_URTS_H
#define CCBOX_SGX_URTS_H

#include <ccbox/host.h>

#include "sgx_edger8r.h"

static inline sgx_status_t sgx_destroy_enclave(sgx_enclave_id_t enclave_id) {
    return ccbox_terminate_enclave(enclave_id);
}

#endif /* CCBOX_SGX_URTS_H */
