// Source locations and the error list of one compilation. Every problem ccbox-edger8r reports
// is an error printed as `file:line:column: error: message`.
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
};

// Formats a diagnostic the way compilers do: "file:line:column: error: message".
std::string format_diagnostic(const Diagnostic& diagnostic);

class Diagnostics {
public:
    void error(const Location& location, std::string message);
    bool has_errors() const { return !list_.empty(); }
    size_t count() const { return list_.size(); }
    const std::vector<Diagnostic>& list() const { return list_; }

    // The compilation stops collecting after this many errors (a hostile input cannot make the
    // tool print without end).
    static constexpr size_t kMaxErrors = 100;

private:
    std::vector<Diagnostic> list_;
};

// Thrown to abandon the current file after a syntax error (already reported).
struct FatalError {};

}  // namespace ccbox::edl
