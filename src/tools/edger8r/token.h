// The tokens of EDL.
#pragma once

#include "diagnostics.h"

#include <cstdint>
#include <string>

namespace ccbox::edl {

enum class TokenKind {
    Identifier,  // also keywords: the parser decides by context
    Integer,     // decimal, hexadecimal (0x) or octal (leading 0); value in `value`
    String,      // "..." ; `text` holds the contents without quotes, escapes kept as written
    Punct,       // one of { } ( ) [ ] ; , * = - : `text` is the character
    Directive,   // '#name' starting a line; `text` is the name, `argument` the identifier after it
    End,
};

struct Token {
    TokenKind kind = TokenKind::End;
    std::string text;
    uint64_t value = 0;
    std::string argument;
    Location argument_location;
    Location location;

    bool is_punct(char c) const { return kind == TokenKind::Punct && text.size() == 1 && text[0] == c; }
    bool is_word(const char* w) const { return kind == TokenKind::Identifier && text == w; }
};

// How a token is shown in messages: 'text', "string", or "end of file".
std::string describe(const Token& token);

}  // namespace ccbox::edl
