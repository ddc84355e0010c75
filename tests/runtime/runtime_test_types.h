/* Types shared by the runtime test enclave and its host. */
#ifndef RUNTIME_TEST_TYPES_H
#define RUNTIME_TEST_TYPES_H

/* rt_fault kinds */
enum {
    RT_FAULT_NULL = 0,
    RT_FAULT_ABORT = 1,
    RT_FAULT_RECURSION = 2,
    RT_FAULT_ASSERT = 3,
    RT_FAULT_ILLEGAL_INSTRUCTION = 4,
    RT_FAULT_SYSCALL = 5,
    RT_FAULT_PURE_VIRTUAL = 6,
    RT_FAULT_STACK_SMASH = 7
};

#endif
