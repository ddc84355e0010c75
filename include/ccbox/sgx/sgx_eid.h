/* Intel SGX SDK source compatibility (docs/edl.md): an enclave is named by its ccbox handle.
 * Intel's sgx_enclave_id_t is a 64-bit number; ccbox's is the enclave pointer the generated
 * ECALL proxies take, so `sgx_status_t ret = ecall_f(eid, &retval, ...)` calls ccbox's proxy
 * unchanged. `sgx_enclave_id_t eid = 0;`, comparing, copying and passing it through an EDL
 * function as a value work as with Intel's; arithmetic on it does not compile. */
#ifndef CCBOX_SGX_EID_H
#define CCBOX_SGX_EID_H

typedef struct ccbox_enclave* sgx_enclave_id_t;

#endif /* CCBOX_SGX_EID_H */
