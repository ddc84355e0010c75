/* Types the OE-style corpus EDLs include, as an OE application's header declares them. */
#ifndef CORPUS_OE_LIKE_H
#define CORPUS_OE_LIKE_H
#include <stddef.h>
#include <stdint.h>
#define IV_BYTES 16
#define SIGNATURE_BYTES 256
typedef struct { int v; } my_value_t;       /* by value and by pointer */
typedef my_value_t* my_value_ptr_t;         /* isptr */
typedef my_value_t my_value_array_t[3];     /* isary */
typedef struct {
    uint8_t* data;
    size_t size;
} message_t;
#endif
