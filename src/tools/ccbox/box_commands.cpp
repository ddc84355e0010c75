// `ccbox box …` (docs/box-format.md). Files stream through the envelope in 1 MiB reads, so any
// size passes in constant memory. Output is atomic: it goes to a temporary file next to OUT,
// which is renamed over OUT only after the final chunk has been written (encrypt) or has
// verified (decrypt); on any error the temporary file is removed and OUT is untouched.
#include "tools/ccbox/box_commands.hpp"

#include <ccbox/box.hpp>
#include "support/result.hpp"

#include <openssl/rand.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace ccbox {
namespace {

std::string errno_text() { return std::strerror(errno); }

// Reads a data key: 32 raw bytes, or 64 hex digits (optionally followed by a newline).
Result<std::string> read_key(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error(CCBOX_IO_ERROR, path + ": cannot open the key file: " + errno_text());
    char buf[80];
    ssize_t n = ::read(fd, buf, sizeof buf);
    ::close(fd);
    if (n < 0)
        return Error(CCBOX_IO_ERROR, path + ": cannot read the key file: " + errno_text());
    std::string key;
    if (n == 32) {
        key.assign(buf, 32);
    } else if (n == 64 || (n == 65 && buf[64] == '\n')) {
        for (int i = 0; i < 64; i += 2) {
            auto nibble = [](char c) {
                return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                     : c >= 'A' && c <= 'F'   ? c - 'A' + 10
                                                                              : -1;
            };
            int hi = nibble(buf[i]), lo = nibble(buf[i + 1]);
            if (hi < 0 || lo < 0)
                return Error(CCBOX_INVALID_PARAMETER, path + ": the key file is neither 32 raw bytes nor 64 hex digits");
            key.push_back(char(hi * 16 + lo));
        }
    } else {
        return Error(CCBOX_INVALID_PARAMETER, path + ": the key file has " + std::to_string(n) +
                                                  " bytes; expected a 32-byte AES-256 key (raw, or 64 hex digits)");
    }
    explicit_bzero(buf, sizeof buf);
    return key;
}

// A temporary file in OUT's directory, renamed over OUT by commit(), removed otherwise.
class AtomicOutput {
public:
    explicit AtomicOutput(std::string out) : out_(std::move(out)), tmp_(out_ + ".tmp.XXXXXX") {}
    ~AtomicOutput() {
        if (fd_ >= 0)
            ::close(fd_);
        if (!committed_ && opened_)
            ::unlink(tmp_.c_str());
    }
    Result<void> open(mode_t mode) {
        fd_ = ::mkstemp(tmp_.data());
        if (fd_ < 0)
            return Error(CCBOX_IO_ERROR, out_ + ": cannot create a temporary file next to it: " + errno_text());
        opened_ = true;
        if (::fchmod(fd_, mode) != 0)
            return Error(CCBOX_IO_ERROR, tmp_ + ": " + errno_text());
        return ok_result();
    }
    bool write(const uint8_t* data, size_t size) {
        while (size > 0) {
            ssize_t n = ::write(fd_, data, size);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                error_ = out_ + ": write failed: " + errno_text();
                return false;
            }
            data += n;
            size -= size_t(n);
        }
        return true;
    }
    Result<void> commit() {
        if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
            fd_ = -1;
            return Error(CCBOX_IO_ERROR, out_ + ": cannot flush: " + errno_text());
        }
        fd_ = -1;
        if (::rename(tmp_.c_str(), out_.c_str()) != 0)
            return Error(CCBOX_IO_ERROR, out_ + ": cannot rename the temporary file over it: " + errno_text());
        committed_ = true;
        return ok_result();
    }
    const std::string& error() const { return error_; }

private:
    std::string out_, tmp_, error_;
    int fd_ = -1;
    bool opened_ = false, committed_ = false;
};

bool sink_to_file(void* context, const uint8_t* data, size_t size, bool) {
    return static_cast<AtomicOutput*>(context)->write(data, size);
}

// Streams IN through `feed` (1 MiB at a time).
template <typename Feed>
Result<void> stream_file(const std::string& in, Feed&& feed) {
    int fd = ::open(in.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error(CCBOX_IO_ERROR, in + ": cannot open: " + errno_text());
    std::string buffer(1 << 20, '\0');
    for (;;) {
        ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ::close(fd);
            return Error(CCBOX_IO_ERROR, in + ": read failed: " + errno_text());
        }
        if (n == 0)
            break;
        Result<void> r = feed(reinterpret_cast<const uint8_t*>(buffer.data()), size_t(n));
        if (!r.ok()) {
            ::close(fd);
            explicit_bzero(buffer.data(), buffer.size());
            return r;
        }
    }
    ::close(fd);
    explicit_bzero(buffer.data(), buffer.size());
    return ok_result();
}

