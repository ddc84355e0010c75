// Helpers of the ccbox-edger8r unit tests: compile EDL text held in memory.
#pragma once

#include "compiler.h"
#include "diagnostics.h"
#include "file_provider.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace edl_unit {

struct Compiled {
    bool ok = false;
    std::vector<ccbox::edl::Diagnostic> diagnostics;
    std::vector<ccbox::edl::GeneratedFile> files;

    // "file:line:col: error: message" of every diagnostic, one per line
    std::string messages() const;
    // The contents of a generated file ("t_t.c"), or "" if there is none.
    std::string file(const std::string& name) const;
};

struct Source {
    std::string main;                            // contents of "t.edl"
    std::map<std::string, std::string> others;   // more files by path
    std::set<std::string> defines;
    std::vector<std::string> search_paths;
    bool trusted = true, untrusted = true, header_only = false;
    bool openenclave = false, sgx_sdk = false;  // oeedger8r's meaning and names, --sgx-sdk
};

Compiled compile(const Source& source);
Compiled compile(const std::string& main);

// Wraps function declarations in `enclave { trusted { ... }; };`
std::string in_trusted(const std::string& body);
std::string in_untrusted(const std::string& body);

}  // namespace edl_unit
