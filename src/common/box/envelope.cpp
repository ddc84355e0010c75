// The ccbox box envelope (docs/box-format.md). Trust domain: common: compiled for the host
// (`ccbox box`) and into libccbox_enclave.a, where every byte it parses comes from the host.
#include <ccbox/box.hpp>

#include "common/box/openssl_decls.h"

#include <stdlib.h>
#include <string.h>

namespace ccbox::box {

struct Cipher {
    EVP_CIPHER_CTX* ctx = nullptr;
    bool encrypt = false;
};

namespace {

const char kHkdfInfo[] = "ccbox box v1 chunk key";
const char kCheckLabel[] = "ccbox box v2 result key check";
constexpr size_t kAadSize = 32 + 8 + 1 + 4;

void wipe(void* p, size_t n) {
    if (p && n)
        explicit_bzero(p, n);
}

void put_le(uint8_t* p, uint64_t v, size_t n) {
    for (size_t i = 0; i < n; ++i)
        p[i] = uint8_t(v >> (8 * i));
}
uint64_t get_le(const uint8_t* p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i)
        v |= uint64_t(p[i]) << (8 * i);
    return v;
}
void put_be(uint8_t* p, uint64_t v, size_t n) {
    for (size_t i = 0; i < n; ++i)
        p[n - 1 - i] = uint8_t(v >> (8 * i));
}

const EVP_CIPHER* aes_256_gcm() {
    static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    return cipher;
}

bool sha256(const uint8_t* data, size_t size, uint8_t out[32]) {
    unsigned int n = 0;
    return EVP_Digest(data, size, out, &n, EVP_sha256(), nullptr) == 1 && n == 32;
}

// HKDF-SHA-256(salt = file id, IKM = data key, info), 32 bytes.
bool hkdf(const uint8_t key[kKeySize], const uint8_t file_id[kFileIdSize], const uint8_t* info, size_t info_size,
          uint8_t out[kKeySize]) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(openssl::kPkeyHkdf, nullptr);
    size_t n = kKeySize;
    bool ok = ctx && EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) == 1 &&
              EVP_PKEY_CTX_set1_hkdf_salt(ctx, file_id, int(kFileIdSize)) == 1 &&
              EVP_PKEY_CTX_set1_hkdf_key(ctx, key, int(kKeySize)) == 1 &&
              EVP_PKEY_CTX_add1_hkdf_info(ctx, info, int(info_size)) == 1 &&
              EVP_PKEY_derive(ctx, out, &n) == 1 && n == kKeySize;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

// file key = HKDF-SHA-256(salt = file id, IKM = data key, info = kHkdfInfo).
bool file_key(const uint8_t key[kKeySize], const uint8_t file_id[kFileIdSize], uint8_t out[kKeySize]) {
    return hkdf(key, file_id, reinterpret_cast<const uint8_t*>(kHkdfInfo), sizeof kHkdfInfo - 1, out);
}

// The header's commitment to the result key (docs/box-format.md): HKDF-SHA-256(salt = file id,
// IKM = data key, info = kCheckLabel ‖ result key), i.e. HMAC-SHA-256 of the result key under a
// key that only a holder of the data key can compute.
bool result_key_check(const uint8_t key[kKeySize], const uint8_t file_id[kFileIdSize],
                      const uint8_t result_key[kKeySize], uint8_t out[kResultKeyCheckSize]) {
    uint8_t info[sizeof kCheckLabel - 1 + kKeySize];
    memcpy(info, kCheckLabel, sizeof kCheckLabel - 1);
    memcpy(info + sizeof kCheckLabel - 1, result_key, kKeySize);
    const bool ok = hkdf(key, file_id, info, sizeof info, out);
    wipe(info, sizeof info);
    return ok;
}

bool equal_constant_time(const uint8_t* a, const uint8_t* b, size_t n) {
    uint8_t d = 0;
    for (size_t i = 0; i < n; ++i)
        d |= uint8_t(a[i] ^ b[i]);
    return d == 0;
}

