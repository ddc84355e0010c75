#include "host/sim/sim_backend.hpp"

#include <ccbox/host.h>

#include "host/sim/fault_handler.hpp"
#include "platform/key_derivation.hpp"
#include "platform/platform_mode.hpp"
#include "platform/report.hpp"
#include "platform/service/state_dir.hpp"

#include <openssl/crypto.h>

#include <cstring>

#include <cstdlib>

// gdb support (docs/debugging.md): the ccbox gdb extension sets breakpoints on these to
// load the symbols of debug enclaves at their load address.
extern "C" __attribute__((noinline, used)) void ccbox_debugger_enclave_loaded(const char* path, uintptr_t base,
                                                                              uint64_t size) {
    asm volatile("" : : "r"(path), "r"(base), "r"(size) : "memory");
}
extern "C" __attribute__((noinline, used)) void ccbox_debugger_enclave_unloaded(const char* path, uintptr_t base) {
    asm volatile("" : : "r"(path), "r"(base) : "memory");
}

namespace ccbox::host {

Result<std::unique_ptr<SimBackend>> SimBackend::create(const EnclaveImage& image, const LoadOptions& options,
                                                       const std::string& path, const std::string& state_dir) {
    std::unique_ptr<SimBackend> backend(new SimBackend());
    CCBOX_ASSIGN_OR_RETURN(backend->loaded_, load_enclave(image, options));
    backend->key_identity_ = key_identity_of(backend->loaded_->identity());
    backend->enclu_.version = CCBOX_ENCLU_VERSION;
    backend->enclu_.platform = backend.get();
    backend->enclu_.egetkey = &SimBackend::egetkey;
    backend->enclu_.ereport = &SimBackend::ereport;
    backend->path_ = path;
    backend->state_dir_ = state_dir;
    backend->debug_ = options.debug;
    if (backend->debug_)
        ccbox_debugger_enclave_loaded(backend->path_.c_str(), backend->loaded_->base(), backend->loaded_->size());
    return backend;
}

SimBackend::~SimBackend() {
    if (debug_ && loaded_)
        ccbox_debugger_enclave_unloaded(path_.c_str(), loaded_->base());
}

uint32_t SimBackend::backend_id() const { return CCBOX_BACKEND_SIM; }

const PlatformSecrets* SimBackend::secrets() {
    std::call_once(secrets_once_, [this] {
        if (!prepare_state_dir(state_dir_).ok())
            return;
        auto loaded = load_or_create_secrets(state_dir_);
        if (!loaded.ok())
            return;
        // In-process: the host can read every secret, so this is a development platform, and
        // its reports and keys say so (platform_mode.hpp).
        secrets_ = std::move(loaded).value();
        secrets_->cpusvn = cpusvn_for_mode(secrets_->cpusvn, PlatformMode::kDevelopment);
    });
    return secrets_ ? &*secrets_ : nullptr;
}

// The sim platform's EGETKEY and EREPORT, called by enclave code on its own stack.
uint32_t SimBackend::egetkey(void* platform, const void* keyrequest, uint8_t key[16]) {
    sim::HostFsScope host_fs;
    auto* self = static_cast<SimBackend*>(platform);
    const PlatformSecrets* secrets = self->secrets();
    if (!secrets)
        return CCBOX_PLATFORM_ERROR;
    alignas(512) sgx::Keyrequest request;
    std::memcpy(&request, keyrequest, sizeof request);
    auto derived = derive_key(*secrets, self->key_identity_, request);
    if (!derived.ok())
        return derived.error().code();
    std::memcpy(key, derived->data(), 16);
    OPENSSL_cleanse(derived->data(), derived->size());
    return CCBOX_OK;
}

uint32_t SimBackend::ereport(void* platform, const void* targetinfo, const uint8_t reportdata[64], void* report) {
    sim::HostFsScope host_fs;
    auto* self = static_cast<SimBackend*>(platform);
    const PlatformSecrets* secrets = self->secrets();
    if (!secrets)
        return CCBOX_PLATFORM_ERROR;
    alignas(512) sgx::Targetinfo target;
    std::memcpy(&target, targetinfo, sizeof target);
    auto made = make_report(*secrets, self->key_identity_, target,
                            std::span<const uint8_t, 64>(reportdata, 64));
    if (!made.ok())
        return made.error().code();
    std::memcpy(report, &made.value(), sgx::kReportSize);
    return CCBOX_OK;
}

uint32_t SimBackend::tcs_count() const { return static_cast<uint32_t>(loaded_->thread_data().size()); }

ccbox_exit_t SimBackend::enter(uint32_t tcs, uint64_t op, ccbox_call_slot_t* slot) {
    sim::prepare_thread_for_enclave_calls();
    sim::EnterFrame frame;
    frame.outer = sim::current_frame();
    sim::current_frame() = &frame;
    const uintptr_t td = loaded_->thread_data()[tcs];
    const auto entry = reinterpret_cast<ccbox_enclave_entry_t>(loaded_->entry());
    ccbox_exit_t result{CCBOX_EXIT_ABORTED, 0};
    if (sigsetjmp(frame.jump, 0) == 0) {
        if (loaded_->has_tls())
            sim::switch_fs_to_enclave(frame, td);
        frame.in_enclave = true;
        result = entry(td, op, reinterpret_cast<uintptr_t>(slot), &enclu_);
        frame.in_enclave = false;
    }
    sim::switch_fs_to_host(frame);
    sim::current_frame() = frame.outer;
    return result;
}

void* SimBackend::allocate_shared(size_t size) { return std::malloc(size == 0 ? 1 : size); }
void SimBackend::free_shared(void* pointer) { std::free(pointer); }
void* SimBackend::reallocate_shared(void* pointer, size_t size) { return std::realloc(pointer, size == 0 ? 1 : size); }

bool SimBackend::overlaps_enclave(uintptr_t address, size_t size) const {
    const uintptr_t base = loaded_->base();
    return address < base + loaded_->size() && base < address + size;
}

}  // namespace ccbox::host
