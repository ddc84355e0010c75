// ECALLs from the host and the OCALLs they lead to. Trust domain: host (untrusted).
// The calling thread keeps one TCS for a whole ECALL, including nested OCALL -> ECALL calls.
#include "host/enclave.hpp"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <sched.h>
#include <unistd.h>

namespace ccbox::host {
namespace {

// The ECALLs this thread has in progress, innermost first.
struct ActiveCall {
    ccbox_enclave* enclave;
    uint32_t tcs;
    uint32_t depth;  // nesting level on this TCS
    ActiveCall* outer;
};
thread_local ActiveCall* t_active = nullptr;

const ActiveCall* active_call_on(const ccbox_enclave* enclave) {
    for (const ActiveCall* c = t_active; c; c = c->outer)
        if (c->enclave == enclave)
            return c;
    return nullptr;
}

bool acquire_tcs(ccbox_enclave* enclave, uint32_t* tcs) {
    const uint32_t count = enclave->backend->tcs_count();
    for (uint32_t i = 0; i < count; ++i) {
        bool expected = false;
        if (!enclave->tcs_busy[i].load(std::memory_order_relaxed) &&
            enclave->tcs_busy[i].compare_exchange_strong(expected, true, std::memory_order_acquire)) {
            *tcs = i;
            return true;
        }
    }
    return false;
}

// ---- built-in OCALLs (ids >= CCBOX_BUILTIN_CALL_BASE) ----

template <typename T>
bool read_input(const ccbox_call_slot_t& s, T* value) {
    if (s.input_size < sizeof(T))
        return false;
    std::memcpy(value, reinterpret_cast<const void*>(s.input_buffer), sizeof(T));
    return true;
}

template <typename T>
ccbox_result_t write_output(ccbox_call_slot_t& s, const T& value) {
    if (s.output_size < sizeof(T))
        return CCBOX_BUFFER_TOO_SMALL;
    std::memcpy(reinterpret_cast<void*>(s.output_buffer), &value, sizeof(T));
    s.output_written = sizeof(T);
    return CCBOX_OK;
}

ccbox_result_t builtin_ocall(ccbox_enclave* enclave, ccbox_call_slot_t& s) {
    switch (s.function_id) {
        case CCBOX_OCALL_MALLOC: {
            uint64_t size;
            if (!read_input(s, &size))
                return CCBOX_INVALID_PARAMETER;
            void* p = enclave->backend->allocate_shared(size);
            if (p) {
                std::lock_guard lock(enclave->allocations_mutex);
                enclave->allocations[p] = size;
            }
            return write_output(s, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p)));
        }
        case CCBOX_OCALL_REALLOC: {
            uint64_t in[2];
            if (!read_input(s, &in))
                return CCBOX_INVALID_PARAMETER;
            void* old = reinterpret_cast<void*>(in[0]);
            std::lock_guard lock(enclave->allocations_mutex);
            if (old && !enclave->allocations.count(old))
                return CCBOX_INVALID_PARAMETER;
            void* p = enclave->backend->reallocate_shared(old, in[1]);
            if (p) {
                enclave->allocations.erase(old);
                enclave->allocations[p] = in[1];
            }
            return write_output(s, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p)));
        }
        case CCBOX_OCALL_FREE: {
            uint64_t pointer;
            if (!read_input(s, &pointer))
                return CCBOX_INVALID_PARAMETER;
            void* p = reinterpret_cast<void*>(pointer);
            std::lock_guard lock(enclave->allocations_mutex);
            if (!enclave->allocations.erase(p))
                return CCBOX_INVALID_PARAMETER;  // not memory this enclave was given
            enclave->backend->free_shared(p);
            return CCBOX_OK;
        }
        case CCBOX_OCALL_WRITE: {
            uint32_t fd;
            if (!read_input(s, &fd) || (fd != 1 && fd != 2) || s.input_size < 8)
                return CCBOX_INVALID_PARAMETER;
            // Through the host's stdio, so enclave and host output keep their order.
            const auto* data = reinterpret_cast<const uint8_t*>(s.input_buffer) + 8;
            FILE* stream = fd == 1 ? stdout : stderr;
            size_t done = std::fwrite(data, 1, s.input_size - 8, stream);
            if (fd == 2)
                std::fflush(stream);
            return write_output(s, static_cast<uint64_t>(done));
        }
        case CCBOX_OCALL_CLOCK: {
            uint32_t clock;
            if (!read_input(s, &clock))
                return CCBOX_INVALID_PARAMETER;
            struct timespec ts {};
            if (::clock_gettime(clock == CLOCK_MONOTONIC ? CLOCK_MONOTONIC : CLOCK_REALTIME, &ts) != 0)
                return CCBOX_FAILURE;
            int64_t out[2] = {ts.tv_sec, ts.tv_nsec};
            return write_output(s, out);
        }
        case CCBOX_OCALL_QE_TARGET_INFO: {
            if (s.input_size != 0 || s.output_size < 512)
                return CCBOX_INVALID_PARAMETER;
            ccbox_result_t r = enclave->backend->qe_target_info(reinterpret_cast<void*>(s.output_buffer));
            if (r == CCBOX_OK)
                s.output_written = 512;
            return r;
        }
        case CCBOX_OCALL_GET_QUOTE: {
            if (s.input_size != 432)
                return CCBOX_INVALID_PARAMETER;
            uint8_t report[432];
            std::memcpy(report, reinterpret_cast<const void*>(s.input_buffer), sizeof report);
            std::vector<uint8_t> quote;
            ccbox_result_t r = enclave->backend->quote(report, &quote);
            if (r != CCBOX_OK)
                return r;
            if (quote.size() > s.output_size)
                return CCBOX_BUFFER_TOO_SMALL;
            std::memcpy(reinterpret_cast<void*>(s.output_buffer), quote.data(), quote.size());
            s.output_written = quote.size();
            return CCBOX_OK;
        }
        case CCBOX_OCALL_SLEEP: {
            uint64_t ns;
            if (!read_input(s, &ns))
                return CCBOX_INVALID_PARAMETER;
            if (ns == 0) {
                sched_yield();
            } else {
                struct timespec ts {static_cast<time_t>(ns / 1000000000u), static_cast<long>(ns % 1000000000u)};
                while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
                }
            }
            return CCBOX_OK;
        }
        case CCBOX_OCALL_SWITCHLESS_PARK: {
            uint32_t seen;
            if (!read_input(s, &seen))
                return CCBOX_INVALID_PARAMETER;
            return park_enclave_worker(enclave, seen);
        }
        case CCBOX_OCALL_SWITCHLESS: {
            if (!enclave->switchless)
                return CCBOX_NOT_FOUND;
            uint64_t out[2] = {reinterpret_cast<uintptr_t>(enclave->switchless->slots), enclave->switchless->count};
            return write_output(s, out);
        }
        default:
            return CCBOX_NOT_FOUND;
    }
}

