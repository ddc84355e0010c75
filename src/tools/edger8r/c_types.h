// C spellings of EDL types and declarations for the generated code.
#pragma once

#include "ast.h"

#include <string>

namespace ccbox::edl {

// "const char*", "unsigned long long", "struct S*"
std::string c_type(const TypeRef& type);
// The type with one pointer level removed: "const char*" -> "const char"
std::string c_pointee(const TypeRef& type);
// "const char* s", "int a[2][3]"
std::string c_declaration(const Declaration& d);
// The whole array a declaration names, for sizeof: "int[2][3]"; an isary typedef: "array_t"
std::string c_array_type(const Declaration& d);
// A pointer to that whole array: "int(*)[2][3]" / "array_t*"
std::string c_array_pointer(const Declaration& d);
// "[2][3]"
std::string c_dims(const Declaration& d);

}  // namespace ccbox::edl
