// C++ wrappers over the host API of <ccbox/host.h>. Trust domain: host (untrusted).
//
// Error style: every failure throws ccbox::Error, which carries the ccbox_result_t and the
// detailed message of ccbox_get_last_error(). Nothing in this header reports failure any
// other way. Header-only, so it adds nothing to the C ABI of libccbox_host.
#ifndef CCBOX_HOST_HPP
#define CCBOX_HOST_HPP

#include <ccbox/host.h>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace ccbox {

// A failed ccbox operation.
class Error : public std::runtime_error {
  public:
    Error(ccbox_result_t code, const std::string& message)
        : std::runtime_error(message.empty() ? std::string(ccbox_result_str(code))
                                             : message + " (" + ccbox_result_str(code) + ")"),
          code_(code) {}
    ccbox_result_t code() const noexcept { return code_; }

  private:
    ccbox_result_t code_;
};

// Throws ccbox::Error unless `result` is CCBOX_OK. `what` names the operation in the message;
// the detail comes from ccbox_get_last_error() when the failing call set it.
inline void check(ccbox_result_t result, const char* what) {
    if (result == CCBOX_OK)
        return;
    std::string message = what;
    if (const char* detail = ccbox_get_last_error(); detail && *detail)
        message += ": " + std::string(detail);
    throw Error(result, message);
}

namespace detail {
// Failures inside this scope are not printed by the library: the exception carries them.
class QuietFailures {
  public:
    QuietFailures() noexcept : previous_(ccbox_set_thread_error_printing(0)) {}
    ~QuietFailures() { ccbox_set_thread_error_printing(previous_); }
    QuietFailures(const QuietFailures&) = delete;
    QuietFailures& operator=(const QuietFailures&) = delete;

  private:
    int previous_;
};

template <typename F>
ccbox_result_t quietly(F&& f) {
    QuietFailures quiet;
    return f();
}
} // namespace detail

// Where an isolated enclave's platform is: the default one, or one at a socket/state directory.
struct Platform {
    std::string socket_path; // empty: the default platform
    std::string state_dir;   // empty: the default state directory
};

// An enclave, terminated when the object is destroyed. Move-only.
class Enclave {
  public:
    // The generated creator of an EDL file: ccbox_create_<edl>_enclave.
    using Creator = ccbox_result_t (*)(const char* path, uint32_t flags, const ccbox_enclave_setting_t* settings,
                                       uint32_t setting_count, ccbox_enclave_t** enclave);

    Enclave() noexcept = default;
    // Takes ownership of an enclave created through the C API.
    explicit Enclave(ccbox_enclave_t* adopted) noexcept : enclave_(adopted) {}

    // Creates an enclave with the creator that ccbox-edger8r generated for its EDL file.
    Enclave(Creator create, const std::string& path, uint32_t flags = 0, const Platform* platform = nullptr) {
        Settings s(platform);
        check(detail::quietly([&] { return create(path.c_str(), flags, s.data(), s.count(), &enclave_); }),
              "cannot create the enclave");
    }

    // Creates an enclave with an explicit OCALL table (what the generated creator does).
    Enclave(const std::string& path, uint32_t flags, std::span<const ccbox_ocall_func_t> ocall_table,
            const Platform* platform = nullptr) {
        Settings s(platform);
        check(detail::quietly([&] {
                  return ccbox_create_enclave(path.c_str(), flags, s.data(), s.count(), ocall_table.data(),
                                              static_cast<uint32_t>(ocall_table.size()), &enclave_);
              }),
              "cannot create the enclave");
    }

    Enclave(const Enclave&) = delete;
    Enclave& operator=(const Enclave&) = delete;
    Enclave(Enclave&& other) noexcept : enclave_(std::exchange(other.enclave_, nullptr)) {}
    Enclave& operator=(Enclave&& other) noexcept {
        if (this != &other) {
            reset();
            enclave_ = std::exchange(other.enclave_, nullptr);
        }
        return *this;
    }
    // Terminates the enclave; a failure here can only be logged (see terminate()).
    ~Enclave() { reset(); }

    // Terminates now and throws if that fails (CCBOX_BUSY while calls are in progress, in
    // which case the object still owns the enclave).
    void terminate() {
        if (!enclave_)
            return;
        check(detail::quietly([&] { return ccbox_terminate_enclave(enclave_); }), "cannot terminate the enclave");
        enclave_ = nullptr;
    }

