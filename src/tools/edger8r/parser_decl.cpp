// Types, attributes and declarations (parameters and struct/union members).
#include "ast_names.h"
#include "parser_impl.h"

#include <set>

namespace ccbox::edl {
namespace {

struct NamedBase {
    const char* word;
    BaseType base;
};

constexpr NamedBase kSimpleTypes[] = {
    {"void", BaseType::Void},       {"bool", BaseType::Bool},       {"float", BaseType::Float},
    {"double", BaseType::Double},   {"wchar_t", BaseType::WChar},   {"size_t", BaseType::SizeT},
    {"int8_t", BaseType::Int8},     {"int16_t", BaseType::Int16},   {"int32_t", BaseType::Int32},
    {"int64_t", BaseType::Int64},   {"uint8_t", BaseType::UInt8},   {"uint16_t", BaseType::UInt16},
    {"uint32_t", BaseType::UInt32}, {"uint64_t", BaseType::UInt64},
};

// Words that cannot name a type (EDL keywords and C keywords that are not type names).
const std::set<std::string>& reserved_words() {
    static const std::set<std::string> words = {
        "enclave", "trusted", "untrusted", "public", "include", "import", "from", "allow",
        "propagate_errno", "transition_using_threads", "const", "volatile", "restrict", "static",
        "extern", "register", "auto", "typedef", "inline", "return", "if", "else", "for", "while",
        "do", "switch", "case", "default", "break", "continue", "goto", "sizeof", "signed", "unsigned",
        "short", "long", "int", "char", "struct", "union", "enum"};
    return words;
}

}  // namespace

BaseType Parser::parse_integer_type(const Token& first) {
    // `first` is one of signed, unsigned, char, short, int, long (already taken).
    int sign = 0;  // -1 signed, +1 unsigned
    Token word = first;
    if (first.text == "signed" || first.text == "unsigned") {
        sign = first.text == "signed" ? -1 : 1;
        const Token& next = peek();
        if (next.is_word("char") || next.is_word("short") || next.is_word("int") || next.is_word("long")) {
            word = take();
        } else {
            return sign > 0 ? BaseType::UnsignedInt : BaseType::Int;
        }
    }
    if (word.text == "char")
        return sign == 0 ? BaseType::Char : sign < 0 ? BaseType::SignedChar : BaseType::UnsignedChar;
    if (word.text == "int")
        return sign > 0 ? BaseType::UnsignedInt : BaseType::Int;
    if (word.text == "short") {
        if (peek().is_word("int"))
            take();
        return sign > 0 ? BaseType::UnsignedShort : BaseType::Short;
    }
    // long
    if (peek().is_word("double")) {
        if (sign != 0)
            fail(peek().location, "'long double' cannot be signed or unsigned");
        take();
        return BaseType::LongDouble;
    }
    bool long_long = false;
    if (peek().is_word("long")) {
        take();
        long_long = true;
    }
    if (peek().is_word("int"))
        take();
    if (long_long)
        return sign > 0 ? BaseType::UnsignedLongLong : BaseType::LongLong;
    return sign > 0 ? BaseType::UnsignedLong : BaseType::Long;
}

TypeRef Parser::parse_type() {
    TypeRef type;
    type.location = peek().location;
    if (peek().is_word("const")) {
        take();
        type.is_const = true;
    }
    if (peek().kind != TokenKind::Identifier)
        fail_expected("a type name");
    Token t = take();
    const std::string& w = t.text;
    bool found = false;
    for (const NamedBase& s : kSimpleTypes) {
        if (w == s.word) {
            type.base = s.base;
            found = true;
            break;
        }
    }
    if (found) {
    } else if (w == "signed" || w == "unsigned" || w == "char" || w == "short" || w == "int" || w == "long") {
        type.base = parse_integer_type(t);
    } else if (w == "struct" || w == "union" || w == "enum") {
        type.base = w == "struct" ? BaseType::Struct : w == "union" ? BaseType::Union : BaseType::Enum;
        type.name = expect_identifier(w == "struct"  ? "a struct name after 'struct'"
                                      : w == "union" ? "a union name after 'union'"
                                                     : "an enum name after 'enum'");
    } else if (reserved_words().count(w)) {
        fail(t.location, "expected a type name but found '" + w + "'");
    } else {
        type.base = BaseType::Named;
        type.name = w;
    }
    if (peek().is_word("const")) {
        take();
        type.is_const = true;
    }
    while (accept_punct('*')) {
        ++type.pointer_depth;
        if (peek().is_word("const"))
            fail(peek().location, "'const' after '*' is not supported in EDL");
        if (type.pointer_depth > 8)
            fail(peek().location, "too many levels of pointers");
    }
    return type;
}

Attribute Parser::parse_attribute() {
    Location at;
    std::string name = expect_identifier("an attribute name", &at);
    static const struct {
        const char* word;
        AttrKind kind;
    } kAttributes[] = {
        {"in", AttrKind::In},         {"out", AttrKind::Out},       {"string", AttrKind::String},
        {"wstring", AttrKind::WString}, {"user_check", AttrKind::UserCheck}, {"isptr", AttrKind::IsPtr},
        {"isary", AttrKind::IsAry},   {"readonly", AttrKind::ReadOnly}, {"size", AttrKind::Size},
        {"count", AttrKind::Count},
    };
    Attribute attr{AttrKind::In, at, std::nullopt};
    bool known = false;
    for (const auto& a : kAttributes) {
        if (name == a.word) {
            attr.kind = a.kind;
            known = true;
        }
    }
    if (name == "sizefunc")
        fail(at, "'sizefunc' is not supported: give the buffer size with 'size='");
    if (!known)
        fail(at, "unknown attribute '" + name + "'");
    if (attr.kind == AttrKind::Size || attr.kind == AttrKind::Count) {
        expect_punct('=', attr.kind == AttrKind::Size ? "after 'size'" : "after 'count'");
        SizeValue v;
        v.location = peek().location;
        if (peek().kind == TokenKind::Integer) {
            Token n = take();
            v.is_literal = true;
            v.literal = n.value;
            v.text = n.text;
        } else if (peek().kind == TokenKind::Identifier) {
            v.name = take().text;
            v.text = v.name;
        } else {
            fail_expected("an integer or a parameter name");
        }
        attr.value = std::move(v);
    } else if (peek().is_punct('=')) {
        fail(peek().location, "attribute '" + name + "' takes no value");
    }
    return attr;
}

Attributes Parser::parse_attributes() {
    Attributes attrs;
    if (!peek().is_punct('['))
        return attrs;
    attrs.location = take().location;
    do {
        Attribute a = parse_attribute();
        if (attrs.has(a.kind))
            fail(a.location, std::string("duplicate attribute '") + attribute_name(a.kind) + "'");
        attrs.list.push_back(std::move(a));
    } while (accept_punct(','));
    expect_punct(']', "to close the attribute list");
    return attrs;
}

std::vector<ArrayDim> Parser::parse_dims() {
    std::vector<ArrayDim> dims;
    while (peek().is_punct('[')) {
        take();
        ArrayDim d;
        d.location = peek().location;
        if (peek().kind == TokenKind::Integer) {
            Token n = take();
            d.text = n.text;
            d.value = n.value;
            if (n.value == 0)
                fail(d.location, "array dimension must be greater than zero");
        } else if (peek().kind == TokenKind::Identifier) {
            d.text = take().text;
        } else {
            fail_expected("an array dimension (an integer or a constant's name)");
        }
        expect_punct(']', "to close the array dimension");
        dims.push_back(std::move(d));
        if (dims.size() > 8)
            fail(d.location, "too many array dimensions");
    }
    return dims;
}

Declaration Parser::parse_declaration() {
    Declaration d;
    d.attributes = parse_attributes();
    d.type = parse_type();
    d.name = expect_identifier("a name", &d.location);
    d.dims = parse_dims();
    return d;
}

}  // namespace ccbox::edl
