// How syntax-tree elements are spelled in messages.
#pragma once

#include "ast.h"

#include <string>

namespace ccbox::edl {

const char* attribute_name(AttrKind kind);
// "unsigned long", "struct foo", "foo_t" (no const, no pointers)
std::string base_type_name(const TypeRef& type);
// The type as written, with const and pointers: "const char*"
std::string type_name(const TypeRef& type);
const char* user_type_kind_name(UserTypeKind kind);

}  // namespace ccbox::edl
