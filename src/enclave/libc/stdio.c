/* Streams inside the enclave. Trust domain: enclave (libc).
 * stdout and stderr write to the host's descriptors 1 and 2 through an OCALL; formatting
 * happens inside the enclave. There is no file system in an enclave: fopen() and friends
 * fail with ENOSYS (docs/enclave-libc.md). */
#include "enclave/core/runtime_c.h"
#include "format.h"
#include "libc_export.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static FILE ccbox_stdin_object;
static FILE ccbox_stdout_object;
static FILE ccbox_stderr_object;
FILE* stdin = &ccbox_stdin_object;
FILE* stdout = &ccbox_stdout_object;
FILE* stderr = &ccbox_stderr_object;

/* Per-stream error flags (streams are never at end of file: stdin is always empty). */
static int ccbox_stream_error[3];

static int stream_fd(FILE* stream)
{
    if (stream == &ccbox_stdout_object)
        return 1;
    if (stream == &ccbox_stderr_object)
        return 2;
    if (stream == &ccbox_stdin_object)
        return 0;
    return -1;
}

/* Writes to an output stream; returns 0 or EOF with errno set. */
static int stream_write(FILE* stream, const void* data, size_t size)
{
    int fd = stream_fd(stream);
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        if (fd == 0)
            ccbox_stream_error[0] = 1;
        return EOF;
    }
    if (size == 0)
        return 0;
    long n = ccbox_rt_host_write(fd, data, size);
    if (n < 0 || (size_t)n != size) {
        ccbox_stream_error[fd] = 1;
        errno = EIO;
        return EOF;
    }
    return 0;
}

/* Output of the formatting engine, collected in a buffer and written in few OCALLs. */
typedef struct {
    FILE* stream;
    size_t used;
    int failed;
    char data[1024];
} stream_sink;

static void sink_flush(stream_sink* s)
{
    if (s->used != 0 && !s->failed && stream_write(s->stream, s->data, s->used) != 0)
        s->failed = 1;
    s->used = 0;
}

static size_t sink_put(void* ctx, const char* data, size_t len)
{
    stream_sink* s = ctx;
    size_t done = 0;
    while (done < len) {
        if (s->used == sizeof s->data)
            sink_flush(s);
        size_t n = len - done;
        if (n > sizeof s->data - s->used)
            n = sizeof s->data - s->used;
        memcpy(s->data + s->used, data + done, n);
        s->used += n;
        done += n;
    }
    return len;
}

static int vfprintf_ex(FILE* stream, const char* format, va_list ap, int fortify)
{
    if (stream_fd(stream) < 1) {
        errno = EBADF;
        return -1;
    }
    stream_sink sink;
    sink.stream = stream;
    sink.used = 0;
    sink.failed = 0;
    int n = ccbox_libc_vformat_ex(sink_put, &sink, format, ap, fortify);
    sink_flush(&sink);
    return sink.failed ? -1 : n;
}

int ccbox_libc_vfprintf(FILE* restrict stream, const char* restrict format, va_list ap)
{
    return vfprintf_ex(stream, format, ap, 0);
}
CCBOX_LIBC_EXPORT(vfprintf)

int ccbox_libc_fprintf(FILE* restrict stream, const char* restrict format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = ccbox_libc_vfprintf(stream, format, ap);
    va_end(ap);
    return n;
}
CCBOX_LIBC_EXPORT(fprintf)

int ccbox_libc_vprintf(const char* restrict format, va_list ap) { return ccbox_libc_vfprintf(stdout, format, ap); }
CCBOX_LIBC_EXPORT(vprintf)

int ccbox_libc_printf(const char* restrict format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = ccbox_libc_vfprintf(stdout, format, ap);
    va_end(ap);
    return n;
}
CCBOX_LIBC_EXPORT(printf)

int ccbox_libc_vdprintf(int fd, const char* restrict format, va_list ap)
{
    return ccbox_libc_vfprintf(fd == 1 ? stdout : fd == 2 ? stderr : NULL, format, ap);
}
CCBOX_LIBC_EXPORT(vdprintf)

int ccbox_libc_dprintf(int fd, const char* restrict format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = ccbox_libc_vdprintf(fd, format, ap);
    va_end(ap);
    return n;
}
CCBOX_LIBC_EXPORT(dprintf)