// Runs the OCALL the enclave asked for in `slot_address` (inside this TCS's scratch area).
bool run_ocall(ccbox_enclave* enclave, const TcsChannel& channel, uint64_t slot_address) {
    const auto scratch = reinterpret_cast<uintptr_t>(channel.scratch);
    if (slot_address < scratch || slot_address > scratch + kScratchSize - sizeof(ccbox_call_slot_t) ||
        slot_address % alignof(ccbox_call_slot_t) != 0)
        return false;
    auto* slot = reinterpret_cast<ccbox_call_slot_t*>(slot_address);
    ccbox_call_slot_t s = *slot;
    s.output_written = 0;
    ccbox_result_t result;
    if (s.function_id >= CCBOX_BUILTIN_CALL_BASE) {
        result = builtin_ocall(enclave, s);
    } else if (s.function_id >= enclave->ocalls.size() || !enclave->ocalls[s.function_id]) {
        result = CCBOX_NOT_FOUND;
    } else {
        size_t written = 0;
        enclave->ocalls[s.function_id](reinterpret_cast<const uint8_t*>(s.input_buffer), s.input_size,
                                       reinterpret_cast<uint8_t*>(s.output_buffer), s.output_size, &written);
        s.output_written = written;
        result = written <= s.output_size ? CCBOX_OK : CCBOX_UNEXPECTED;
    }
    slot->output_written = s.output_written;
    slot->result = result;
    return true;
}

}  // namespace

