#include "enclave/core/host_io.h"

#include "common/call_abi.h"
#include "enclave/core/ocall_builtins.h"

#include <string.h>

namespace ccbox::enclave {

long host_write(int fd, const void* data, size_t size) {
    if (fd != 1 && fd != 2)
        return -1;
    const auto* p = static_cast<const uint8_t*>(data);
    size_t done = 0;
    while (done < size) {
        // Leave room for the request header and the call slot in the scratch memory.
        size_t room = scratch_available();
        if (room < 512)
            return done ? static_cast<long>(done) : -1;
        size_t chunk = size - done;
        if (chunk > room - 256)
            chunk = room - 256;
        if (chunk > 16384)
            chunk = 16384;
        uint8_t request[16384 + 8];
        uint32_t fd32 = static_cast<uint32_t>(fd);
        memcpy(request, &fd32, 4);
        memset(request + 4, 0, 4);
        memcpy(request + 8, p + done, chunk);
        uint64_t written = 0;
        if (call_builtin(CCBOX_OCALL_WRITE, request, chunk + 8, &written, sizeof written, nullptr) != CCBOX_OK ||
            written == 0 || written > chunk)
            return done ? static_cast<long>(done) : -1;
        done += written;
    }
    return static_cast<long>(done);
}

bool host_clock(int clock_id, int64_t* seconds, int64_t* nanoseconds) {
    uint32_t in = static_cast<uint32_t>(clock_id);
    int64_t out[2] = {0, 0};
    size_t written = 0;
    if (call_builtin(CCBOX_OCALL_CLOCK, &in, sizeof in, out, sizeof out, &written) != CCBOX_OK ||
        written != sizeof out || out[1] < 0 || out[1] >= 1000000000)
        return false;
    *seconds = out[0];
    *nanoseconds = out[1];
    return true;
}

void host_sleep(uint64_t nanoseconds) {
    (void)call_builtin(CCBOX_OCALL_SLEEP, &nanoseconds, sizeof nanoseconds, nullptr, 0, nullptr);
}

}  // namespace ccbox::enclave
