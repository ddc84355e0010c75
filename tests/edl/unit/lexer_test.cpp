// The EDL lexer: token kinds, values, locations, comments and directives.
#include "lexer.h"

#include <gtest/gtest.h>

namespace {

using namespace ccbox::edl;

std::vector<Token> lex(const std::string& text, Diagnostics* diags = nullptr) {
    Diagnostics local;
    return tokenize("f.edl", text, diags ? *diags : local);
}

TEST(Lexer, KindsTextAndLocations) {
    auto t = lex("enclave {\n  [in, size=16] const char* s;\n}");
    ASSERT_EQ(t.size(), 16u);
    EXPECT_EQ(t[0].kind, TokenKind::Identifier);
    EXPECT_EQ(t[0].text, "enclave");
    EXPECT_EQ(t[1].kind, TokenKind::Punct);
    EXPECT_EQ(t[1].text, "{");
    EXPECT_EQ(t[2].location.line, 2);
    EXPECT_EQ(t[2].location.column, 3);
    EXPECT_EQ(t[6].text, "=");
    EXPECT_EQ(t[7].kind, TokenKind::Integer);
    EXPECT_EQ(t[7].value, 16u);
    EXPECT_EQ(t[7].location.column, 13);
    EXPECT_EQ(t[11].text, "*");
    EXPECT_EQ(t[15].kind, TokenKind::End);
    EXPECT_EQ(t[15].location.line, 3);
    EXPECT_EQ(t[15].location.file, "f.edl");
}

TEST(Lexer, IntegersInEveryBase) {
    auto t = lex("0 42 0x1F 0X10 017 18446744073709551615");
    ASSERT_EQ(t.size(), 7u);
    EXPECT_EQ(t[0].value, 0u);
    EXPECT_EQ(t[1].value, 42u);
    EXPECT_EQ(t[2].value, 31u);
    EXPECT_EQ(t[3].value, 16u);
    EXPECT_EQ(t[4].value, 15u);
    EXPECT_EQ(t[5].value, UINT64_MAX);
    EXPECT_EQ(t[2].text, "0x1F");
}

TEST(Lexer, BadIntegers) {
    Diagnostics d;
    lex("09 0x 12ab", &d);
    EXPECT_EQ(d.count(), 3u);
}

TEST(Lexer, StringsKeepEscapes) {
    auto t = lex(R"(include "a\"b.h" "dir/x.edl")");
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t[1].kind, TokenKind::String);
    EXPECT_EQ(t[1].text, "a\\\"b.h");
    EXPECT_EQ(t[2].text, "dir/x.edl");
}

TEST(Lexer, CommentsAreSkipped) {
    auto t = lex("a // line comment\n/* block\n comment */ b /**/c");
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t[1].text, "b");
    EXPECT_EQ(t[1].location.line, 3);
    EXPECT_EQ(t[2].text, "c");
}

TEST(Lexer, Directives) {
    auto t = lex("#ifdef FOO // why\n  #  else\n#endif\nx");
    ASSERT_EQ(t.size(), 5u);
    EXPECT_EQ(t[0].kind, TokenKind::Directive);
    EXPECT_EQ(t[0].text, "ifdef");
    EXPECT_EQ(t[0].argument, "FOO");
    EXPECT_EQ(t[0].argument_location.column, 8);
    EXPECT_EQ(t[1].text, "else");
    EXPECT_EQ(t[1].location.column, 3);
    EXPECT_EQ(t[2].text, "endif");
    EXPECT_EQ(t[3].text, "x");
}

TEST(Lexer, ErrorsAreReportedAndSkipped) {
    Diagnostics d;
    auto t = lex("a $ b \x01 c", &d);
    EXPECT_EQ(d.count(), 2u);
    EXPECT_EQ(d.list()[1].message, "unexpected character '\\x01'");
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t[2].text, "c");
}

TEST(Lexer, EmptyInput) {
    auto t = lex("");
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].kind, TokenKind::End);
    EXPECT_EQ(t[0].location.line, 1);
}

}  // namespace