Cipher* cipher_new(const uint8_t key[kKeySize], const uint8_t file_id[kFileIdSize], bool encrypt) {
    uint8_t k[kKeySize];
    if (!aes_256_gcm() || !file_key(key, file_id, k))
        return nullptr;
    auto* c = static_cast<Cipher*>(malloc(sizeof(Cipher)));
    if (!c) {
        wipe(k, sizeof k);
        return nullptr;
    }
    c->encrypt = encrypt;
    c->ctx = EVP_CIPHER_CTX_new();
    const bool ok = c->ctx && EVP_CipherInit_ex(c->ctx, aes_256_gcm(), nullptr, k, nullptr, encrypt ? 1 : 0) == 1;
    wipe(k, sizeof k);
    if (!ok) {
        EVP_CIPHER_CTX_free(c->ctx);
        free(c);
        return nullptr;
    }
    return c;
}

void cipher_free(Cipher* c) {
    if (!c)
        return;
    EVP_CIPHER_CTX_free(c->ctx);  // clears the key schedule
    free(c);
}

// One chunk, in place: nonce = 0^32 ‖ index (64-bit big-endian); AAD = header hash ‖ index ‖
// final ‖ length. Decryption: Error::authentication_failed unless the tag verifies.
Error chunk(Cipher* c, const uint8_t header_hash[32], uint64_t index, bool final, uint32_t length, uint8_t* data,
            uint8_t tag[kTagSize]) {
    uint8_t iv[12] = {};
    put_be(iv + 4, index, 8);
    uint8_t aad[kAadSize];
    memcpy(aad, header_hash, 32);
    put_be(aad + 32, index, 8);
    aad[40] = final ? 1 : 0;
    put_be(aad + 41, length, 4);
    int n = 0;
    if (EVP_CipherInit_ex(c->ctx, nullptr, nullptr, nullptr, iv, c->encrypt ? 1 : 0) != 1 ||
        EVP_CipherUpdate(c->ctx, nullptr, &n, aad, int(kAadSize)) != 1 ||
        (length && EVP_CipherUpdate(c->ctx, data, &n, data, int(length)) != 1))
        return Error::crypto_error;
    if (!c->encrypt && EVP_CIPHER_CTX_ctrl(c->ctx, openssl::kCtrlAeadSetTag, int(kTagSize), tag) != 1)
        return Error::crypto_error;
    uint8_t none[16];
    if (EVP_CipherFinal_ex(c->ctx, none, &n) != 1)
        return c->encrypt ? Error::crypto_error : Error::authentication_failed;
    if (c->encrypt && EVP_CIPHER_CTX_ctrl(c->ctx, openssl::kCtrlAeadGetTag, int(kTagSize), tag) != 1)
        return Error::crypto_error;
    return Error::ok;
}

bool key_id_valid(const char* id, size_t size) {
    if (size == 0 || size > kMaxKeyIdSize)
        return false;
    for (size_t i = 0; i < size; ++i)
        if (uint8_t(id[i]) < 0x21 || uint8_t(id[i]) > 0x7e)
            return false;
    return true;
}

}  // namespace

const char* error_text(Error error) {
    switch (error) {
    case Error::ok: return "ok";
    case Error::bad_magic: return "not a ccbox envelope (magic is not CCBOXENV)";
    case Error::unsupported_version:
        return "unsupported envelope version (expected 2; a version 1 file has no result key commitment: encrypt it again)";
    case Error::bad_header: return "malformed envelope header (header_size, flags or reserved bytes)";
    case Error::bad_chunk_size: return "envelope chunk_size outside [256 B, 16 MiB]";
    case Error::bad_key_id: return "envelope key id empty, longer than 255 bytes or not printable ASCII";
    case Error::bad_key: return "the data key is not 32 bytes";
    case Error::bad_chunk_length: return "a chunk's length field is larger than chunk_size, or a non-final chunk is short";
    case Error::authentication_failed:
        return "a chunk does not authenticate (tampered, reordered, spliced from another file, or another key)";
    case Error::truncated: return "the envelope ends before its final chunk (truncated)";
    case Error::trailing_data: return "bytes after the final chunk (extended)";
    case Error::too_many_chunks: return "more than 2^32 chunks";
    case Error::out_of_memory: return "out of memory";
    case Error::crypto_error: return "the crypto library failed";
    case Error::sink_failed: return "the output could not be written";
    case Error::misuse: return "envelope stream used out of order";
    case Error::result_key_mismatch:
        return "the result key is not the one the data owner committed to in the input's header (a key the host chose?)";
    case Error::result_key_not_committed:
        return "the input's header commits to no result key (encrypt it with `ccbox box encrypt --result-key`)";
    }
    return "unknown envelope error";
}

