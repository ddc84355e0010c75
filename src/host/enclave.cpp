// Creating and terminating enclaves: the public C API of the host runtime.
// Trust domain: host (untrusted).
#include "host/enclave.hpp"

#include "host/isolated/isolated_backend.hpp"
#include "host/sim/sim_backend.hpp"
#include "platform/enclave_config.hpp"

#include <cstdlib>
#include <cstring>

ccbox_enclave::~ccbox_enclave() {
    ccbox::host::stop_enclave_workers(this);  // before the backend goes: they are inside it
    ccbox::host::stop_switchless(this);  // the workers use the enclave's memory
    for (auto& channel : channels) {
        backend->free_shared(channel.slots);
        backend->free_shared(channel.scratch);
    }
    {
        std::lock_guard lock(allocations_mutex);
        for (auto& allocation : allocations)
            backend->free_shared(allocation.first);
    }
    magic = 0;
}

namespace ccbox::host {
namespace {

bool simulate_requested(uint32_t flags) {
    if (flags & CCBOX_ENCLAVE_FLAG_SIMULATE)
        return true;
    if (flags & CCBOX_ENCLAVE_FLAG_ISOLATED)
        return false;
    const char* env = std::getenv("CCBOX_SIMULATE");
    return env && std::strcmp(env, "0") != 0 && *env != '\0';
}

Result<std::unique_ptr<Backend>> make_backend(const EnclaveImage& image, const LoadOptions& options,
                                              const std::string& path, uint32_t flags, const PlatformPaths& platform) {
    if (simulate_requested(flags)) {
        CCBOX_ASSIGN_OR_RETURN(std::unique_ptr<SimBackend> sim,
                               SimBackend::create(image, options, path, platform.state_dir));
        return std::unique_ptr<Backend>(std::move(sim));
    }
    IsolatedOptions isolated;
    isolated.platform = platform;
    isolated.debug = options.debug;
    isolated.tcs_count = image.effective_config().num_tcs;
    CCBOX_ASSIGN_OR_RETURN(std::unique_ptr<IsolatedBackend> backend, IsolatedBackend::create(path, isolated));
    return std::unique_ptr<Backend>(std::move(backend));
}

PlatformPaths platform_paths_from(const ccbox_enclave_setting_t* settings, uint32_t count) {
    PlatformPaths paths = client_platform_paths();
    for (uint32_t i = 0; i < count; ++i) {
        const ccbox_enclave_setting_platform_t* p = settings[i].u.platform;
        if (settings[i].setting_type != CCBOX_ENCLAVE_SETTING_PLATFORM || !p)
            continue;
        paths = client_paths_chosen(p->state_dir ? p->state_dir : "", p->socket_path ? p->socket_path : "");
    }
    return paths;
}

Result<ccbox_enclave*> create(const char* path, uint32_t flags, const PlatformPaths& platform,
                              const ccbox_ocall_func_t* ocall_table, uint32_t ocall_count, bool initialise = true) {
    constexpr uint32_t kKnownFlags = CCBOX_ENCLAVE_FLAG_DEBUG | CCBOX_ENCLAVE_FLAG_SIMULATE |
                                     CCBOX_ENCLAVE_FLAG_DEBUG_AUTO | CCBOX_ENCLAVE_FLAG_ISOLATED;
    if (!path)
        return Error(CCBOX_INVALID_PARAMETER, "ccbox_create_enclave: path is NULL");
    if (flags & ~kKnownFlags)
        return Error(CCBOX_INVALID_PARAMETER, "ccbox_create_enclave: unknown flags");
    if (ocall_count && !ocall_table)
        return Error(CCBOX_INVALID_PARAMETER, "ccbox_create_enclave: ocall_count without an ocall_table");

    CCBOX_ASSIGN_OR_RETURN(EnclaveImage image, EnclaveImage::load(path));
    LoadOptions options;
    options.debug = flags & CCBOX_ENCLAVE_FLAG_DEBUG;
    if (!options.debug && (flags & CCBOX_ENCLAVE_FLAG_DEBUG_AUTO)) {
        const auto& sig = image.signature();
        options.debug = sig ? (sig->sigstruct.attributes.flags & sgx::attr::kDebug) != 0
                            : config_allows_debug(image.base_config());
    }

    auto enclave = std::make_unique<ccbox_enclave>();
    enclave->path = path;
    enclave->debug = options.debug;
    CCBOX_ASSIGN_OR_RETURN(enclave->backend, make_backend(image, options, path, flags, platform));
    enclave->ocalls.assign(ocall_table, ocall_table + ocall_count);
    const uint32_t tcs = enclave->backend->tcs_count();
    enclave->tcs_busy = std::make_unique<std::atomic<bool>[]>(tcs);
    for (uint32_t i = 0; i < tcs; ++i) {
        TcsChannel channel;
        channel.slots = static_cast<ccbox_call_slot_t*>(
            enclave->backend->allocate_shared(sizeof(ccbox_call_slot_t) * kMaxNesting));
        channel.scratch = static_cast<uint8_t*>(enclave->backend->allocate_shared(kScratchSize));
        enclave->channels.push_back(channel);
        if (!channel.slots || !channel.scratch)
            return Error(CCBOX_OUT_OF_MEMORY, "cannot allocate call channels");
    }

    if (!initialise)
        return enclave.release();
    ccbox_init_args_t init = init_args_for(enclave.get());
    ccbox_result_t r = call_enclave(enclave.get(), CCBOX_ECALL_INIT, &init, sizeof init, nullptr, 0, nullptr);
    if (r != CCBOX_OK)
        return Error(r, std::string(path) + ": the enclave failed to initialise (" + ccbox_result_str(r) + ")");
    enclave->initialized = true;
    return enclave.release();
}

}  // namespace

ccbox_init_args_t init_args_for(const ccbox_enclave* enclave) {
    ccbox_init_args_t init{};
    init.host_enclave = reinterpret_cast<uintptr_t>(enclave);
    init.flags = (enclave->debug ? CCBOX_INIT_FLAG_DEBUG : 0) |
                 (enclave->backend->backend_id() == CCBOX_BACKEND_SIM ? CCBOX_INIT_FLAG_SIMULATE : 0);
    return init;
}

Result<ccbox_enclave*> create_enclave_uninitialised(const char* path, uint32_t flags,
                                                    const ccbox_enclave_setting_t* settings, uint32_t setting_count,
                                                    const ccbox_ocall_func_t* ocall_table, uint32_t ocall_count) {
    return create(path, flags, platform_paths_from(settings, setting_count), ocall_table, ocall_count, false);
}

}  // namespace ccbox::host

