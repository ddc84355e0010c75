// Splits one EDL file into tokens: identifiers, integers, strings, punctuation and
// preprocessor directives. Comments and white space are dropped.
#pragma once

#include "diagnostics.h"
#include "token.h"

#include <string>
#include <vector>

namespace ccbox::edl {

// Returns the tokens of `source`, ending with an End token. Errors (a stray character, an
// unterminated string or comment, an integer too large) are reported to `diagnostics` and
// the offending text is skipped, so the result is always usable.
std::vector<Token> tokenize(const std::string& file, const std::string& source, Diagnostics& diagnostics);

}  // namespace ccbox::edl