Error box_error(const std::string& file, box::Error e, const AtomicOutput* out = nullptr) {
    if (e == box::Error::sink_failed && out && !out->error().empty())
        return Error(CCBOX_IO_ERROR, out->error());
    return Error(e == box::Error::authentication_failed ? CCBOX_VERIFY_FAILED : CCBOX_INVALID_PARAMETER,
                 file + ": " + box::error_text(e));
}

struct BoxOptions {
    std::string key, key_id, in, out;
    std::string result_key;  // encrypt: commit the header to this key (docs/box-format.md)
    uint32_t chunk_size = box::kDefaultChunkSize;
};

Result<void> box_encrypt(const BoxOptions& o) {
    CCBOX_ASSIGN_OR_RETURN(std::string key, read_key(o.key));
    std::string result_key;
    if (!o.result_key.empty()) {
        auto r = read_key(o.result_key);
        if (!r.ok()) {
            explicit_bzero(key.data(), key.size());
            return r.error();
        }
        result_key = std::move(r.value());
    }
    uint8_t file_id[box::kFileIdSize];
    if (RAND_bytes(file_id, sizeof file_id) != 1)
        return Error(CCBOX_CRYPTO_ERROR, "RAND_bytes failed");
    AtomicOutput out(o.out);
    CCBOX_TRY(out.open(0644));
    box::Encryptor enc(reinterpret_cast<const uint8_t*>(key.data()), key.size(), o.key_id.c_str(), o.chunk_size,
                       file_id, sink_to_file, &out);
    explicit_bzero(key.data(), key.size());
    if (!result_key.empty()) {
        box::Error e = enc.commit_result_key(reinterpret_cast<const uint8_t*>(result_key.data()), result_key.size());
        explicit_bzero(result_key.data(), result_key.size());
        if (e != box::Error::ok)
            return box_error(o.result_key, e);
    }
    CCBOX_TRY(stream_file(o.in, [&](const uint8_t* p, size_t n) -> Result<void> {
        box::Error e = enc.feed(p, n);
        return e == box::Error::ok ? ok_result() : Result<void>(box_error(o.out, e, &out));
    }));
    if (box::Error e = enc.finish(); e != box::Error::ok)
        return box_error(o.out, e, &out);
    return out.commit();
}

Result<void> box_decrypt(const BoxOptions& o) {
    CCBOX_ASSIGN_OR_RETURN(std::string key, read_key(o.key));
    AtomicOutput out(o.out);
    CCBOX_TRY(out.open(0600));
    box::Decryptor dec(reinterpret_cast<const uint8_t*>(key.data()), key.size(), sink_to_file, &out);
    explicit_bzero(key.data(), key.size());
    CCBOX_TRY(stream_file(o.in, [&](const uint8_t* p, size_t n) -> Result<void> {
        box::Error e = dec.feed(p, n);
        return e == box::Error::ok ? ok_result() : Result<void>(box_error(o.in, e, &out));
    }));
    if (box::Error e = dec.finish(); e != box::Error::ok)
        return box_error(o.in, e, &out);
    return out.commit();
}

Result<void> box_keygen(const std::string& out_path) {
    uint8_t key[box::kKeySize];
    if (RAND_bytes(key, sizeof key) != 1)
        return Error(CCBOX_CRYPTO_ERROR, "RAND_bytes failed");
    struct stat st {};
    if (::stat(out_path.c_str(), &st) == 0)
        return Error(CCBOX_ALREADY_EXISTS, out_path + ": already exists");
    AtomicOutput out(out_path);
    CCBOX_TRY(out.open(0600));
    const bool written = out.write(key, sizeof key);
    explicit_bzero(key, sizeof key);
    if (!written)
        return Error(CCBOX_IO_ERROR, out.error());
    return out.commit();
}