using namespace ccbox::host;

extern "C" ccbox_result_t ccbox_create_enclave(const char* path, uint32_t flags, const ccbox_enclave_setting_t* settings,
                                               uint32_t setting_count, const ccbox_ocall_func_t* ocall_table,
                                               uint32_t ocall_count, ccbox_enclave_t** enclave) {
    clear_last_error();
    if (!enclave)
        return fail(CCBOX_INVALID_PARAMETER, "ccbox_create_enclave: enclave is NULL");
    *enclave = nullptr;
    if (setting_count && !settings)
        return fail(CCBOX_INVALID_PARAMETER, "ccbox_create_enclave: setting_count without settings");
    uint32_t switchless_workers = 0, enclave_workers = 0;
    for (uint32_t i = 0; i < setting_count; ++i) {
        if (settings[i].setting_type == CCBOX_ENCLAVE_SETTING_SWITCHLESS) {
            if (!settings[i].u.switchless)
                return fail(CCBOX_INVALID_PARAMETER, "ccbox_create_enclave: CCBOX_ENCLAVE_SETTING_SWITCHLESS without a value");
            switchless_workers = settings[i].u.switchless->host_workers;
            enclave_workers = settings[i].u.switchless->enclave_workers;
        } else if (settings[i].setting_type != CCBOX_ENCLAVE_SETTING_PLATFORM) {
            return fail(CCBOX_INVALID_PARAMETER,
                        "ccbox_create_enclave: unknown setting type " + std::to_string(settings[i].setting_type));
        }
    }
    auto created = create(path, flags, platform_paths_from(settings, setting_count), ocall_table, ocall_count);
    if (!created.ok())
        return fail(created.error());
    if (auto started = start_switchless(created.value(), switchless_workers); !started.ok()) {
        (void)ccbox_terminate_enclave(created.value());
        return fail(started.error());
    }
    if (auto started = start_enclave_workers(created.value(), enclave_workers); !started.ok()) {
        (void)ccbox_terminate_enclave(created.value());
        return fail(started.error());
    }
    *enclave = created.value();
    return CCBOX_OK;
}

extern "C" ccbox_result_t ccbox_terminate_enclave(ccbox_enclave_t* enclave) {
    clear_last_error();
    if (!enclave || enclave->magic != kEnclaveMagic)
        return CCBOX_INVALID_PARAMETER;
    if (enclave->active_calls.load(std::memory_order_acquire) != 0)
        return fail(CCBOX_BUSY, "ccbox_terminate_enclave: calls into the enclave are still in progress");
    // The enclave workers are inside the enclave for its whole life: they return first (their
    // ECALLs are not among active_calls), so that the enclave sees no other TCS inside.
    stop_enclave_workers(enclave);
    ccbox_result_t result = CCBOX_OK;
    if (enclave->initialized && !enclave->aborted.load(std::memory_order_acquire)) {
        result = call_enclave(enclave, CCBOX_ECALL_TERMINATE, nullptr, 0, nullptr, 0, nullptr);
        // The enclave refuses while another TCS is inside it (a call made around this
        // library); it keeps running, and so does this object, for a retry.
        if (result == CCBOX_BUSY)
            return fail(CCBOX_BUSY, "ccbox_terminate_enclave: the enclave refused to terminate while another TCS is "
                                    "inside it; retry once that call has returned");
        // An abort in a destructor, or a TERMINATE some other caller already made, still
        // frees the enclave.
        if (result == CCBOX_ENCLAVE_ABORTED || result == CCBOX_ENCLAVE_TERMINATED)
            result = CCBOX_OK;
    }
    delete enclave;
    return result;
}

extern "C" ccbox_result_t ccbox_get_enclave_identity(const ccbox_enclave_t* enclave,
                                                     ccbox_enclave_identity_t* identity) {
    clear_last_error();
    if (!enclave || enclave->magic != kEnclaveMagic || !identity)
        return CCBOX_INVALID_PARAMETER;
    const ccbox::EnclaveIdentity& id = enclave->backend->identity();
    std::memcpy(identity->mrenclave, id.mrenclave.data(), 32);
    std::memcpy(identity->mrsigner, id.mrsigner.data(), 32);
    identity->isvprodid = id.isvprodid;
    identity->isvsvn = id.isvsvn;
    identity->attributes = id.attributes.flags;
    identity->backend = enclave->backend->backend_id();
    identity->tcs_count = enclave->backend->tcs_count();
    identity->enclave_base = enclave->backend->enclave_base();
    identity->enclave_size = enclave->backend->enclave_size();
    identity->process_id = enclave->backend->process_id();
    identity->reserved = 0;
    return CCBOX_OK;
}
