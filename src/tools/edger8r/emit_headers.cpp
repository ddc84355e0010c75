// X_t.h (enclave side) and X_u.h (host side): the functions each side implements and the
// proxies it calls.
#include "emit_common.h"
#include "emitters.h"

namespace ccbox::edl {
namespace {

std::string suffixes(const FunctionPlan& f) {
    std::string s;
    if (f.function->switchless)
        s += " transition_using_threads";
    if (f.function->propagate_errno)
        s += " propagate_errno";
    if (!f.function->trusted && !f.function->allow.empty()) {
        s += " allow(";
        for (size_t i = 0; i < f.function->allow.size(); ++i)
            s += (i ? ", " : "") + f.function->allow[i].name;
        s += ")";
    }
    if (f.function->trusted)
        s = (f.function->is_public ? " public" : " private") + s;
    if (f.function->dllimport)
        s = " dllimport" + s;
    return s.empty() ? "" : "  /*" + s + " */";
}

void begin(CodeWriter& w, const Program& program, const Plan& plan, const char* suffix, const char* what,
           const char* runtime_header) {
    std::string guard = include_guard(plan, suffix);
    w.line(banner(program, what));
    w.line("#ifndef " + guard);
    w.line("#define " + guard);
    w.line();
    w.line(std::string("#include <") + runtime_header + ">");
    w.line();
    w.line("#include \"" + plan.prefix + "_args.h\"");
    w.line();
    open_extern_c(w);
    w.line();
}

void end(CodeWriter& w, const Plan& plan, const char* suffix) {
    w.line("#endif /* " + include_guard(plan, suffix) + " */");
}

// The OCALL's name calls the proxy of a [dllimport] OCALL. In C++ an overload, which leaves
// the library's own function of that name callable; in C a macro, defined after the headers
// of the C library (already included here, so that they are not parsed under it).
void emit_dllimport_aliases(CodeWriter& w, const Plan& plan) {
    const std::vector<const FunctionPlan*> imports = dllimport_ocalls(plan);
    if (imports.empty())
        return;
    w.line("/* [dllimport] OCALLs are named like a function of a library of the host: their proxies");
    w.line(" * (ccbox_dllimport_<name>) are called by that name, through an overload in C++ and a");
    w.line(" * macro in C. */");
    w.line("#ifdef __cplusplus");
    for (const FunctionPlan* f : imports) {
        w.open("inline " + dllimport_alias_signature(*f));
        w.line("return " + ocall_proxy_name(*f->function) + "(" + proxy_arguments(*f) + ");");
        w.close();
    }
    w.line("#else");
    w.line("#include <stdlib.h>");
    w.line("#include <string.h>");
    w.line("#include <wchar.h>");
    for (const FunctionPlan* f : imports) {
        w.line("#undef " + f->function->name);
        w.line("#define " + f->function->name + " " + ocall_proxy_name(*f->function));
    }
    w.line("#endif");
    w.line();
}

}  // namespace

std::string emit_trusted_header(const Program& program, const Plan& plan) {
    CodeWriter w;
    begin(w, program, plan, "T_H", "Enclave-side declarations",
          plan.openenclave ? "openenclave/enclave.h" : "ccbox/enclave.h");
    w.line("/* ECALLs: implemented by the enclave */");
    for (const FunctionPlan& f : plan.ecalls)
        w.line(user_signature(f) + ";" + suffixes(f));
    w.line();
    w.line("/* OCALL proxies: call the host */");
    for (const FunctionPlan& f : plan.ocalls)
        w.line(ocall_proxy_signature(f, false) + ";" + suffixes(f));
    w.line();
    close_extern_c(w);
    w.line();
    emit_dllimport_aliases(w, plan);
    end(w, plan, "T_H");
    return w.text();
}

std::string emit_untrusted_header(const Program& program, const Plan& plan) {
    CodeWriter w;
    begin(w, program, plan, "U_H", "Host-side declarations", plan.openenclave ? "openenclave/host.h" : "ccbox/host.h");
    w.line("/* ECALL proxies: call the enclave */");
    for (const FunctionPlan& f : plan.ecalls)
        w.line(ecall_proxy_signature(f, false) + ";" + suffixes(f));
    w.line();
    w.line("/* OCALLs: implemented by the host */");
    for (const FunctionPlan& f : plan.ocalls) {
        if (f.function->dllimport)
            w.line("/* " + user_signature(f) + ": [dllimport], a library of the host implements it */");
        else
            w.line(user_signature(f) + ";" + suffixes(f));
    }
    w.line();
    w.line("/* The OCALL table of this EDL, indexed by " + plan.prefix + "_fcn_id_<ocall>. */");
    w.line("extern const ccbox_ocall_func_t " + plan.prefix + "_ocall_function_table[];");
    w.line();
    w.line("/* Creates an enclave from a signed image, with this EDL's OCALL table. */");
    emit_create_enclave_signature(w, plan, ";");
    if (plan.openenclave) {
        w.line("/* Open Enclave's name and signature for the same (openenclave/host.h). */");
        emit_oe_create_enclave_signature(w, plan, ";");
    }
    w.line();
    close_extern_c(w);
    w.line();
    end(w, plan, "U_H");
    return w.text();
}

}  // namespace ccbox::edl
