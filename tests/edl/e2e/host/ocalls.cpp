// The host's OCALL implementations: each checks what the enclave sent and answers.
#include "edl_test_types.h"
#include "test_enclave.h"

#include <cerrno>
#include <cstring>
#include <cwchar>
#include <thread>

using edl_test::enclave;

int ocall_from_plain_import(int x) { return x * 3; }

int ocall_scalars(char c, short s, int i, long long ll, unsigned long long ull, float f, double d, long double ld,
                  bool b, wchar_t wc, size_t sz, enum test_color color) {
    bool ok = c == TV_CHAR && s == TV_SHORT && i == TV_INT && ll == TV_LLONG && ull == TV_ULLONG && f == TV_FLOAT &&
              d == TV_DOUBLE && ld == TV_LDOUBLE && b && wc == TV_WCHAR && sz == TV_SIZE && color == COLOR_NEGATIVE;
    return ok ? 0 : 1;
}

uint64_t ocall_sum(uint64_t a, uint64_t b) { return a + b; }

int ocall_in_buffer(const uint8_t* buf, size_t len) {
    if (!buf)
        return len == 0 ? -2 : -3;
    uint32_t sum = 0;
    for (size_t k = 0; k < len; ++k)
        sum += buf[k];
    return static_cast<int>(sum);
}

int ocall_out_buffer(uint32_t* values, size_t n) {
    for (size_t k = 0; k < n; ++k) {
        if (values[k] != 0)  // the enclave's old contents never reach the host
            return 1;
        values[k] = static_cast<uint32_t>(k * k);
    }
    return 0;
}

int ocall_strings(char* s, const wchar_t* w) {
    if (std::strcmp(s, "to host") != 0 || std::wcscmp(w, L"wide") != 0)
        return 1;
    for (char* p = s; *p; ++p)
        if (*p >= 'a' && *p <= 'z')
            *p = static_cast<char>(*p - 'a' + 'A');
    return 0;
}

int ocall_arrays(int32_t a[3], int32_t b[2][2], char c[4]) {
    if (a[0] != 1 || a[1] != 2 || a[2] != 3 || b[0][0] != 0 || b[1][1] != 0 || std::strcmp(c, "abc") != 0)
        return 1;
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j)
            b[i][j] = i + j * 10;
    std::memcpy(c, "xyz", 4);
    return 0;
}

struct scalars ocall_struct(struct scalars s, struct scalars* p) {
    struct scalars r = s;
    r.i = s.i + 1;
    p->d = p->d == 1.5 ? 99.0 : -1.0;
    p->color = COLOR_GREEN;
    errno = 0;
    return r;
}

int ocall_errno(int value) {
    errno = value;
    return -1;
}

int ocall_deep(struct tree* t, struct ints* o) {
    if (t->n != 1 || std::strcmp(t->name, "etree") != 0)
        return 1;
    struct nested* c = &t->children[0];
    if (c->id != 0 || c->shallow != reinterpret_cast<struct blob*>(uintptr_t{0x1234}) || c->blobs[0].len != 3 ||
        std::memcmp(c->blobs[0].data, "ab0", 3) != 0 || c->blobs[1].data[2] != '1' || c->one->n != 2 ||
        c->one->values[0] != 7 || c->one->values[1] != 8)
        return 2;
    if (o->n != 3 || o->values[0] != 0 || o->values[2] != 0)  // [out]: shape only, zeroed contents
        return 3;
    t->name[0] = 'E';
    c->id = 5;
    c->blobs[0].data[0] = 'H';
    c->one->values[0] = 70;
    for (uint32_t k = 0; k < o->n; ++k)
        o->values[k] = static_cast<int32_t>(100 + k);
    // A host that tries to resize or re-point things: the enclave keeps its own.
    t->n = 5000;
    c->blobs[1].len = 1u << 30;
    o->n = 1000;
    return 0;
}

int ocall_user_check(void* enclave_ptr) { return enclave_ptr ? 0 : 1; }

int ocall_allow_reentry(int x) {
    int r = -1;
    edl_test::g_reentry_private_result = ecall_private_reentry(enclave(), &r, x);
    uint64_t sum = 0;
    edl_test::g_reentry_public_result = ecall_sum_u64(enclave(), &sum, 1, 2);  // not in allow()
    return r;
}

void ocall_block_for_flip(void) {
    if (!edl_test::g_flip_action)
        return;
    std::thread flipper(edl_test::g_flip_action);
    flipper.join();
}

void ocall_switchless(void) {}

// The generated code of these three is replaced by hostile answers in ocall_test.cpp.
int ocall_hostile_string(char*) { return 0; }
int ocall_hostile_out(uint8_t*, size_t) { return 0; }
int ocall_hostile_deep(struct blob*) { return 0; }
bool ocall_hostile_bool(bool b) { return b; }
