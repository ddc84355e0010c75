// Builds generated source text line by line with indentation.
#pragma once

#include <string>

namespace ccbox::edl {

class CodeWriter {
public:
    void line(const std::string& text = "") {
        if (!text.empty())
            out_.append(static_cast<size_t>(depth_) * 4, ' ').append(text);
        out_ += '\n';
    }
    // "text {" and one level deeper
    void open(const std::string& text) {
        line(text.empty() ? "{" : text + " {");
        ++depth_;
    }
    // one level back and "}" (+ suffix, e.g. " while (0);" or ";")
    void close(const std::string& suffix = "") {
        --depth_;
        line("}" + suffix);
    }
    void indent() { ++depth_; }
    void dedent() { --depth_; }
    const std::string& text() const { return out_; }

private:
    std::string out_;
    int depth_ = 0;
};

}  // namespace ccbox::edl
