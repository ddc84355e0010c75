// The platform protocol: framed messages on the ccboxd Unix socket (host <-> platform) and
// on the control socket of each enclave process (platform <-> enclave process).
// Trust domain: platform. Every frame is untrusted input for its receiver; see
// docs/platform-protocol.md for the format.
#pragma once

#include "support/result.hpp"

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ccbox::protocol {

inline constexpr uint32_t kMagic = 0x50584243;  // "CBXP"
inline constexpr uint16_t kVersion = 1;
inline constexpr uint32_t kMaxPayload = 1 << 20;
inline constexpr int kMaxFds = 4;

enum class Type : uint16_t {
    kError = 1,             // platform -> host: {u32 result, string message}
    kCreateEnclave = 2,     // host -> platform: CreateRequest + fds {image, arena memfd}
    kEnclaveCreated = 3,    // platform -> host: CreateReply + fds {pidfd}
    kTerminateEnclave = 4,  // host -> platform: {u64 enclave id}
    kOk = 5,                // platform -> host: {}
    kStatus = 6,            // host -> platform: {}
    kStatusReply = 7,       // platform -> host: JSON text
    kStop = 8,              // host -> platform: {}
    kQeTargetInfo = 9,      // host -> platform: {}  (docs/attestation.md)
    kQeTargetInfoReply = 10,  // platform -> host: TARGETINFO of the QE (512 B)
    kGetQuote = 11,         // host -> platform: REPORT targeted at the QE (432 B)
    kQuoteReply = 12,       // platform -> host: the quote
    kPckRequest = 13,       // host -> platform: {}  (`ccbox platform provision`)
    kPckRequestReply = 14,  // platform -> host: {u32 CSR size, CSR (DER), SGX extension fields (DER)}
    kStorePckChain = 15,    // host -> platform: the issued chain (PEM); only the platform's uid or root
    kBackingStore = 16,     // host -> platform: {u64 enclave id}; only with --paging-test-hook (docs/paging.md)
    kBackingStoreReply = 17,  // platform -> host: BackingStoreReply + fds {backing memfd}
    // platform <-> enclave process
    kLoad = 20,             // platform -> enclave process: LoadRequest + fds {image, arena memfd}
    kLoaded = 21,           // enclave process -> platform: LoadReply
    kEgetkey = 22,          // enclave process -> platform: KEYREQUEST (512 B)
    kEgetkeyReply = 23,     // platform -> enclave process: {u32 status, 16-byte key}
    kEreport = 24,          // enclave process -> platform: TARGETINFO (512 B) + REPORTDATA (64 B)
    kEreportReply = 25,     // platform -> enclave process: {u32 status, REPORT (432 B)}
    kStart = 26,            // platform -> enclave process: {} (the report matched: become callable)
    kStarted = 27,          // enclave process -> platform: {} (doorbells cleared, workers free to enter)
    kPaging = 28,           // enclave process -> platform: {u64 base, u64 size} + fds {userfaultfd}
};

struct FrameHeader {
    uint32_t magic;
    uint16_t version;
    uint16_t type;
    uint32_t length;  // payload bytes
    uint32_t reserved;
};
static_assert(sizeof(FrameHeader) == 16);

struct Message {
    Type type = Type::kError;
    std::vector<uint8_t> payload;
    std::vector<int> fds;  // received descriptors; the receiver owns (and must close) them

    void close_fds();
};

// Sends one frame (and optional descriptors) on a stream socket.
Result<void> send_message(int socket, Type type, std::span<const uint8_t> payload, std::span<const int> fds = {});
// Receives one frame. A closed connection, a short frame, a wrong magic or version, an
// oversized length or unexpected descriptors are errors (CCBOX_PROTOCOL_ERROR); the caller
// then drops the connection.
Result<Message> receive_message(int socket);
// Whether a receive failed only because the peer closed the connection (between messages or
// in the middle of one).
bool is_connection_closed(const Error& error);

// Assembles frames from a non-blocking socket, so that a peer that sends part of a frame and
// stops can never stall the reader: receive() takes what the socket has and returns a
// complete message, nothing yet (std::nullopt), or an error (the peer closed the connection,
// or sent a malformed header, which is refused as soon as its 16 bytes are in).
class FrameReader {
public:
    FrameReader() = default;
    FrameReader(const FrameReader&) = delete;
    FrameReader& operator=(const FrameReader&) = delete;
    FrameReader(FrameReader&& other) noexcept;
    FrameReader& operator=(FrameReader&& other) noexcept;
    ~FrameReader();

    Result<std::optional<Message>> receive(int socket);

private:
    std::vector<uint8_t> buffer_;  // the frame so far
    std::vector<int> fds_;         // descriptors that came with it
};

// Payload building and parsing with bounds checks.
class Writer {
public:
    template <typename T>
    Writer& put(const T& value) {
        // resize + memcpy rather than insert(): gcc 12 at -O3 reports a false
        // -Wstringop-overflow in vector's range insert into an empty vector.
        const size_t at = bytes_.size();
        bytes_.resize(at + sizeof(T));
        std::memcpy(bytes_.data() + at, &value, sizeof(T));
        return *this;
    }
    Writer& put_bytes(std::span<const uint8_t> data);
    Writer& put_string(const std::string& s);
    const std::vector<uint8_t>& bytes() const { return bytes_; }

private:
    std::vector<uint8_t> bytes_;
};

class Reader {
public:
    explicit Reader(std::span<const uint8_t> data) : data_(data) {}
    template <typename T>
    bool get(T* value) {
        if (data_.size() - pos_ < sizeof(T))
            return false;
        std::memcpy(value, data_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return true;
    }
    bool get_bytes(uint8_t* out, size_t size);
    bool get_string(std::string* out, size_t max_size = 65536);
    bool at_end() const { return pos_ == data_.size(); }

private:
    std::span<const uint8_t> data_;
    size_t pos_ = 0;
};

// Descriptors a peer sent are closed through this (default: close()). Closing can block (a FUSE
// file's flush, a socket that lingers), so the platform hands them to a thread of its own.
void set_received_descriptor_closer(void (*closer)(int));
void close_received_descriptor(int fd);

// Error frames carry a result code and a message.
Result<void> send_error(int socket, const Error& error);
Error error_from(const Message& message);

}  // namespace ccbox::protocol
