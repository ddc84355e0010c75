// An EDL file with its imports resolved and merged: the input of the checks and emitters.
#pragma once

#include "ast.h"
#include "diagnostics.h"
#include "file_provider.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace ccbox::edl {

struct Program {
    std::vector<std::unique_ptr<EdlFile>> files;  // owns every declaration below
    const EdlFile* main = nullptr;
    std::string name;  // C identifier made from the main file's name: X in X_t.c
    // In declaration order, an import's declarations placed where the import statement is.
    std::vector<const Include*> includes;
    std::vector<const UserType*> types;
    std::vector<const Function*> ecalls;  // id = index
    std::vector<const Function*> ocalls;  // id = index
    std::vector<const Function*> functions;  // both, in declaration order
    // Foreign type names the generated code's own headers declare in this mode (oe_result_t with
    // oeedger8r, sgx_status_t with --sgx-sdk): not taken on trust.
    std::set<std::string> runtime_types;
};

struct LoadOptions {
    std::vector<std::string> search_paths;
    std::set<std::string> defines;
};

// Reads, preprocesses and parses `path` and every file it imports. Reports missing files,
// import cycles and unknown imported names. Returns null when the main file cannot be parsed.
std::unique_ptr<Program> load_program(const std::string& path, const LoadOptions& options, FileProvider& files,
                                      Diagnostics& diagnostics);

// "my-enclave" -> "my_enclave"; a leading digit gets a '_' in front.
std::string c_identifier_from(const std::string& text);

}  // namespace ccbox::edl