    ccbox_enclave_t* get() const noexcept { return enclave_; }
    explicit operator bool() const noexcept { return enclave_ != nullptr; }
    // Gives up ownership without terminating.
    ccbox_enclave_t* release() noexcept { return std::exchange(enclave_, nullptr); }

    // Calls a generated ECALL proxy without a return value: call(f, args...) runs f(enclave, args...).
    template <typename Proxy, typename... Args>
    void call(Proxy proxy, Args&&... args) const {
        ccbox_enclave_t* e = require();
        check(detail::quietly([&] { return proxy(e, std::forward<Args>(args)...); }), "ECALL failed");
    }

    // Calls a generated ECALL proxy with a return value: f(enclave, &result, args...).
    template <typename R, typename Proxy, typename... Args>
    R call_returning(Proxy proxy, Args&&... args) const {
        R result{};
        ccbox_enclave_t* e = require();
        check(detail::quietly([&] { return proxy(e, &result, std::forward<Args>(args)...); }), "ECALL failed");
        return result;
    }

    // Calls a generated ECALL proxy whose enclave function returns its own status, 0 for
    // success: f(enclave, &status, args...). Throws ccbox::Error if the call failed, and
    // ccbox::Error(CCBOX_FAILURE) naming the status if the function returned another value.
    // A function that returns a ccbox_result_t throws with that result instead.
    template <typename Status = int, typename Proxy, typename... Args>
    void call_checked(Proxy proxy, Args&&... args) const {
        static_assert(std::is_same_v<Status, int> || std::is_same_v<Status, ccbox_result_t>,
                      "call_checked<Status>: the enclave function returns int or ccbox_result_t");
        const Status status = call_returning<Status>(proxy, std::forward<Args>(args)...);
        if constexpr (std::is_same_v<Status, ccbox_result_t>) {
            if (status != CCBOX_OK)
                throw Error(status, "the enclave function failed");
        } else if (status != 0) {
            throw Error(CCBOX_FAILURE, "the enclave function returned status " + std::to_string(status));
        }
    }

    ccbox_enclave_identity_t identity() const {
        ccbox_enclave_identity_t id{};
        ccbox_enclave_t* e = require();
        check(detail::quietly([&] { return ccbox_get_enclave_identity(e, &id); }), "cannot read the enclave's identity");
        return id;
    }

    // The TARGETINFO another enclave needs to make a report this one can verify.
    ccbox_target_info_t target_info() const {
        ccbox_target_info_t info{};
        ccbox_enclave_t* e = require();
        check(detail::quietly([&] { return ccbox_get_enclave_target_info(e, &info); }),
              "cannot read the enclave's target info");
        return info;
    }

  private:
    // The settings array for ccbox_create_enclave, pointing into `platform`.
    class Settings {
      public:
        explicit Settings(const Platform* p) {
            if (!p)
                return;
            platform_.socket_path = p->socket_path.empty() ? nullptr : p->socket_path.c_str();
            platform_.state_dir = p->state_dir.empty() ? nullptr : p->state_dir.c_str();
            setting_.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
            setting_.u.platform = &platform_;
            count_ = 1;
        }
        const ccbox_enclave_setting_t* data() const { return count_ ? &setting_ : nullptr; }
        uint32_t count() const { return count_; }

      private:
        ccbox_enclave_setting_platform_t platform_{};
        ccbox_enclave_setting_t setting_{};
        uint32_t count_ = 0;
    };

    ccbox_enclave_t* require() const {
        if (!enclave_)
            throw Error(CCBOX_INVALID_PARAMETER, "no enclave (it was moved from, released or terminated)");
        return enclave_;
    }

    void reset() noexcept {
        if (enclave_)
            (void)ccbox_terminate_enclave(enclave_);
        enclave_ = nullptr;
    }

    ccbox_enclave_t* enclave_ = nullptr;
};

// The identity inside a report made by any enclave (no verification: only the target can).
inline ccbox_report_identity_t parse_report(std::span<const uint8_t> report) {
    ccbox_report_identity_t id{};
    check(detail::quietly([&] { return ccbox_parse_report(report.data(), report.size(), &id); }),
          "cannot parse the report");
    return id;
}

// The TARGETINFO of the enclave that made `report`.
inline ccbox_target_info_t target_info_of_report(std::span<const uint8_t> report) {
    ccbox_target_info_t info{};
    check(detail::quietly([&] { return ccbox_get_target_info_of_report(report.data(), report.size(), &info); }),
          "cannot read the report");
    return info;
}

} // namespace ccbox

#endif // CCBOX_HOST_HPP
