/* Enclave entry and exit (EENTER/EEXIT in ccbox's model; docs/call-abi.md).
 * Trust domain: enclave. This object is always linked (it holds the entry point), so it
 * also reserves the .ccbox.sig section that `ccbox sign` fills. */
#include "enclave/core/asm_offsets.h"
#include "common/call_abi_codes.h"

    .section .ccbox.sig, "", @progbits
    .balign 8
    .zero 4096

    .text

/* ccbox_exit_t ccbox_enclave_entry(uint64_t td, uint64_t op, uint64_t arg, const ccbox_enclu_t* enclu)
 * Runs on the caller's stack only until it has saved the caller's context in the TD page;
 * everything else runs on the TCS's own stack. */
    .globl ccbox_enclave_entry
    .type ccbox_enclave_entry, @function
ccbox_enclave_entry:
    .cfi_startproc
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rdi, %rbx

    /* An aborted enclave is never resumed. */
    cmpb $0, ccbox_enclave_aborted(%rip)
    jne .Lreturn_aborted

    mov %rsp, TS_HOST_RSP(%rbx)

    /* First entry of this TCS: the stack-protector canary, then the TCB self pointers. */
    cmpq $0, TD_TCB_SELF(%rbx)
    jne 2f
    mov $64, %r8d
1:  rdrand %rax
    jc 3f
    pause
    dec %r8d
    jnz 1b
    jmp .Lreturn_aborted        /* no hardware randomness: refuse to run */
3:  mov %rax, TD_TCB_STACK_GUARD(%rbx)
    mov %rbx, TD_TCB_SELF(%rbx)
    mov %rbx, TD_TCB_SELF2(%rbx)
2:
    cmp $CCBOX_ENTER_ORET, %rsi
    je .Lresume_ocall

    /* The new frame goes below the innermost OCALL in progress, or at the top of the stack. */
    mov TS_OCALL_RSP(%rbx), %rax
    test %rax, %rax
    jnz 4f
    mov %rbx, %rax
    sub TD_LAYOUT_TD_OFFSET_IN_SPAN(%rbx), %rax
    add TD_LAYOUT_STACK_OFFSET_IN_SPAN(%rbx), %rax
    add TD_LAYOUT_STACK_SIZE(%rbx), %rax
4:  and $-16, %rax
    mov %rax, %rsp
    call ccbox_enclave_dispatch      /* rdi, rsi, rdx, rcx pass through; returns rax:rdx */
    jmp .Lexit_to_host

.Lresume_ocall:
    mov TS_OCALL_RSP(%rbx), %rax
    test %rax, %rax
    jz .Lrefuse
    mov %rax, %rsp
    pop TS_OCALL_RSP(%rbx)
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    xor %eax, %eax
    ret                              /* returns from ccbox_enclave_exit_ocall */

.Lrefuse:
    mov $CCBOX_EXIT_REFUSED, %eax
    xor %edx, %edx
    jmp .Lrestore_host
.Lreturn_aborted:
    mov $CCBOX_EXIT_ABORTED, %eax
    xor %edx, %edx
    jmp .Lrestore_host_from_frame

/* rax:rdx = exit; rbx = td */
.Lexit_to_host:
    xor %ecx, %ecx
    xor %esi, %esi
    xor %edi, %edi
    xor %r8d, %r8d
    xor %r9d, %r9d
    xor %r10d, %r10d
    xor %r11d, %r11d
    pxor %xmm0, %xmm0
    pxor %xmm1, %xmm1
    pxor %xmm2, %xmm2
    pxor %xmm3, %xmm3
    pxor %xmm4, %xmm4
    pxor %xmm5, %xmm5
    pxor %xmm6, %xmm6
    pxor %xmm7, %xmm7
    pxor %xmm8, %xmm8
    pxor %xmm9, %xmm9
    pxor %xmm10, %xmm10
    pxor %xmm11, %xmm11
    pxor %xmm12, %xmm12
    pxor %xmm13, %xmm13
    pxor %xmm14, %xmm14
    pxor %xmm15, %xmm15
.Lrestore_host:
    mov TS_HOST_RSP(%rbx), %rsp
.Lrestore_host_from_frame:
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret
    .cfi_endproc
    .size ccbox_enclave_entry, .-ccbox_enclave_entry

/* uint64_t ccbox_enclave_exit_ocall(uint64_t td, uint64_t code, uint64_t arg)
 * Saves the enclave context on the enclave stack and returns `code`/`arg` to the host from
 * the current entry; returns when the host enters again with CCBOX_ENTER_ORET. */
    .globl ccbox_enclave_exit_ocall
    .type ccbox_enclave_exit_ocall, @function
ccbox_enclave_exit_ocall:
    .cfi_startproc
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    push TS_OCALL_RSP(%rdi)
    mov %rsp, TS_OCALL_RSP(%rdi)
    mov %rdi, %rbx
    mov %rsi, %rax
    jmp .Lexit_to_host
    .cfi_endproc
    .size ccbox_enclave_exit_ocall, .-ccbox_enclave_exit_ocall

/* void ccbox_enclave_exit_aborted(uint64_t td): leaves for good, discarding the enclave stack. */
    .globl ccbox_enclave_exit_aborted
    .type ccbox_enclave_exit_aborted, @function
ccbox_enclave_exit_aborted:
    .cfi_startproc
    mov %rdi, %rbx
    mov $CCBOX_EXIT_ABORTED, %eax
    xor %edx, %edx
    jmp .Lexit_to_host
    .cfi_endproc
    .size ccbox_enclave_exit_aborted, .-ccbox_enclave_exit_aborted

    .section .note.GNU-stack, "", @progbits