ccbox_enclave* current_ocall_enclave() { return t_active ? t_active->enclave : nullptr; }

namespace {

// The TCS a call uses and the bookkeeping around it; released when the call ends.
class CallScope {
public:
    CallScope(ccbox_enclave* enclave, const ActiveCall* outer) : enclave_(enclave), outer_(outer) {
        call_.enclave = enclave;
        call_.outer = t_active;
    }
    ~CallScope() {
        if (!acquired_)
            return;
        t_active = call_.outer;
        if (!outer_)
            enclave_->tcs_busy[call_.tcs].store(false, std::memory_order_release);
        if (!reserved_)
            enclave_->active_calls.fetch_sub(1, std::memory_order_acq_rel);
    }
    // An enclave worker's call on the TCS reserved for it (reserve_tcs): not counted among the
    // calls that keep ccbox_terminate_enclave from running, which stops the workers itself.
    void acquire_reserved(uint32_t tcs) {
        call_.tcs = tcs;
        call_.depth = 0;
        acquired_ = reserved_ = true;
        t_active = &call_;
    }
    ccbox_result_t acquire() {
        if (outer_) {
            call_.tcs = outer_->tcs;  // a nested ECALL from an OCALL keeps the thread's TCS
            call_.depth = outer_->depth + 1;
            if (call_.depth >= kMaxNesting)
                return CCBOX_REENTRANT_ECALL;
        } else if (!acquire_tcs(enclave_, &call_.tcs)) {
            return CCBOX_OUT_OF_THREADS;
        }
        acquired_ = true;
        enclave_->active_calls.fetch_add(1, std::memory_order_acq_rel);
        t_active = &call_;
        return CCBOX_OK;
    }
    const ActiveCall& call() const { return call_; }

private:
    ccbox_enclave* enclave_;
    const ActiveCall* outer_;
    ActiveCall call_{};
    bool acquired_ = false;
    bool reserved_ = false;
};

// Shared memory holding copies of call buffers the enclave cannot reach directly.
class StagedBuffers {
public:
    explicit StagedBuffers(Backend& backend) : backend_(backend) {}
    ~StagedBuffers() {
        if (memory_)
            backend_.free_shared(memory_);
    }
    // Stages the buffers if the backend needs it; refuses buffers the host cannot touch
    // itself (wrapping the address space, or in ELRANGE, which the isolated host does not
    // even have mapped).
    ccbox_result_t stage(const void* input, size_t input_size, size_t output_size, void* output) {
        in_ = input;
        out_ = output;
        if ((!input_size || backend_.reachable(input, input_size)) &&
            (!output_size || backend_.reachable(output, output_size)))
            return CCBOX_OK;
        if (unusable(input, input_size) || unusable(output, output_size))
            return CCBOX_INVALID_PARAMETER;
        const size_t in_room = (input_size + 15) / 16 * 16;
        memory_ = static_cast<uint8_t*>(backend_.allocate_shared(in_room + output_size));
        if (!memory_)
            return CCBOX_OUT_OF_MEMORY;
        if (input_size)
            std::memcpy(memory_, input, input_size);
        in_ = memory_;
        out_ = memory_ + in_room;
        return CCBOX_OK;
    }
    const void* input() const { return in_; }
    void* output() const { return out_; }
    void copy_back(void* output, size_t written) const {
        if (memory_ && written)
            std::memcpy(output, out_, written);
    }

private:
    bool unusable(const void* p, size_t size) const {
        uintptr_t end;
        return size && (__builtin_add_overflow(reinterpret_cast<uintptr_t>(p), size, &end) ||
                        backend_.overlaps_enclave(reinterpret_cast<uintptr_t>(p), size));
    }

