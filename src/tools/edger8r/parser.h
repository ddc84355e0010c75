// Turns the preprocessed tokens of one EDL file into its syntax tree. Syntax errors are
// reported and end the parse of that file (the result is then null).
#pragma once

#include "ast.h"
#include "diagnostics.h"
#include "token.h"

#include <memory>
#include <vector>

namespace ccbox::edl {

std::unique_ptr<EdlFile> parse_edl(const std::string& path, std::vector<Token> tokens, Diagnostics& diagnostics);

}  // namespace ccbox::edl
