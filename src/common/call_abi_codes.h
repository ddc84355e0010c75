/* Entry and exit codes of the call ABI (call_abi.h), as plain macros so that assembly can
 * use them too. Trust domain: common. */
#ifndef CCBOX_COMMON_CALL_ABI_CODES_H
#define CCBOX_COMMON_CALL_ABI_CODES_H

#define CCBOX_ENTER_ECALL 1
#define CCBOX_ENTER_ORET 2

#define CCBOX_EXIT_RETURN 1
#define CCBOX_EXIT_OCALL 2
#define CCBOX_EXIT_ABORTED 3
#define CCBOX_EXIT_REFUSED 4 /* the entry made no sense (ORET with no OCALL pending) */

#endif
