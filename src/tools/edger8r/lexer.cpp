#include "lexer.h"

#include <cctype>

namespace ccbox::edl {

std::string describe(const Token& token) {
    switch (token.kind) {
        case TokenKind::End:
            return "end of file";
        case TokenKind::String:
            return "\"" + token.text + "\"";
        case TokenKind::Directive:
            return "'#" + token.text + "'";
        default:
            return "'" + token.text + "'";
    }
}

namespace {

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class Lexer {
public:
    Lexer(const std::string& file, const std::string& source, Diagnostics& diagnostics)
        : file_(file), src_(source), diags_(diagnostics) {}

    std::vector<Token> run() {
        std::vector<Token> tokens;
        while (true) {
            skip_space_and_comments();
            if (pos_ >= src_.size())
                break;
            Token t = next_token();
            if (t.kind != TokenKind::End)
                tokens.push_back(std::move(t));
        }
        Token end;
        end.kind = TokenKind::End;
        end.location = here();
        tokens.push_back(std::move(end));
        return tokens;
    }

private:
    Location here() const { return Location{file_, line_, column_}; }
    char peek(size_t ahead = 0) const { return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0'; }

    void advance() {
        if (pos_ >= src_.size())
            return;
        if (src_[pos_] == '\n') {
            ++line_;
            column_ = 1;
            at_line_start_ = true;
        } else {
            ++column_;
        }
        ++pos_;
    }

    void skip_space_and_comments() {
        while (pos_ < src_.size()) {
            char c = peek();
            if (c == '\n' || c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
                advance();
            } else if (c == '/' && peek(1) == '/') {
                while (pos_ < src_.size() && peek() != '\n')
                    advance();
            } else if (c == '/' && peek(1) == '*') {
                Location start = here();
                advance();
                advance();
                bool closed = false;
                while (pos_ < src_.size()) {
                    if (peek() == '*' && peek(1) == '/') {
                        advance();
                        advance();
                        closed = true;
                        break;
                    }
                    advance();
                }
                if (!closed)
                    diags_.error(start, "unterminated comment");
            } else {
                return;
            }
        }
    }

    Token next_token() {
        Token t;
        t.location = here();
        bool line_start = at_line_start_;
        at_line_start_ = false;
        char c = peek();
        if (c == '#') {
            if (!line_start) {
                diags_.error(t.location, "'#' must start a line (preprocessor directive)");
                advance();
                return Token{};
            }
            return directive(t);
        }
        if (is_ident_start(c)) {
            while (is_ident_char(peek())) {
                t.text += peek();
                advance();
            }
            t.kind = TokenKind::Identifier;
            return t;
        }
        if (std::isdigit(static_cast<unsigned char>(c)))
            return integer(t);
        if (c == '"')
            return string(t);
        static const std::string kPunct = "{}()[];,*=-";
        if (kPunct.find(c) != std::string::npos) {
            t.kind = TokenKind::Punct;
            t.text = std::string(1, c);
            advance();
            return t;
        }
        std::string shown = std::isprint(static_cast<unsigned char>(c))
                                ? std::string(1, c)
                                : "\\x" + std::string(1, "0123456789abcdef"[(c >> 4) & 15]) +
                                      std::string(1, "0123456789abcdef"[c & 15]);
        diags_.error(t.location, "unexpected character '" + shown + "'");
        advance();
        return Token{};
    }

    Token integer(Token t) {
        std::string digits;
        while (is_ident_char(peek())) {
            digits += peek();
            advance();
        }
        t.kind = TokenKind::Integer;
        t.text = digits;
        unsigned base = 10;
        size_t start = 0;
        if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
            base = 16;
            start = 2;
        } else if (digits.size() > 1 && digits[0] == '0') {
            base = 8;
            start = 1;
        }
        uint64_t value = 0;
        for (size_t i = start; i < digits.size(); ++i) {
            int d = digit_value(digits[i]);
            if (d < 0 || static_cast<unsigned>(d) >= base) {
                diags_.error(t.location, "invalid integer literal '" + digits + "'");
                return t;
            }
            if (value > (UINT64_MAX - static_cast<unsigned>(d)) / base) {
                diags_.error(t.location, "integer literal '" + digits + "' is too large");
                return t;
            }
            value = value * base + static_cast<unsigned>(d);
        }
        t.value = value;
        return t;
    }

    static int digit_value(char c) {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    Token string(Token t) {
        advance();  // opening quote
        t.kind = TokenKind::String;
        while (true) {
            char c = peek();
            if (pos_ >= src_.size() || c == '\n') {
                diags_.error(t.location, "unterminated string literal");
                return t;
            }
            if (c == '"') {
                advance();
                return t;
            }
            if (c == '\\' && pos_ + 1 < src_.size() && peek(1) != '\n') {
                t.text += c;
                advance();
                c = peek();
            }
            t.text += c;
            advance();
        }
    }

    // "#name [argument]" up to the end of the line.
    Token directive(Token t) {
        advance();  // '#'
        skip_blanks();
        t.kind = TokenKind::Directive;
        while (is_ident_char(peek())) {
            t.text += peek();
            advance();
        }
        skip_blanks();
        if (t.text != "ifdef" && t.text != "ifndef" && t.text != "else" && t.text != "endif") {
            // Not an EDL directive: the preprocessor reports it; the rest of the line is its.
            while (pos_ < src_.size() && peek() != '\n')
                advance();
            return t;
        }
        if (is_ident_start(peek())) {
            t.argument_location = here();
            while (is_ident_char(peek())) {
                t.argument += peek();
                advance();
            }
            skip_blanks();
        }
        // Only a comment may follow on the line.
        if (peek() == '/' && peek(1) == '/') {
            while (pos_ < src_.size() && peek() != '\n')
                advance();
        } else if (peek() == '/' && peek(1) == '*') {
            skip_space_and_comments();
            return t;
        }
        if (pos_ < src_.size() && peek() != '\n') {
            diags_.error(here(), "unexpected text after '#" + t.text + "'");
            while (pos_ < src_.size() && peek() != '\n')
                advance();
        }
        return t;
    }

    void skip_blanks() {
        while (peek() == ' ' || peek() == '\t' || peek() == '\r')
            advance();
    }

    const std::string& file_;
    const std::string& src_;
    Diagnostics& diags_;
    size_t pos_ = 0;
    int line_ = 1;
    int column_ = 1;
    bool at_line_start_ = true;
};

}  // namespace

std::vector<Token> tokenize(const std::string& file, const std::string& source, Diagnostics& diagnostics) {
    return Lexer(file, source, diagnostics).run();
}

}  // namespace ccbox::edl
