/* Deep-copy ECALLs: every nested buffer must be an enclave copy, sizes come from members. */
#include <string.h>

#include "enc_check.h"

int ecall_deep_in(const struct blob* b, struct ints* arr, size_t n) {
    CHECK_INSIDE(b, sizeof *b);
    CHECK(b->len == 5);
    CHECK_INSIDE(b->data, b->len);
    CHECK(memcmp(b->data, "hello", 5) == 0);
    CHECK(n == 3);
    CHECK_INSIDE(arr, n * sizeof *arr);
    for (size_t k = 0; k < n; ++k) {
        CHECK(arr[k].n == k + 1);
        CHECK_INSIDE(arr[k].values, arr[k].n * sizeof(int32_t));
        for (uint32_t j = 0; j < arr[k].n; ++j)
            CHECK(arr[k].values[j] == (int32_t)((k + 1) * 100 + j));
    }
    return 0;
}

static int check_nested(const struct nested* c, int32_t id) {
    CHECK(c->id == id);
    CHECK(c->shallow == (struct blob*)(uintptr_t)0x1234);  /* a plain pointer member: a value */
    CHECK_INSIDE(c->blobs, 2 * sizeof(struct blob));
    for (int j = 0; j < 2; ++j) {
        CHECK(c->blobs[j].len == 3);
        CHECK_INSIDE(c->blobs[j].data, 3);
        CHECK(c->blobs[j].data[0] == 'a' && c->blobs[j].data[1] == 'b' && c->blobs[j].data[2] == '0' + j);
    }
    CHECK_INSIDE(c->one, sizeof(struct ints));
    CHECK(c->one->n == 2);
    CHECK_INSIDE(c->one->values, 2 * sizeof(int32_t));
    CHECK(c->one->values[0] == 7 && c->one->values[1] == 8);
    return 0;
}

int ecall_deep_inout(struct tree* t) {
    CHECK_INSIDE(t, sizeof *t);
    CHECK(t->n == 2);
    CHECK(strcmp(t->name, "root") == 0);
    CHECK_INSIDE(t->children, 2 * sizeof(struct nested));
    for (size_t k = 0; k < t->n; ++k) {
        int r = check_nested(&t->children[k], (int32_t)k);
        if (r)
            return r;
    }
    for (size_t k = 0; k < t->n; ++k) {
        t->children[k].id += 10;
        t->children[k].blobs[1].data[0] = 'X';
        t->children[k].one->values[1] = 80;
    }
    t->name[0] = 'R';
    /* Changing sizes or pointers must not reach the caller: the shape is the caller's. */
    t->n = 99;
    t->children[1].blobs[0].len = 1000;
    t->children[0].one = NULL;
    return 0;
}

int ecall_deep_out(struct ints* arr) {
    CHECK_INSIDE(arr, 2 * sizeof *arr);
    for (uint32_t k = 0; k < 2; ++k) {
        CHECK(arr[k].n == k + 2);  /* the caller's shape comes in ... */
        CHECK_INSIDE(arr[k].values, arr[k].n * sizeof(int32_t));
        for (uint32_t j = 0; j < arr[k].n; ++j) {
            CHECK(arr[k].values[j] == 0);  /* ... but no contents */
            arr[k].values[j] = (int32_t)(k * 10 + j);
        }
    }
    return 0;
}

int ecall_deep_fixed(struct fixed* f, const struct matrix* m) {
    CHECK_INSIDE(f->four, 4 * sizeof(uint16_t));
    CHECK(f->four[0] == 1 && f->four[1] == 2 && f->four[2] == 3 && f->four[3] == 4);
    CHECK(f->tag == 't');
    CHECK_INSIDE(f->eight, 8);
    for (int k = 0; k < 8; ++k)
        CHECK(((const uint8_t*)f->eight)[k] == k);
    CHECK(m->rows == 2 && m->cols == 3);
    CHECK_INSIDE(m->cells, 6);
    for (int k = 0; k < 6; ++k)
        CHECK(m->cells[k] == 10 + k);
    for (int k = 0; k < 4; ++k)
        f->four[k] = (uint16_t)(f->four[k] * 2);
    f->tag = 'T';
    ((uint8_t*)f->eight)[0] = 0xEE;
    return 0;
}

int ecall_deep_null(struct blob* b) {
    CHECK(b[0].len == 4 && b[0].data == NULL);
    CHECK(b[1].len == 2);
    CHECK_INSIDE(b[1].data, 2);
    CHECK(b[1].data[0] == 'x' && b[1].data[1] == 'y');
    b[1].data[1] = 'Z';
    return 0;
}