// ---------------------------------------------------------------- Decryptor

Decryptor::Decryptor(const uint8_t* key, size_t key_size, Sink sink, void* context) : sink_(sink), context_(context) {
    key_ok_ = key && key_size == kKeySize;
    if (key_ok_)
        memcpy(key_, key, kKeySize);
    want_ = kFixedHeaderSize;
}

Error Decryptor::expect_result_key(const uint8_t* result_key, size_t size) {
    if (state_ != kHeader || have_ != 0)
        return Error::misuse;
    if (!result_key || size != kKeySize)
        return Error::bad_key;
    memcpy(expected_result_key_, result_key, kKeySize);
    expect_result_key_ = true;
    return Error::ok;
}

Decryptor::~Decryptor() {
    wipe(key_, sizeof key_);
    wipe(expected_result_key_, sizeof expected_result_key_);
    cipher_free(cipher_);
    if (record_) {
        wipe(record_, kRecordHeaderSize + size_t(header_.chunk_size) + kTagSize);
        free(record_);
    }
}

Error Decryptor::fail(Error error) {
    state_ = kFailed;
    error_ = error;
    if (record_)
        wipe(record_, kRecordHeaderSize + size_t(header_.chunk_size) + kTagSize);
    return error;
}

Error Decryptor::on_fixed_header() {
    const uint8_t* h = header_bytes_;
    if (memcmp(h, kMagic, sizeof kMagic) != 0)
        return Error::bad_magic;
    if (get_le(h + 8, 2) != kVersion)
        return Error::unsupported_version;
    const size_t key_id_size = h[48];
    if (key_id_size == 0)
        return Error::bad_key_id;
    if (h[49] & ~kFlagResultKeyCheck)
        return Error::bad_header;
    header_.has_result_key_check = (h[49] & kFlagResultKeyCheck) != 0;
    const size_t check_size = header_.has_result_key_check ? kResultKeyCheckSize : 0;
    if (get_le(h + 10, 2) != kFixedHeaderSize + key_id_size + check_size)
        return Error::bad_header;
    for (size_t i = 50; i < kFixedHeaderSize; ++i)
        if (h[i] != 0)
            return Error::bad_header;
    const uint64_t chunk_size = get_le(h + 12, 4);
    if (chunk_size < kMinChunkSize || chunk_size > kMaxChunkSize)
        return Error::bad_chunk_size;
    header_.chunk_size = uint32_t(chunk_size);
    memcpy(header_.file_id, h + 16, kFileIdSize);
    header_.key_id_size = key_id_size;
    state_ = kKeyId;
    have_ = 0;
    want_ = key_id_size + check_size;
    return Error::ok;
}

Error Decryptor::on_key_id() {
    const char* id = reinterpret_cast<const char*>(header_bytes_ + kFixedHeaderSize);
    if (!key_id_valid(id, header_.key_id_size))
        return Error::bad_key_id;
    memcpy(header_.key_id, id, header_.key_id_size);
    header_.key_id[header_.key_id_size] = 0;
    header_size_ = kFixedHeaderSize + header_.key_id_size;
    if (header_.has_result_key_check) {
        memcpy(header_.result_key_check, header_bytes_ + header_size_, kResultKeyCheckSize);
        header_size_ += kResultKeyCheckSize;
    }
    if (!key_ok_)
        return Error::bad_key;
    if (expect_result_key_ && header_.has_result_key_check) {
        // Compared now (the data key is wiped below), reported once the header has authenticated.
        uint8_t check[kResultKeyCheckSize];
        if (!result_key_check(key_, header_.file_id, expected_result_key_, check))
            return Error::crypto_error;
        result_key_matches_ = equal_constant_time(check, header_.result_key_check, kResultKeyCheckSize);
        wipe(check, sizeof check);
    }
    wipe(expected_result_key_, sizeof expected_result_key_);
    if (!sha256(header_bytes_, header_size_, header_hash_))
        return Error::crypto_error;
    cipher_ = cipher_new(key_, header_.file_id, false);
    wipe(key_, sizeof key_);
    if (!cipher_)
        return Error::crypto_error;
    record_ = static_cast<uint8_t*>(malloc(kRecordHeaderSize + size_t(header_.chunk_size) + kTagSize));
    if (!record_)
        return Error::out_of_memory;
    state_ = kRecordLength;
    have_ = 0;
    want_ = kRecordHeaderSize;
    return Error::ok;
}

