// Source locations and the diagnostics of one compilation, printed as
// `file:line:column: error: message` (or `warning:`). Errors fail the compilation; warnings
// (types taken on trust, docs/edl.md) do not.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ccbox::edl {

struct Location {
    std::string file;
    int line = 0;
    int column = 0;
};

struct Diagnostic {
    Location location;
    std::string message;
    bool warning = false;
};

// Formats a diagnostic the way compilers do: "file:line:column: error: message".
std::string format_diagnostic(const Diagnostic& diagnostic);

class Diagnostics {
public:
    void error(const Location& location, std::string message);
    // A warning with the same file and message as an earlier one is not repeated (a type taken
    // on trust is reported once, not at every use).
    void warning(const Location& location, std::string message);
    bool has_errors() const { return errors_ != 0; }
    // The number of errors (warnings are not counted).
    size_t count() const { return errors_; }
    // Errors and warnings, in the order they were reported.
    const std::vector<Diagnostic>& list() const { return list_; }

    // The compilation stops collecting after this many diagnostics (a hostile input cannot make
    // the tool print without end).
    static constexpr size_t kMaxErrors = 100;

private:
    std::vector<Diagnostic> list_;
    size_t errors_ = 0;
};

// Thrown to abandon the current file after a syntax error (already reported).
struct FatalError {};

}  // namespace ccbox::edl
