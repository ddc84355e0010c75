// Every diagnostic of the EDL compiler: the exact message and its file:line:column.
#include "test_support.h"

#include <gtest/gtest.h>

namespace {

using edl_unit::compile;
using edl_unit::Source;

struct Case {
    const char* name;
    const char* edl;
    const char* expected;  // the first diagnostic, formatted
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class Diagnostic : public ::testing::TestWithParam<Case> {};

TEST_P(Diagnostic, MessageAndLocation) {
    const Case& c = GetParam();
    auto result = compile(c.edl);
    EXPECT_FALSE(result.ok);
    ASSERT_FALSE(result.diagnostics.empty()) << "no diagnostic for:\n" << c.edl;
    EXPECT_EQ(ccbox::edl::format_diagnostic(result.diagnostics.front()), c.expected) << result.messages();
}

// The diagnostics the EDL compiler must give (scope 4 of the issue), one per case.
const Case kRequired[] = {
    {"UnknownAttribute", "enclave { trusted { public void f([in, fancy] int* p); }; };",
     "t.edl:1:40: error: unknown attribute 'fancy'"},
    {"StringOnNonCharPointer", "enclave { trusted { public void f([in, string] int* p); }; };",
     "t.edl:1:40: error: 'string' requires a char pointer, but 'p' has type 'int*'"},
    {"WstringOnNonWcharPointer", "enclave { trusted { public void f([in, wstring] char* p); }; };",
     "t.edl:1:40: error: 'wstring' requires a wchar_t pointer, but 'p' has type 'char*'"},
    {"StringWithoutDirection", "enclave { trusted { public void f([string] const char* s); }; };",
     "t.edl:1:36: error: 'string' requires a direction: use 'in' or 'in, out'"},
    {"StringWithOutOnly", "enclave { trusted { public void f([out, string] char* s); }; };",
     "t.edl:1:41: error: 'string' cannot be used with 'out' alone: the length comes from the string passed in, "
     "so use 'in' or 'in, out'"},
    {"SizeWithCountOnString",
     "enclave { trusted { public void f([in, string, size=n, count=n] char* s, size_t n); }; };",
     "t.edl:1:48: error: 'size' and 'count' cannot be used together on the 'string' parameter 's': its length is "
     "the string's"},
    {"SizeWithCountOnDeepCopiedStruct",
     "enclave { struct S { size_t n; [count=n] int* p; }; trusted { public void f([in, size=4, count=2] S* s); }; };",
     "t.edl:1:82: error: 'size' and 'count' cannot be used together on 's', a pointer to deep-copied struct 'S': "
     "give the number of elements with 'count'"},
    {"PointerWithoutDirection", "enclave { trusted { public void f(int* p); }; };",
     "t.edl:1:40: error: pointer parameter 'p' needs a direction ('in', 'out' or 'in, out') or 'user_check'"},
    {"PointerWithSizeButNoDirection", "enclave { trusted { public void f([size=4] void* p); }; };",
     "t.edl:1:50: error: pointer parameter 'p' needs a direction ('in', 'out' or 'in, out') or 'user_check'"},
    {"DeepCopyStructByValue",
     "enclave { struct S { size_t n; [count=n] int* p; }; trusted { public void f(S s); }; };",
     "t.edl:1:79: error: struct 'S' is deep-copied (it has pointer members with 'size' or 'count'), so it cannot "
     "be passed by value: pass 's' by pointer with 'in' or 'in, out'"},
    {"DeepCopyStructReturnedByValue",
     "enclave { struct S { size_t n; [count=n] int* p; }; trusted { public S f(void); }; };",
     "t.edl:1:70: error: struct 'S' is deep-copied and cannot be returned by value from 'f'"},
    {"DeepCopyStructEmbeddedByValue", "enclave { struct S { size_t n; [count=n] int* p; }; struct T { S inner; }; };",
     "t.edl:1:66: error: struct 'S' is deep-copied and cannot be embedded by value in struct 'T': make 'inner' a "
     "pointer with 'count'"},
    {"DeepCopyStructArrayEmbeddedByValue",
     "enclave { struct S { size_t n; [count=n] int* p; }; union U { S many[2]; int x; }; };",
     "t.edl:1:65: error: struct 'S' is deep-copied and cannot be embedded by value in union 'U': make 'many' a "
     "pointer with 'count'"},
    {"DuplicateFunction", "enclave {\n  trusted { public void f(); };\n  untrusted { void f(); };\n};",
     "t.edl:3:20: error: duplicate function 'f' (first declared at t.edl:2:25)"},
    {"DuplicateEcall", "enclave { trusted { public void f(); public int f(int x); }; };",
     "t.edl:1:49: error: duplicate function 'f' (first declared at t.edl:1:33)"},
    {"AllowNamesUnknownEcall", "enclave { untrusted { void g() allow(nothing); }; };",
     "t.edl:1:38: error: 'allow' of 'g' names 'nothing', which is not an ECALL (trusted function) of this enclave"},
    {"AllowNamesAnOcall", "enclave { trusted { public void e(); }; untrusted { void g() allow(e, g); }; };",
     "t.edl:1:71: error: 'allow' of 'g' names 'g', which is not an ECALL (trusted function) of this enclave"},
};
INSTANTIATE_TEST_SUITE_P(Required, Diagnostic, ::testing::ValuesIn(kRequired),
                         [](const auto& info) { return std::string(info.param.name); });

// Further checks of attributes, types and names.
const Case kChecks[] = {
    {"UserCheckWithDirection", "enclave { trusted { public void f([in, user_check] int* p); }; };",
     "t.edl:1:40: error: 'user_check' cannot be used together with 'in' or 'out'"},
    {"DirectionOnValue", "enclave { trusted { public void f([in] int x); }; };",
     "t.edl:1:36: error: 'in' requires a pointer or an array; 'x' has type 'int'"},
    {"CountOnValue", "enclave { trusted { public void f([count=2] int x); }; };",
     "t.edl:1:36: error: 'count' requires a pointer or an array; 'x' has type 'int'"},
    {"OutOnConst", "enclave { trusted { public void f([out] const int* p); }; };",
     "t.edl:1:36: error: 'out' cannot be used on 'p', which points to const data"},
    {"VoidPointerWithoutSize", "enclave { trusted { public void f([in] void* p); }; };",
     "t.edl:1:46: error: 'p' points to void: give its size in bytes with 'size='"},
    {"VoidPointerWithCountOnly", "enclave { trusted { public void f([in, count=2] void* p); }; };",
     "t.edl:1:40: error: 'p' points to void: give its size in bytes with 'size='"},
    {"SizeNamesNoParameter", "enclave { trusted { public void f([in, size=len] int* p); }; };",
     "t.edl:1:45: error: 'len' in 'size' of 'p' is not a parameter of function 'f'"},
    {"SizeNamesPointer", "enclave { trusted { public void f([in, size=q] int* p, [in] int* q); }; };",
     "t.edl:1:45: error: the parameter 'q' given as 'size' of 'p' must have an integer type"},
    {"SizeNamesDouble", "enclave { trusted { public void f([in, count=d] int* p, double d); }; };",
     "t.edl:1:46: error: the parameter 'd' given as 'count' of 'p' must have an integer type"},
    {"SizeNamesItself", "enclave { trusted { public void f([in, size=p] int* p); }; };",
     "t.edl:1:45: error: 'p' cannot give its own size"},
    {"CountOnArray", "enclave { trusted { public void f([in, count=2] int a[4]); }; };",
     "t.edl:1:40: error: 'count' cannot be used on the array 'a': its size is fixed by its type"},
    {"ReadonlyWithoutIsptr", "enclave { trusted { public void f([in, readonly] const char* p); }; };",
     "t.edl:1:40: error: 'readonly' requires 'isptr'"},
    {"IsptrOnPointer", "enclave { trusted { public void f([in, isptr] int* p); }; };",
     "t.edl:1:40: error: 'isptr' is for a typedef'd pointer type; 'p' is declared with '*' or '[]'"},
    {"IsaryOnBuiltin", "enclave { trusted { public void f([in, isary] int a); }; };",
     "t.edl:1:40: error: 'isary' is for a typedef'd array type from a header; 'int' is not one"},
    {"StringOnArray", "enclave { trusted { public void f([in, string] char s[8]); }; };",
     "t.edl:1:40: error: 'string' requires a char pointer, but 's' has type 'char[]'"},
    {"MemberWithDirection", "enclave { struct S { [in] int* p; }; };",
     "t.edl:1:23: error: only 'size' and 'count' are allowed on struct members, not 'in'"},
    {"MemberSizeUnknown", "enclave { struct S { [size=len] int* p; }; };",
     "t.edl:1:28: error: 'len' in 'size' of 'p' is not a member of struct 'S'"},
    {"UnionMemberAttribute", "enclave { union U { [count=2] int* p; int x; }; };",
     "t.edl:1:22: error: attributes are not allowed on union members"},
    {"RecursiveDeepCopy", "enclave { struct N { size_t n; [count=n] N* next; }; };",
     "t.edl:1:45: error: deep copy of struct 'N' is recursive: member 'next' leads back to struct 'N'; recursive "
     "structures cannot be deep-copied"},
    {"DeepCopyArrayParameter",
     "enclave { struct S { size_t n; [count=n] int* p; }; trusted { public void f([in] S a[2]); }; };",
     "t.edl:1:84: error: arrays of deep-copied struct 'S' are not supported: use a pointer with 'count'"},
    {"AllowOnEcall", "enclave { trusted { public void e(); public void f() allow(e); }; };",
     "t.edl:1:54: error: 'allow' is only valid on untrusted functions (OCALLs), not on the ECALL 'f'"},
    {"PropagateErrnoOnEcall", "enclave { trusted { public void f() propagate_errno; }; };",
     "t.edl:1:37: error: 'propagate_errno' is only valid on untrusted functions (OCALLs), not on the ECALL 'f'"},
    {"DuplicateParameter", "enclave { trusted { public void f(int x, long x); }; };",
     "t.edl:1:47: error: duplicate parameter 'x' in function 'f'"},
    {"DuplicateMember", "enclave { struct S { int a; int a; }; };",
     "t.edl:1:33: error: duplicate member 'a' in struct 'S'"},
    {"DuplicateType", "enclave { struct S { int a; }; union S { int b; }; };",
     "t.edl:1:38: error: duplicate type 'S' (first declared at t.edl:1:18)"},
    {"DuplicateEnumerator", "enclave { enum A { X, Y }; enum B { Y }; };",
     "t.edl:1:37: error: duplicate enumerator 'Y' (first declared at t.edl:1:23)"},
    {"TypeKindMismatch", "enclave { union U { int a; }; trusted { public void f(struct U u); }; };",
     "t.edl:1:55: error: 'U' is declared as union, not as struct (declared at t.edl:1:17)"},
    {"KeywordAsName", "enclave { trusted { public void f(int class); }; };",
     "t.edl:1:39: error: 'class' cannot be used as a name: it is a C or C++ keyword"},
    {"MacroAsName", "enclave { untrusted { int g(int errno); }; };",
     "t.edl:1:33: error: 'errno' cannot be used as a name: it is a macro of the C library"},
    {"ReservedPrefix", "enclave { trusted { public void f(int _ccb_x); }; };",
     "t.edl:1:39: error: names beginning with '_ccb_' are reserved for generated code"},
    {"ReservedFunctionName", "enclave { trusted { public void ccbox_start(void); }; };",
     "t.edl:1:33: error: function names beginning with 'ccbox_' are reserved for the runtime"},
    {"LibraryFunctionNameOcall", "enclave { untrusted { void* memccpy([user_check] void* d); }; };",
     "t.edl:1:29: error: 'memccpy' is a function of the C library: the host cannot implement an OCALL of that "
     "name; declare it '[dllimport]' to call the library's own function"},
    {"LibraryFunctionNameEcall", "enclave { trusted { public size_t strlen([in, string] const char* s); }; };",
     "t.edl:1:35: error: 'strlen' is a function of the C library: an ECALL of that name would clash with the "
     "library on both sides"},
    {"LibraryFunctionDllimportReturningVoid", "enclave { untrusted { [dllimport] void free([user_check] void* p); }; };",
     "t.edl:1:40: error: 'free' is a function of the C library: a '[dllimport]' OCALL of it must return a value, "
     "or its proxy would take the library function's own parameters and could not be told apart from it"},
    {"DllimportOnEcall", "enclave { trusted { public [dllimport] void f(void); }; };",
     "t.edl:1:29: error: 'dllimport' is only valid on untrusted functions (OCALLs), not on the ECALL 'f'"},
    {"ParameterNamedLikeAType", "enclave { struct S { int x; }; trusted { public void f(int S); }; };",
     "t.edl:1:60: error: parameter 'S' of 'f' has the name of a type or constant it would hide in generated code"},
    {"ParameterNamedSizeT", "enclave { trusted { public void f(int size_t); }; };",
     "t.edl:1:39: error: parameter 'size_t' of 'f' has the name of a type or constant it would hide in generated "
     "code"},
    {"VoidParameter", "enclave { trusted { public void f(void v); }; };",
     "t.edl:1:40: error: 'v' cannot have type 'void'"},
    {"UndefinedDimension", "enclave { trusted { public void f([in] int a[N]); }; };",
     "t.edl:1:46: error: undefined constant 'N' in array dimension (not an enumerator of this EDL, and no header is "
     "included that could define it)"},
};
INSTANTIATE_TEST_SUITE_P(Checks, Diagnostic, ::testing::ValuesIn(kChecks),
                         [](const auto& info) { return std::string(info.param.name); });

// Syntax errors: the parser stops at the first one in a file.
const Case kSyntax[] = {
    {"MissingEnclave", "trusted { };", "t.edl:1:1: error: expected 'enclave' but found 'trusted'"},
    {"MissingSemicolon", "enclave { trusted { public void f() }; };",
     "t.edl:1:37: error: expected ';' after the function declaration but found '}'"},
    {"UnclosedEnclave", "enclave { trusted { };",
     "t.edl:1:23: error: expected '}' closing 'enclave' but found end of file"},
    {"PublicOcall", "enclave { untrusted { public void g(); }; };",
     "t.edl:1:23: error: 'public' is only valid for trusted functions (ECALLs)"},
    {"Sizefunc", "enclave { trusted { public void f([in, sizefunc=g] int* p); }; };",
     "t.edl:1:40: error: 'sizefunc' is not supported: give the buffer size with 'size='"},
    {"DuplicateAttribute", "enclave { trusted { public void f([in, in] int* p); }; };",
     "t.edl:1:40: error: duplicate attribute 'in'"},
    {"AttributeValueMissing", "enclave { trusted { public void f([in, size=] int* p); }; };",
     "t.edl:1:45: error: expected an integer or a parameter name but found ']'"},
    {"ValueOnFlag", "enclave { trusted { public void f([in=1] int* p); }; };",
     "t.edl:1:38: error: attribute 'in' takes no value"},
    {"ConstAfterStar", "enclave { trusted { public void f([in] int* const p); }; };",
     "t.edl:1:45: error: 'const' after '*' is not supported in EDL"},
    {"ZeroDimension", "enclave { trusted { public void f([in] int a[0]); }; };",
     "t.edl:1:46: error: array dimension must be greater than zero"},
    {"UnsignedLongDouble", "enclave { trusted { public void f(unsigned long double d); }; };",
     "t.edl:1:49: error: 'long double' cannot be signed or unsigned"},
    {"UnknownCallingConvention", "enclave { untrusted { [thiscall] void g(); }; };",
     "t.edl:1:24: error: unknown function attribute 'thiscall'"},
    {"EmptyStruct", "enclave { struct S { }; };", "t.edl:1:18: error: struct 'S' has no members"},
    {"ImportWithoutName", "enclave { from import *; };",
     "t.edl:1:16: error: expected an EDL file name in quotes after 'from' but found 'import'"},
    {"UnexpectedCharacter", "enclave { trusted { public void f(int @x); }; };",
     "t.edl:1:39: error: unexpected character '@'"},
    {"UnterminatedString", "enclave { include \"abc\n};", "t.edl:1:19: error: unterminated string literal"},
    {"UnterminatedComment", "enclave { /* forever\n};", "t.edl:1:11: error: unterminated comment"},
    {"IntegerTooLarge", "enclave { trusted { public void f([in, count=99999999999999999999] int* p); }; };",
     "t.edl:1:46: error: integer literal '99999999999999999999' is too large"},
    {"UnsupportedDirective", "enclave {\n#define X 1\n};",
     "t.edl:2:1: error: unsupported preprocessor directive '#define' (EDL supports #ifdef, #ifndef, #else and "
     "#endif)"},
    {"UnterminatedIfdef", "enclave {\n#ifdef X\n};", "t.edl:2:1: error: unterminated '#ifdef': missing '#endif'"},
    {"ElseWithoutIf", "enclave {\n#else\n};", "t.edl:2:1: error: '#else' without '#ifdef' or '#ifndef'"},
    {"EndifWithoutIf", "enclave {\n  #endif\n};", "t.edl:2:3: error: '#endif' without '#ifdef' or '#ifndef'"},
    {"SecondElse", "enclave {\n#ifdef X\n#else\n#else\n#endif\n};",
     "t.edl:4:1: error: second '#else' for the same '#ifdef'"},
    {"IfdefWithoutName", "enclave {\n#ifdef\n#endif\n};", "t.edl:2:1: error: expected a name after '#ifdef'"},
    {"HashInsideLine", "enclave { # ifdef X\n};", "t.edl:1:11: error: '#' must start a line (preprocessor directive)"},
};
INSTANTIATE_TEST_SUITE_P(Syntax, Diagnostic, ::testing::ValuesIn(kSyntax),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Diagnostics, ImportCycle) {
    Source s;
    s.main = "enclave {\n    from \"a.edl\" import *;\n};\n";
    s.others["a.edl"] = "enclave {\n  import \"b.edl\";\n};\n";
    s.others["b.edl"] = "enclave {\n\n  import \"a.edl\";\n};\n";
    auto r = compile(s);
    ASSERT_FALSE(r.ok);
    ASSERT_EQ(r.diagnostics.size(), 1u) << r.messages();
    EXPECT_EQ(ccbox::edl::format_diagnostic(r.diagnostics[0]),
              "b.edl:3:10: error: import cycle: a.edl -> b.edl -> a.edl");
}

TEST(Diagnostics, ImportOfItself) {
    auto r = compile("enclave { import \"t.edl\"; };");
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.messages(), "t.edl:1:18: error: import cycle: t.edl -> t.edl\n");
}

TEST(Diagnostics, MissingImportFile) {
    Source s;
    s.main = "enclave {\n  from \"nowhere/x.edl\" import *;\n};\n";
    s.search_paths = {"sp1", "sp2"};
    auto r = compile(s);
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.messages(),
              "t.edl:2:8: error: cannot find imported file 'nowhere/x.edl' (searched: nowhere/x.edl sp1/nowhere/x.edl "
              "sp2/nowhere/x.edl)\n");
}

