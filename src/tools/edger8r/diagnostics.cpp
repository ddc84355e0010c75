#include "diagnostics.h"

namespace ccbox::edl {

std::string format_diagnostic(const Diagnostic& d) {
    std::string out = d.location.file;
    if (d.location.line > 0) {
        out += ':' + std::to_string(d.location.line) + ':' + std::to_string(d.location.column);
    }
    out += ": error: ";
    out += d.message;
    return out;
}

void Diagnostics::error(const Location& location, std::string message) {
    if (list_.size() >= kMaxErrors)
        return;
    list_.push_back(Diagnostic{location, std::move(message)});
}

}  // namespace ccbox::edl