/* _FORTIFY_SOURCE variants: a flag > 0 rejects %n in writable formats (format.h). */
int __vfprintf_chk(FILE* stream, int flag, const char* format, va_list ap)
{
    return vfprintf_ex(stream, format, ap, flag);
}
int __fprintf_chk(FILE* stream, int flag, const char* format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = __vfprintf_chk(stream, flag, format, ap);
    va_end(ap);
    return n;
}
int __vprintf_chk(int flag, const char* format, va_list ap) { return __vfprintf_chk(stdout, flag, format, ap); }
int __printf_chk(int flag, const char* format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = __vfprintf_chk(stdout, flag, format, ap);
    va_end(ap);
    return n;
}
int __vdprintf_chk(int fd, int flag, const char* format, va_list ap)
{
    return vfprintf_ex(fd == 1 ? stdout : fd == 2 ? stderr : NULL, format, ap, flag);
}
int __dprintf_chk(int fd, int flag, const char* format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = __vdprintf_chk(fd, flag, format, ap);
    va_end(ap);
    return n;
}

int ccbox_libc_fputs(const char* restrict s, FILE* restrict stream)
{
    return stream_write(stream, s, strlen(s)) == 0 ? 1 : EOF;
}
CCBOX_LIBC_EXPORT(fputs)

int ccbox_libc_puts(const char* s)
{
    size_t len = strlen(s);
    char small[512];
    if (len < sizeof small) {
        memcpy(small, s, len);
        small[len] = '\n';
        return stream_write(stdout, small, len + 1) == 0 ? 1 : EOF;
    }
    if (stream_write(stdout, s, len) != 0 || stream_write(stdout, "\n", 1) != 0)
        return EOF;
    return 1;
}
CCBOX_LIBC_EXPORT(puts)

int ccbox_libc_fputc(int c, FILE* stream)
{
    unsigned char ch = (unsigned char)c;
    return stream_write(stream, &ch, 1) == 0 ? ch : EOF;
}
CCBOX_LIBC_EXPORT(fputc)

int ccbox_libc_putc(int c, FILE* stream) { return ccbox_libc_fputc(c, stream); }
CCBOX_LIBC_EXPORT(putc)
int ccbox_libc_putchar(int c) { return ccbox_libc_fputc(c, stdout); }
CCBOX_LIBC_EXPORT(putchar)
int ccbox_libc_fputc_unlocked(int c, FILE* stream) { return ccbox_libc_fputc(c, stream); }
CCBOX_LIBC_EXPORT(fputc_unlocked)
int ccbox_libc_putc_unlocked(int c, FILE* stream) { return ccbox_libc_fputc(c, stream); }
CCBOX_LIBC_EXPORT(putc_unlocked)
int ccbox_libc_putchar_unlocked(int c) { return ccbox_libc_fputc(c, stdout); }
CCBOX_LIBC_EXPORT(putchar_unlocked)

/* glibc's inline putc_unlocked() calls this when the (always empty) stream buffer is full. */
int __overflow(FILE* stream, int c)
{
    if (c == EOF)
        return 0;
    return ccbox_libc_fputc(c, stream);
}

size_t ccbox_libc_fwrite(const void* restrict data, size_t size, size_t nmemb, FILE* restrict stream)
{
    size_t total;
    if (size == 0 || nmemb == 0)
        return 0;
    if (__builtin_mul_overflow(size, nmemb, &total)) {
        errno = EOVERFLOW;
        return 0;
    }
    return stream_write(stream, data, total) == 0 ? nmemb : 0;
}
CCBOX_LIBC_EXPORT(fwrite)
size_t ccbox_libc_fwrite_unlocked(const void* restrict data, size_t size, size_t nmemb, FILE* restrict stream)
{
    return ccbox_libc_fwrite(data, size, nmemb, stream);
}
CCBOX_LIBC_EXPORT(fwrite_unlocked)

int ccbox_libc_fflush(FILE* stream)
{
    if (stream != NULL && stream_fd(stream) < 0) {
        errno = EBADF;
        return EOF;
    }
    return 0; /* nothing is buffered across calls */
}
CCBOX_LIBC_EXPORT(fflush)

void ccbox_libc_perror(const char* s)
{
    const char* message = strerror(errno);
    if (s && *s)
        ccbox_libc_fprintf(stderr, "%s: %s\n", s, message);
    else
        ccbox_libc_fprintf(stderr, "%s\n", message);
}
CCBOX_LIBC_EXPORT(perror)

