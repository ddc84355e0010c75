/* The call ABI between the platform (the modeled CPU), the untrusted host runtime and the
 * trusted runtime. Trust domain: common; C so that entry.S and generated code can use it.
 * Described in docs/call-abi.md.
 *
 * Entering an enclave (EENTER in this model) is a call of the image's entry point on the
 * caller's stack, with the System V calling convention:
 *
 *     ccbox_exit_t entry(uint64_t td, uint64_t op, uint64_t arg, const ccbox_enclu_t* enclu)
 *
 *   td     base + TCS.OFSBASE of the TCS being entered (the FS base EENTER would load)
 *   op     CCBOX_ENTER_ECALL or CCBOX_ENTER_ORET
 *   arg    address of a ccbox_call_slot_t in untrusted memory
 *   enclu  the platform's leaf functions (EGETKEY, EREPORT, ...), trusted
 *
 * The entry code switches to the TCS's own stack at once. The call returns (EEXIT) with
 * {code, arg}: CCBOX_EXIT_RETURN when the ECALL finished, CCBOX_EXIT_OCALL when the enclave
 * asks the host to run an OCALL described by the slot at `arg` (the host answers by
 * entering again with CCBOX_ENTER_ORET), or CCBOX_EXIT_ABORTED once the enclave has aborted.
 */
#ifndef CCBOX_COMMON_CALL_ABI_H
#define CCBOX_COMMON_CALL_ABI_H

#include <ccbox/result.h>

#include "common/call_abi_codes.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif


typedef struct ccbox_exit {
    uint64_t code; /* CCBOX_EXIT_* */
    uint64_t arg;  /* for CCBOX_EXIT_OCALL: address of the OCALL's call slot */
} ccbox_exit_t;

/* Function ids at or above this value name calls built into the runtimes, not the EDL. */
#define CCBOX_BUILTIN_CALL_BASE 0xffff0000u

/* ECALLs built into the trusted runtime. */
enum {
    CCBOX_ECALL_INIT = CCBOX_BUILTIN_CALL_BASE + 0,      /* input: ccbox_init_args_t */
    CCBOX_ECALL_TERMINATE = CCBOX_BUILTIN_CALL_BASE + 1, /* run destructors and atexit handlers */
    /* An enclave worker for switchless ECALLs: serves the queue until its `stop` is set.
     * input: ccbox_switchless_worker_args_t */
    CCBOX_ECALL_SWITCHLESS_WORKER = CCBOX_BUILTIN_CALL_BASE + 2,
};

/* OCALLs built into the host runtime. */
enum {
    CCBOX_OCALL_MALLOC = CCBOX_BUILTIN_CALL_BASE + 0,  /* in: u64 size        out: u64 pointer */
    CCBOX_OCALL_FREE = CCBOX_BUILTIN_CALL_BASE + 1,    /* in: u64 pointer */
    CCBOX_OCALL_REALLOC = CCBOX_BUILTIN_CALL_BASE + 2, /* in: u64 pointer, u64 size  out: u64 pointer */
    CCBOX_OCALL_WRITE = CCBOX_BUILTIN_CALL_BASE + 3,   /* in: u32 fd, bytes    out: u64 written */
    CCBOX_OCALL_CLOCK = CCBOX_BUILTIN_CALL_BASE + 4,   /* in: u32 clock id     out: i64 sec, i64 nsec */
    CCBOX_OCALL_SLEEP = CCBOX_BUILTIN_CALL_BASE + 5,   /* in: u64 nanoseconds */
    /* Remote attestation (docs/attestation.md): the host passes these to the platform's QE. */
    CCBOX_OCALL_QE_TARGET_INFO = CCBOX_BUILTIN_CALL_BASE + 6, /* out: TARGETINFO (512 B) */
    CCBOX_OCALL_GET_QUOTE = CCBOX_BUILTIN_CALL_BASE + 7,      /* in: REPORT (432 B)  out: quote */
    CCBOX_OCALL_SWITCHLESS = CCBOX_BUILTIN_CALL_BASE + 8, /* out: u64 queue, u64 slot count; NOT_FOUND: no workers */
    /* An idle enclave worker waits in the host until the ECALL queue's doorbell moves on from
     * the value it saw (or stop is set). in: u32 doorbell value seen */
    CCBOX_OCALL_SWITCHLESS_PARK = CCBOX_BUILTIN_CALL_BASE + 9,
};

/* Switchless OCALLs (docs/call-abi.md): a queue of slots in untrusted memory. The enclave claims
 * a FREE slot, fills it and posts REQUEST; a host worker takes it (REQUEST -> TAKEN), runs the
 * OCALL and posts DONE; the enclave reads the answer once and frees the slot. An enclave whose
 * request no worker took withdraws it (REQUEST -> CLAIMED) and makes an ordinary OCALL. Each
 * transition is a compare-and-swap, so a request is served once or withdrawn, never both. */
#define CCBOX_SWITCHLESS_FREE 0u
#define CCBOX_SWITCHLESS_CLAIMED 1u
#define CCBOX_SWITCHLESS_REQUEST 2u
#define CCBOX_SWITCHLESS_TAKEN 3u
#define CCBOX_SWITCHLESS_DONE 4u
#define CCBOX_SWITCHLESS_MAX_SLOTS 64u

typedef struct ccbox_switchless_slot {
    uint32_t state;  /* CCBOX_SWITCHLESS_*, accessed with atomic operations only */
    uint32_t result; /* ccbox_result_t, written by the worker */
    uint64_t function_id;
    uint64_t input_buffer; /* untrusted addresses, as in ccbox_call_slot_t */
    uint64_t input_size;
    uint64_t output_buffer;
    uint64_t output_size;
    uint64_t output_written;
    uint64_t reserved;
} ccbox_switchless_slot_t;

