/* setjmp and longjmp for enclave code. Trust domain: enclave (libc).
 * The buffer is glibc's jmp_buf (struct __jmp_buf_tag: __jmpbuf[8], __mask_was_saved, then
 * the 128-byte __saved_mask), so programs compiled against the system headers work unchanged:
 * the setjmp() and sigsetjmp() macros call _setjmp and __sigsetjmp, the fortified longjmp is
 * __longjmp_chk. There are no signals in an enclave, so no signal mask is saved or restored.
 * __jmpbuf: rbx, rbp, r12, r13, r14, r15, rsp after the return, the return address.
 *
 * Hardening, as glibc's PTR_MANGLE does and a little more (docs/enclave-libc.md):
 *  - rbp, rsp and the return address are stored mangled: xor with the enclave's pointer
 *    guard, then rotated left by 17 bits. The guard is drawn from RDRAND once per enclave
 *    (jmp_guard.c), so a jmp_buf written by an overflow cannot name a chosen address.
 *  - A check word over the three mangled values, keyed with a second secret, sits in the
 *    unused __saved_mask (offset 72). longjmp recomputes it and aborts on a mismatch instead
 *    of jumping: a tampered jmp_buf never transfers control.
 *  - __longjmp_chk (what -D_FORTIFY_SOURCE=2 makes of longjmp) also aborts when the target
 *    stack pointer lies below the current one, i.e. in a frame that has already returned.
 * As everywhere in this libc, the code has ccbox_libc_ names; the enclave build adds the
 * glibc names (host unit tests call the ccbox_libc_ ones). */

#define JB_RBX 0
#define JB_RBP 8
#define JB_R12 16
#define JB_R13 24
#define JB_R14 32
#define JB_R15 40
#define JB_RSP 48
#define JB_PC 56
#define JB_MASK_WAS_SAVED 64
#define JB_CHECK 72

    .hidden ccbox_libc_jmp_guard
    .hidden ccbox_libc__jmp_guard_init
    .hidden ccbox_libc__jmp_fatal

/* reg = rol(reg ^ guard, 17) */
.macro MANGLE reg
    xorq ccbox_libc_jmp_guard(%rip), \reg
    rolq $17, \reg
.endm

/* reg = ror(reg, 17) ^ guard */
.macro DEMANGLE reg
    rorq $17, \reg
    xorq ccbox_libc_jmp_guard(%rip), \reg
.endm

/* out = keyed check word over the mangled bp, sp and pc (tmp is clobbered). */
.macro CHECK_WORD bp, sp, pc, out, tmp
    movq \sp, \out
    xorq ccbox_libc_jmp_guard+8(%rip), \out
    movabsq $0x9e3779b97f4a7c15, \tmp
    imulq \tmp, \out
    xorq \pc, \out
    rolq $29, \out
    imulq \tmp, \out
    xorq \bp, \out
    rolq $31, \out
    imulq \tmp, \out
    xorq ccbox_libc_jmp_guard+8(%rip), \out
.endm

    .text

    .globl ccbox_libc_setjmp
    .type ccbox_libc_setjmp, @function
ccbox_libc_setjmp:
    cmpq $0, ccbox_libc_jmp_guard(%rip)
    je 2f
1:
    movq %rbx, JB_RBX(%rdi)
    movq %r12, JB_R12(%rdi)
    movq %r13, JB_R13(%rdi)
    movq %r14, JB_R14(%rdi)
    movq %r15, JB_R15(%rdi)
    movq %rbp, %rax
    MANGLE %rax
    movq %rax, JB_RBP(%rdi)
    leaq 8(%rsp), %rdx
    MANGLE %rdx
    movq %rdx, JB_RSP(%rdi)
    movq (%rsp), %rsi
    MANGLE %rsi
    movq %rsi, JB_PC(%rdi)
    CHECK_WORD %rax, %rdx, %rsi, %rcx, %r8
    movq %rcx, JB_CHECK(%rdi)
    movl $0, JB_MASK_WAS_SAVED(%rdi)
    xorl %eax, %eax
    ret
2:  /* First use before the enclave's constructors ran: draw the guard now. */
    pushq %rdi
    call ccbox_libc__jmp_guard_init
    popq %rdi
    jmp 1b
    .size ccbox_libc_setjmp, . - ccbox_libc_setjmp

    /* Checks env (rdi) and leaves the demangled rbp in r8, rsp in r9, pc in r10. */
    .type jmp_unpack, @function
jmp_unpack:
    movq JB_RBP(%rdi), %r8
    movq JB_RSP(%rdi), %r9
    movq JB_PC(%rdi), %r10
    CHECK_WORD %r8, %r9, %r10, %rcx, %rdx
    cmpq JB_CHECK(%rdi), %rcx
    jne 3f
    DEMANGLE %r8
    DEMANGLE %r9
    DEMANGLE %r10
    ret
3:  movl $1, %edi /* tampered */
    andq $-16, %rsp
    call ccbox_libc__jmp_fatal
    ud2
    .size jmp_unpack, . - jmp_unpack

    /* longjmp(env, value): setjmp returns `value` again, or 1 if it is 0. */
    .globl ccbox_libc_longjmp
    .type ccbox_libc_longjmp, @function
ccbox_libc_longjmp:
    call jmp_unpack
    jmp 4f
    .size ccbox_libc_longjmp, . - ccbox_libc_longjmp

    .globl ccbox_libc___longjmp_chk
    .type ccbox_libc___longjmp_chk, @function
ccbox_libc___longjmp_chk:
    call jmp_unpack
    /* The target frame must be live: at or above the caller's stack pointer. */
    leaq 8(%rsp), %rax
    cmpq %rax, %r9
    jae 4f
    movl $2, %edi /* into a dead frame */
    andq $-16, %rsp
    call ccbox_libc__jmp_fatal
    ud2
4:
    movl %esi, %eax
    testl %eax, %eax
    jnz 5f
    movl $1, %eax
5:
    movq JB_RBX(%rdi), %rbx
    movq JB_R12(%rdi), %r12
    movq JB_R13(%rdi), %r13
    movq JB_R14(%rdi), %r14
    movq JB_R15(%rdi), %r15
    movq %r8, %rbp
    movq %r9, %rsp
    jmpq *%r10
    .size ccbox_libc___longjmp_chk, . - ccbox_libc___longjmp_chk

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
    .set __longjmp_chk, ccbox_libc___longjmp_chk
#endif

    .section .note.GNU-stack, "", @progbits
