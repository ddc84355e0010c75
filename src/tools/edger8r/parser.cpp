#include "parser.h"

#include "parser_impl.h"

namespace ccbox::edl {

const Token& Parser::peek(size_t ahead) const {
    size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
}

Token Parser::take() {
    Token t = peek();
    if (pos_ < tokens_.size() - 1)
        ++pos_;
    return t;
}

void Parser::fail(const Location& at, const std::string& message) {
    diags_.error(at, message);
    throw FatalError{};
}

void Parser::fail_expected(const std::string& what) {
    fail(peek().location, "expected " + what + " but found " + describe(peek()));
}

void Parser::expect_punct(char c, const char* context) {
    if (!peek().is_punct(c))
        fail_expected(std::string("'") + c + "' " + context);
    take();
}

bool Parser::accept_punct(char c) {
    if (!peek().is_punct(c))
        return false;
    take();
    return true;
}

std::string Parser::expect_identifier(const char* what, Location* location) {
    if (peek().kind != TokenKind::Identifier)
        fail_expected(what);
    if (location)
        *location = peek().location;
    return take().text;
}

void Parser::parse_file(EdlFile& file) {
    if (!peek().is_word("enclave"))
        fail_expected("'enclave'");
    take();
    expect_punct('{', "after 'enclave'");
    while (!peek().is_punct('}')) {
        if (peek().kind == TokenKind::End)
            fail_expected("'}' closing 'enclave'");
        parse_item(file);
    }
    take();
    accept_punct(';');
    if (peek().kind != TokenKind::End)
        fail_expected("end of file after the 'enclave' block");
}

void Parser::parse_item(EdlFile& file) {
    const Token& t = peek();
    if (t.is_word("include"))
        parse_include(file);
    else if (t.is_word("import"))
        parse_import(file);
    else if (t.is_word("from"))
        parse_from_import(file);
    else if (t.is_word("enum"))
        parse_enum(file);
    else if (t.is_word("struct"))
        parse_struct_or_union(file, UserTypeKind::Struct);
    else if (t.is_word("union"))
        parse_struct_or_union(file, UserTypeKind::Union);
    else if (t.is_word("trusted"))
        parse_function_block(file, true);
    else if (t.is_word("untrusted"))
        parse_function_block(file, false);
    else
        fail_expected("'trusted', 'untrusted', 'include', 'import', 'from', 'struct', 'union' or 'enum'");
}

void Parser::parse_include(EdlFile& file) {
    take();
    if (peek().kind != TokenKind::String)
        fail_expected("a header name in quotes after 'include'");
    Token name = take();
    if (name.text.empty())
        fail(name.location, "empty header name");
    file.items.push_back(Item{Item::Kind::Include, file.includes.size()});
    file.includes.push_back(Include{name.text, name.location});
    accept_punct(';');
}

void Parser::parse_import(EdlFile& file) {
    take();
    if (peek().kind != TokenKind::String)
        fail_expected("an EDL file name in quotes after 'import'");
    Token name = take();
    if (name.text.empty())
        fail(name.location, "empty file name");
    file.items.push_back(Item{Item::Kind::Import, file.imports.size()});
    file.imports.push_back(Import{name.text, name.location, ImportKind::Plain, {}});
    accept_punct(';');
}

void Parser::parse_from_import(EdlFile& file) {
    take();
    if (peek().kind != TokenKind::String)
        fail_expected("an EDL file name in quotes after 'from'");
    Token name = take();
    if (name.text.empty())
        fail(name.location, "empty file name");
    if (!peek().is_word("import"))
        fail_expected("'import'");
    take();
    Import import{name.text, name.location, ImportKind::All, {}};
    if (!accept_punct('*')) {
        import.kind = ImportKind::Names;
        import.names = parse_name_list("a function name");
    }
    expect_punct(';', "after the import list");
    file.items.push_back(Item{Item::Kind::Import, file.imports.size()});
    file.imports.push_back(std::move(import));
}

std::vector<NameRef> Parser::parse_name_list(const char* what) {
    std::vector<NameRef> names;
    do {
        NameRef ref;
        ref.name = expect_identifier(what, &ref.location);
        names.push_back(std::move(ref));
    } while (accept_punct(','));
    return names;
}

void Parser::parse_enum(EdlFile& file) {
    auto type = std::make_unique<UserType>();
    type->kind = UserTypeKind::Enum;
    type->location = take().location;
    type->file = file.path;
    if (peek().kind == TokenKind::Identifier)
        type->name = expect_identifier("an enum name", &type->location);
    expect_punct('{', "to open the enum");
    while (!peek().is_punct('}')) {
        EnumItem item;
        item.name = expect_identifier("an enumerator name", &item.location);
        if (accept_punct('=')) {
            if (accept_punct('-'))
                item.value.push_back('-');  // not `= "-"`: gcc 12 -O3 reports a false -Wrestrict there
            if (peek().kind != TokenKind::Integer && peek().kind != TokenKind::Identifier)
                fail_expected("an integer or a name as the enumerator's value");
            item.value += take().text;
        }
        type->items.push_back(std::move(item));
        if (!accept_punct(','))
            break;
    }
    expect_punct('}', "to close the enum");
    expect_punct(';', "after the enum declaration");
    if (type->items.empty())
        fail(type->location, "an enum needs at least one enumerator");
    file.items.push_back(Item{Item::Kind::Type, file.types.size()});
    file.types.push_back(std::move(type));
}

void Parser::parse_struct_or_union(EdlFile& file, UserTypeKind kind) {
    const char* word = kind == UserTypeKind::Struct ? "struct" : "union";
    auto type = std::make_unique<UserType>();
    type->kind = kind;
    type->file = file.path;
    take();
    type->name = expect_identifier(kind == UserTypeKind::Struct ? "a struct name" : "a union name", &type->location);
    expect_punct('{', kind == UserTypeKind::Struct ? "to open the struct" : "to open the union");
    while (!peek().is_punct('}')) {
        if (peek().kind == TokenKind::End)
            fail_expected(std::string("'}' closing ") + word + " '" + type->name + "'");
        type->members.push_back(parse_declaration());
        expect_punct(';', "after the member declaration");
    }
    take();
    expect_punct(';', kind == UserTypeKind::Struct ? "after the struct declaration" : "after the union declaration");
    if (type->members.empty())
        fail(type->location, std::string(word) + " '" + type->name + "' has no members");
    file.items.push_back(Item{Item::Kind::Type, file.types.size()});
    file.types.push_back(std::move(type));
}

void Parser::parse_function_block(EdlFile& file, bool trusted) {
    take();
    expect_punct('{', trusted ? "after 'trusted'" : "after 'untrusted'");
    while (!peek().is_punct('}')) {
        if (peek().kind == TokenKind::End)
            fail_expected(trusted ? "'}' closing 'trusted'" : "'}' closing 'untrusted'");
        auto f = parse_function(trusted);
        f->file = file.path;
        file.items.push_back(Item{Item::Kind::Function, file.functions.size()});
        file.functions.push_back(std::move(f));
    }
    take();
    expect_punct(';', trusted ? "after the 'trusted' block" : "after the 'untrusted' block");
}

std::unique_ptr<Function> Parser::parse_function(bool trusted) {
    auto f = std::make_unique<Function>();
    f->trusted = trusted;
    if (peek().is_word("public")) {
        if (!trusted)
            fail(peek().location, "'public' is only valid for trusted functions (ECALLs)");
        take();
        f->is_public = true;
    }
    // Calling-convention attributes of the Intel SDK: [cdecl], [stdcall], [fastcall], [dllimport].
    if (accept_punct('[')) {
        f->call_attributes = parse_name_list("a calling-convention attribute");
        for (const NameRef& a : f->call_attributes) {
            if (a.name != "cdecl" && a.name != "stdcall" && a.name != "fastcall" && a.name != "dllimport")
                fail(a.location, "unknown function attribute '" + a.name + "'");
            if (a.name == "dllimport" && !f->dllimport) {
                f->dllimport = true;
                f->dllimport_location = a.location;
            }
        }
        expect_punct(']', "after the function attributes");
    }
    f->return_type = parse_type();
    f->name = expect_identifier("a function name", &f->location);
    expect_punct('(', "to open the parameter list");
    if (peek().is_word("void") && peek(1).is_punct(')')) {
        take();
    } else if (!peek().is_punct(')')) {
        do {
            f->params.push_back(parse_declaration());
        } while (accept_punct(','));
    }
    expect_punct(')', "to close the parameter list");
    parse_function_suffixes(*f);
    expect_punct(';', "after the function declaration");
    return f;
}

void Parser::parse_function_suffixes(Function& f) {
    while (true) {
        const Token& t = peek();
        if (t.is_word("allow")) {
            if (f.has_allow)
                fail(t.location, "duplicate 'allow' list");
            f.has_allow = true;
            f.allow_location = take().location;
            expect_punct('(', "after 'allow'");
            if (!peek().is_punct(')'))
                f.allow = parse_name_list("an ECALL name");
            expect_punct(')', "to close the 'allow' list");
        } else if (t.is_word("transition_using_threads")) {
            if (f.switchless)
                fail(t.location, "duplicate 'transition_using_threads'");
            take();
            f.switchless = true;
        } else if (t.is_word("propagate_errno")) {
            if (f.propagate_errno)
                fail(t.location, "duplicate 'propagate_errno'");
            f.propagate_errno_location = take().location;
            f.propagate_errno = true;
        } else {
            return;
        }
    }
}

std::unique_ptr<EdlFile> parse_edl(const std::string& path, std::vector<Token> tokens, Diagnostics& diagnostics) {
    auto file = std::make_unique<EdlFile>();
    file->path = path;
    if (tokens.empty()) {
        Token end;
        end.location = Location{path, 1, 1};
        tokens.push_back(end);
    }
    Parser parser(std::move(tokens), diagnostics);
    try {
        parser.parse_file(*file);
    } catch (const FatalError&) {
        return nullptr;
    }
    return file;
}

}  // namespace ccbox::edl
