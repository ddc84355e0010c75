#include "platform/service/protocol.hpp"

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace ccbox::protocol {
namespace {

Error protocol_error(const std::string& what) { return Error(CCBOX_PROTOCOL_ERROR, "platform protocol: " + what); }

const char kConnectionClosed[] = "platform protocol: connection closed";
Error connection_closed_error() { return Error(CCBOX_PROTOCOL_ERROR, kConnectionClosed); }

Result<void> check_header(const FrameHeader& header);
bool take_descriptors(msghdr& msg, std::vector<int>* fds);
void close_all(std::vector<int>& fds);

// Reads exactly `size` bytes (the first read may also bring descriptors).
Result<void> read_exact(int socket, uint8_t* out, size_t size, std::vector<int>* fds) {
    size_t done = 0;
    while (done < size) {
        struct iovec iov {out + done, size - done};
        alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)];
        struct msghdr msg {};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        if (fds) {
            msg.msg_control = control;
            msg.msg_controllen = sizeof control;
        }
        ssize_t n = ::recvmsg(socket, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return protocol_error(std::string("receive failed: ") + std::strerror(errno));
        if (n == 0)
            return connection_closed_error();
        if (fds && !take_descriptors(msg, fds)) {
            close_all(*fds);
            return protocol_error("too many descriptors");
        }
        done += static_cast<size_t>(n);
    }
    return ok_result();
}

// The checks a frame header must pass before its payload is read.
Result<void> check_header(const FrameHeader& header) {
    if (header.magic != kMagic)
        return protocol_error("bad magic (not a ccbox platform peer)");
    if (header.version != kVersion)
        return protocol_error("unsupported version " + std::to_string(header.version) + " (this platform speaks " +
                              std::to_string(kVersion) + ")");
    if (header.length > kMaxPayload)
        return protocol_error("payload of " + std::to_string(header.length) + " bytes exceeds the limit");
    if (header.reserved != 0)
        return protocol_error("reserved header field is not zero");
    return ok_result();
}

// Appends the descriptors of a received message to `fds`; false if some were cut off.
bool take_descriptors(msghdr& msg, std::vector<int>* fds) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (size_t i = 0; i < count; ++i) {
                int fd;
                std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
                fds->push_back(fd);
            }
        }
    return !(msg.msg_flags & MSG_CTRUNC);
}

void (*g_closer)(int) = nullptr;

void close_all(std::vector<int>& fds) {
    for (int fd : fds)
        if (fd >= 0)
            close_received_descriptor(fd);
    fds.clear();
}

}  // namespace

bool is_connection_closed(const Error& error) {
    return error.code() == CCBOX_PROTOCOL_ERROR && error.message() == kConnectionClosed;
}

FrameReader::FrameReader(FrameReader&& other) noexcept
    : buffer_(std::move(other.buffer_)), fds_(std::move(other.fds_)) {
    other.fds_.clear();
}

FrameReader& FrameReader::operator=(FrameReader&& other) noexcept {
    if (this != &other) {
        close_all(fds_);
        buffer_ = std::move(other.buffer_);
        fds_ = std::move(other.fds_);
        other.fds_.clear();
    }
    return *this;
}

FrameReader::~FrameReader() { close_all(fds_); }

Result<std::optional<Message>> FrameReader::receive(int socket) {
    for (;;) {
        // How much of the current frame is still missing: never read past its end, so the
        // descriptors of a following frame cannot be taken for this one's.
        size_t wanted = sizeof(FrameHeader);
        if (buffer_.size() >= sizeof(FrameHeader)) {
            FrameHeader header;
            std::memcpy(&header, buffer_.data(), sizeof header);
            if (auto bad = check_header(header); !bad.ok()) {
                close_all(fds_);
                return std::move(bad).error();
            }
            wanted = sizeof header + header.length;
            if (buffer_.size() == wanted) {
                Message message;
                message.type = static_cast<Type>(header.type);
                message.payload.assign(buffer_.begin() + sizeof header, buffer_.end());
                message.fds = std::move(fds_);
                fds_.clear();
                buffer_.clear();
                return std::optional<Message>(std::move(message));
            }
        }
        const size_t offset = buffer_.size();
        buffer_.resize(wanted);
        struct iovec iov {buffer_.data() + offset, wanted - offset};
        alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)];
        struct msghdr msg {};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        ssize_t n = ::recvmsg(socket, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
        buffer_.resize(offset + (n > 0 ? static_cast<size_t>(n) : 0));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return std::optional<Message>();
        if (n < 0) {
            close_all(fds_);
            return protocol_error(std::string("receive failed: ") + std::strerror(errno));
        }
        if (n == 0) {
            close_all(fds_);
            return connection_closed_error();
        }
        if (!take_descriptors(msg, &fds_) || fds_.size() > static_cast<size_t>(kMaxFds)) {
            close_all(fds_);
            return protocol_error("too many descriptors");
        }
    }
}

