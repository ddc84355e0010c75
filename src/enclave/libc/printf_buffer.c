/* snprintf family of the enclave libc: printf into caller buffers or malloc'd strings.
 * Trust domain: enclave (libc). Built on the formatting engine in format.c; also provides
 * glibc's _FORTIFY_SOURCE entry points (__snprintf_chk and friends), which abort through
 * __chk_fail when the destination object is too small, as glibc's do. */
#include <link.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "libc_export.h"

/* Provided elsewhere in the enclave libc (glibc's name and behaviour: report, abort). */
extern void __chk_fail(void) __attribute__((noreturn));

/* ---- fixed buffer ------------------------------------------------------------------- */

typedef struct {
    char* buf;
    size_t cap; /* characters that may be stored (room for the NUL excluded) */
    size_t len;
} fixed_sink;

static size_t fixed_write(void* ctx, const char* data, size_t n) {
    fixed_sink* f = (fixed_sink*)ctx;
    size_t room = f->cap - f->len;
    size_t k = n < room ? n : room;
    if (k)  /* snprintf(NULL, 0, ...) has no buffer: memcpy to NULL is undefined even for 0 bytes */
        memcpy(f->buf + f->len, data, k);
    f->len += k;
    return k;
}

/* Formats into BUF holding SIZE bytes (NUL included); returns the full length or -1.
 * FORTIFY: the _FORTIFY_SOURCE flag (format.h). */
static int format_fixed_ex(char* buf, size_t size, const char* fmt, va_list ap, int fortify) {
    fixed_sink f;
    int r;
    f.buf = buf;
    f.cap = size > 0 ? size - 1 : 0;
    f.len = 0;
    r = ccbox_libc_vformat_ex(fixed_write, &f, fmt, ap, fortify);
    if (size > 0) buf[f.len] = '\0';
    return r;
}

static int format_fixed(char* buf, size_t size, const char* fmt, va_list ap) {
    return format_fixed_ex(buf, size, fmt, ap, 0);
}

int ccbox_libc_vsnprintf(char* buf, size_t size, const char* fmt, va_list ap) {
    return format_fixed(buf, size, fmt, ap);
}
CCBOX_LIBC_EXPORT(vsnprintf)

int ccbox_libc_snprintf(char* buf, size_t size, const char* fmt, ...) {
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = format_fixed(buf, size, fmt, ap);
    va_end(ap);
    return r;
}
CCBOX_LIBC_EXPORT(snprintf)

int ccbox_libc_vsprintf(char* buf, const char* fmt, va_list ap) {
    /* No bound: the caller promises the buffer is large enough. The cap is chosen so
     * that buf + cap cannot wrap around the address space. */
    return format_fixed(buf, SIZE_MAX - (uintptr_t)buf, fmt, ap);
}
CCBOX_LIBC_EXPORT(vsprintf)

int ccbox_libc_sprintf(char* buf, const char* fmt, ...) {
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = ccbox_libc_vsprintf(buf, fmt, ap);
    va_end(ap);
    return r;
}
CCBOX_LIBC_EXPORT(sprintf)

/* ---- malloc'd string ---------------------------------------------------------------- */

typedef struct {
    char* buf;
    size_t cap; /* allocated bytes */
    size_t len;
    int failed;
} grow_sink;

static size_t grow_write(void* ctx, const char* data, size_t n) {
    grow_sink* g = (grow_sink*)ctx;
    if (g->failed) return 0;
    if (n >= g->cap - g->len) {
        size_t want = g->cap;
        char* nb;
        while (n >= want - g->len) {
            if (want > SIZE_MAX / 2) {
                g->failed = 1;
                return 0;
            }
            want *= 2;
        }
        nb = (char*)realloc(g->buf, want);
        if (nb == NULL) {
            g->failed = 1;
            return 0;
        }
        g->buf = nb;
        g->cap = want;
    }
    memcpy(g->buf + g->len, data, n);
    g->len += n;
    return n;
}

static int vasprintf_ex(char** out, const char* fmt, va_list ap, int fortify) {
    grow_sink g;
    int r;
    char* shrunk;
    g.cap = 128;
    g.len = 0;
    g.failed = 0;
    g.buf = (char*)malloc(g.cap);
    if (g.buf == NULL) return -1;
    r = ccbox_libc_vformat_ex(grow_write, &g, fmt, ap, fortify);
    if (r < 0 || g.failed) {
        free(g.buf);
        return -1; /* errno: from vformat, or ENOMEM from realloc */
    }
    g.buf[g.len] = '\0';
    shrunk = (char*)realloc(g.buf, g.len + 1);
    *out = shrunk != NULL ? shrunk : g.buf;
    return r;
}

