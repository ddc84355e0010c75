#include "diagnostics.h"

namespace ccbox::edl {

std::string format_diagnostic(const Diagnostic& d) {
    std::string out = d.location.file;
    if (d.location.line > 0) {
        out += ':' + std::to_string(d.location.line) + ':' + std::to_string(d.location.column);
    }
    out += d.warning ? ": warning: " : ": error: ";
    out += d.message;
    return out;
}

void Diagnostics::error(const Location& location, std::string message) {
    // An error always counts, even past the cap: only its text is dropped.
    ++errors_;
    if (list_.size() >= kMaxErrors)
        return;
    list_.push_back(Diagnostic{location, std::move(message), false});
}

void Diagnostics::warning(const Location& location, std::string message) {
    if (list_.size() >= kMaxErrors)
        return;
    for (const Diagnostic& d : list_)
        if (d.warning && d.location.file == location.file && d.message == message)
            return;
    list_.push_back(Diagnostic{location, std::move(message), true});
}

}  // namespace ccbox::edl
