/* openenclave::oedebugmalloc: the oe_malloc family with leak tracking (openenclave/debugmalloc.h).
 * Blocks allocated while tracking is on are recorded in a side list (the blocks themselves are
 * the heap's, unchanged); freeing a block forgets it whenever it happens. Trust domain: enclave. */
#include <openenclave/corelibc/stdlib.h>
#include <openenclave/debugmalloc.h>

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct block {
    void* ptr;
    size_t size;
    void* caller;
    struct block* next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct block* blocks;
static int tracking;

/* Records p if tracking is on (a block that cannot be recorded is reported as a failure by
 * the report, never silently missed). */
static int record_overflow;

static void record(void* p, size_t size, void* caller)
{
    if (!p)
        return;
    pthread_mutex_lock(&lock);
    if (tracking) {
        struct block* b = (struct block*)malloc(sizeof *b);
        if (b) {
            b->ptr = p;
            b->size = size;
            b->caller = caller;
            b->next = blocks;
            blocks = b;
        } else {
            record_overflow = 1;
        }
    }
    pthread_mutex_unlock(&lock);
}

/* Takes p's record out of the list (NULL if it has none). */
static struct block* take(void* p)
{
    struct block* found = NULL;
    if (!p)
        return NULL;
    pthread_mutex_lock(&lock);
    for (struct block** link = &blocks; *link; link = &(*link)->next) {
        if ((*link)->ptr == p) {
            found = *link;
            *link = found->next;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    return found;
}

static void put_back(struct block* b)
{
    pthread_mutex_lock(&lock);
    b->next = blocks;
    blocks = b;
    pthread_mutex_unlock(&lock);
}

static void forget(void* p) { free(take(p)); }

/* As Open Enclave's debug malloc: new blocks are zeroed, freed ones filled with 0x0D (to show
 * use after free). */
void* oe_malloc(size_t size)
{
    void* p = malloc(size);
    if (p)
        memset(p, 0, size);
    record(p, size, __builtin_return_address(0));
    return p;
}

void oe_free(void* ptr)
{
    forget(ptr);
    if (ptr)
        memset(ptr, 0x0D, malloc_usable_size(ptr));
    free(ptr);
}

void* oe_calloc(size_t nmemb, size_t size)
{
    void* p = calloc(nmemb, size);
    record(p, nmemb * size, __builtin_return_address(0));
    return p;
}

void* oe_realloc(void* ptr, size_t size)
{
    /* The old block's record is taken out first (its pointer may dangle after the call) and
     * put back, moved or unchanged, by what realloc did. */
    struct block* b = take(ptr);
    void* p = realloc(ptr, size);
    if (!b) {
        record(p, size, __builtin_return_address(0));
    } else if (p) {
        b->ptr = p;
        b->size = size;
        b->caller = __builtin_return_address(0);
        put_back(b);
    } else if (size != 0) {
        put_back(b); /* failed: the old block stays as it was */
    } else {
        free(b); /* realloc(p, 0) freed p */
    }
    return p;
}

void* oe_memalign(size_t alignment, size_t size)
{
    void* p = memalign(alignment, size);
    record(p, size, __builtin_return_address(0));
    return p;
}

int oe_posix_memalign(void** memptr, size_t alignment, size_t size)
{
    int r = posix_memalign(memptr, alignment, size);
    if (r == 0)
        record(*memptr, size, __builtin_return_address(0));
    return r;
}

oe_result_t oe_debug_malloc_tracking_start(void)
{
    pthread_mutex_lock(&lock);
    tracking = 1;
    pthread_mutex_unlock(&lock);
    return OE_OK;
}

oe_result_t oe_debug_malloc_tracking_stop(void)
{
    pthread_mutex_lock(&lock);
    tracking = 0;
    pthread_mutex_unlock(&lock);
    return OE_OK;
}

oe_result_t oe_debug_malloc_tracking_report(uint64_t* out_object_count, char** report)
{
    if (!out_object_count || !report)
        return OE_INVALID_PARAMETER;
    *report = NULL;
    pthread_mutex_lock(&lock);
    if (record_overflow) {
        pthread_mutex_unlock(&lock);
        return OE_OUT_OF_MEMORY;
    }
    uint64_t count = 0;
    for (struct block* b = blocks; b; b = b->next)
        ++count;
    const size_t line = 80;
    char* text = (char*)malloc((size_t)count * line + 1);
    if (!text) {
        pthread_mutex_unlock(&lock);
        return OE_OUT_OF_MEMORY;
    }
    size_t used = 0;
    text[0] = '\0';
    for (struct block* b = blocks; b; b = b->next) {
        int n = snprintf(text + used, line, "%p: %zu bytes, allocated from %p\n", b->ptr, b->size, b->caller);
        used += n < 0 ? 0 : ((size_t)n < line ? (size_t)n : line - 1);
    }
    pthread_mutex_unlock(&lock);
    *out_object_count = count;
    *report = text;
    return OE_OK;
}
