// Imports: search order, the three import forms, files imported more than once, ordering
// of the merged declarations and function ids.
#include "program.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace {

using namespace ccbox::edl;
using edl_unit::Source;

std::unique_ptr<Program> load(const Source& s, Diagnostics& d) {
    MemoryFileProvider files;
    files.add("t.edl", s.main);
    for (const auto& [path, text] : s.others)
        files.add(path, text);
    return load_program("t.edl", LoadOptions{s.search_paths, s.defines}, files, d);
}

std::vector<std::string> names(const std::vector<const Function*>& fs) {
    std::vector<std::string> out;
    for (const Function* f : fs)
        out.push_back(f->name);
    return out;
}

TEST(Import, FormsAndDeclarationOrder) {
    Source s;
    s.main = R"(enclave {
        trusted { public void first(); };
        import "plain.edl";
        from "star.edl" import *;
        from "pick.edl" import p2, p1;
        trusted { public void last(); };
        untrusted { void o_last(); };
    };)";
    s.others["plain.edl"] = "enclave { include \"plain.h\" trusted { public void plain(); }; untrusted { void o_plain(); }; };";
    s.others["star.edl"] = "enclave { struct star_t { int x; }; trusted { public void star(); }; };";
    s.others["pick.edl"] =
        "enclave { enum pick_e { PICK }; trusted { public void p1(); public void p2(); public void p3(); }; };";
    Diagnostics d;
    auto p = load(s, d);
    ASSERT_TRUE(p);
    EXPECT_FALSE(d.has_errors());
    EXPECT_EQ(names(p->ecalls), (std::vector<std::string>{"first", "plain", "star", "p2", "p1", "last"}));
    EXPECT_EQ(names(p->ocalls), (std::vector<std::string>{"o_plain", "o_last"}));
    ASSERT_EQ(p->types.size(), 2u);  // every type of an imported file comes in, even with a pick list
    EXPECT_EQ(p->types[0]->name, "star_t");
    EXPECT_EQ(p->types[1]->name, "pick_e");
    ASSERT_EQ(p->includes.size(), 1u);
    EXPECT_EQ(p->name, "t");
}

TEST(Import, SameFileThroughTwoPathsCountsOnce) {
    Source s;
    s.main = "enclave { import \"a.edl\"; import \"b.edl\"; from \"dir/../common.edl\" import c; };";
    s.others["a.edl"] = "enclave { import \"common.edl\"; trusted { public void a(); }; };";
    s.others["b.edl"] = "enclave { from \"common.edl\" import *; trusted { public void b(); }; };";
    s.others["common.edl"] = "enclave { struct shared_t { int x; }; trusted { public void c(); }; };";
    Diagnostics d;
    auto p = load(s, d);
    ASSERT_TRUE(p);
    EXPECT_FALSE(d.has_errors()) << format_diagnostic(d.list()[0]);
    EXPECT_EQ(names(p->ecalls), (std::vector<std::string>{"c", "a", "b"}));
    EXPECT_EQ(p->types.size(), 1u);
}

TEST(Import, SearchOrderImporterDirectoryThenSearchPathsThenAsGiven) {
    Source s;
    s.main = "enclave { import \"sub/x.edl\"; };";
    s.others["sub/x.edl"] = "enclave { import \"y.edl\"; };";
    s.others["sub/y.edl"] = "enclave { trusted { public void next_to_importer(); }; };";
    s.others["sp/y.edl"] = "enclave { trusted { public void in_search_path(); }; };";
    s.others["y.edl"] = "enclave { trusted { public void as_given(); }; };";
    s.search_paths = {"sp"};
    Diagnostics d;
    auto p = load(s, d);
    ASSERT_TRUE(p);
    EXPECT_EQ(names(p->ecalls), (std::vector<std::string>{"next_to_importer"}));

    s.others.erase("sub/y.edl");
    auto p2 = load(s, d);
    ASSERT_TRUE(p2);
    EXPECT_EQ(names(p2->ecalls), (std::vector<std::string>{"in_search_path"}));

    s.search_paths.clear();
    auto p3 = load(s, d);
    ASSERT_TRUE(p3);
    EXPECT_EQ(names(p3->ecalls), (std::vector<std::string>{"as_given"}));
    EXPECT_FALSE(d.has_errors());
}

TEST(Import, ConditionalImport) {
    Source s;
    s.main = "enclave {\n#ifdef WITH_X\n  import \"x.edl\";\n#endif\n};";
    Diagnostics d;
    auto p = load(s, d);  // x.edl does not exist, but it is not imported
    ASSERT_TRUE(p);
    EXPECT_FALSE(d.has_errors());
    s.defines = {"WITH_X"};
    load(s, d);
    EXPECT_TRUE(d.has_errors());
}

TEST(Import, NameOfTheProgramIsACIdentifier) {
    MemoryFileProvider files;
    files.add("dir/my-enclave.v2.edl", "enclave { };");
    Diagnostics d;
    auto p = load_program("dir/my-enclave.v2.edl", {}, files, d);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->name, "my_enclave_v2");
    EXPECT_EQ(c_identifier_from("9lives"), "_9lives");
}

}  // namespace
