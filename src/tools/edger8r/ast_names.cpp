#include "ast_names.h"

namespace ccbox::edl {

const char* attribute_name(AttrKind kind) {
    switch (kind) {
        case AttrKind::In: return "in";
        case AttrKind::Out: return "out";
        case AttrKind::String: return "string";
        case AttrKind::WString: return "wstring";
        case AttrKind::UserCheck: return "user_check";
        case AttrKind::IsPtr: return "isptr";
        case AttrKind::IsAry: return "isary";
        case AttrKind::ReadOnly: return "readonly";
        case AttrKind::Size: return "size";
        case AttrKind::Count: return "count";
    }
    return "?";
}

std::string base_type_name(const TypeRef& type) {
    switch (type.base) {
        case BaseType::Void: return "void";
        case BaseType::Bool: return "bool";
        case BaseType::Char: return "char";
        case BaseType::SignedChar: return "signed char";
        case BaseType::UnsignedChar: return "unsigned char";
        case BaseType::Short: return "short";
        case BaseType::UnsignedShort: return "unsigned short";
        case BaseType::Int: return "int";
        case BaseType::UnsignedInt: return "unsigned int";
        case BaseType::Long: return "long";
        case BaseType::UnsignedLong: return "unsigned long";
        case BaseType::LongLong: return "long long";
        case BaseType::UnsignedLongLong: return "unsigned long long";
        case BaseType::Float: return "float";
        case BaseType::Double: return "double";
        case BaseType::LongDouble: return "long double";
        case BaseType::WChar: return "wchar_t";
        case BaseType::SizeT: return "size_t";
        case BaseType::Int8: return "int8_t";
        case BaseType::Int16: return "int16_t";
        case BaseType::Int32: return "int32_t";
        case BaseType::Int64: return "int64_t";
        case BaseType::UInt8: return "uint8_t";
        case BaseType::UInt16: return "uint16_t";
        case BaseType::UInt32: return "uint32_t";
        case BaseType::UInt64: return "uint64_t";
        case BaseType::Struct: return "struct " + type.name;
        case BaseType::Union: return "union " + type.name;
        case BaseType::Enum: return "enum " + type.name;
        case BaseType::Named: return type.name;
    }
    return "?";
}

std::string type_name(const TypeRef& type) {
    std::string s = type.is_const ? "const " : "";
    s += base_type_name(type);
    if (type.pointer_depth > 0)
        s += std::string(static_cast<size_t>(type.pointer_depth), '*');
    return s;
}

const char* user_type_kind_name(UserTypeKind kind) {
    switch (kind) {
        case UserTypeKind::Struct: return "struct";
        case UserTypeKind::Union: return "union";
        case UserTypeKind::Enum: return "enum";
    }
    return "?";
}

}  // namespace ccbox::edl
