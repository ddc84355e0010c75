#include "platform/service/image_intake.hpp"

#include "platform/enclave_image.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ccbox {
namespace {

// The largest image the platform copies (its copy and the memfd both hold it for a moment).
constexpr uint64_t kMaxPlatformImageBytes = uint64_t(512) << 20;

Result<int> sealed_copy(const Bytes& bytes, const std::string& name) {
    int fd = ::memfd_create("ccbox-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return Error(CCBOX_OUT_OF_MEMORY, name + ": cannot copy the image: memfd_create: " + std::strerror(errno));
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0) {
            const int e = errno;
            ::close(fd);
            return Error(CCBOX_OUT_OF_MEMORY, name + ": cannot copy the image: " + std::strerror(e));
        }
        done += static_cast<size_t>(n);
    }
    if (::fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
        const int e = errno;
        ::close(fd);
        return Error(CCBOX_PLATFORM_ERROR, name + ": cannot seal the image copy: " + std::strerror(e));
    }
    return fd;
}

}  // namespace

Result<ImageIntake> take_in_image(int fd, const std::string& name, const LoadOptions& options,
                                  const std::function<Result<void>(uint64_t bytes)>& reserve) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return Error(CCBOX_INVALID_IMAGE, name + ": the enclave image must be a regular file");
    if (static_cast<uint64_t>(st.st_size) > kMaxPlatformImageBytes)
        return Error(CCBOX_INVALID_IMAGE, name + ": the image is " + std::to_string(st.st_size >> 20) +
                                              " MiB; the platform takes images of at most " +
                                              std::to_string(kMaxPlatformImageBytes >> 20) + " MiB");
    CCBOX_TRY(reserve(static_cast<uint64_t>(st.st_size)));
    // One read: what was read is what is measured and what the enclave process gets.
    Bytes bytes(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return Error(CCBOX_READ_FAILED, name + ": cannot read the image (it changed size while being read?)");
        done += static_cast<size_t>(n);
    }
    CCBOX_ASSIGN_OR_RETURN(int memfd, sealed_copy(bytes, name));
    ImageIntake intake;
    intake.memfd = memfd;
    auto computed = [&]() -> Result<void> {
        CCBOX_ASSIGN_OR_RETURN(ElfImage elf, ElfImage::parse(std::move(bytes), name));
        CCBOX_ASSIGN_OR_RETURN(EnclaveImage image, EnclaveImage::from_elf(std::move(elf)));
        CCBOX_ASSIGN_OR_RETURN(EnclaveLayout layout, image.layout());
        CCBOX_ASSIGN_OR_RETURN(intake.identity, expected_identity(image, layout, options));
        intake.epc_pages = layout.epc_pages();
        intake.enclave_size = layout.enclave_size();
        intake.tcs_count = static_cast<uint32_t>(layout.threads().size());
        intake.page_flags.assign(layout.enclave_size() / 4096, 0);
        for (const PageRange& range : layout.ranges())
            for (uint64_t i = 0; i < range.count; ++i)
                intake.page_flags[range.offset / 4096 + i] = static_cast<uint16_t>(range.secinfo_flags);
        return ok_result();
    }();
    if (!computed.ok()) {
        ::close(memfd);
        return std::move(computed).error();
    }
    return intake;
}

}  // namespace ccbox
