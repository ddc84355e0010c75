// Shared by emit_struct_helpers.cpp (sender side walkers) and emit_struct_receive.cpp
// (receiver side walkers).
#pragma once

#include "emit_common.h"

#include <string>

namespace ccbox::edl::structs {

// The C code of the length of deep member `m` of element `element` ("a[_ccb_i]"):
// for data, the statement condition "ccbox_safe_mul(F, M, &_ccb_len)"; for nested deep
// structs, the element count expression.
std::string member_bytes_call(const MemberPlan& m, const std::string& element);
std::string member_count(const MemberPlan& m, const std::string& element);
// "_ccb_<op>_<struct>"
std::string helper(const char* op, const std::string& struct_name);
// The locals every walker declares (marked used, as not every walker needs all of them).
void emit_locals(CodeWriter& w);
// Loop cleaning the `bytes_expr` bytes at `at` as an array of plain EDL struct `m.clean_name`.
void emit_clean_loop(CodeWriter& w, const std::string& struct_name, const std::string& at,
                     const std::string& bytes_expr);

void emit_msr(CodeWriter& w, const StructPlan& s);
void emit_put(CodeWriter& w, const StructPlan& s);
void emit_get(CodeWriter& w, const StructPlan& s);
void emit_chk(CodeWriter& w, const StructPlan& s);
void emit_scr(CodeWriter& w, const StructPlan& s);
void emit_zro(CodeWriter& w, const StructPlan& s);
// emit_struct_alloc.cpp: callee-allocated [out] trees
void emit_dup(CodeWriter& w, const StructPlan& s);
void emit_fre(CodeWriter& w, const StructPlan& s);

}  // namespace ccbox::edl::structs