/* Switchless ECALLs (docs/call-abi.md): a queue in untrusted memory that enclave workers (host
 * threads inside CCBOX_ECALL_SWITCHLESS_WORKER, each holding a TCS) serve. The host claims a
 * FREE slot, fills it with the slot's next ticket (`sequence`: 1, 2, ... per slot) and posts
 * REQUEST; a worker takes it (REQUEST -> TAKEN), copies the slot once, and runs it only if
 * the ticket is the next one the enclave itself expects for that slot (a counter in enclave
 * memory, advanced by compare-and-swap): so no request runs twice, whatever the host rewrites.
 * It answers (result, output_written, DONE); the host frees the slot. A request no worker took
 * is withdrawn (REQUEST -> CLAIMED) and made as an ordinary ECALL, its ticket unused. */
typedef struct ccbox_switchless_ecall_slot {
    uint32_t state;  /* CCBOX_SWITCHLESS_*, accessed with atomic operations only */
    uint32_t result; /* ccbox_result_t, written by the worker */
    uint64_t sequence;
    uint64_t function_id;
    uint64_t input_buffer; /* untrusted addresses, as in ccbox_call_slot_t */
    uint64_t input_size;
    uint64_t output_buffer;
    uint64_t output_size;
    uint64_t output_written;
} ccbox_switchless_ecall_slot_t;

/* The queue's header; `slot_count` slots follow it. Every field is host-writable: `stop`
 * and `doorbell` can only make workers return or wake. */
typedef struct ccbox_switchless_ecall_queue {
    uint32_t stop;     /* non-zero: workers return from CCBOX_ECALL_SWITCHLESS_WORKER */
    uint32_t doorbell; /* futex word: bumped by the host when it posts while workers are parked */
    uint32_t parked;   /* workers parked, or about to (the host rings the doorbell if any) */
    uint32_t reserved0;
    uint64_t reserved[7];
    /* ccbox_switchless_ecall_slot_t slots[slot_count]; */
} ccbox_switchless_ecall_queue_t;

/* Input of CCBOX_ECALL_SWITCHLESS_WORKER. Every worker of an enclave names the same queue:
 * the first one fixes it for the enclave's life. */
typedef struct ccbox_switchless_worker_args {
    uint64_t queue;      /* untrusted address of a ccbox_switchless_ecall_queue_t */
    uint64_t slot_count; /* 1 .. CCBOX_SWITCHLESS_MAX_SLOTS */
} ccbox_switchless_worker_args_t;

/* One call crossing the boundary, in untrusted memory. The side that is called reads the
 * slot once (it copies it) and never trusts any field. */
typedef struct ccbox_call_slot {
    uint64_t function_id;
    uint64_t input_buffer;    /* untrusted address */
    uint64_t input_size;
    uint64_t output_buffer;   /* untrusted address */
    uint64_t output_size;
    uint64_t output_written;  /* written by the callee */
    uint32_t result;          /* ccbox_result_t, written by the callee */
    uint32_t reserved;
    /* ECALL only: untrusted scratch memory the enclave may use for its OCALL buffers during
     * this call (so that small OCALLs need no extra OCALL to allocate host memory). */
    uint64_t scratch_buffer;
    uint64_t scratch_size;
} ccbox_call_slot_t;

/* Input of CCBOX_ECALL_INIT: sent once, before any other ECALL. */
typedef struct ccbox_init_args {
    uint64_t host_enclave; /* the host's ccbox_enclave_t*, returned by ccbox_get_enclave() */
    uint64_t flags;        /* CCBOX_INIT_FLAG_* */
} ccbox_init_args_t;

#define CCBOX_INIT_FLAG_DEBUG 0x1u     /* launched in debug mode */
#define CCBOX_INIT_FLAG_SIMULATE 0x2u  /* sim backend: no isolation */

/* The platform's leaf functions (ENCLU leaves other than EENTER/EEXIT). Each answers for the
 * enclave the platform measured and returns a ccbox_result_t (CCBOX_OK, CCBOX_INVALID_KEYNAME,
 * CCBOX_INVALID_ISVSVN, ...). The platform also says where the untrusted memory the enclave
 * can reach is: [untrusted_base, untrusted_base + untrusted_size), or anything outside
 * ELRANGE when untrusted_size is 0 (the sim backend). */
typedef struct ccbox_enclu {
    uint64_t version; /* CCBOX_ENCLU_VERSION */
    void* platform;   /* passed back as the first argument */
    uint32_t (*egetkey)(void* platform, const void* keyrequest /* 512 B */, uint8_t key[16]);
    uint32_t (*ereport)(void* platform, const void* targetinfo /* 512 B */, const uint8_t reportdata[64],
                        void* report /* 432 B */);
    uint64_t untrusted_base;
    uint64_t untrusted_size;
} ccbox_enclu_t;

#define CCBOX_ENCLU_VERSION 1u

typedef ccbox_exit_t (*ccbox_enclave_entry_t)(uint64_t td, uint64_t op, uint64_t arg, const ccbox_enclu_t* enclu);

/* Every ECALL needs at least this much untrusted scratch memory (ccbox_call_slot_t). */
#define CCBOX_MIN_SCRATCH_SIZE 4096u
/* ECALLs nested through OCALLs on one TCS, the outermost included: the trusted runtime refuses
 * a deeper one with CCBOX_REENTRANT_ECALL, whatever the host does. */
#define CCBOX_MAX_CALL_DEPTH 32u

#ifdef __cplusplus
}
#endif

#endif /* CCBOX_COMMON_CALL_ABI_H */
