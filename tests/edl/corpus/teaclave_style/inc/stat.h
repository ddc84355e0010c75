/* A Teaclave-style header of its own types, included by a path relative to the search path. */
#ifndef CORPUS_TEACLAVE_STAT_H
#define CORPUS_TEACLAVE_STAT_H
#include <stdint.h>
#include <sys/types.h>
struct stat64_t { uint64_t st_dev; uint64_t st_ino; uint64_t st_size; };
#endif
