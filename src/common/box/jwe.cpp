// The compact-JWE parser of docs/keybroker.md. Trust domain: common (its input is hostile).
#include "common/box/jwe.h"

#include "common/box/base64url.h"

#include <string.h>

namespace ccbox::box {

namespace {

struct Text {
    const char* p = nullptr;
    size_t n = 0;
    bool is(const char* s) const { return strlen(s) == n && memcmp(p, s, n) == 0; }
};

struct Cursor {
    const char* p;
    const char* end;
    void ws() {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            ++p;
    }
    bool eat(char c) {
        ws();
        if (p < end && *p == c) {
            ++p;
            return true;
        }
        return false;
    }
    bool peek(char c) {
        ws();
        return p < end && *p == c;
    }
    // A string of printable ASCII without escapes (the broker's members never need any).
    bool string(Text* out) {
        if (!eat('"'))
            return false;
        const char* start = p;
        while (p < end && *p != '"') {
            if (uint8_t(*p) < 0x20 || uint8_t(*p) > 0x7e || *p == '\\')
                return false;
            ++p;
        }
        if (p == end)
            return false;
        *out = Text{start, size_t(p - start)};
        ++p;
        return true;
    }
};

// One JSON object whose members are strings or (if `objects`) objects of strings. `on_member`
// gets each name and either a string value or a nested cursor over the object.
struct Member {
    Text name;
    Text value;         // for a string value
    bool object = false;
    const char* object_begin = nullptr;
    const char* object_end = nullptr;
};

constexpr size_t kMaxMembers = 8;

// Parses `{ "k": v, ... }` with v a string or (nested) an object of strings; false unless the
// whole input is exactly that.
bool object(Cursor& c, bool allow_nested, Member* members, size_t* count) {
    *count = 0;
    if (!c.eat('{'))
        return false;
    if (c.eat('}'))
        return true;
    for (;;) {
        if (*count == kMaxMembers)
            return false;
        Member& m = members[(*count)++];
        if (!c.string(&m.name) || !c.eat(':'))
            return false;
        if (c.peek('{')) {
            if (!allow_nested)
                return false;
            m.object = true;
            m.object_begin = c.p;
            Member inner[kMaxMembers];
            size_t inner_count = 0;
            if (!object(c, false, inner, &inner_count))
                return false;
            m.object_end = c.p;
        } else if (!c.string(&m.value)) {
            return false;
        }
        if (c.eat(','))
            continue;
        return c.eat('}');
    }
}

// Finds exactly the members `names` (each once), nothing else.
bool exactly(const Member* members, size_t count, const char* const* names, size_t name_count,
             const Member** found) {
    if (count != name_count)
        return false;
    for (size_t i = 0; i < name_count; ++i) {
        found[i] = nullptr;
        for (size_t j = 0; j < count; ++j)
            if (members[j].name.is(names[i])) {
                if (found[i])
                    return false;  // duplicate
                found[i] = &members[j];
            }
        if (!found[i])
            return false;
    }
    return true;
}

bool decode_exact(Text t, uint8_t* out, size_t want) {
    size_t n = 0;
    return base64url_decode(t.p, t.n, out, want, &n) && n == want;
}

JweError parse_header(const char* json, size_t size, Jwe* out) {
    Cursor c{json, json + size};
    Member members[kMaxMembers];
    size_t count = 0;
    if (!object(c, true, members, &count))
        return JweError::header_not_json;
    c.ws();
    if (c.p != c.end)
        return JweError::header_not_json;
    static const char* const kNames[] = {"alg", "enc", "kid", "epk"};
    const Member* m[4];
    if (!exactly(members, count, kNames, 4, m) || m[0]->object || m[1]->object || m[2]->object || !m[3]->object)
        return JweError::header_members;
    if (!m[0]->value.is("ECDH-ES+A256KW"))
        return JweError::alg_unsupported;
    if (!m[1]->value.is("A256GCM"))
        return JweError::enc_unsupported;
    const Text kid = m[2]->value;
    if (kid.n == 0 || kid.n > kMaxKidSize)
        return JweError::kid_invalid;
    for (size_t i = 0; i < kid.n; ++i)
        if (uint8_t(kid.p[i]) < 0x21)
            return JweError::kid_invalid;
    memcpy(out->kid, kid.p, kid.n);
    out->kid[kid.n] = 0;
    out->kid_size = kid.n;

    Cursor e{m[3]->object_begin, m[3]->object_end};
    Member epk[kMaxMembers];
    if (!object(e, false, epk, &count))
        return JweError::header_not_json;
    static const char* const kEpk[] = {"kty", "crv", "x", "y"};
    const Member* k[4];
    if (!exactly(epk, count, kEpk, 4, k) || !k[0]->value.is("EC") || !k[1]->value.is("P-256") ||
        !decode_exact(k[2]->value, out->epk_x, 32) || !decode_exact(k[3]->value, out->epk_y, 32))
        return JweError::epk_invalid;
    return JweError::ok;
}

}  // namespace

const char* jwe_error_text(JweError error) {
    switch (error) {
    case JweError::ok: return "ok";
    case JweError::too_large: return "JWE larger than 4096 bytes or protected header larger than 1024 bytes";
    case JweError::not_compact: return "not a compact JWE (five base64url parts separated by '.')";
    case JweError::bad_base64url: return "a JWE part is not canonical base64url";
    case JweError::header_not_json: return "JWE protected header is not a JSON object of plain strings";
    case JweError::header_members:
        return "JWE protected header must have exactly alg, enc, kid (strings) and epk (object)";
    case JweError::alg_unsupported: return "JWE alg is not ECDH-ES+A256KW";
    case JweError::enc_unsupported: return "JWE enc is not A256GCM";
    case JweError::epk_invalid: return "JWE epk is not a P-256 public JWK with 32-byte x and y";
    case JweError::kid_invalid: return "JWE kid is empty, longer than 255 bytes or not printable";
    case JweError::encrypted_key_size: return "JWE encrypted key is not 40 bytes (AES-256-KW of a 256-bit CEK)";
    case JweError::iv_size: return "JWE IV is not 12 bytes";
    case JweError::tag_size: return "JWE tag is not 16 bytes";
    case JweError::ciphertext_size: return "JWE ciphertext is empty or larger than 512 bytes";
    }
    return "unknown JWE error";
}

JweError parse_jwe(const char* in, size_t size, Jwe* out) {
    if (!in || !out)
        return JweError::not_compact;
    if (size > kMaxJweSize)
        return JweError::too_large;
    Text parts[5];
    size_t n = 0;
    const char* start = in;
    for (size_t i = 0; i <= size; ++i) {
        if (i == size || in[i] == '.') {
            if (n == 5)
                return JweError::not_compact;
            parts[n++] = Text{start, size_t(in + i - start)};
            start = in + i + 1;
        }
    }
    if (n != 5)
        return JweError::not_compact;
    size_t decoded = 0;
    if (!base64url_decoded_size(parts[0].n, &decoded))
        return JweError::bad_base64url;
    if (decoded > kMaxJweHeaderSize)
        return JweError::too_large;
    char header[kMaxJweHeaderSize];
    if (!base64url_decode(parts[0].p, parts[0].n, reinterpret_cast<uint8_t*>(header), sizeof header, &decoded))
        return JweError::bad_base64url;
    JweError e = parse_header(header, decoded, out);
    if (e != JweError::ok)
        return e;
    out->protected_b64 = parts[0].p;
    out->protected_b64_size = parts[0].n;

    struct Fixed {
        Text t;
        uint8_t* out;
        size_t size;
        JweError error;
    } fixed[] = {{parts[1], out->encrypted_key, 40, JweError::encrypted_key_size},
                 {parts[2], out->iv, 12, JweError::iv_size},
                 {parts[4], out->tag, 16, JweError::tag_size}};
    for (const Fixed& f : fixed) {
        if (!base64url_decoded_size(f.t.n, &decoded))
            return JweError::bad_base64url;
        if (decoded != f.size)
            return f.error;
        if (!base64url_decode(f.t.p, f.t.n, f.out, f.size, &decoded))
            return JweError::bad_base64url;
    }
    if (!base64url_decoded_size(parts[3].n, &decoded))
        return JweError::bad_base64url;
    if (decoded == 0 || decoded > kMaxJwePlaintext)
        return JweError::ciphertext_size;
    if (!base64url_decode(parts[3].p, parts[3].n, out->ciphertext, kMaxJwePlaintext, &out->ciphertext_size))
        return JweError::bad_base64url;
    return JweError::ok;
}

}  // namespace ccbox::box
