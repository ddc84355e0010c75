// The names an EDL program declares and how each type in it is classified. Shared by the
// checks and the emitters.
#pragma once

#include "ast.h"
#include "program.h"

#include <map>
#include <set>
#include <string>

namespace ccbox::edl {

enum class TypeClass {
    Void,
    Bool,
    Char,      // char, signed char, unsigned char
    WChar,
    Integer,   // other integer types, size_t and the fixed-width types
    Floating,
    EdlStruct,
    EdlUnion,
    EdlEnum,
    Foreign,   // a type from an included header, or taken on trust (Symbols::on_trust)
    Mismatch,  // `struct X` where the EDL declares X as a union or enum (and so on)
};

class Symbols {
public:
    explicit Symbols(const Program& program);

    // The class of the base type of `type` (pointers and dimensions are not looked at).
    TypeClass classify(const TypeRef& type, const UserType** user = nullptr) const;
    const UserType* find_type(const std::string& name) const;
    const EnumItem* find_enumerator(const std::string& name) const;
    bool has_includes() const { return has_includes_; }
    // A foreign name that neither the EDL, nor a header it includes, nor the generated code's
    // own headers can declare: accepted as Intel's and OE's edger8r accept it, with a warning.
    bool on_trust(const TypeRef& type) const;

    // A struct is deep-copied when one of its pointer members carries size= or count=.
    static bool needs_deep_copy(const UserType& type);

private:
    std::map<std::string, const UserType*> types_;
    std::map<std::string, const EnumItem*> enumerators_;
    bool has_includes_ = false;
    const std::set<std::string>* runtime_types_ = nullptr;
};

bool is_integer_class(TypeClass c);
// Names the generated code's own headers declare (<stdint.h>, <stddef.h>, <wchar.h>, ccbox's).
bool is_well_known_type_name(const std::string& name);
// C and C++ keywords, which cannot name anything in an EDL (the output compiles as both).
bool is_keyword(const std::string& name);
// Type names EDL knows without a declaration: size_t, wchar_t, the fixed-width types, bool.
bool is_builtin_type_name(const std::string& name);
// Functions of the C library headers the generated files include: only a [dllimport] OCALL
// can have such a name (anything else would clash with the library's declaration).
bool is_c_library_function(const std::string& name);

}  // namespace ccbox::edl
