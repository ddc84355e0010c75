// The recursive-descent parser behind parse_edl(), split over parser.cpp (file structure,
// functions, user types) and parser_decl.cpp (types, attributes, declarations).
#pragma once

#include "ast.h"
#include "diagnostics.h"
#include "token.h"

#include <string>
#include <vector>

namespace ccbox::edl {

class Parser {
public:
    Parser(std::vector<Token> tokens, Diagnostics& diagnostics) : tokens_(std::move(tokens)), diags_(diagnostics) {}

    // Throws FatalError after reporting a syntax error.
    void parse_file(EdlFile& file);

    // parser_decl.cpp
    TypeRef parse_type();
    Attributes parse_attributes();
    Declaration parse_declaration();

private:
    // token access
    const Token& peek(size_t ahead = 0) const;
    Token take();
    [[noreturn]] void fail(const Location& at, const std::string& message);
    [[noreturn]] void fail_expected(const std::string& what);
    void expect_punct(char c, const char* context);
    std::string expect_identifier(const char* what, Location* location = nullptr);
    bool accept_punct(char c);

    // parser.cpp
    void parse_item(EdlFile& file);
    void parse_include(EdlFile& file);
    void parse_import(EdlFile& file);
    void parse_from_import(EdlFile& file);
    void parse_enum(EdlFile& file);
    void parse_struct_or_union(EdlFile& file, UserTypeKind kind);
    void parse_function_block(EdlFile& file, bool trusted);
    std::unique_ptr<Function> parse_function(bool trusted);
    void parse_function_suffixes(Function& f);
    std::vector<NameRef> parse_name_list(const char* what);

    // parser_decl.cpp
    BaseType parse_integer_type(const Token& first);
    std::vector<ArrayDim> parse_dims();
    Attribute parse_attribute();

    std::vector<Token> tokens_;
    size_t pos_ = 0;
    Diagnostics& diags_;
};

}  // namespace ccbox::edl