    Backend& backend_;
    uint8_t* memory_ = nullptr;
    const void* in_ = nullptr;
    void* out_ = nullptr;
};

// Enters TCS `tcs` with the ECALL in `slot`, runs the OCALLs it asks for, and returns its result.
ccbox_result_t enter_and_serve(ccbox_enclave* enclave, uint32_t tcs, ccbox_call_slot_t* slot, size_t output_size,
                               size_t* written) {
    const TcsChannel& channel = enclave->channels[tcs];
    Backend& backend = *enclave->backend;
    ccbox_exit_t exit = backend.enter(tcs, CCBOX_ENTER_ECALL, slot);
    while (exit.code == CCBOX_EXIT_OCALL) {
        if (!run_ocall(enclave, channel, exit.arg))
            return CCBOX_UNEXPECTED;
        exit = backend.enter(tcs, CCBOX_ENTER_ORET, slot);
    }
    switch (exit.code) {
        case CCBOX_EXIT_RETURN:
            *written = slot->output_written <= output_size ? slot->output_written : 0;
            return static_cast<ccbox_result_t>(slot->result);
        case CCBOX_EXIT_ABORTED:
            enclave->aborted.store(true, std::memory_order_release);
            return CCBOX_ENCLAVE_ABORTED;
        default:
            return CCBOX_UNEXPECTED;
    }
}

// A call slot for exactly these buffers, with the TCS's scratch memory.
void fill_slot(ccbox_call_slot_t* slot, uint32_t function_id, const void* input, size_t input_size, void* output,
               size_t output_size, void* scratch) {
    std::memset(slot, 0, sizeof *slot);
    slot->function_id = function_id;
    slot->input_buffer = reinterpret_cast<uintptr_t>(input);
    slot->input_size = input_size;
    slot->output_buffer = reinterpret_cast<uintptr_t>(output);
    slot->output_size = output_size;
    slot->result = CCBOX_UNEXPECTED;
    slot->scratch_buffer = reinterpret_cast<uintptr_t>(scratch);
    slot->scratch_size = kScratchSize;
}

// Fills the call slot of the scope's TCS with exactly these buffers and runs the ECALL with
// its OCALLs. `*written` is what the enclave reports having written (at most output_size).
ccbox_result_t run_call(ccbox_enclave* enclave, const CallScope& scope, uint32_t function_id, const void* input,
                        size_t input_size, void* output, size_t output_size, size_t* written) {
    *written = 0;
    const uint32_t tcs = scope.call().tcs;
    const TcsChannel& channel = enclave->channels[tcs];
    ccbox_call_slot_t* slot = &channel.slots[scope.call().depth];
    fill_slot(slot, function_id, input, input_size, output, output_size, channel.scratch);
    return enter_and_serve(enclave, tcs, slot, output_size, written);
}

// An ECALL on behalf of the public API. With `stage`, buffers the host library cannot hand
// the enclave as they are are refused or copied into shared memory first; without it, the
// call slot gets the addresses exactly as given.
ccbox_result_t call(ccbox_enclave* enclave, uint32_t function_id, const void* input, size_t input_size, void* output,
                    size_t output_size, size_t* output_written, bool stage) {
    if (enclave->aborted.load(std::memory_order_acquire))
        return CCBOX_ENCLAVE_ABORTED;
    CallScope scope(enclave, active_call_on(enclave));
    if (ccbox_result_t r = scope.acquire(); r != CCBOX_OK)
        return r;
    StagedBuffers buffers(*enclave->backend);
    if (stage) {
        if (ccbox_result_t r = buffers.stage(input, input_size, output_size, output); r != CCBOX_OK)
            return r;
        input = buffers.input();
    }
    size_t written = 0;
    ccbox_result_t result = run_call(enclave, scope, function_id, input, input_size,
                                     stage ? buffers.output() : output, output_size, &written);
    buffers.copy_back(output, written);
    if (output_written)
        *output_written = written;
    return result;
}

}  // namespace

ccbox_result_t call_enclave(ccbox_enclave* enclave, uint32_t function_id, const void* input, size_t input_size,
                            void* output, size_t output_size, size_t* output_written) {
    return call(enclave, function_id, input, input_size, output, output_size, output_written, true);
}

