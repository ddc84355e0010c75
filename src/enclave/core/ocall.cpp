// Calls from the enclave to the host (OCALLs) and the untrusted memory they use.
// Trust domain: enclave. Nothing the host writes is trusted: results are read once, sizes
// are checked, and pointers the host returns must lie outside the enclave.
#include <ccbox/enclave.h>

#include "enclave/core/enclave_state.h"
#include "enclave/core/ocall_builtins.h"

#include <string.h>

namespace ccbox::enclave {
namespace {

constexpr uint64_t kAlign = 16;

uint64_t align_up(uint64_t v) { return (v + kAlign - 1) & ~(kAlign - 1); }

// Scratch memory is a stack: allocations come from its top and are released in reverse.
void* scratch_alloc(ThreadState* ts, size_t size) {
    uint64_t need = align_up(size == 0 ? 1 : size);
    if (need < size || ts->scratch_size - ts->scratch_used < need)
        return nullptr;
    void* p = reinterpret_cast<void*>(ts->scratch_base + ts->scratch_used);
    ts->scratch_used += need;
    return p;
}

bool in_scratch(const ThreadState* ts, uintptr_t p) {
    return p >= ts->scratch_base && p < ts->scratch_base + ts->scratch_size;
}

}  // namespace

ccbox_result_t call_host(uint32_t function_id, const void* input, size_t input_size, void* output, size_t output_size,
                         size_t* output_written) {
    ThreadState* ts = current_thread_state();
    if (ts->depth == 0)
        return CCBOX_UNEXPECTED;
    if ((input_size && !is_outside(reinterpret_cast<uintptr_t>(input), input_size)) ||
        (output_size && !is_outside(reinterpret_cast<uintptr_t>(output), output_size)))
        return CCBOX_INVALID_PARAMETER;
    auto* slot = static_cast<ccbox_call_slot_t*>(scratch_alloc(ts, sizeof(ccbox_call_slot_t)));
    if (!slot)
        return CCBOX_OUT_OF_MEMORY;
    ccbox_call_slot_t request{};
    request.function_id = function_id;
    request.input_buffer = reinterpret_cast<uintptr_t>(input);
    request.input_size = input_size;
    request.output_buffer = reinterpret_cast<uintptr_t>(output);
    request.output_size = output_size;
    request.result = CCBOX_UNEXPECTED;
    memcpy(slot, &request, sizeof request);

    const uint32_t outer_ocall = ts->current_ocall;
    ts->current_ocall = function_id;
    ccbox_enclave_exit_ocall(current_td(), CCBOX_EXIT_OCALL, reinterpret_cast<uintptr_t>(slot));
    ts->current_ocall = outer_ocall;

    ccbox_call_slot_t answer;
    memcpy(&answer, slot, sizeof answer);
    ts->scratch_used = reinterpret_cast<uintptr_t>(slot) - ts->scratch_base;
    if (answer.result >= CCBOX_RESULT_COUNT_)
        return CCBOX_UNEXPECTED;
    if (answer.output_written > output_size)
        return CCBOX_UNEXPECTED;
    if (output_written)
        *output_written = answer.output_written;
    return static_cast<ccbox_result_t>(answer.result);
}

ccbox_result_t call_builtin(uint32_t function_id, const void* input, size_t input_size, void* output,
                            size_t output_size, size_t* output_written) {
    ThreadState* ts = current_thread_state();
    if (ts->depth == 0)
        return CCBOX_UNEXPECTED;
    const uint64_t mark = ts->scratch_used;
    auto* in = static_cast<uint8_t*>(scratch_alloc(ts, input_size));
    auto* out = static_cast<uint8_t*>(scratch_alloc(ts, output_size));
    if (!in || !out) {
        ts->scratch_used = mark;
        return CCBOX_OUT_OF_MEMORY;
    }
    if (input_size)  // input may be null when there is none
        memcpy(in, input, input_size);
    size_t written = 0;
    ccbox_result_t r = call_host(function_id, in, input_size, out, output_size, &written);
    if (r == CCBOX_OK) {
        // call_host wrote at most output_size bytes; output may be null when that is 0, and
        // memcpy's arguments may not be, even for no bytes.
        if (output_size != 0)
            memcpy(output, out, written);
        if (output_written)
            *output_written = written;
    }
    ts->scratch_used = mark;
    return r;
}

size_t scratch_available() {
    const ThreadState* ts = current_thread_state();
    return ts->depth == 0 ? 0 : ts->scratch_size - ts->scratch_used;
}

}  // namespace ccbox::enclave

using namespace ccbox::enclave;

extern "C" ccbox_result_t ccbox_call_host_function(uint32_t function_id, const void* input_buffer,
                                                   size_t input_buffer_size, void* output_buffer,
                                                   size_t output_buffer_size, size_t* output_bytes_written) {
    if (function_id >= CCBOX_BUILTIN_CALL_BASE)
        return CCBOX_INVALID_PARAMETER;
    return call_host(function_id, input_buffer, input_buffer_size, output_buffer, output_buffer_size,
                     output_bytes_written);
}

extern "C" void* ccbox_allocate_ocall_buffer(size_t size) {
    ThreadState* ts = current_thread_state();
    if (ts->depth == 0)
        return nullptr;
    if (void* p = scratch_alloc(ts, size))
        return p;
    return ccbox_host_malloc(size);
}

extern "C" void ccbox_free_ocall_buffer(void* buffer) {
    if (!buffer)
        return;
    ThreadState* ts = current_thread_state();
    auto p = reinterpret_cast<uintptr_t>(buffer);
    if (in_scratch(ts, p)) {
        if (p - ts->scratch_base < ts->scratch_used)
            ts->scratch_used = p - ts->scratch_base;
        return;
    }
    ccbox_host_free(buffer);
}

extern "C" void* ccbox_host_malloc(size_t size) {
    uint64_t in = size, pointer = 0;
    if (call_builtin(CCBOX_OCALL_MALLOC, &in, sizeof in, &pointer, sizeof pointer, nullptr) != CCBOX_OK)
        return nullptr;
    if (pointer == 0 || !is_outside(pointer, size)) {
        // A host that answers with enclave memory is hostile; refuse to use it.
        return nullptr;
    }
    return reinterpret_cast<void*>(pointer);
}

extern "C" void* ccbox_host_calloc(size_t nmemb, size_t size) {
    size_t total;
    if (__builtin_mul_overflow(nmemb, size, &total))
        return nullptr;
    void* p = ccbox_host_malloc(total);
    if (p)
        memset(p, 0, total);
    return p;
}

extern "C" void* ccbox_host_realloc(void* ptr, size_t size) {
    uint64_t in[2] = {reinterpret_cast<uintptr_t>(ptr), size}, pointer = 0;
    if (call_builtin(CCBOX_OCALL_REALLOC, in, sizeof in, &pointer, sizeof pointer, nullptr) != CCBOX_OK)
        return nullptr;
    if (pointer == 0 || !is_outside(pointer, size))
        return nullptr;
    return reinterpret_cast<void*>(pointer);
}

extern "C" char* ccbox_host_strndup(const char* str, size_t n) {
    size_t len = strnlen(str, n);
    char* p = static_cast<char*>(ccbox_host_malloc(len + 1));
    if (p) {
        memcpy(p, str, len);
        p[len] = '\0';
    }
    return p;
}

extern "C" void ccbox_host_free(void* ptr) {
    if (!ptr)
        return;
    uint64_t in = reinterpret_cast<uintptr_t>(ptr);
    (void)call_builtin(CCBOX_OCALL_FREE, &in, sizeof in, nullptr, 0, nullptr);
}
