// Enclave-wide state, self-relocation and thread lookup. Trust domain: enclave.
// Code here may run before the image is relocated: it must not read pointer-valued data.
#include "enclave/core/enclave_state.h"

#include "enclave/libc/heap.h"

#include <elf.h>
#include <string.h>

extern "C" {
volatile uint8_t ccbox_enclave_aborted = 0;
extern const char __ehdr_start[] __attribute__((visibility("hidden")));
extern const Elf64_Dyn _DYNAMIC[] __attribute__((visibility("hidden")));
}

namespace ccbox::enclave {

EnclaveGlobals g_enclave;

namespace {
// 0: not initialised, 1: initialisation in progress, 2: done.
int g_init_state = 0;
}

uintptr_t image_base() { return reinterpret_cast<uintptr_t>(__ehdr_start); }

namespace {

void apply_relocations(uintptr_t base) {
    uint64_t rela = 0, relasz = 0;
    for (const Elf64_Dyn* d = _DYNAMIC; d->d_tag != DT_NULL; ++d) {
        if (d->d_tag == DT_RELA)
            rela = d->d_un.d_ptr;
        else if (d->d_tag == DT_RELASZ)
            relasz = d->d_un.d_val;
    }
    // The platform checked at load time that every relocation is R_X86_64_RELATIVE and
    // targets a writable segment of the image.
    const auto* r = reinterpret_cast<const Elf64_Rela*>(base + rela);
    for (uint64_t i = 0; i < relasz / sizeof(Elf64_Rela); ++i)
        if (ELF64_R_TYPE(r[i].r_info) == R_X86_64_RELATIVE)
            *reinterpret_cast<uint64_t*>(base + r[i].r_offset) = base + r[i].r_addend;
}

}  // namespace

void initialize_enclave_once(uintptr_t td, const ccbox_enclu_t* enclu) {
    if (__atomic_load_n(&g_init_state, __ATOMIC_ACQUIRE) == 2)
        return;
    int expected = 0;
    if (!__atomic_compare_exchange_n(&g_init_state, &expected, 1, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(&g_init_state, __ATOMIC_ACQUIRE) != 2)
            __builtin_ia32_pause();
        return;
    }
    const uintptr_t base = image_base();
    apply_relocations(base);
    // Every TD carries the same enclave-wide fields of the measured layout.
    g_enclave.layout = *layout_of(td);
    g_enclave.size = g_enclave.layout.enclave_size;
    g_enclave.base = base;
    g_enclave.enclu = enclu;
    if (enclu && enclu->untrusted_size != 0) {
        g_enclave.untrusted_base = enclu->untrusted_base;
        g_enclave.untrusted_size = enclu->untrusted_size;
    }
    if (ccbox_heap_init(reinterpret_cast<void*>(base + g_enclave.layout.heap_offset), g_enclave.layout.heap_size) != 0)
        __builtin_trap();  // the layout always gives at least one heap page
    __atomic_store_n(&g_init_state, 2, __ATOMIC_RELEASE);
}

void init_thread(uintptr_t td) {
    ThreadState* ts = thread_state_of(td);
    const abi::LayoutInfo* layout = layout_of(td);
    if (layout->tls_block_size != 0) {
        auto* block = reinterpret_cast<uint8_t*>(td - layout->tls_block_size);
        memcpy(block, reinterpret_cast<const void*>(image_base() + layout->tls_template_offset),
               layout->tls_template_filesz);
        memset(block + layout->tls_template_filesz, 0, layout->tls_block_size - layout->tls_template_filesz);
    }
    ts->initialized = 1;
}

uintptr_t thread_td(uint64_t index) {
    const abi::LayoutInfo& l = g_enclave.layout;
    return g_enclave.base + l.threads_offset + index * l.thread_span + l.td_offset_in_span;
}

uintptr_t current_td() {
    const auto sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    const abi::LayoutInfo& l = g_enclave.layout;
    const uintptr_t threads = g_enclave.base + l.threads_offset;
    const uint64_t index = (sp - threads) / l.thread_span;
    if (sp < threads || index >= l.thread_count)
        __builtin_trap();  // not on an enclave stack: nothing sane can continue
    return thread_td(index);
}

bool is_within(uintptr_t address, size_t size) {
    const uintptr_t base = g_enclave.base;
    return address >= base && size <= g_enclave.size && address - base <= g_enclave.size - size;
}

bool is_outside(uintptr_t address, size_t size) {
    uintptr_t end;
    if (__builtin_add_overflow(address, size, &end))
        return false;
    if (!(end <= g_enclave.base || address >= g_enclave.base + g_enclave.size))
        return false;
    // In the isolated backend the only untrusted memory the enclave can reach is the arena.
    if (g_enclave.untrusted_size != 0)
        return address >= g_enclave.untrusted_base && end <= g_enclave.untrusted_base + g_enclave.untrusted_size;
    return true;
}

}  // namespace ccbox::enclave

extern "C" bool ccbox_is_within_enclave(const void* ptr, size_t size) {
    return ccbox::enclave::is_within(reinterpret_cast<uintptr_t>(ptr), size);
}

extern "C" bool ccbox_is_outside_enclave(const void* ptr, size_t size) {
    return ccbox::enclave::is_outside(reinterpret_cast<uintptr_t>(ptr), size);
}

extern "C" void* ccbox_get_enclave(void) { return ccbox::enclave::g_enclave.host_enclave; }