Error Decryptor::on_record_length() {
    const uint32_t field = uint32_t(get_le(record_, 4));
    final_ = (field & kFinalFlag) != 0;
    length_ = field & ~kFinalFlag;
    if (length_ > header_.chunk_size || (!final_ && length_ != header_.chunk_size))
        return Error::bad_chunk_length;
    if (index_ >= kMaxChunks)
        return Error::too_many_chunks;
    state_ = kRecordBody;
    want_ = kRecordHeaderSize + size_t(length_) + kTagSize;  // have_ stays at 4
    return Error::ok;
}

Error Decryptor::on_record_body() {
    uint8_t* text = record_ + kRecordHeaderSize;
    Error e = chunk(cipher_, header_hash_, index_, final_, length_, text, text + length_);
    if (e != Error::ok)
        return e;
    if (index_ == 0 && expect_result_key_) {  // the first tag has authenticated the header
        if (!header_.has_result_key_check)
            return Error::result_key_not_committed;
        if (!result_key_matches_)
            return Error::result_key_mismatch;
    }
    ++index_;
    if (sink_ && !sink_(context_, text, length_, final_))
        return Error::sink_failed;
    wipe(text, length_);
    state_ = final_ ? kDone : kRecordLength;
    have_ = 0;
    want_ = kRecordHeaderSize;
    return Error::ok;
}

Error Decryptor::feed(const uint8_t* data, size_t size) {
    while (state_ != kFailed) {
        if (state_ == kDone)
            return size ? fail(Error::trailing_data) : Error::ok;
        if (size == 0)
            return Error::ok;
        uint8_t* dest = state_ == kHeader   ? header_bytes_
                        : state_ == kKeyId ? header_bytes_ + kFixedHeaderSize
                                           : record_;
        const size_t take = want_ - have_ < size ? want_ - have_ : size;
        memcpy(dest + have_, data, take);
        have_ += take;
        data += take;
        size -= take;
        if (have_ < want_)
            return Error::ok;
        Error e = state_ == kHeader         ? on_fixed_header()
                  : state_ == kKeyId        ? on_key_id()
                  : state_ == kRecordLength ? on_record_length()
                                            : on_record_body();
        if (e != Error::ok)
            return fail(e);
    }
    return error_;
}

Error Decryptor::finish() {
    if (state_ == kFailed)
        return error_;
    return state_ == kDone ? Error::ok : fail(Error::truncated);
}

// ---------------------------------------------------------------- Encryptor

Encryptor::Encryptor(const uint8_t* key, size_t key_size, const char* key_id, uint32_t chunk_size,
                     const uint8_t file_id[kFileIdSize], Sink sink, void* context)
    : sink_(sink), context_(context) {
    const size_t id_size = key_id ? strnlen(key_id, kMaxKeyIdSize + 1) : 0;
    if (!key || key_size != kKeySize)
        error_ = Error::bad_key;
    else if (!key_id_valid(key_id, id_size))
        error_ = Error::bad_key_id;
    else if (chunk_size < kMinChunkSize || chunk_size > kMaxChunkSize)
        error_ = Error::bad_chunk_size;
    if (error_ != Error::ok)
        return;
    memcpy(key_, key, kKeySize);
    header_.chunk_size = chunk_size;
    memcpy(header_.file_id, file_id, kFileIdSize);
    memcpy(header_.key_id, key_id, id_size);
    header_.key_id_size = id_size;
    uint8_t* h = header_bytes_;
    memcpy(h, kMagic, sizeof kMagic);
    put_le(h + 8, kVersion, 2);
    put_le(h + 10, kFixedHeaderSize + id_size, 2);
    put_le(h + 12, chunk_size, 4);
    memcpy(h + 16, file_id, kFileIdSize);
    h[48] = uint8_t(id_size);
    memcpy(h + kFixedHeaderSize, key_id, id_size);
    header_size_ = kFixedHeaderSize + id_size;
}

