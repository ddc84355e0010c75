// The test enclave shared by the end-to-end tests, and helpers to call it with hand-made
// marshalling buffers.
#pragma once

#include "edl_test_u.h"

#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

namespace edl_test {

// CCBOX_ENCLAVE_FLAG_DEBUG plus the backend CCBOX_TEST_BACKEND=sim|isolated names (sim by default).
uint32_t creation_flags();
// Whether the tests run on the isolated backend (the enclave in its own process).
bool isolated_backend();
// The creation settings: a private test platform in the isolated backend, none in sim.
const ccbox_enclave_setting_t* creation_settings();
uint32_t creation_setting_count();
// Path of the signed test enclave image.
const char* enclave_path();
// The enclave all tests share (created on first use, terminated at exit).
ccbox_enclave_t* enclave();

// Run by the host's ocall_block_for_flip on another thread, while the enclave waits.
extern std::function<void()> g_flip_action;
// What the host got when, inside ocall_allow_reentry, it tried ECALLs.
extern ccbox_result_t g_reentry_private_result;
extern ccbox_result_t g_reentry_public_result;

// A marshalling buffer built by hand, in the format of docs/edl.md: 8-byte header slots,
// then data at 16-byte aligned offsets.
class Marshal {
public:
    explicit Marshal(size_t header_size) : bytes_(header_size, 0) {}
    void slot(size_t offset, uint64_t value) { std::memcpy(bytes_.data() + offset, &value, sizeof value); }
    size_t append(const void* data, size_t size) {
        size_t offset = (bytes_.size() + 15) & ~size_t{15};
        bytes_.resize(offset + size, 0);
        if (size)
            std::memcpy(bytes_.data() + offset, data, size);
        return offset;
    }
    uint8_t* data() { return bytes_.data(); }
    const uint8_t* data() const { return bytes_.data(); }
    size_t size() const { return bytes_.size(); }

private:
    std::vector<uint8_t> bytes_;
};

// Untrusted memory the enclave reads and writes directly: the arena in the isolated backend,
// the host heap in sim. The host can change it at any time, during a call too: this is what
// a hostile host hands the enclave.
class SharedBuffer {
public:
    explicit SharedBuffer(size_t size);
    explicit SharedBuffer(const Marshal& contents);
    ~SharedBuffer();
    SharedBuffer(const SharedBuffer&) = delete;
    SharedBuffer& operator=(const SharedBuffer&) = delete;
    uint8_t* data() const { return data_; }
    size_t size() const { return size_; }

private:
    uint8_t* data_;
    size_t size_;
};

// Where ELRANGE starts (the same address in the host's and in the enclave's view).
uintptr_t enclave_base();
// ECALL `function_id` with the call slot holding exactly these addresses: the host library
// neither checks them (inside the enclave, wrapping) nor copies them into the arena. This is
// what a host that does not use our library can do; the enclave's own checks must hold.
ccbox_result_t call_unchecked(uint32_t function_id, const void* input, size_t input_size, void* output,
                              size_t output_size, size_t* written);

}  // namespace edl_test
