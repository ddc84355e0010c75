/* SDK-style types for the local and remote attestation corpus EDLs: the shapes an SGX SDK
 * application includes from the SDK (sgx_dh.h, sgx_key_exchange.h), declared here so that the
 * generated code compiles without the SDK. Sizes are arbitrary: the EDL compiler takes them on
 * trust from the header. */
#ifndef CORPUS_ATTESTATION_LIKE_H
#define CORPUS_ATTESTATION_LIKE_H
#include <stddef.h>
#include <stdint.h>
#include "sgx_error.h"
#include "sgx_eid.h"
typedef uint32_t sgx_ra_context_t;
typedef struct { uint8_t gx[32]; uint8_t gy[32]; } sgx_ec256_public_t;
typedef struct { uint8_t bytes[48]; } sgx_dh_msg1_t;
typedef struct { uint8_t bytes[64]; } sgx_dh_msg2_t;
typedef struct { uint8_t bytes[80]; } sgx_dh_msg3_t;
typedef struct { uint32_t session_id; uint8_t payload[64]; } secure_message_t;
typedef struct { uint8_t bytes[432]; } sgx_report_t;
typedef struct { uint8_t bytes[512]; } sgx_target_info_t;
typedef struct { uint8_t rand[16]; } sgx_quote_nonce_t;
typedef struct { uint8_t bytes[256]; } sgx_ra_msg2_t;
typedef struct { uint8_t mac[16]; uint8_t quote[1]; } sgx_ra_msg3_t;
typedef struct { uint8_t key[16]; } sgx_key_128bit_t;
typedef struct { uint8_t bytes[560]; } sgx_sealed_data_t;
#endif
