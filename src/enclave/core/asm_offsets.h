/* Offsets that entry.S needs, checked against the C++ definitions in thread_state.h.
 * Trust domain: enclave. */
#ifndef CCBOX_ENCLAVE_ASM_OFFSETS_H
#define CCBOX_ENCLAVE_ASM_OFFSETS_H

/* TD page: glibc-compatible TCB prefix */
#define TD_TCB_SELF 0x00
#define TD_TCB_SELF2 0x10
#define TD_TCB_STACK_GUARD 0x28

/* TD page: the measured abi::LayoutInfo at 0x100 */
#define TD_LAYOUT 0x100
#define TD_LAYOUT_STACK_OFFSET_IN_SPAN (TD_LAYOUT + 72)
#define TD_LAYOUT_STACK_SIZE (TD_LAYOUT + 80)
#define TD_LAYOUT_TD_OFFSET_IN_SPAN (TD_LAYOUT + 120)

/* TD page: the runtime's ThreadState at 0x400 */
#define TD_STATE 0x400
#define TS_HOST_RSP (TD_STATE + 0x00)
#define TS_OCALL_RSP (TD_STATE + 0x08)

#endif
