/* setjmp and longjmp for enclave code. Trust domain: enclave (libc).
 * The buffer is glibc's jmp_buf (struct __jmp_buf_tag: __jmpbuf[8], then __mask_was_saved),
 * so programs compiled against the system headers work unchanged: the setjmp() and
 * sigsetjmp() macros call _setjmp and __sigsetjmp, the fortified longjmp is __longjmp_chk.
 * There are no signals in an enclave, so no signal mask is saved or restored.
 * __jmpbuf: rbx, rbp, r12, r13, r14, r15, rsp after the return, the return address.
 * As everywhere in this libc, the code has ccbox_libc_ names; the enclave build adds the
 * glibc names (host unit tests call the ccbox_libc_ ones). */

    .text

    .globl ccbox_libc_setjmp
    .type ccbox_libc_setjmp, @function
ccbox_libc_setjmp:
    movq %rbx, 0(%rdi)
    movq %rbp, 8(%rdi)
    movq %r12, 16(%rdi)
    movq %r13, 24(%rdi)
    movq %r14, 32(%rdi)
    movq %r15, 40(%rdi)
    leaq 8(%rsp), %rdx
    movq %rdx, 48(%rdi)
    movq (%rsp), %rdx
    movq %rdx, 56(%rdi)
    movl $0, 64(%rdi)
    xorl %eax, %eax
    ret
    .size ccbox_libc_setjmp, . - ccbox_libc_setjmp

    /* longjmp(env, value): setjmp returns `value` again, or 1 if it is 0. */
    .globl ccbox_libc_longjmp
    .type ccbox_libc_longjmp, @function
ccbox_libc_longjmp:
    movl %esi, %eax
    testl %eax, %eax
    jnz 1f
    movl $1, %eax
1:
    movq 0(%rdi), %rbx
    movq 8(%rdi), %rbp
    movq 16(%rdi), %r12
    movq 24(%rdi), %r13
    movq 32(%rdi), %r14
    movq 40(%rdi), %r15
    movq 48(%rdi), %rsp
    jmpq *56(%rdi)
    .size ccbox_libc_longjmp, . - ccbox_libc_longjmp

#ifdef CCBOX_ENCLAVE_LIBC
    .globl setjmp, _setjmp, __sigsetjmp, longjmp, _longjmp, siglongjmp, __longjmp_chk
    .type setjmp, @function
    .type _setjmp, @function
    .type __sigsetjmp, @function
    .type longjmp, @function
    .type _longjmp, @function
    .type siglongjmp, @function
    .type __longjmp_chk, @function
    .set setjmp, ccbox_libc_setjmp
    .set _setjmp, ccbox_libc_setjmp
    .set __sigsetjmp, ccbox_libc_setjmp
    .set longjmp, ccbox_libc_longjmp
    .set _longjmp, ccbox_libc_longjmp
    .set siglongjmp, ccbox_libc_longjmp
    .set __longjmp_chk, ccbox_libc_longjmp
#endif

    .section .note.GNU-stack, "", @progbits
