// X_args.h: the includes, the types the EDL declares and the function ids. Included by both
// sides.
#include "c_types.h"
#include "emit_common.h"
#include "emitters.h"

#include <set>

namespace ccbox::edl {
namespace {

void emit_type(CodeWriter& w, const UserType& t) {
    if (t.kind == UserTypeKind::Enum) {
        w.line(t.name.empty() ? "enum {" : "typedef enum " + t.name + " {");
        w.indent();
        for (size_t i = 0; i < t.items.size(); ++i) {
            const EnumItem& item = t.items[i];
            std::string text = item.name + (item.value.empty() ? "" : " = " + item.value);
            w.line(text + (i + 1 < t.items.size() ? "," : ""));
        }
        w.dedent();
        w.line(t.name.empty() ? "};" : "} " + t.name + ";");
        w.line();
        return;
    }
    const char* kind = t.kind == UserTypeKind::Struct ? "struct" : "union";
    w.open(std::string("typedef ") + kind + " " + t.name);
    for (const Declaration& m : t.members)
        w.line(c_declaration(m) + ";");
    w.close(" " + t.name + ";");
    w.line();
}

void emit_ids(CodeWriter& w, const Plan& plan, const std::vector<FunctionPlan>& functions, const char* kind) {
    w.line(std::string("/* ") + kind + " ids: the function_id of each call */");
    w.line("enum {");
    w.indent();
    for (const FunctionPlan& f : functions)
        w.line(function_id_name(plan, f.function->name) + " = " + std::to_string(f.id) + ",");
    w.line(plan.prefix + "_" + kind + "_count = " + std::to_string(functions.size()));
    w.dedent();
    w.line("};");
    w.line();
}

}  // namespace

std::string emit_args_header(const Program& program, const Plan& plan) {
    CodeWriter w;
    std::string guard = include_guard(plan, "ARGS_H");
    w.line(banner(program, "Types and function ids"));
    w.line("#ifndef " + guard);
    w.line("#define " + guard);
    w.line();
    w.line("#include <stddef.h>");
    w.line("#include <stdint.h>");
    w.line("#include <wchar.h>");
    w.line("#ifndef __cplusplus");
    w.line("#include <stdbool.h>");
    w.line("#endif");
    w.line();
    if (plan.sgx_sdk) {
        w.line("#include \"sgx_edger8r.h\"");
        w.line();
    }
    std::set<std::string> seen;
    for (const Include* i : program.includes)
        if (seen.insert(i->header).second)
            w.line("#include \"" + i->header + "\"");
    if (!seen.empty())
        w.line();
    for (const UserType* t : program.types)
        emit_type(w, *t);
    emit_ids(w, plan, plan.ecalls, "ecall");
    emit_ids(w, plan, plan.ocalls, "ocall");
    w.line("#endif /* " + guard + " */");
    return w.text();
}

}  // namespace ccbox::edl
