/* Types the Intel-style corpus EDLs include, as an SGX SDK application's own header declares
 * them: a pointer typedef (for isptr), an array typedef (for isary) and SDK types from the SDK's
 * headers (here ccbox's Intel-compatible ones, include/ccbox/sgx). */
#ifndef CORPUS_SAMPLE_TYPES_H
#define CORPUS_SAMPLE_TYPES_H
#include <stdint.h>
#include "sgx_eid.h"
#include "sgx_error.h"
typedef uint8_t* bytes_t;      /* [isptr] */
typedef int32_t quartet_t[4];     /* [isary] */
#endif
