// The parser: the syntax tree it builds for each construct of the EDL dialect.
#include "lexer.h"
#include "parser.h"
#include "preprocessor.h"

#include <gtest/gtest.h>

namespace {

using namespace ccbox::edl;

std::unique_ptr<EdlFile> parse(const std::string& text) {
    Diagnostics d;
    auto file = parse_edl("p.edl", tokenize("p.edl", text, d), d);
    EXPECT_FALSE(d.has_errors()) << (d.has_errors() ? format_diagnostic(d.list()[0]) : "");
    return file;
}

TEST(Parser, TopLevelItemsInOrder) {
    auto f = parse(R"(
        enclave {
            include "a.h"
            include "b.h";
            import "x.edl";
            from "y.edl" import *;
            from "z.edl" import f, g;
            enum e { A, B = 2, C = -1, D = 0x10, E = B, };
            enum { ANON = 1 };
            struct s { int x; };
            union u { int x; float y; };
            trusted { public void t1(); };
            untrusted { void u1(); };
        };)");
    ASSERT_TRUE(f);
    ASSERT_EQ(f->items.size(), 11u);
    EXPECT_EQ(f->includes[1].header, "b.h");
    ASSERT_EQ(f->imports.size(), 3u);
    EXPECT_EQ(f->imports[0].kind, ImportKind::Plain);
    EXPECT_EQ(f->imports[1].kind, ImportKind::All);
    EXPECT_EQ(f->imports[2].kind, ImportKind::Names);
    ASSERT_EQ(f->imports[2].names.size(), 2u);
    EXPECT_EQ(f->imports[2].names[1].name, "g");
    ASSERT_EQ(f->types.size(), 4u);
    const UserType& e = *f->types[0];
    ASSERT_EQ(e.items.size(), 5u);
    EXPECT_EQ(e.items[2].value, "-1");
    EXPECT_EQ(e.items[3].value, "0x10");
    EXPECT_EQ(e.items[4].value, "B");
    EXPECT_EQ(f->types[1]->name, "");
    EXPECT_EQ(f->types[3]->kind, UserTypeKind::Union);
    ASSERT_EQ(f->functions.size(), 2u);
    EXPECT_TRUE(f->functions[0]->trusted);
    EXPECT_TRUE(f->functions[0]->is_public);
    EXPECT_FALSE(f->functions[1]->trusted);
}

TEST(Parser, IntegerTypes) {
    auto f = parse(R"(enclave { trusted { public void f(
        unsigned a, signed b, unsigned char c, signed char d, short int e, unsigned short int g,
        long int h, unsigned long i, long long j, unsigned long long int k, long double l, char m,
        int8_t n, uint64_t o, size_t p, wchar_t q, bool r, float s, double t); }; };)");
    ASSERT_TRUE(f);
    const auto& p = f->functions[0]->params;
    ASSERT_EQ(p.size(), 19u);
    BaseType expected[] = {BaseType::UnsignedInt, BaseType::Int, BaseType::UnsignedChar, BaseType::SignedChar,
                           BaseType::Short, BaseType::UnsignedShort, BaseType::Long, BaseType::UnsignedLong,
                           BaseType::LongLong, BaseType::UnsignedLongLong, BaseType::LongDouble, BaseType::Char,
                           BaseType::Int8, BaseType::UInt64, BaseType::SizeT, BaseType::WChar, BaseType::Bool,
                           BaseType::Float, BaseType::Double};
    for (size_t i = 0; i < p.size(); ++i)
        EXPECT_EQ(p[i].type.base, expected[i]) << p[i].name;
}