Error Encryptor::commit_result_key(const uint8_t* result_key, size_t size) {
    if (error_ != Error::ok)
        return error_;
    if (started_ || finished_ || header_.has_result_key_check)
        return Error::misuse;
    if (!result_key || size != kKeySize)
        return Error::bad_key;
    uint8_t* h = header_bytes_;
    if (!result_key_check(key_, header_.file_id, result_key, header_.result_key_check))
        return Error::crypto_error;
    header_.has_result_key_check = true;
    h[49] = kFlagResultKeyCheck;
    memcpy(h + header_size_, header_.result_key_check, kResultKeyCheckSize);
    header_size_ += kResultKeyCheckSize;
    put_le(h + 10, header_size_, 2);
    return Error::ok;
}

Encryptor::~Encryptor() {
    wipe(key_, sizeof key_);
    cipher_free(cipher_);
    if (plain_) {
        wipe(plain_, header_.chunk_size);
        free(plain_);
    }
    if (record_) {
        wipe(record_, kRecordHeaderSize + size_t(header_.chunk_size) + kTagSize);
        free(record_);
    }
}

Error Encryptor::fail(Error error) {
    error_ = error;
    finished_ = true;
    if (plain_)
        wipe(plain_, header_.chunk_size);
    return error;
}

Error Encryptor::start() {
    started_ = true;
    if (!sha256(header_bytes_, header_size_, header_hash_))
        return Error::crypto_error;
    cipher_ = cipher_new(key_, header_.file_id, true);
    wipe(key_, sizeof key_);
    if (!cipher_)
        return Error::crypto_error;
    plain_ = static_cast<uint8_t*>(malloc(header_.chunk_size));
    record_ = static_cast<uint8_t*>(malloc(kRecordHeaderSize + size_t(header_.chunk_size) + kTagSize));
    if (!plain_ || !record_)
        return Error::out_of_memory;
    if (sink_ && !sink_(context_, header_bytes_, header_size_, false))
        return Error::sink_failed;
    return Error::ok;
}

Error Encryptor::emit(bool final) {
    if (index_ >= kMaxChunks)
        return Error::too_many_chunks;
    const uint32_t length = uint32_t(buffered_);
    put_le(record_, length | (final ? kFinalFlag : 0), 4);
    memcpy(record_ + kRecordHeaderSize, plain_, length);
    Error e = chunk(cipher_, header_hash_, index_, final, length, record_ + kRecordHeaderSize,
                    record_ + kRecordHeaderSize + length);
    wipe(plain_, length);
    buffered_ = 0;
    if (e != Error::ok)
        return e;
    ++index_;
    if (sink_ && !sink_(context_, record_, kRecordHeaderSize + length + kTagSize, final))
        return Error::sink_failed;
    return Error::ok;
}

Error Encryptor::feed(const uint8_t* data, size_t size) {
    if (error_ != Error::ok)
        return fail(error_);
    if (finished_)
        return fail(Error::misuse);
    if (!started_) {
        Error e = start();
        if (e != Error::ok)
            return fail(e);
    }
    while (size > 0) {
        // A full buffer is sealed only when more data follows: the last chunk must carry the flag.
        if (buffered_ == header_.chunk_size) {
            Error e = emit(false);
            if (e != Error::ok)
                return fail(e);
        }
        const size_t room = header_.chunk_size - buffered_;
        const size_t take = room < size ? room : size;
        memcpy(plain_ + buffered_, data, take);
        buffered_ += take;
        data += take;
        size -= take;
    }
    return Error::ok;
}

Error Encryptor::finish() {
    if (error_ == Error::ok && !finished_ && !started_) {
        Error e = start();
        if (e != Error::ok)
            return fail(e);
    }
    if (error_ != Error::ok)
        return fail(error_);
    if (finished_)
        return fail(Error::misuse);
    Error e = emit(true);
    finished_ = true;
    return e == Error::ok ? e : fail(e);
}

}  // namespace ccbox::box
