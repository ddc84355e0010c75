/* Declarations the grammar corpus EDLs include: a macro used as an array dimension, foreign
 * types returned by pointer. */
#ifndef CORPUS_GRAMMAR_TYPES_H
#define CORPUS_GRAMMAR_TYPES_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#define GRAMMAR_KEY_SIZE 32
typedef struct { int fd; } handle_t;
#endif
