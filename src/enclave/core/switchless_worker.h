// Switchless ECALLs inside the trusted runtime (docs/call-abi.md). Trust domain: enclave.
#pragma once

#include <ccbox/result.h>

#include "common/call_abi.h"

#include <cstddef>
#include <cstdint>

namespace ccbox::enclave {

// Runs an admitted ECALL (a table ECALL, INIT, TERMINATE or the worker) with enclave copies
// of the buffers `slot` names; `slot` is already an enclave copy. ecall_dispatch.cpp.
ccbox_result_t run_ecall(const ccbox_call_slot_t& slot, uint64_t* written_out);

// CCBOX_ECALL_SWITCHLESS_WORKER: serves the switchless ECALL queue that `input` (a
// ccbox_switchless_worker_args_t, already in enclave memory) names until the host sets its
// `stop`. switchless_ecall.cpp.
ccbox_result_t run_switchless_worker(const uint8_t* input, size_t input_size);

}  // namespace ccbox::enclave
