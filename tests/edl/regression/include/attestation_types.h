#ifndef ATTESTATION_TYPES_H
#define ATTESTATION_TYPES_H
#include <stddef.h>
#include <stdint.h>
typedef struct { uint8_t b[16]; } oe_uuid_like_t;
typedef struct { size_t size; uint8_t* buffer; } pem_key_t;
typedef struct { size_t size; uint8_t* buffer; } evidence_t;
#endif
