/* Seal policies (Open Enclave's OE_SEAL_POLICY_*), shared by host and enclave.
 * Trust domain: public. */
#ifndef CCBOX_BITS_SEAL_H
#define CCBOX_BITS_SEAL_H

typedef enum ccbox_seal_policy {
    CCBOX_SEAL_POLICY_UNIQUE = 1,  /* bound to MRENCLAVE: only this exact enclave */
    CCBOX_SEAL_POLICY_PRODUCT = 2, /* bound to MRSIGNER and ISVPRODID: this or later versions */
} ccbox_seal_policy_t;

#endif /* CCBOX_BITS_SEAL_H */
