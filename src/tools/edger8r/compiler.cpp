#include "compiler.h"

#include "checker.h"
#include "emitters.h"
#include "plan.h"
#include "program.h"

namespace ccbox::edl {
std::optional<std::vector<GeneratedFile>> compile_edl(const CompileOptions& options, FileProvider& files,
                                                      Diagnostics& diagnostics) {
    LoadOptions load{options.search_paths, options.defines};
    std::unique_ptr<Program> program = load_program(options.edl_path, load, files, diagnostics);
    if (!program || diagnostics.has_errors())
        return std::nullopt;
    if (!check_program(*program, diagnostics))
        return std::nullopt;
    // oeedger8r gives deep [out] parameters Open Enclave's meaning: the callee allocates.
    Plan plan = make_plan(*program, options.openenclave);
    plan.openenclave = options.openenclave;
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
