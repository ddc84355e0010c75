// Pieces the five emitters share: file banners, signatures, length expressions and the
// helper functions every generated .c file starts with.
#pragma once

#include "code_writer.h"
#include "plan.h"
#include "program.h"

#include <functional>
#include <string>
#include <vector>

namespace ccbox::edl {

enum class Side { Host, Enclave };

// Renders a size/count reference (a parameter or member name) as a C expression.
using RefRenderer = std::function<std::string(const std::string& name)>;

std::string banner(const Program& program, const char* what);
std::string include_guard(const Plan& plan, const char* suffix);
// "<prefix>_fcn_id_<function>": the enumerator of a function's id in X_args.h.
std::string function_id_name(const Plan& plan, const std::string& function);
// The two lines of ccbox_create_<prefix>_enclave's signature, then `end` (";" in a header).
void emit_create_enclave_signature(CodeWriter& w, const Plan& plan, const std::string& end);
// oe_create_X_enclave(path, type, flags, settings, setting_count, enclave): Open Enclave mode only.
void emit_oe_create_enclave_signature(CodeWriter& w, const Plan& plan, const std::string& end);
void open_extern_c(CodeWriter& w);
void close_extern_c(CodeWriter& w);

// "(size_t)(n)", "(size_t)16u", or the term's expression
std::string render_term(const LengthTerm& term, const RefRenderer& ref);

// The parameter list as the EDL declares it ("(void)" when empty).
std::string user_parameters(const FunctionPlan& f);
// R name(params), or R other_name(params)
std::string user_signature(const FunctionPlan& f);
std::string user_signature(const FunctionPlan& f, const std::string& other_name);
// ccbox_result_t name(ccbox_enclave_t* enclave, R* retval, params) -- `definition` uses the
// reserved _ccb_ names so that no parameter can collide with them.
std::string ecall_proxy_signature(const FunctionPlan& f, bool definition);
// ccbox_result_t name(R* retval, params), with the name of ocall_proxy_name()
std::string ocall_proxy_signature(const FunctionPlan& f, bool definition);

// A [dllimport] OCALL is named like a function of a library of the host (memccpy of the C
// library). The enclave's proxy is then ccbox_dllimport_<name>, which X_t.h makes callable by
// the OCALL's name; the host's wrapper calls the library's function through a declaration of
// its own, _ccb_dllimport_<name>, bound to the library's symbol.
std::string ocall_proxy_name(const Function& f);
std::vector<const FunctionPlan*> dllimport_ocalls(const Plan& plan);
std::string dllimport_host_name(const Function& f);
// ccbox_result_t <name>(R* _ccb_retval, params): the OCALL's name over its proxy's parameters
std::string dllimport_alias_signature(const FunctionPlan& f);
// "_ccb_retval, dest, src": the parameters of a definition-style proxy signature, passed on
std::string proxy_arguments(const FunctionPlan& f);

// The static helpers at the top of X_t.c and X_u.c.
void emit_prelude(CodeWriter& w);

// emit_struct_helpers.cpp: padding cleaning and deep-copy walkers of every EDL struct.
void emit_struct_helpers(CodeWriter& w, const Plan& plan);
// emit_sender.cpp: the host's ECALL proxy or the enclave's OCALL proxy.
void emit_sender(CodeWriter& w, const Plan& plan, const FunctionPlan& f, Side side);
// emit_receiver.cpp: the enclave's ECALL wrapper or the host's OCALL wrapper, a static
// function `_ccb_recv_<name>` returning ccbox_result_t.
void emit_receiver(CodeWriter& w, const FunctionPlan& f, Side side);

}  // namespace ccbox::edl
