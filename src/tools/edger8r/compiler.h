// The whole compilation of one EDL file: load (with imports), check, plan and emit. Used by
// main.cpp, the tests and the fuzzer.
#pragma once

#include "diagnostics.h"
#include "file_provider.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ccbox::edl {

struct CompileOptions {
    std::string edl_path;
    std::vector<std::string> search_paths;
    std::set<std::string> defines;
    bool trusted = true;    // emit X_t.h / X_t.c
    bool untrusted = true;  // emit X_u.h / X_u.c
    bool header_only = false;
    bool openenclave = false;  // Open Enclave's generated names too (oeedger8r; docs/openenclave.md)
    bool sgx_sdk = false;      // Intel SGX SDK style: X_args.h includes sgx_edger8r.h (docs/edl.md)
};

struct GeneratedFile {
    std::string name;  // "X_t.c"
    std::string contents;
    bool trusted_side;  // goes to the trusted directory (X_args.h is emitted for each side)
};

// Returns the generated files, or nothing when the EDL has errors (reported to diagnostics).
std::optional<std::vector<GeneratedFile>> compile_edl(const CompileOptions& options, FileProvider& files,
                                                      Diagnostics& diagnostics);

}  // namespace ccbox::edl
