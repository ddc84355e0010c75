#include "symbols.h"

#include <set>

namespace ccbox::edl {

Symbols::Symbols(const Program& program) {
    has_includes_ = !program.includes.empty();
    runtime_types_ = &program.runtime_types;
    for (const UserType* t : program.types) {
        if (!t->name.empty())
            types_.emplace(t->name, t);  // the first declaration wins; duplicates are reported
        for (const EnumItem& item : t->items)
            enumerators_.emplace(item.name, &item);
    }
}

const UserType* Symbols::find_type(const std::string& name) const {
    auto it = types_.find(name);
    return it == types_.end() ? nullptr : it->second;
}

const EnumItem* Symbols::find_enumerator(const std::string& name) const {
    auto it = enumerators_.find(name);
    return it == enumerators_.end() ? nullptr : it->second;
}

TypeClass Symbols::classify(const TypeRef& type, const UserType** user) const {
    if (user)
        *user = nullptr;
    switch (type.base) {
        case BaseType::Void: return TypeClass::Void;
        case BaseType::Bool: return TypeClass::Bool;
        case BaseType::Char:
        case BaseType::SignedChar:
        case BaseType::UnsignedChar: return TypeClass::Char;
        case BaseType::WChar: return TypeClass::WChar;
        case BaseType::Float:
        case BaseType::Double:
        case BaseType::LongDouble: return TypeClass::Floating;
        case BaseType::Struct:
        case BaseType::Union:
        case BaseType::Enum:
        case BaseType::Named: break;
        default: return TypeClass::Integer;
    }
    const UserType* t = find_type(type.name);
    if (t) {
        if (user)
            *user = t;
        UserTypeKind wanted = type.base == BaseType::Struct  ? UserTypeKind::Struct
                              : type.base == BaseType::Union ? UserTypeKind::Union
                                                             : UserTypeKind::Enum;
        if (type.base != BaseType::Named && t->kind != wanted)
            return TypeClass::Mismatch;
        switch (t->kind) {
            case UserTypeKind::Struct: return TypeClass::EdlStruct;
            case UserTypeKind::Union: return TypeClass::EdlUnion;
            case UserTypeKind::Enum: return TypeClass::EdlEnum;
        }
    }
    return TypeClass::Foreign;
}

bool Symbols::on_trust(const TypeRef& type) const {
    if (has_includes_ || find_type(type.name))
        return false;
    if (type.base != BaseType::Named)
        return true;  // `struct stat` with no header: on trust as well
    return !is_well_known_type_name(type.name) && !runtime_types_->count(type.name);
}

bool Symbols::needs_deep_copy(const UserType& type) {
    if (type.kind != UserTypeKind::Struct)
        return false;
    for (const Declaration& m : type.members) {
        if (m.type.pointer_depth > 0 && (m.attributes.has(AttrKind::Size) || m.attributes.has(AttrKind::Count)))
            return true;
    }
    return false;
}

bool is_integer_class(TypeClass c) {
    return c == TypeClass::Integer || c == TypeClass::Char || c == TypeClass::WChar || c == TypeClass::EdlEnum ||
           c == TypeClass::Foreign;
}

bool is_well_known_type_name(const std::string& name) {
    static const std::set<std::string> names = {
        "intptr_t", "uintptr_t", "ptrdiff_t", "intmax_t", "uintmax_t", "wint_t", "max_align_t",
        "int_least8_t", "int_least16_t", "int_least32_t", "int_least64_t", "uint_least8_t", "uint_least16_t",
        "uint_least32_t", "uint_least64_t", "int_fast8_t", "int_fast16_t", "int_fast32_t", "int_fast64_t",
        "uint_fast8_t", "uint_fast16_t", "uint_fast32_t", "uint_fast64_t", "mbstate_t"};
    return names.count(name) != 0 || name.rfind("ccbox_", 0) == 0;
}

bool is_keyword(const std::string& name) {
    static const std::set<std::string> words = {
        // C
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
        "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
        "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
        "volatile", "while", "_Bool", "_Complex", "_Imaginary", "_Alignas", "_Alignof", "_Atomic",
        "_Generic", "_Noreturn", "_Static_assert", "_Thread_local",
        // C++
        "alignas", "alignof", "and", "and_eq", "asm", "bitand", "bitor", "bool", "catch", "char8_t",
        "char16_t", "char32_t", "class", "co_await", "co_return", "co_yield", "compl", "concept",
        "const_cast", "consteval", "constexpr", "constinit", "decltype", "delete", "dynamic_cast",
        "explicit", "export", "false", "friend", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
        "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "reinterpret_cast",
        "requires", "static_assert", "static_cast", "template", "this", "thread_local", "throw", "true",
        "try", "typeid", "typename", "using", "virtual", "wchar_t", "xor", "xor_eq"};
    return words.count(name) != 0;
}

bool is_builtin_type_name(const std::string& name) {
    static const std::set<std::string> names = {"size_t", "wchar_t", "bool", "int8_t", "int16_t", "int32_t",
                                                 "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t"};
    return names.count(name) != 0 || is_well_known_type_name(name);
}

bool is_c_library_function(const std::string& name) {
    static const std::set<std::string> names = {
        // <string.h>
        "memcpy", "memmove", "memset", "memcmp", "memchr", "memccpy", "memmem", "mempcpy", "strlen", "strnlen",
        "strcpy", "strncpy", "stpcpy", "strcat", "strncat", "strcmp", "strncmp", "strcoll", "strxfrm", "strchr",
        "strrchr", "strstr", "strspn", "strcspn", "strpbrk", "strtok", "strtok_r", "strdup", "strndup", "strerror",
        "strerror_r", "strcasecmp", "strncasecmp", "bzero", "explicit_bzero",
        // <stdlib.h>
        "malloc", "calloc", "realloc", "free", "aligned_alloc", "posix_memalign", "abort", "exit", "_Exit",
        "atexit", "getenv", "system", "qsort", "bsearch", "abs", "labs", "llabs", "div", "atoi", "atol",
        "atoll", "atof", "strtol", "strtoul", "strtoll", "strtoull", "strtod", "strtof", "strtold", "rand",
        "srand", "random", "srandom", "mblen", "mbtowc", "wctomb", "mbstowcs", "wcstombs",
        // <wchar.h>
        "wcslen", "wcsnlen", "wcscpy", "wcsncpy", "wcscat", "wcscmp", "wcsncmp", "wcschr", "wcsrchr", "wcsstr",
        "wmemcpy", "wmemmove", "wmemset", "wmemcmp", "wmemchr", "wcstol", "wcstoul", "fwprintf", "swprintf",
        "wprintf", "btowc", "wctob", "mbrtowc", "wcrtomb"};
    return names.count(name) != 0;
}

}  // namespace ccbox::edl
