// The ccbox box envelope (docs/box-format.md): a self-describing, streaming, chunked
// AES-256-GCM format for the data owner's files. Trust domain: shared (host and enclave). The
// same code (src/common/box/envelope.cpp) is compiled into the host's `ccbox box` and into
// libccbox_enclave.a, where it runs on bytes the host hands in: everything it parses is hostile.
// Both directions are push parsers with one chunk of state, so a file of any size passes in
// constant memory, in pieces of any size.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace ccbox::box {

inline constexpr char kMagic[8] = {'C', 'C', 'B', 'O', 'X', 'E', 'N', 'V'};
inline constexpr uint16_t kVersion = 2;
inline constexpr size_t kFixedHeaderSize = 56;
inline constexpr size_t kMaxKeyIdSize = 255;
inline constexpr size_t kFileIdSize = 32;
inline constexpr size_t kKeySize = 32;
inline constexpr size_t kTagSize = 16;
inline constexpr size_t kResultKeyCheckSize = 32;
inline constexpr uint8_t kFlagResultKeyCheck = 0x01;  // header flags (byte 49)
inline constexpr size_t kRecordHeaderSize = 4;
inline constexpr uint32_t kMinChunkSize = 256;
inline constexpr uint32_t kMaxChunkSize = 16u << 20;
inline constexpr uint32_t kDefaultChunkSize = 1u << 20;
inline constexpr uint64_t kMaxChunks = uint64_t(1) << 32;
inline constexpr uint32_t kFinalFlag = 0x80000000u;

enum class Error {
    ok = 0,
    bad_magic,            // not a ccbox envelope
    unsupported_version,  // version field
    bad_header,           // header_size, reserved bytes
    bad_chunk_size,       // chunk_size outside [kMinChunkSize, kMaxChunkSize]
    bad_key_id,           // key id empty, too long or not printable ASCII
    bad_key,              // data key not 32 bytes
    bad_chunk_length,     // a record's length field exceeds the chunk size, or a non-final chunk is short
    authentication_failed,  // a chunk's tag does not verify (tampered, reordered, spliced, other key)
    truncated,            // the input ended before the final chunk
    trailing_data,        // bytes after the final chunk
    too_many_chunks,      // more than kMaxChunks chunks
    out_of_memory,
    crypto_error,         // OpenSSL failed
    sink_failed,          // the consumer of the output refused it
    misuse,               // a call out of order (feed after finish)
    result_key_mismatch,       // the result key is not the one the header commits to
    result_key_not_committed,  // a result key was expected but the header commits to none
};

// A short English description of `error` (never contains key material or data).
const char* error_text(Error error);

// Receives output: plaintext chunks (Decryptor) or envelope bytes (Encryptor). `final` is true
// on the last call. Returning false stops the stream with Error::sink_failed.
using Sink = bool (*)(void* context, const uint8_t* data, size_t size, bool final);

struct Header {
    uint32_t chunk_size = 0;
    uint8_t file_id[kFileIdSize] = {};
    char key_id[kMaxKeyIdSize + 1] = {};  // NUL-terminated
    size_t key_id_size = 0;
    bool has_result_key_check = false;  // flag kFlagResultKeyCheck
    uint8_t result_key_check[kResultKeyCheckSize] = {};
};

struct Cipher;  // the per-file AES-256-GCM state (opaque)

class Decryptor {
  public:
    Decryptor(const uint8_t* key, size_t key_size, Sink sink, void* context);
    ~Decryptor();
    Decryptor(const Decryptor&) = delete;
    Decryptor& operator=(const Decryptor&) = delete;

    // Before the first feed: the consumer is about to encrypt its output under `result_key`,
    // and the data owner must have committed to exactly that key in this envelope's header
    // (docs/box-format.md). Checked once the first chunk has authenticated the header, before
    // any plaintext reaches the sink: Error::result_key_not_committed or result_key_mismatch.
    Error expect_result_key(const uint8_t* result_key, size_t size);

    // Consumes `size` bytes of the envelope. Each chunk's plaintext goes to the sink only once
    // its tag has verified; the sink's `final` call means the whole file has verified. The
    // first error sticks: it is returned by this and every later call, and the buffered
    // plaintext is wiped.
    Error feed(const uint8_t* data, size_t size);
    // The input is over: Error::truncated unless the final chunk has been seen.
    Error finish();
    // After the header has been read (feed returned ok and header_ready()).
    bool header_ready() const { return state_ > kHeader; }
    const Header& header() const { return header_; }
    uint64_t chunks() const { return index_; }

  private:
    enum State { kHeader, kKeyId, kRecordLength, kRecordBody, kDone, kFailed };
    Error fail(Error error);
    Error on_fixed_header();
    Error on_key_id();
    Error on_record_length();
    Error on_record_body();

    uint8_t key_[kKeySize] = {};
    bool key_ok_ = false;
    uint8_t expected_result_key_[kKeySize] = {};
    bool expect_result_key_ = false;
    bool result_key_matches_ = false;
    Sink sink_;
    void* context_;
    State state_ = kHeader;
    Error error_ = Error::ok;
    Header header_;
    uint8_t header_bytes_[kFixedHeaderSize + kMaxKeyIdSize + kResultKeyCheckSize] = {};
    size_t header_size_ = 0;
    uint8_t header_hash_[32] = {};
    Cipher* cipher_ = nullptr;
    uint8_t* record_ = nullptr;  // length field ‖ ciphertext ‖ tag, then plaintext in place
    size_t have_ = 0;            // bytes of the current part (header, key id, record) received
    size_t want_ = 0;            // bytes the current part needs
    uint32_t length_ = 0;
    bool final_ = false;
    uint64_t index_ = 0;
};

class Encryptor {
  public:
    // `file_id`: 32 random bytes, chosen by the caller (RAND_bytes on the host, RDRAND inside
    // an enclave). `key_id` is NUL-terminated.
    Encryptor(const uint8_t* key, size_t key_size, const char* key_id, uint32_t chunk_size,
              const uint8_t file_id[kFileIdSize], Sink sink, void* context);
    ~Encryptor();
    Encryptor(const Encryptor&) = delete;
    Encryptor& operator=(const Encryptor&) = delete;

    // Before the first feed: commit the header to `result_key`, the key the owner will decrypt
    // the job's result with (docs/box-format.md). Error::misuse after the first feed.
    Error commit_result_key(const uint8_t* result_key, size_t size);
    // Errors in the parameters are reported by the first feed()/finish().
    Error feed(const uint8_t* data, size_t size);
    // Emits the final chunk (the sink's `final` call).
    Error finish();

  private:
    Error fail(Error error);
    Error start();
    Error emit(bool final);

    Sink sink_;
    void* context_;
    Error error_ = Error::ok;
    bool started_ = false;
    bool finished_ = false;
    uint8_t key_[kKeySize] = {};
    Header header_;
    uint8_t header_bytes_[kFixedHeaderSize + kMaxKeyIdSize + kResultKeyCheckSize] = {};
    size_t header_size_ = 0;
    uint8_t header_hash_[32] = {};
    Cipher* cipher_ = nullptr;
    uint8_t* plain_ = nullptr;   // chunk_size bytes waiting to be sealed
    uint8_t* record_ = nullptr;  // the sealed record
    size_t buffered_ = 0;
    uint64_t index_ = 0;
};

}  // namespace ccbox::box
