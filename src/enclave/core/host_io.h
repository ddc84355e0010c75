// Built-in host services the trusted runtime uses: writing to the host's stdout/stderr,
// the host's clock, and sleeping. Trust domain: enclave. The host's answers are untrusted:
// callers must treat the time as a hint, never as a security input.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ccbox::enclave {

// Writes all of `data` to the host's descriptor 1 or 2. Returns bytes written or -1.
long host_write(int fd, const void* data, size_t size);
// CLOCK_REALTIME or CLOCK_MONOTONIC from the host: false if the host did not answer.
bool host_clock(int clock_id, int64_t* seconds, int64_t* nanoseconds);
void host_sleep(uint64_t nanoseconds);

}  // namespace ccbox::enclave
