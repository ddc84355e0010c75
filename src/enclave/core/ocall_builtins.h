// OCALL machinery shared inside the trusted runtime. Trust domain: enclave.
#pragma once

#include <ccbox/result.h>

#include <cstddef>
#include <cstdint>

namespace ccbox::enclave {

// Exits to the host to run OCALL `function_id`. Both buffers must be untrusted memory.
ccbox_result_t call_host(uint32_t function_id, const void* input, size_t input_size, void* output, size_t output_size,
                         size_t* output_written);

// Like call_host, for the runtime's built-in OCALLs (ids >= CCBOX_BUILTIN_CALL_BASE): copies
// `input` into scratch memory and the answer back into `output` (enclave memory).
ccbox_result_t call_builtin(uint32_t function_id, const void* input, size_t input_size, void* output,
                            size_t output_size, size_t* output_written);

// Bytes of scratch memory left for the current ECALL's OCALLs.
size_t scratch_available();

}  // namespace ccbox::enclave
