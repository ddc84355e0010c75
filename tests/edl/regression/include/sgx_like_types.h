/* Types of the Intel SGX SDK that the regression EDLs name, declared here so the generated
 * code compiles without the SDK. */
#ifndef SGX_LIKE_TYPES_H
#define SGX_LIKE_TYPES_H
#include <stdint.h>
typedef uint32_t sgx_status_t;
typedef uint32_t sgx_ra_context_t;
typedef struct { uint8_t gx[32]; uint8_t gy[32]; } sgx_ec256_public_t;
typedef struct { uint8_t body[512]; } sgx_ra_msg2_t;
typedef struct { uint8_t body[512]; } sgx_target_info_t;
typedef struct { uint8_t body[432]; } sgx_report_t;
typedef struct { uint8_t rand[16]; } sgx_quote_nonce_t;
typedef struct { uint8_t mac[16]; uint8_t quote[]; } sgx_ra_msg3_t;
typedef struct { uint8_t key[16]; } sgx_key_128bit_t;
#endif
