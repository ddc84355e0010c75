#ifndef FEATURE_A_H
#define FEATURE_A_H
typedef struct { int a; double b; } feature_a_t;
#endif
