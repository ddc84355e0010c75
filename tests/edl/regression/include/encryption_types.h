#ifndef ENCRYPTION_TYPES_H
#define ENCRYPTION_TYPES_H
#include <stddef.h>
typedef struct {
    size_t file_data_size;
    unsigned char digest[32];
    unsigned char encrypted_key[32];
    unsigned char salt[16];
} encryption_header_t;
#endif
