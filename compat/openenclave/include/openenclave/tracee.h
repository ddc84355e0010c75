/* Open Enclave's enclave log API (openenclave/tracee.h). Trust domain: enclave. */
#ifndef OPENENCLAVE_TRACEE_H
#define OPENENCLAVE_TRACEE_H

#include <openenclave/bits/defs.h>
#include <openenclave/bits/result.h>
#include <openenclave/log.h>

#include <stdint.h>

OE_EXTERNC_BEGIN

/* Messages at or below this level are logged: OE_LOG_LEVEL_ERROR (ccbox has no
 * OE_LOG_LEVEL environment inside enclaves: an enclave has no environment). */
oe_log_level_t oe_get_current_logging_level(void);

/* oe_log and the OE_TRACE_* macros write "[level] message" to the host's stderr, or call the
 * callback installed by oe_enclave_log_set_callback (inside the enclave, with the message). */
oe_result_t oe_log(oe_log_level_t level, const char* fmt, ...) OE_PRINTF_FORMAT(2, 3);

typedef void (*oe_enclave_log_callback_t)(void* context, oe_log_level_t level, uint64_t thread_id,
                                          const char* message);
oe_result_t oe_enclave_log_set_callback(void* context, oe_enclave_log_callback_t callback);

#define OE_TRACE(LEVEL, ...)                                    \
    do {                                                        \
        if ((LEVEL) <= oe_get_current_logging_level())          \
            (void)oe_log(LEVEL, __VA_ARGS__);                   \
    } while (0)
#define OE_TRACE_FATAL(...) OE_TRACE(OE_LOG_LEVEL_FATAL, __VA_ARGS__)
#define OE_TRACE_ERROR(...) OE_TRACE(OE_LOG_LEVEL_ERROR, __VA_ARGS__)
#define OE_TRACE_WARNING(...) OE_TRACE(OE_LOG_LEVEL_WARNING, __VA_ARGS__)
#define OE_TRACE_INFO(...) OE_TRACE(OE_LOG_LEVEL_INFO, __VA_ARGS__)
#define OE_TRACE_VERBOSE(...) OE_TRACE(OE_LOG_LEVEL_VERBOSE, __VA_ARGS__)

OE_EXTERNC_END

#endif /* OPENENCLAVE_TRACEE_H */
