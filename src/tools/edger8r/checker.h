// The semantic checks of an EDL program. Every problem is reported (not only the first);
// the emitters run only on a program that passed.
#pragma once

#include "diagnostics.h"
#include "program.h"
#include "symbols.h"

namespace ccbox::edl {

// Returns true when the program has no errors.
bool check_program(const Program& program, Diagnostics& diagnostics);

// Internal: the checks of one parameter or member (check_decls.cpp), used by check_program.
struct DeclContext {
    enum class Kind { Parameter, StructMember, UnionMember } kind;
    const std::vector<Declaration>* siblings;  // the other parameters / members
    std::string owner;                         // "function 'f'" / "struct 'S'"
};
void check_declaration(const Declaration& d, const DeclContext& context, const Symbols& symbols,
                       Diagnostics& diagnostics);
// Reports an undefined or mismatched type; returns its class.
TypeClass check_type(const TypeRef& type, const Symbols& symbols, Diagnostics& diagnostics);
void check_name(const std::string& name, const Location& location, const char* what, Diagnostics& diagnostics);

}  // namespace ccbox::edl