/* ---- input: enclaves have no standard input ---- */
int ccbox_libc_fgetc(FILE* stream)
{
    if (stream_fd(stream) < 0)
        errno = EBADF;
    return EOF;
}
CCBOX_LIBC_EXPORT(fgetc)
int ccbox_libc_getc(FILE* stream) { return ccbox_libc_fgetc(stream); }
CCBOX_LIBC_EXPORT(getc)
int ccbox_libc_getchar(void) { return EOF; }
CCBOX_LIBC_EXPORT(getchar)
int __uflow(FILE* stream) { return ccbox_libc_fgetc(stream); }
int __underflow(FILE* stream) { return ccbox_libc_fgetc(stream); }
int ccbox_libc_ungetc(int c, FILE* stream)
{
    (void)c;
    (void)stream;
    return EOF;
}
CCBOX_LIBC_EXPORT(ungetc)

char* ccbox_libc_fgets(char* restrict s, int size, FILE* restrict stream)
{
    (void)s;
    (void)size;
    if (stream_fd(stream) < 0)
        errno = EBADF;
    return NULL;
}
CCBOX_LIBC_EXPORT(fgets)

size_t ccbox_libc_fread(void* restrict data, size_t size, size_t nmemb, FILE* restrict stream)
{
    (void)data;
    (void)size;
    (void)nmemb;
    if (stream_fd(stream) < 0)
        errno = EBADF;
    return 0;
}
CCBOX_LIBC_EXPORT(fread)

/* ---- files: not available inside an enclave ---- */
FILE* ccbox_libc_fopen(const char* restrict path, const char* restrict mode)
{
    (void)path;
    (void)mode;
    errno = ENOSYS;
    return NULL;
}
CCBOX_LIBC_EXPORT(fopen)
CCBOX_LIBC_EXPORT_AS(fopen, fopen64)

FILE* ccbox_libc_fdopen(int fd, const char* mode)
{
    (void)fd;
    (void)mode;
    errno = ENOSYS;
    return NULL;
}
CCBOX_LIBC_EXPORT(fdopen)

int ccbox_libc_fclose(FILE* stream)
{
    if (stream_fd(stream) >= 0)
        return 0;
    errno = EBADF;
    return EOF;
}
CCBOX_LIBC_EXPORT(fclose)

int ccbox_libc_fseek(FILE* stream, long offset, int whence)
{
    (void)stream;
    (void)offset;
    (void)whence;
    errno = ESPIPE;
    return -1;
}
CCBOX_LIBC_EXPORT(fseek)

long ccbox_libc_ftell(FILE* stream)
{
    (void)stream;
    errno = ESPIPE;
    return -1;
}
CCBOX_LIBC_EXPORT(ftell)

void ccbox_libc_rewind(FILE* stream) { (void)stream; }
CCBOX_LIBC_EXPORT(rewind)

int ccbox_libc_feof(FILE* stream) { return stream == stdin; }
CCBOX_LIBC_EXPORT(feof)

int ccbox_libc_ferror(FILE* stream)
{
    int fd = stream_fd(stream);
    return fd >= 0 ? ccbox_stream_error[fd] : 1;
}
CCBOX_LIBC_EXPORT(ferror)

void ccbox_libc_clearerr(FILE* stream)
{
    int fd = stream_fd(stream);
    if (fd >= 0)
        ccbox_stream_error[fd] = 0;
}
CCBOX_LIBC_EXPORT(clearerr)

int ccbox_libc_fileno(FILE* stream)
{
    int fd = stream_fd(stream);
    if (fd < 0)
        errno = EBADF;
    return fd;
}
CCBOX_LIBC_EXPORT(fileno)

int ccbox_libc_setvbuf(FILE* restrict stream, char* restrict buf, int mode, size_t size)
{
    (void)stream;
    (void)buf;
    (void)mode;
    (void)size;
    return 0;
}
CCBOX_LIBC_EXPORT(setvbuf)

void ccbox_libc_setbuf(FILE* restrict stream, char* restrict buf) { (void)stream, (void)buf; }
CCBOX_LIBC_EXPORT(setbuf)

int ccbox_libc_remove(const char* path)
{
    (void)path;
    errno = ENOSYS;
    return -1;
}
CCBOX_LIBC_EXPORT(remove)

int ccbox_libc_rename(const char* from, const char* to)
{
    (void)from;
    (void)to;
    errno = ENOSYS;
    return -1;
}
CCBOX_LIBC_EXPORT(rename)
