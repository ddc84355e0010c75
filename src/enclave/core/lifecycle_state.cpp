// The lifecycle state and the count of TCSs inside the enclave, in one atomic word (the state
// in the low half, the count in the high half), so that every transition sees both at once.
// Trust domain: enclave.
#include "enclave/core/lifecycle_state.h"

#include "common/call_abi.h"

namespace ccbox::enclave {
namespace {

uint64_t g_word = 0;             // Lifecycle | inside << 32
uintptr_t g_initialising_td = 0;  // the TD of the TCS running INIT, while initialising

constexpr uint64_t kOneInside = uint64_t{1} << 32;

Lifecycle state_of(uint64_t word) { return static_cast<Lifecycle>(word & 0xffffffffu); }
uint64_t inside_of(uint64_t word) { return word >> 32; }
uint64_t with_state(uint64_t word, Lifecycle s) { return (word & ~uint64_t{0xffffffffu}) | static_cast<uint32_t>(s); }

ccbox_result_t refusal(Lifecycle s) {
    return s >= Lifecycle::kTerminating ? CCBOX_ENCLAVE_TERMINATED : CCBOX_ENCLAVE_NOT_READY;
}

// Moves `from` → `to` (the count unchanged); false if the state is not `from`.
bool transition(Lifecycle from, Lifecycle to) {
    uint64_t word = __atomic_load_n(&g_word, __ATOMIC_ACQUIRE);
    while (state_of(word) == from)
        if (__atomic_compare_exchange_n(&g_word, &word, with_state(word, to), false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            return true;
    return false;
}

}  // namespace

Lifecycle lifecycle() { return state_of(__atomic_load_n(&g_word, __ATOMIC_ACQUIRE)); }

ccbox_result_t enter_outermost(uint64_t function_id, uintptr_t td) {
    const bool init = function_id == CCBOX_ECALL_INIT;
    uint64_t word = __atomic_load_n(&g_word, __ATOMIC_ACQUIRE);
    for (;;) {
        const Lifecycle s = state_of(word);
        Lifecycle next = s;
        if (init) {
            if (s != Lifecycle::kUninitialised)
                return s >= Lifecycle::kTerminating ? CCBOX_ENCLAVE_TERMINATED : CCBOX_ALREADY_INITIALIZED;
            next = Lifecycle::kInitialising;
        } else if (s != Lifecycle::kReady) {
            return refusal(s);
        }
        if (__atomic_compare_exchange_n(&g_word, &word, with_state(word + kOneInside, next), false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            break;
    }
    if (init)
        __atomic_store_n(&g_initialising_td, td, __ATOMIC_RELEASE);
    return CCBOX_OK;
}

void leave_outermost() { __atomic_fetch_sub(&g_word, kOneInside, __ATOMIC_ACQ_REL); }

ccbox_result_t check_nested(uintptr_t td) {
    const Lifecycle s = lifecycle();
    if (s == Lifecycle::kReady)
        return CCBOX_OK;
    if (s == Lifecycle::kInitialising && __atomic_load_n(&g_initialising_td, __ATOMIC_ACQUIRE) == td)
        return CCBOX_OK;
    return refusal(s);
}

void end_initialisation(bool constructed) {
    __atomic_store_n(&g_initialising_td, uintptr_t{0}, __ATOMIC_RELEASE);
    transition(Lifecycle::kInitialising, constructed ? Lifecycle::kReady : Lifecycle::kUninitialised);
}

ccbox_result_t begin_termination() {
    uint64_t word = __atomic_load_n(&g_word, __ATOMIC_ACQUIRE);
    for (;;) {
        if (state_of(word) != Lifecycle::kReady)
            return refusal(state_of(word));
        if (inside_of(word) != 1)
            return CCBOX_BUSY;  // the caller's TCS is the one inside that is allowed
        if (__atomic_compare_exchange_n(&g_word, &word, with_state(word, Lifecycle::kTerminating), false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return CCBOX_OK;
    }
}

void end_termination() { transition(Lifecycle::kTerminating, Lifecycle::kTerminated); }

}  // namespace ccbox::enclave
