#include "support/file_io.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ccbox {
namespace {

Error io_error(const std::string& path, const char* what, int err) {
    return Error(CCBOX_IO_ERROR, path + ": " + what + ": " + std::strerror(err));
}

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

}  // namespace

Result<Bytes> read_file(const std::string& path, uint64_t max_size) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        return io_error(path, "cannot open", errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        return io_error(path, "cannot stat", errno);
    if (!S_ISREG(st.st_mode))
        return Error(CCBOX_IO_ERROR, path + ": not a regular file");
    if (static_cast<uint64_t>(st.st_size) > max_size)
        return Error(CCBOX_IO_ERROR, path + ": file is too large (" + std::to_string(st.st_size) +
                                         " bytes, at most " + std::to_string(max_size) + ")");
    Bytes data(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::read(fd.get(), data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_error(path, "cannot read", errno);
        if (n == 0)
            break;
        done += static_cast<size_t>(n);
    }
    data.resize(done);
    return data;
}

Result<void> write_file_atomic(const std::string& path, std::span<const uint8_t> data, unsigned mode) {
    std::string dir = ".";
    if (auto slash = path.rfind('/'); slash != std::string::npos)
        dir = slash == 0 ? "/" : path.substr(0, slash);
    std::string tmp_template = path + ".tmp.XXXXXX";
    std::vector<char> tmp_name(tmp_template.begin(), tmp_template.end());
    tmp_name.push_back('\0');
    FileDescriptor fd(::mkostemp(tmp_name.data(), O_CLOEXEC));
    if (fd.get() < 0)
        return io_error(dir, "cannot create a temporary file", errno);
    std::string tmp_path(tmp_name.data());
    auto fail = [&](const char* what) {
        int err = errno;
        ::unlink(tmp_path.c_str());
        return io_error(path, what, err);
    };
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail("cannot write");
        done += static_cast<size_t>(n);
    }
    mode_t mask = ::umask(0);
    ::umask(mask);
    if (::fchmod(fd.get(), static_cast<mode_t>(mode) & ~mask) != 0)
        return fail("cannot set permissions");
    if (::fsync(fd.get()) != 0)
        return fail("cannot flush");
    if (::close(fd.release()) != 0)
        return fail("cannot close");
    if (::rename(tmp_path.c_str(), path.c_str()) != 0)
        return fail("cannot replace");
    return ok_result();
}

}  // namespace ccbox
