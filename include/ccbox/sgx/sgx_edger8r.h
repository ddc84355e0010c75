/* Included by the X_args.h that `ccbox-edger8r --sgx-sdk` generates, as Intel's generated
 * headers include theirs: the SDK types an Intel-style EDL names without including a header. */
#ifndef CCBOX_SGX_EDGER8R_H
#define CCBOX_SGX_EDGER8R_H

#include "sgx_eid.h"
#include "sgx_error.h"

#endif /* CCBOX_SGX_EDGER8R_H */