bool reserve_tcs(ccbox_enclave* enclave, uint32_t* tcs) { return acquire_tcs(enclave, tcs); }

ccbox_result_t call_enclave_on_reserved_tcs(ccbox_enclave* enclave, uint32_t tcs, uint32_t function_id,
                                            const void* input, size_t input_size) {
    if (enclave->aborted.load(std::memory_order_acquire)) {
        enclave->tcs_busy[tcs].store(false, std::memory_order_release);
        return CCBOX_ENCLAVE_ABORTED;
    }
    CallScope scope(enclave, nullptr);
    scope.acquire_reserved(tcs);
    size_t written = 0;
    return run_call(enclave, scope, function_id, input, input_size, nullptr, 0, &written);
}

bool thread_is_inside(const ccbox_enclave* enclave) { return active_call_on(enclave) != nullptr; }

ccbox_result_t call_enclave_unchecked(ccbox_enclave* enclave, uint32_t function_id, const void* input,
                                      size_t input_size, void* output, size_t output_size, size_t* output_written) {
    return call(enclave, function_id, input, input_size, output, output_size, output_written, false);
}

ccbox_result_t ring_tcs_unchecked(ccbox_enclave* enclave, uint32_t tcs, uint32_t function_id, const void* input,
                                  size_t input_size, void* output, size_t output_size, size_t* output_written) {
    *output_written = 0;
    if (tcs >= enclave->channels.size())
        return CCBOX_INVALID_PARAMETER;
    auto* slot = static_cast<ccbox_call_slot_t*>(enclave->backend->allocate_shared(sizeof(ccbox_call_slot_t)));
    if (!slot)
        return CCBOX_OUT_OF_MEMORY;
    fill_slot(slot, function_id, input, input_size, output, output_size, enclave->channels[tcs].scratch);
    ccbox_result_t result = enter_and_serve(enclave, tcs, slot, output_size, output_written);
    enclave->backend->free_shared(slot);
    return result;
}

// The arguments both public ECALL entry points take: a live enclave, a user function id (not a
// built-in call), and a buffer wherever a size says there is one.
bool valid_user_call(const ccbox_enclave_t* enclave, uint32_t function_id, const void* input_buffer,
                     size_t input_buffer_size, const void* output_buffer, size_t output_buffer_size) {
    return enclave && enclave->magic == kEnclaveMagic && function_id < CCBOX_BUILTIN_CALL_BASE &&
           (!input_buffer_size || input_buffer) && (!output_buffer_size || output_buffer);
}

}  // namespace ccbox::host

extern "C" ccbox_result_t ccbox_call_enclave_function(ccbox_enclave_t* enclave, uint32_t function_id,
                                                      const void* input_buffer, size_t input_buffer_size,
                                                      void* output_buffer, size_t output_buffer_size,
                                                      size_t* output_bytes_written) {
    ccbox::host::clear_last_error();
    if (!ccbox::host::valid_user_call(enclave, function_id, input_buffer, input_buffer_size, output_buffer,
                                      output_buffer_size))
        return CCBOX_INVALID_PARAMETER;
    return ccbox::host::call_enclave(enclave, function_id, input_buffer, input_buffer_size, output_buffer,
                                     output_buffer_size, output_bytes_written);
}

extern "C" ccbox_result_t ccbox_switchless_call_enclave_function(ccbox_enclave_t* enclave, uint32_t function_id,
                                                                 const void* input_buffer, size_t input_buffer_size,
                                                                 void* output_buffer, size_t output_buffer_size,
                                                                 size_t* output_bytes_written) {
    ccbox::host::clear_last_error();
    if (!ccbox::host::valid_user_call(enclave, function_id, input_buffer, input_buffer_size, output_buffer,
                                      output_buffer_size))
        return CCBOX_INVALID_PARAMETER;
    return ccbox::host::switchless_call_enclave(enclave, function_id, input_buffer, input_buffer_size, output_buffer,
                                                output_buffer_size, output_bytes_written);
}
