// #ifdef, #ifndef, #else, #endif with names given by -D.
#include "lexer.h"
#include "preprocessor.h"

#include <gtest/gtest.h>

namespace {

using namespace ccbox::edl;

std::string run(const std::string& text, std::set<std::string> defines, Diagnostics* diags = nullptr) {
    Diagnostics local;
    Diagnostics& d = diags ? *diags : local;
    auto tokens = preprocess(tokenize("p.edl", text, d), defines, d);
    std::string out;
    for (const Token& t : tokens)
        if (t.kind != TokenKind::End)
            out += t.text + " ";
    return out;
}

const char* kNested =
    "a\n"
    "#ifdef X\n"
    "  b\n"
    "#ifndef Y\n"
    "  c\n"
    "#else\n"
    "  d\n"
    "#endif\n"
    "#else\n"
    "  e\n"
    "#ifdef Y\n"
    "  f\n"
    "#endif\n"
    "#endif\n"
    "g\n";

TEST(Preprocessor, NestedConditionals) {
    EXPECT_EQ(run(kNested, {}), "a e g ");
    EXPECT_EQ(run(kNested, {"X"}), "a b c g ");
    EXPECT_EQ(run(kNested, {"X", "Y"}), "a b d g ");
    EXPECT_EQ(run(kNested, {"Y"}), "a e f g ");
}

TEST(Preprocessor, UnsupportedDirectiveInsideAnInactiveBranchIsIgnored) {
    Diagnostics d;
    EXPECT_EQ(run("#ifdef X\n#pragma once\n#endif\nz", {}, &d), "z ");
    EXPECT_FALSE(d.has_errors());
}

TEST(Preprocessor, DefinesApplyToWholeProgram) {
    Diagnostics d;
    EXPECT_EQ(run("#ifndef A\nx\n#endif\n#ifdef A\ny\n#endif", {"A"}, &d), "y ");
    EXPECT_FALSE(d.has_errors());
}

TEST(Preprocessor, ExtraTextAfterElseIsAnError) {
    Diagnostics d;
    run("#ifdef X\n#else junk\n#endif", {}, &d);
    EXPECT_TRUE(d.has_errors());
}

}  // namespace
