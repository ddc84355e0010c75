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
    // oeedger8r gives deep [out] parameters Open Enclave's meaning: the callee allocates.
    Plan plan = make_plan(*program, options.openenclave);
    plan.openenclave = options.openenclave;
    plan.sgx_sdk = options.sgx_sdk;
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