void Message::close_fds() { close_all(fds); }

void set_received_descriptor_closer(void (*closer)(int)) { g_closer = closer; }

void close_received_descriptor(int fd) {
    if (g_closer)
        g_closer(fd);
    else
        ::close(fd);
}

Result<void> send_message(int socket, Type type, std::span<const uint8_t> payload, std::span<const int> fds) {
    if (payload.size() > kMaxPayload || fds.size() > static_cast<size_t>(kMaxFds))
        return protocol_error("message too large");
    FrameHeader header{kMagic, kVersion, static_cast<uint16_t>(type), static_cast<uint32_t>(payload.size()), 0};
    struct iovec iov[2] = {{&header, sizeof header}, {const_cast<uint8_t*>(payload.data()), payload.size()}};
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)] = {};
    struct msghdr msg {};
    msg.msg_iov = iov;
    msg.msg_iovlen = payload.empty() ? 1 : 2;
    if (!fds.empty()) {
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
        std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
    }
    size_t total = sizeof header + payload.size(), sent = 0;
    while (sent < total) {
        ssize_t n = ::sendmsg(socket, &msg, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return protocol_error(std::string("send failed: ") + std::strerror(errno));
        sent += static_cast<size_t>(n);
        if (sent == total)
            break;
        // Partial write: continue with the remaining bytes, descriptors already went.
        msg.msg_control = nullptr;
        msg.msg_controllen = 0;
        size_t skip = static_cast<size_t>(n);
        while (skip > 0 && msg.msg_iovlen > 0) {
            if (skip >= msg.msg_iov[0].iov_len) {
                skip -= msg.msg_iov[0].iov_len;
                ++msg.msg_iov;
                --msg.msg_iovlen;
            } else {
                msg.msg_iov[0].iov_base = static_cast<uint8_t*>(msg.msg_iov[0].iov_base) + skip;
                msg.msg_iov[0].iov_len -= skip;
                skip = 0;
            }
        }
    }
    return ok_result();
}

Result<Message> receive_message(int socket) {
    Message message;
    FrameHeader header{};
    auto r = read_exact(socket, reinterpret_cast<uint8_t*>(&header), sizeof header, &message.fds);
    if (!r.ok()) {
        message.close_fds();
        return std::move(r).error();
    }
    if (auto bad = check_header(header); !bad.ok()) {
        message.close_fds();
        return std::move(bad).error();
    }
    message.type = static_cast<Type>(header.type);
    message.payload.resize(header.length);
    r = read_exact(socket, message.payload.data(), header.length, nullptr);
    if (!r.ok()) {
        message.close_fds();
        return std::move(r).error();
    }
    return message;
}

Writer& Writer::put_bytes(std::span<const uint8_t> data) {
    bytes_.insert(bytes_.end(), data.begin(), data.end());
    return *this;
}

Writer& Writer::put_string(const std::string& s) {
    put(static_cast<uint32_t>(s.size()));
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    return *this;
}

bool Reader::get_bytes(uint8_t* out, size_t size) {
    if (data_.size() - pos_ < size)
        return false;
    std::memcpy(out, data_.data() + pos_, size);
    pos_ += size;
    return true;
}

bool Reader::get_string(std::string* out, size_t max_size) {
    uint32_t size;
    if (!get(&size) || size > max_size || data_.size() - pos_ < size)
        return false;
    out->assign(reinterpret_cast<const char*>(data_.data() + pos_), size);
    pos_ += size;
    return true;
}

Result<void> send_error(int socket, const Error& error) {
    Writer w;
    w.put(static_cast<uint32_t>(error.code())).put_string(error.message());
    return send_message(socket, Type::kError, w.bytes());
}

Error error_from(const Message& message) {
    Reader r(message.payload);
    uint32_t code = 0;
    std::string text;
    if (message.type != Type::kError || !r.get(&code) || !r.get_string(&text) || code >= CCBOX_RESULT_COUNT_)
        return Error(CCBOX_PROTOCOL_ERROR, "platform protocol: unexpected reply");
    return Error(static_cast<ccbox_result_t>(code), text);
}

}  // namespace ccbox::protocol
