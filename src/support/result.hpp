// Error and Result<T>: the one error style of ccbox's hosted C++ code (tools, platform, host).
// An Error carries a ccbox_result_t and a message that names what was wrong (file, field,
// expected value). Enclave code does not use this header: it returns plain ccbox_result_t.
#pragma once

#include <ccbox/result.h>

#include <string>
#include <utility>
#include <variant>

namespace ccbox {

class Error {
public:
    Error(ccbox_result_t code, std::string message) : code_(code), message_(std::move(message)) {}

    ccbox_result_t code() const { return code_; }
    const std::string& message() const { return message_; }

    // Prefixes context ("enclave.conf: ") to the message, keeping the code.
    Error with_context(const std::string& context) const& { return Error(code_, context + message_); }

private:
    ccbox_result_t code_;
    std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const& { return std::get<1>(state_); }
    Error&& error() && { return std::get<1>(std::move(state_)); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const& { return error_; }
    Error&& error() && { return std::move(error_); }

private:
    Error error_{CCBOX_OK, {}};
    bool failed_ = false;
};

inline Result<void> ok_result() { return {}; }

}  // namespace ccbox

// Returns the error of `expr` (a Result) from the enclosing function.
#define CCBOX_TRY(expr)                                      \
    do {                                                     \
        auto ccbox_try_result_ = (expr);                     \
        if (!ccbox_try_result_.ok())                         \
            return std::move(ccbox_try_result_).error();     \
    } while (0)

#define CCBOX_CONCAT_INNER_(a, b) a##b
#define CCBOX_CONCAT_(a, b) CCBOX_CONCAT_INNER_(a, b)
#define CCBOX_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
    auto tmp = (expr);                                \
    if (!tmp.ok())                                    \
        return std::move(tmp).error();                \
    lhs = std::move(tmp).value()
// `CCBOX_ASSIGN_OR_RETURN(auto x, f());` declares x from f()'s value or returns its error.
#define CCBOX_ASSIGN_OR_RETURN(lhs, expr) \
    CCBOX_ASSIGN_OR_RETURN_IMPL_(CCBOX_CONCAT_(ccbox_assign_result_, __LINE__), lhs, expr)
