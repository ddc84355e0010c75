// The EDL preprocessor: #ifdef, #ifndef, #else and #endif over names given with -D.
// Nothing else (#define, #if, #include) is part of EDL.
#pragma once

#include "diagnostics.h"
#include "token.h"

#include <set>
#include <string>
#include <vector>

namespace ccbox::edl {

// Returns the tokens that survive conditional compilation (directives removed). Errors:
// unsupported directives, a missing name, #else/#endif without #ifdef, a second #else and
// an #ifdef left open at the end of the file.
std::vector<Token> preprocess(std::vector<Token> tokens, const std::set<std::string>& defines,
                              Diagnostics& diagnostics);

}  // namespace ccbox::edl