TEST(Diagnostics, ImportedNameNotDeclared) {
    Source s;
    s.main = "enclave { from \"a.edl\" import f, nope; };";
    s.others["a.edl"] = "enclave { trusted { public void f(); }; };";
    auto r = compile(s);
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.messages(), "t.edl:1:34: error: 'a.edl' declares no function 'nope'\n");
}

TEST(Diagnostics, DuplicateFunctionAcrossImports) {
    Source s;
    s.main = "enclave {\n  import \"a.edl\";\n  trusted { public void f(int x); };\n};";
    s.others["a.edl"] = "enclave {\n  untrusted { void f(); };\n};";
    auto r = compile(s);
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.messages(), "t.edl:3:25: error: duplicate function 'f' (first declared at a.edl:2:20)\n");
}

TEST(Diagnostics, ErrorsInImportedFileNameThatFile) {
    Source s;
    s.main = "enclave { import \"a.edl\"; };";
    s.others["a.edl"] = "enclave {\n  trusted { public void f([in, nope] int* p); };\n};";
    auto r = compile(s);
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.messages(), "a.edl:2:32: error: unknown attribute 'nope'\n");
}

TEST(Diagnostics, DeepCopyNestingIsBounded) {
    // 17 levels of deep-copied structs: S0 -> S1 -> ... -> S16
    std::string edl = "enclave {\n";
    for (int i = 0; i < 17; ++i) {
        std::string next = i < 16 ? "[count=1] S" + std::to_string(i + 1) + "* next; " : "";
        edl += "struct S" + std::to_string(i) + " { size_t n; " + next + "[count=n] int* v; };\n";
    }
    edl += "};\n";
    auto r = compile(edl);
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(ccbox::edl::format_diagnostic(r.diagnostics.front()),
              "t.edl:17:39: error: deep copy through member 'next' of struct 'S15' nests more than 16 structs deep");
    // 16 levels are fine
    std::string ok = "enclave {\n";
    for (int i = 0; i < 16; ++i) {
        std::string next = i < 15 ? "[count=1] S" + std::to_string(i + 1) + "* next; " : "";
        ok += "struct S" + std::to_string(i) + " { size_t n; " + next + "[count=n] int* v; };\n";
    }
    EXPECT_TRUE(compile(ok + "};\n").ok);
}

TEST(Diagnostics, AllSemanticErrorsAreReported) {
    auto r = compile("enclave { trusted { public void f(int* a, [in, string] int* b, [out] const int* c); }; };");
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.diagnostics.size(), 3u) << r.messages();
}

TEST(Diagnostics, ErrorCountIsBounded) {
    std::string body;
    for (int i = 0; i < 300; ++i)
        body += "public void f" + std::to_string(i) + "(int* p);\n";
    auto r = compile(edl_unit::in_trusted(body));
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.diagnostics.size(), ccbox::edl::Diagnostics::kMaxErrors);
}

}  // namespace
