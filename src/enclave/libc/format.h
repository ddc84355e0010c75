/* printf formatting engine of the enclave libc, and the prototypes of the number
 * formatting and parsing functions built on it.
 * Trust domain: enclave (libc). The engine never makes a system call and never allocates;
 * it writes through a caller-supplied sink, so the snprintf family (printf_buffer.c) and
 * any stream-based printf can share it. Behaviour follows glibc's printf in the "C" locale.
 */
#ifndef CCBOX_ENCLAVE_LIBC_FORMAT_H
#define CCBOX_ENCLAVE_LIBC_FORMAT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Receives the next LEN bytes of output and returns how many it accepted. Once a sink
 * accepts fewer bytes than offered the engine treats it as full: it does not call it
 * again during that vformat call, but keeps counting the output so that the return value
 * is the length the full output has (as snprintf reports it). */
typedef size_t (*ccbox_libc_sink_fn)(void* ctx, const char* data, size_t len);

/* Formats FMT with the arguments in AP (glibc printf semantics, "C" locale) into SINK.
 * Returns the number of characters of the complete output, or -1 with errno set:
 * EOVERFLOW when that number would exceed INT_MAX (or a width/precision literal does not
 * fit an int), EILSEQ when %lc/%ls meets a wide character outside 0..127, EINVAL when the
 * format string ends inside a conversion specification. AP is not consumed (it is
 * va_copy'd). */
int ccbox_libc_vformat(ccbox_libc_sink_fn sink, void* ctx, const char* fmt, va_list ap);

/* The same with glibc's _FORTIFY_SOURCE flag (the `flag` of __printf_chk and friends): with
 * FORTIFY > 0, a %n conversion in a format that does not lie wholly in a read-only segment of
 * the program aborts (glibc: "*** %n in writable segments detected ***"). The check is made
 * when the %n is reached, as glibc makes it, so formats without %n cost nothing. */
int ccbox_libc_vformat_ex(ccbox_libc_sink_fn sink, void* ctx, const char* fmt, va_list ap,
                          int fortify);

/* printf_buffer.c: 1 if the NUL-terminated FORMAT lies wholly inside a loaded segment that
 * is not writable (dl_iterate_phdr's view of the program), else 0; and the fatal error. */
int ccbox_libc__fmt_is_readonly(const char* format);
void ccbox_libc__fmt_fatal_writable_n(void) __attribute__((noreturn));

/* printf_buffer.c */
int ccbox_libc_vsnprintf(char* buf, size_t size, const char* fmt, va_list ap);
int ccbox_libc_snprintf(char* buf, size_t size, const char* fmt, ...);
int ccbox_libc_vsprintf(char* buf, const char* fmt, va_list ap);
int ccbox_libc_sprintf(char* buf, const char* fmt, ...);
int ccbox_libc_vasprintf(char** out, const char* fmt, va_list ap);
int ccbox_libc_asprintf(char** out, const char* fmt, ...);
int ccbox_libc___vsnprintf_chk(char* buf, size_t maxlen, int flag, size_t slen, const char* fmt,
                               va_list ap);
int ccbox_libc___snprintf_chk(char* buf, size_t maxlen, int flag, size_t slen, const char* fmt,
                              ...);
int ccbox_libc___vsprintf_chk(char* buf, int flag, size_t slen, const char* fmt, va_list ap);
int ccbox_libc___sprintf_chk(char* buf, int flag, size_t slen, const char* fmt, ...);
int ccbox_libc___vasprintf_chk(char** out, int flag, const char* fmt, va_list ap);
int ccbox_libc___asprintf_chk(char** out, int flag, const char* fmt, ...);

/* strtod.c */
double ccbox_libc_strtod(const char* s, char** end);
float ccbox_libc_strtof(const char* s, char** end);
long double ccbox_libc_strtold(const char* s, char** end);
double ccbox_libc_atof(const char* s);

/* Internal (format.c, used by strtod.c): exact comparison of a decimal digit string with
 * a binary number; see format.c. */
int ccbox_libc__fmt_cmp_decimal(const char* digits, const char* end, long long dexp,
                                uint64_t khi, uint64_t klo, int t);

#ifdef __cplusplus
}
#endif

#endif
