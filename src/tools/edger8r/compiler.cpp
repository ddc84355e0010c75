#include "compiler.h"

#include "checker.h"
#include "emitters.h"
#include "plan.h"
#include "program.h"

#include <set>
#include <string>

namespace ccbox::edl {
namespace {

// Foreign names the headers of the generated code declare in each mode: openenclave/host.h and
// openenclave/enclave.h (oeedger8r), sgx_edger8r.h (--sgx-sdk; include/ccbox/sgx).
std::set<std::string> runtime_types(const CompileOptions& options) {
    std::set<std::string> names;
    if (options.openenclave)
        names.insert({"oe_result_t", "oe_enclave_t", "oe_enclave_type_t", "oe_seal_policy_t", "oe_uuid_t"});
    if (options.sgx_sdk)
        names.insert({"sgx_status_t", "sgx_enclave_id_t"});
    return names;
}

// What Open Enclave's oeedger8r means differently from ccbox-edger8r must not compile to
// ccbox's meaning. A deep-copied [out] parameter: in OE the callee allocates the pointed-to
// buffers and the host receives copies; in ccbox the caller supplies the shape. An OE program
// would pass an uninitialized struct and get its garbage back.
bool check_openenclave_semantics(const Plan& plan, Diagnostics& diagnostics) {
    for (const auto* calls : {&plan.ecalls, &plan.ocalls})
        for (const FunctionPlan& f : *calls)
            for (const ParamPlan& p : f.params)
                if (p.deep && p.dir == Direction::Out)
                    diagnostics.error(p.decl->location,
                                      "`" + p.name + "' of `" + f.function->name +
                                          "': a deep-copied [out] struct, whose pointers Open Enclave lets the callee "
                                          "allocate, is not supported by ccbox (ccbox's [out] takes its shape from the "
                                          "caller); use [in, out] with caller-sized buffers (docs/openenclave.md)");
    return !diagnostics.has_errors();
}

}  // namespace

std::optional<std::vector<GeneratedFile>> compile_edl(const CompileOptions& options, FileProvider& files,
                                                      Diagnostics& diagnostics) {
    LoadOptions load{options.search_paths, options.defines};
    std::unique_ptr<Program> program = load_program(options.edl_path, load, files, diagnostics);
    if (!program || diagnostics.has_errors())
        return std::nullopt;
    program->runtime_types = runtime_types(options);
    if (!check_program(*program, diagnostics))
        return std::nullopt;
    Plan plan = make_plan(*program);
    plan.openenclave = options.openenclave;
    plan.sgx_sdk = options.sgx_sdk;
    if (options.openenclave && !check_openenclave_semantics(plan, diagnostics))
        return std::nullopt;
    const std::string& x = plan.prefix;
    std::vector<GeneratedFile> out;
    std::string args = emit_args_header(*program, plan);
    if (options.trusted) {
        out.push_back({x + "_args.h", args, true});
        out.push_back({x + "_t.h", emit_trusted_header(*program, plan), true});
        if (!options.header_only)
            out.push_back({x + "_t.c", emit_trusted_source(*program, plan), true});
    }
    if (options.untrusted) {
        out.push_back({x + "_args.h", args, false});
        out.push_back({x + "_u.h", emit_untrusted_header(*program, plan), false});
        if (!options.header_only)
            out.push_back({x + "_u.c", emit_untrusted_source(*program, plan), false});
    }
    return out;
}

}  // namespace ccbox::edl