TEST(Parser, PointersConstArraysAndAttributes) {
    auto f = parse(R"(enclave { trusted { public const char* f(
        [in, out, size=len, count=2] const void** pp, char const* s, [user_check] int a[2][N],
        struct S* sp, enum E e, union U u, foreign_t* ft, [in, isptr, readonly, size=16] buf_t b); }; };)");
    ASSERT_TRUE(f);
    const Function& fn = *f->functions[0];
    EXPECT_TRUE(fn.return_type.is_const);
    EXPECT_EQ(fn.return_type.pointer_depth, 1);
    const auto& p = fn.params;
    EXPECT_EQ(p[0].type.pointer_depth, 2);
    EXPECT_TRUE(p[0].type.is_const);
    ASSERT_EQ(p[0].attributes.list.size(), 4u);
    EXPECT_TRUE(p[0].attributes.has(AttrKind::Out));
    const Attribute* size = p[0].attributes.find(AttrKind::Size);
    ASSERT_TRUE(size && size->value);
    EXPECT_FALSE(size->value->is_literal);
    EXPECT_EQ(size->value->name, "len");
    EXPECT_EQ(p[0].attributes.find(AttrKind::Count)->value->literal, 2u);
    EXPECT_TRUE(p[1].type.is_const);
    ASSERT_EQ(p[2].dims.size(), 2u);
    EXPECT_EQ(p[2].dims[0].value, 2u);
    EXPECT_FALSE(p[2].dims[1].value);
    EXPECT_EQ(p[2].dims[1].text, "N");
    EXPECT_EQ(p[3].type.base, BaseType::Struct);
    EXPECT_EQ(p[3].type.name, "S");
    EXPECT_EQ(p[4].type.base, BaseType::Enum);
    EXPECT_EQ(p[5].type.base, BaseType::Union);
    EXPECT_EQ(p[6].type.base, BaseType::Named);
    EXPECT_TRUE(p[7].attributes.has(AttrKind::ReadOnly));
    EXPECT_TRUE(p[7].attributes.has(AttrKind::IsPtr));
}

TEST(Parser, FunctionSuffixesInAnyOrder) {
    auto f = parse(R"(enclave {
        trusted { public void e1(); void e2(void) transition_using_threads; };
        untrusted {
            [cdecl] int o1() propagate_errno allow(e1, e2) transition_using_threads;
            void o2(void) allow();
        };
    };)");
    ASSERT_TRUE(f);
    const auto& fs = f->functions;
    EXPECT_FALSE(fs[1]->is_public);
    EXPECT_TRUE(fs[1]->switchless);
    EXPECT_TRUE(fs[2]->propagate_errno);
    EXPECT_TRUE(fs[2]->switchless);
    ASSERT_EQ(fs[2]->allow.size(), 2u);
    EXPECT_EQ(fs[2]->allow[1].name, "e2");
    ASSERT_EQ(fs[2]->call_attributes.size(), 1u);
    EXPECT_TRUE(fs[3]->has_allow);
    EXPECT_TRUE(fs[3]->allow.empty());
}

TEST(Parser, StructMembersWithDeepCopyAttributes) {
    auto f = parse(R"(enclave { struct S {
        size_t n;
        [count=n, size=4] uint8_t* data;
        struct S* next;
        char name[16];
    }; };)");
    ASSERT_TRUE(f);
    const UserType& s = *f->types[0];
    ASSERT_EQ(s.members.size(), 4u);
    EXPECT_TRUE(s.members[1].attributes.has(AttrKind::Count));
    EXPECT_EQ(s.members[1].location.line, 3);
    EXPECT_EQ(s.members[2].type.pointer_depth, 1);
    EXPECT_EQ(s.members[3].dims[0].value, 16u);
}

TEST(Parser, TrailingSemicolonsAreOptionalWhereIntelOmitsThem) {
    EXPECT_TRUE(parse("enclave { include \"a.h\" import \"b.edl\" }"));
    EXPECT_TRUE(parse("enclave { };"));
}

TEST(Parser, SyntaxErrorReturnsNull) {
    Diagnostics d;
    EXPECT_FALSE(parse_edl("p.edl", tokenize("p.edl", "enclave { trusted { public f; }; };", d), d));
    EXPECT_TRUE(d.has_errors());
}

}  // namespace
