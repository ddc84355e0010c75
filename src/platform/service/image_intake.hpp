// The platform's own copy of an enclave image and what it computes from it (issue 16 §4):
// the image behind the host's descriptor is read once, into memory the platform owns and a
// sealed memfd made from the same bytes; the layout, the EPC pages, the SIGSTRUCT checks and
// the identity come from that copy, and the enclave process loads the very same bytes. A host
// that rewrites its file meanwhile changes nothing the platform answers for. Trust domain:
// platform.
#pragma once

#include "platform/loader.hpp"
#include "support/result.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ccbox {

struct ImageIntake {
    int memfd = -1;  // sealed against any change (write, grow, shrink, new seals); the caller closes it
    EnclaveIdentity identity;  // what EINIT commits to for this copy (attributes with INIT)
    uint64_t epc_pages = 0;    // every page the layout adds, plus the SECS
    uint64_t enclave_size = 0; // ELRANGE
    uint32_t tcs_count = 0;
    std::vector<uint16_t> page_flags;  // SECINFO flags of each page of ELRANGE (0: not added), for paging
};

// Reads `fd` (a regular file of at most 512 MiB; `name` names it in messages),
// makes the sealed copy and computes its layout and identity for a launch with `options`.
// Can take long (the image is measured): the platform runs it off its serving thread.
// `reserve` is asked for the image's size before anything is read, and may refuse; exactly that
// many bytes are read (a file that grows meanwhile is read up to the size that was reserved).
Result<ImageIntake> take_in_image(int fd, const std::string& name, const LoadOptions& options,
                                  const std::function<Result<void>(uint64_t bytes)>& reserve);

}  // namespace ccbox
