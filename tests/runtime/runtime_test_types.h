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
    RT_FAULT_STACK_SMASH = 7,
    RT_FAULT_WRITE_RODATA = 8,    /* page permissions: .rodata is read-only */
    RT_FAULT_EXECUTE_HEAP = 9,    /* the heap is not executable */
    RT_FAULT_EXECUTE_STACK = 10,  /* nor is the stack */
    RT_FAULT_WRITE_TEXT = 11,     /* .text is not writable */
    RT_FAULT_STACK_GUARD = 12     /* a frame just below the stack hits the guard pages */
};

#endif
