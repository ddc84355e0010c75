// What the box tests share: envelopes made and opened in memory with the one implementation
// (src/common/box/envelope.cpp), and the record layout of docs/box-format.md, so that tests
// can take a file apart and put it together wrongly.
#pragma once

#include <ccbox/box.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace box_test {

using Bytes = std::vector<uint8_t>;

inline bool append(void* context, const uint8_t* data, size_t size, bool) {
    auto* out = static_cast<Bytes*>(context);
    out->insert(out->end(), data, data + size);
    return true;
}

inline Bytes key_of(uint8_t seed) {
    Bytes k(32);
    for (size_t i = 0; i < k.size(); ++i)
        k[i] = uint8_t(seed * 31 + i);
    return k;
}

inline Bytes seal(const Bytes& key, const Bytes& plain, uint32_t chunk_size = 256, const char* key_id = "data",
                  uint8_t file_seed = 1) {
    uint8_t file_id[32];
    std::memset(file_id, file_seed, sizeof file_id);
    Bytes out;
    ccbox::box::Encryptor enc(key.data(), key.size(), key_id, chunk_size, file_id, append, &out);
    if (enc.feed(plain.data(), plain.size()) != ccbox::box::Error::ok || enc.finish() != ccbox::box::Error::ok)
        return {};
    return out;
}

// As the data owner seals an input for the analytics job: committed to `result_key`
// (`ccbox box encrypt --result-key`, docs/box-format.md).
inline Bytes seal_committed(const Bytes& result_key, const Bytes& key, const Bytes& plain, uint32_t chunk_size = 256,
                            const char* key_id = "data", uint8_t file_seed = 1) {
    uint8_t file_id[32];
    std::memset(file_id, file_seed, sizeof file_id);
    Bytes out;
    ccbox::box::Encryptor enc(key.data(), key.size(), key_id, chunk_size, file_id, append, &out);
    if (enc.commit_result_key(result_key.data(), result_key.size()) != ccbox::box::Error::ok)
        return {};
    if (enc.feed(plain.data(), plain.size()) != ccbox::box::Error::ok || enc.finish() != ccbox::box::Error::ok)
        return {};
    return out;
}

struct Opened {
    ccbox::box::Error error = ccbox::box::Error::ok;
    Bytes plain;
};

// Feeds `box` in pieces of `piece` bytes (0: all at once).
inline Opened open(const Bytes& key, const Bytes& box, size_t piece = 0) {
    Opened o;
    ccbox::box::Decryptor dec(key.data(), key.size(), append, &o.plain);
    size_t at = 0;
    while (o.error == ccbox::box::Error::ok && at < box.size()) {
        size_t n = piece ? std::min(piece, box.size() - at) : box.size() - at;
        o.error = dec.feed(box.data() + at, n);
        at += n;
    }
    if (o.error == ccbox::box::Error::ok)
        o.error = dec.finish();
    return o;
}

inline Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

// Where the records of an envelope start (docs/box-format.md): header, then per record a
// 4-byte length field (bit 31: final), ciphertext, 16-byte tag.
inline std::vector<size_t> record_offsets(const Bytes& box) {
    std::vector<size_t> at;
    size_t o = ccbox::box::kFixedHeaderSize + box[48] +
               ((box[49] & ccbox::box::kFlagResultKeyCheck) ? ccbox::box::kResultKeyCheckSize : 0);
    while (o + 4 <= box.size()) {
        at.push_back(o);
        uint32_t field;
        std::memcpy(&field, box.data() + o, 4);
        o += 4 + (field & 0x7fffffffu) + 16;
    }
    return at;
}

inline Bytes slice(const Bytes& b, size_t from, size_t to) { return Bytes(b.begin() + long(from), b.begin() + long(to)); }

}  // namespace box_test
