// The five generated files of an EDL `X`: X_args.h, X_t.h, X_t.c, X_u.h, X_u.c.
#pragma once

#include "plan.h"
#include "program.h"

#include <string>

namespace ccbox::edl {

std::string emit_args_header(const Program& program, const Plan& plan);
std::string emit_trusted_header(const Program& program, const Plan& plan);
std::string emit_trusted_source(const Program& program, const Plan& plan);
std::string emit_untrusted_header(const Program& program, const Plan& plan);
std::string emit_untrusted_source(const Program& program, const Plan& plan);

}  // namespace ccbox::edl