int ccbox_libc_vasprintf(char** out, const char* fmt, va_list ap) {
    return vasprintf_ex(out, fmt, ap, 0);
}
CCBOX_LIBC_EXPORT(vasprintf)

int ccbox_libc_asprintf(char** out, const char* fmt, ...) {
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = ccbox_libc_vasprintf(out, fmt, ap);
    va_end(ap);
    return r;
}
CCBOX_LIBC_EXPORT(asprintf)

/* ---- _FORTIFY_SOURCE entry points --------------------------------------------------- */
/* FLAG > 0 (what -D_FORTIFY_SOURCE=2 and above pass) also rejects %n in a format that lives
 * in writable memory, as glibc does: such a format may have been written by an attacker. */

struct readonly_query {
    uintptr_t begin, end; /* [begin, end): the format and its NUL */
    int found;
};

static int readonly_segment(struct dl_phdr_info* info, size_t size, void* data) {
    struct readonly_query* q = (struct readonly_query*)data;
    (void)size;
    for (size_t i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr)* ph = &info->dlpi_phdr[i];
        uintptr_t lo, hi;
        if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W) != 0) continue;
        lo = (uintptr_t)info->dlpi_addr + (uintptr_t)ph->p_vaddr;
        hi = lo + (uintptr_t)ph->p_memsz;
        if (hi < lo) continue;
        if (q->begin >= lo && q->end <= hi) {
            q->found = 1;
            return 1;
        }
    }
    return 0;
}

int ccbox_libc__fmt_is_readonly(const char* format) {
    struct readonly_query q;
    size_t n = strlen(format) + 1;
    q.begin = (uintptr_t)format;
    if (__builtin_add_overflow(q.begin, n, &q.end)) return 0;
    q.found = 0;
    dl_iterate_phdr(readonly_segment, &q);
    return q.found;
}

#ifdef CCBOX_ENCLAVE_LIBC
extern void __fortify_fail(const char* message) __attribute__((noreturn));
void ccbox_libc__fmt_fatal_writable_n(void) { __fortify_fail("%n in writable segments detected"); }
#else
/* Host builds (unit tests, fuzzers): glibc's __fortify_fail is private; abort like it. */
void ccbox_libc__fmt_fatal_writable_n(void) { abort(); }
#endif

int ccbox_libc___vsnprintf_chk(char* buf, size_t maxlen, int flag, size_t slen, const char* fmt,
                               va_list ap) {
    if (maxlen > slen) __chk_fail();
    return format_fixed_ex(buf, maxlen, fmt, ap, flag);
}
CCBOX_LIBC_EXPORT(__vsnprintf_chk)

int ccbox_libc___snprintf_chk(char* buf, size_t maxlen, int flag, size_t slen, const char* fmt,
                              ...) {
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = ccbox_libc___vsnprintf_chk(buf, maxlen, flag, slen, fmt, ap);
    va_end(ap);
    return r;
}
CCBOX_LIBC_EXPORT(__snprintf_chk)

int ccbox_libc___vsprintf_chk(char* buf, int flag, size_t slen, const char* fmt, va_list ap) {
    int r;
    if (slen == 0) __chk_fail();
    if (slen > SIZE_MAX - (uintptr_t)buf) slen = SIZE_MAX - (uintptr_t)buf;
    r = format_fixed_ex(buf, slen, fmt, ap, flag);
    /* The output and its NUL must fit in the object (glibc aborts on the overflow). */
    if (r >= 0 && (size_t)r >= slen) __chk_fail();
    return r;
}
CCBOX_LIBC_EXPORT(__vsprintf_chk)

int ccbox_libc___sprintf_chk(char* buf, int flag, size_t slen, const char* fmt, ...) {
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = ccbox_libc___vsprintf_chk(buf, flag, slen, fmt, ap);
    va_end(ap);
    return r;
}
CCBOX_LIBC_EXPORT(__sprintf_chk)

int ccbox_libc___vasprintf_chk(char** out, int flag, const char* fmt, va_list ap) {
    return vasprintf_ex(out, fmt, ap, flag);
}
CCBOX_LIBC_EXPORT(__vasprintf_chk)

int ccbox_libc___asprintf_chk(char** out, int flag, const char* fmt, ...) {
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = ccbox_libc___vasprintf_chk(out, flag, fmt, ap);
    va_end(ap);
    return r;
}
CCBOX_LIBC_EXPORT(__asprintf_chk)
