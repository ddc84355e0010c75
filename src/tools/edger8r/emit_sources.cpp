// X_t.c (enclave side: ECALL wrappers, OCALL proxies, the tables the trusted runtime
// dispatches with) and X_u.c (host side: ECALL proxies, OCALL wrappers and table, the
// enclave creation function).
#include "emit_common.h"
#include "emitters.h"

#include <algorithm>

namespace ccbox::edl {
namespace {

// X_t.h makes the names of [dllimport] OCALLs call their proxies (in C through macros); the
// generated code calls the library's functions of those names, if any, itself.
void undefine_dllimport_aliases(CodeWriter& w, const Plan& plan) {
    const std::vector<const FunctionPlan*> imports = dllimport_ocalls(plan);
    if (imports.empty())
        return;
    w.line("/* this file calls the library's functions, not the aliases of [dllimport] proxies */");
    for (const FunctionPlan* f : imports)
        w.line("#undef " + f->function->name);
    w.line();
}

// The host's wrapper of a [dllimport] OCALL calls the library's function through a name of
// its own bound to the library's symbol: X_u.h does not declare the function (the library's
// header does, maybe differently), and no header needs to be in scope for the call.
void declare_dllimport_functions(CodeWriter& w, const Plan& plan) {
    for (const FunctionPlan* f : dllimport_ocalls(plan)) {
        const std::string& name = f->function->name;
        w.line("/* [dllimport]: the host's own " + name + ", from the library that defines it */");
        w.line("extern " + user_signature(*f, dllimport_host_name(*f->function)) + " __asm__(\"" + name + "\");");
        w.line();
    }
}

void begin(CodeWriter& w, const Program& program, const Plan& plan, Side side, const char* what) {
    w.line(banner(program, what));
    w.line("#include \"" + plan.prefix + (side == Side::Enclave ? "_t.h" : "_u.h") + "\"");
    w.line();
    if (side == Side::Enclave)
        undefine_dllimport_aliases(w, plan);
    w.line("#include <errno.h>");
    w.line("#include <stddef.h>");
    w.line("#include <stdint.h>");
    w.line("#include <stdlib.h>");
    w.line("#include <string.h>");
    w.line("#include <wchar.h>");
    w.line();
    emit_prelude(w);
    emit_struct_helpers(w, plan);
}

void emit_enclave_tables(CodeWriter& w, const Plan& plan) {
    w.line("/* ---- tables of the trusted runtime (ccbox/bits/calls.h) ---- */");
    for (const FunctionPlan& f : plan.ocalls) {
        const Function& fn = *f.function;
        if (fn.allow.empty())
            continue;
        std::vector<std::string> names;
        for (const NameRef& a : fn.allow)
            if (std::find(names.begin(), names.end(), a.name) == names.end())
                names.push_back(a.name);
        std::string ids;
        for (size_t i = 0; i < names.size(); ++i)
            ids += (i ? ", " : "") + function_id_name(plan, names[i]);
        w.line("static const uint32_t _ccb_allow_" + fn.name + "[] = {" + ids + "};");
    }
    open_extern_c(w);
    w.line("extern const ccbox_ecall_info_t ccbox_ecall_table[];");
    w.line("extern const size_t ccbox_ecall_table_size;");
    w.line("extern const ccbox_ocall_info_t ccbox_ocall_table[];");
    w.line("extern const size_t ccbox_ocall_table_size;");
    close_extern_c(w);
    w.line();
    w.line("const ccbox_ecall_info_t ccbox_ecall_table[] = {");
    w.indent();
    for (const FunctionPlan& f : plan.ecalls) {
        std::string flags = f.function->is_public ? "CCBOX_ECALL_FLAG_PUBLIC" : "";
        if (f.function->switchless)
            flags += flags.empty() ? "CCBOX_ECALL_FLAG_SWITCHLESS" : " | CCBOX_ECALL_FLAG_SWITCHLESS";
        w.line("{_ccb_recv_" + f.function->name + ", " + (flags.empty() ? "0u" : flags) + ", \"" + f.function->name +
               "\"},");
    }
    if (plan.ecalls.empty())
        w.line("{NULL, 0u, NULL},");
    w.dedent();
    w.line("};");
    w.line("const size_t ccbox_ecall_table_size = " + std::to_string(plan.ecalls.size()) + ";");
    w.line();
    w.line("const ccbox_ocall_info_t ccbox_ocall_table[] = {");
    w.indent();
    for (const FunctionPlan& f : plan.ocalls) {
        const Function& fn = *f.function;
        if (fn.allow.empty())
            w.line("{NULL, 0u, \"" + fn.name + "\"},");
        else
            w.line("{_ccb_allow_" + fn.name + ", (uint32_t)(sizeof _ccb_allow_" + fn.name + " / sizeof(uint32_t)), \"" +
                   fn.name + "\"},");
    }
    if (plan.ocalls.empty())
        w.line("{NULL, 0u, NULL},");
    w.dedent();
    w.line("};");
    w.line("const size_t ccbox_ocall_table_size = " + std::to_string(plan.ocalls.size()) + ";");
}

}  // namespace

std::string emit_trusted_source(const Program& program, const Plan& plan) {
    CodeWriter w;
    begin(w, program, plan, Side::Enclave, "Enclave-side marshalling");
    w.line("/* ---- ECALL wrappers: run by the trusted runtime on its enclave copy of the input ---- */");
    w.line();
    for (const FunctionPlan& f : plan.ecalls)
        emit_receiver(w, f, Side::Enclave);
    w.line("/* ---- OCALL proxies ---- */");
    w.line();
    for (const FunctionPlan& f : plan.ocalls)
        emit_sender(w, plan, f, Side::Enclave);
    emit_enclave_tables(w, plan);
    return w.text();
}

std::string emit_untrusted_source(const Program& program, const Plan& plan) {
    CodeWriter w;
    begin(w, program, plan, Side::Host, "Host-side marshalling");
    w.line("/* ---- ECALL proxies ---- */");
    w.line();
    for (const FunctionPlan& f : plan.ecalls)
        emit_sender(w, plan, f, Side::Host);
    w.line("/* ---- OCALL wrappers: unmarshal what the enclave sent, call the host's function ---- */");
    w.line();
    declare_dllimport_functions(w, plan);
    for (const FunctionPlan& f : plan.ocalls) {
        emit_receiver(w, f, Side::Host);
        const std::string& n = f.function->name;
        w.line("static void _ccb_ocall_" + n +
               "(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size, size_t* written)");
        w.line("{");
        w.line("    /* on failure *written stays 0, which the enclave refuses */");
        w.line("    (void)_ccb_recv_" + n + "(in, in_size, out, out_size, written);");
        w.line("}");
        w.line();
    }
    w.line("const ccbox_ocall_func_t " + plan.prefix + "_ocall_function_table[] = {");
    w.indent();
    for (const FunctionPlan& f : plan.ocalls)
        w.line("_ccb_ocall_" + f.function->name + ",");
    if (plan.ocalls.empty())
        w.line("NULL,");
    w.dedent();
    w.line("};");
    w.line();
    emit_create_enclave_signature(w, plan, "");
    w.line("{");
    w.line("    return ccbox_create_enclave(path, flags, settings, setting_count, " +
           std::string(plan.ocalls.empty() ? "NULL" : plan.prefix + "_ocall_function_table") + ", " +
           std::to_string(plan.ocalls.size()) + "u, enclave);");
    w.line("}");
    if (plan.openenclave) {
        w.line();
        emit_oe_create_enclave_signature(w, plan, "");
        w.line("{");
        w.line("    return oe_create_enclave(path, type, flags, settings, setting_count, " +
               std::string(plan.ocalls.empty() ? "NULL" : plan.prefix + "_ocall_function_table") + ", " +
               std::to_string(plan.ocalls.size()) + "u, NULL, 0u, enclave);");
        w.line("}");
    }
    return w.text();
}

}  // namespace ccbox::edl