// The header, read without the key (it is not secret): key id, chunk size, file id.
Result<void> box_inspect(const std::string& in) {
    static const uint8_t kZeroKey[box::kKeySize] = {};
    box::Decryptor dec(kZeroKey, sizeof kZeroKey, nullptr, nullptr);
    int fd = ::open(in.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error(CCBOX_IO_ERROR, in + ": cannot open: " + errno_text());
    uint8_t head[box::kFixedHeaderSize + box::kMaxKeyIdSize + box::kResultKeyCheckSize];
    ssize_t n = ::read(fd, head, sizeof head);
    struct stat st {};
    ::fstat(fd, &st);
    ::close(fd);
    if (n < 0)
        return Error(CCBOX_IO_ERROR, in + ": read failed: " + errno_text());
    size_t want = box::kFixedHeaderSize;
    if (size_t(n) >= box::kFixedHeaderSize)
        want += head[48] + ((head[49] & box::kFlagResultKeyCheck) ? box::kResultKeyCheckSize : 0);
    box::Error e = dec.feed(head, size_t(n) < want ? size_t(n) : want);
    if (e == box::Error::ok && !dec.header_ready())
        e = box::Error::truncated;
    if (e != box::Error::ok)
        return box_error(in, e);
    const box::Header& h = dec.header();
    auto hex = [](const uint8_t* p, size_t size) {
        std::string s;
        for (size_t i = 0; i < size; ++i) {
            char two[3];
            std::snprintf(two, sizeof two, "%02x", p[i]);
            s += two;
        }
        return s;
    };
    const std::string file_id = hex(h.file_id, sizeof h.file_id);
    const std::string check = h.has_result_key_check
                                  ? "committed (check " + hex(h.result_key_check, sizeof h.result_key_check) + ")"
                                  : "none";
    std::printf("format:     ccbox box envelope v%u\nkey id:     %s\nchunk size: %u\nfile id:    %s\n"
                "result key: %s\nfile size:  %lld\n",
                unsigned(box::kVersion), h.key_id, h.chunk_size, file_id.c_str(), check.c_str(),
                static_cast<long long>(st.st_size));
    return ok_result();
}

class Commands final : public BoxCommands {
public:
    explicit Commands(CLI::App& app) {
        box_ = app.add_subcommand("box", "The data owner's envelope: encrypt data for an enclave, decrypt results");
        box_->require_subcommand(1);
        keygen_ = box_->add_subcommand("keygen", "Make a random 32-byte data key (development; a broker makes them)");
        keygen_->add_option("--out", keygen_out_, "key file (mode 0600; must not exist)")->required();
        encrypt_ = box_->add_subcommand("encrypt", "Encrypt IN into the envelope OUT");
        encrypt_->add_option("--key", enc_.key, "data key: 32 bytes raw or 64 hex digits")->required();
        encrypt_->add_option("--key-id", enc_.key_id, "the key's id at the broker (printable ASCII, ≤ 255)")
            ->required();
        encrypt_->add_option("--result-key", enc_.result_key,
                             "commit the envelope to the key the job's result must be encrypted under "
                             "(a key file as --key; required by samples/confidential-analytics)");
        encrypt_->add_option("--chunk-size", enc_.chunk_size, "plaintext bytes per chunk (256 B … 16 MiB)")
            ->capture_default_str();
        encrypt_->add_option("IN", enc_.in)->required();
        encrypt_->add_option("OUT", enc_.out)->required();
        decrypt_ = box_->add_subcommand("decrypt", "Decrypt and verify the envelope IN into OUT");
        decrypt_->add_option("--key", dec_.key, "data key: 32 bytes raw or 64 hex digits")->required();
        decrypt_->add_option("IN", dec_.in)->required();
        decrypt_->add_option("OUT", dec_.out)->required();
        inspect_ = box_->add_subcommand("inspect", "Show an envelope's header (no key needed)");
        inspect_->add_option("IN", inspect_in_)->required();
    }
    int run() override {
        Result<void> r = ok_result();
        if (*keygen_)
            r = box_keygen(keygen_out_);
        else if (*encrypt_)
            r = box_encrypt(enc_);
        else if (*decrypt_)
            r = box_decrypt(dec_);
        else if (*inspect_)
            r = box_inspect(inspect_in_);
        else
            return -1;
        if (r.ok())
            return 0;
        std::fprintf(stderr, "ccbox: error: %s\n", r.error().message().c_str());
        return 1;
    }

private:
    CLI::App *box_, *keygen_, *encrypt_, *decrypt_, *inspect_;
    BoxOptions enc_, dec_;
    std::string keygen_out_, inspect_in_;
};

}  // namespace

std::unique_ptr<BoxCommands> register_box_commands(CLI::App& app) { return std::make_unique<Commands>(app); }

}  // namespace ccbox
