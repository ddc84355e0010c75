#include "preprocessor.h"

namespace ccbox::edl {
namespace {

struct Conditional {
    Location location;   // of the #ifdef / #ifndef
    bool parent_active;  // whether the enclosing region is kept
    bool condition;      // whether the #ifdef branch is kept
    bool in_else = false;

    bool active() const { return parent_active && (in_else ? !condition : condition); }
};

}  // namespace

std::vector<Token> preprocess(std::vector<Token> tokens, const std::set<std::string>& defines,
                              Diagnostics& diagnostics) {
    std::vector<Token> out;
    out.reserve(tokens.size());
    std::vector<Conditional> stack;
    auto active = [&] { return stack.empty() || stack.back().active(); };

    for (Token& t : tokens) {
        if (t.kind == TokenKind::End) {
            if (!stack.empty())
                diagnostics.error(stack.back().location, "unterminated '#" +
                                                             std::string(stack.back().in_else ? "else" : "ifdef") +
                                                             "': missing '#endif'");
            out.push_back(std::move(t));
            break;
        }
        if (t.kind != TokenKind::Directive) {
            if (active())
                out.push_back(std::move(t));
            continue;
        }
        const std::string& name = t.text;
        if (name == "ifdef" || name == "ifndef") {
            if (t.argument.empty()) {
                diagnostics.error(t.location, "expected a name after '#" + name + "'");
                stack.push_back(Conditional{t.location, active(), false});
                continue;
            }
            bool defined = defines.count(t.argument) != 0;
            stack.push_back(Conditional{t.location, active(), name == "ifdef" ? defined : !defined});
        } else if (name == "else") {
            if (stack.empty()) {
                diagnostics.error(t.location, "'#else' without '#ifdef' or '#ifndef'");
            } else if (stack.back().in_else) {
                diagnostics.error(t.location, "second '#else' for the same '#ifdef'");
            } else {
                stack.back().in_else = true;
            }
            if (!t.argument.empty())
                diagnostics.error(t.argument_location, "unexpected text after '#else'");
        } else if (name == "endif") {
            if (stack.empty())
                diagnostics.error(t.location, "'#endif' without '#ifdef' or '#ifndef'");
            else
                stack.pop_back();
            if (!t.argument.empty())
                diagnostics.error(t.argument_location, "unexpected text after '#endif'");
        } else if (active()) {
            diagnostics.error(t.location, "unsupported preprocessor directive '#" + name +
                                              "' (EDL supports #ifdef, #ifndef, #else and #endif)");
        }
    }
    return out;
}

}  // namespace ccbox::edl
