#ifndef SEALING_TYPES_H
#define SEALING_TYPES_H
#include <stddef.h>
typedef struct { size_t total_size; unsigned char signature[32]; unsigned char payload[]; } sealed_data_t;
#endif
