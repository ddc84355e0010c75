// libFuzzer target for the EDL front end: lexer, preprocessor, parser, import resolution,
// semantic checks and (for inputs that pass) the emitters. Imports resolve against an
// in-memory file set, so the fuzzer never touches the file system.
//
//   clang++-14 -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -I src/tools/edger8r \
//       $(ls src/tools/edger8r/*.cpp | grep -v main.cpp) tests/edl/fuzz/edl_parser_fuzzer.cpp \
//       -o edl_parser_fuzzer
//   cp -r tests/edl/fuzz/corpus /tmp/corpus
//   ./edl_parser_fuzzer -max_total_time=60 -dict=tests/edl/fuzz/edl.dict /tmp/corpus
// tests/edl/fuzz/fuzz.cmake builds and runs it as the CTest test edl_parser_fuzz.
#include "compiler.h"
#include "file_provider.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace ccbox::edl;
    // The input is the main file; a NUL byte, if any, splits off a second file that the main
    // one can import as "b.edl" (so imports and cycles get exercised too).
    std::string text(reinterpret_cast<const char*>(data), size);
    std::string imported;
    if (auto nul = text.find('\0'); nul != std::string::npos) {
        imported = text.substr(nul + 1);
        text.resize(nul);
    }
    MemoryFileProvider files;
    files.add("a.edl", text);
    files.add("b.edl", imported);
    files.add("inc/c.edl", "enclave { trusted { public void c_ecall(void); }; };");

    for (int defined = 0; defined < 2; ++defined) {
        CompileOptions options;
        options.edl_path = "a.edl";
        options.search_paths = {"inc"};
        if (defined)
            options.defines = {"A", "B", "X"};
        options.openenclave = defined;  // oeedger8r too: its callee-allocated deep [out] emitters
        Diagnostics diagnostics;
        auto out = compile_edl(options, files, diagnostics);
        for (const Diagnostic& d : diagnostics.list())
            (void)format_diagnostic(d);
        (void)out;
    }
    return 0;
}
