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
    close_extern_c(w);
    w.line();
    w.line("#endif /* " + include_guard(plan, suffix) + " */");
}

}  // namespace

std::string emit_trusted_header(const Program& program, const Plan& plan) {
    CodeWriter w;
    begin(w, program, plan, "T_H", "Enclave-side declarations", "ccbox/enclave.h");
    w.line("/* ECALLs: implemented by the enclave */");
    for (const FunctionPlan& f : plan.ecalls)
        w.line(user_signature(f) + ";" + suffixes(f));
    w.line();
    w.line("/* OCALL proxies: call the host */");
    for (const FunctionPlan& f : plan.ocalls)
        w.line(ocall_proxy_signature(f, false) + ";" + suffixes(f));
    w.line();
    end(w, plan, "T_H");
    return w.text();
}

std::string emit_untrusted_header(const Program& program, const Plan& plan) {
    CodeWriter w;
    begin(w, program, plan, "U_H", "Host-side declarations", "ccbox/host.h");
    w.line("/* ECALL proxies: call the enclave */");
    for (const FunctionPlan& f : plan.ecalls)
        w.line(ecall_proxy_signature(f, false) + ";" + suffixes(f));
    w.line();
    w.line("/* OCALLs: implemented by the host */");
    for (const FunctionPlan& f : plan.ocalls)
        w.line(user_signature(f) + ";" + suffixes(f));
    w.line();
    w.line("/* The OCALL table of this EDL, indexed by " + plan.prefix + "_fcn_id_<ocall>. */");
    w.line("extern const ccbox_ocall_func_t " + plan.prefix + "_ocall_function_table[];");
    w.line();
    w.line("/* Creates an enclave from a signed image, with this EDL's OCALL table. */");
    w.line("ccbox_result_t ccbox_create_" + plan.prefix +
           "_enclave(const char* path, uint32_t flags, const ccbox_enclave_setting_t* settings,");
    w.line(std::string(37 + plan.prefix.size(), ' ') +
           "uint32_t setting_count, ccbox_enclave_t** enclave);");
    w.line();
    end(w, plan, "U_H");
    return w.text();
}

}  // namespace ccbox::edl
