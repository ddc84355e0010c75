#include "test_support.h"

namespace edl_unit {

std::string Compiled::messages() const {
    std::string s;
    for (const auto& d : diagnostics)
        s += ccbox::edl::format_diagnostic(d) + "\n";
    return s;
}

std::string Compiled::file(const std::string& name) const {
    for (const auto& f : files)
        if (f.name == name)
            return f.contents;
    return "";
}

Compiled compile(const Source& source) {
    ccbox::edl::MemoryFileProvider files;
    files.add("t.edl", source.main);
    for (const auto& [path, text] : source.others)
        files.add(path, text);
    ccbox::edl::CompileOptions options;
    options.edl_path = "t.edl";
    options.defines = source.defines;
    options.search_paths = source.search_paths;
    options.trusted = source.trusted;
    options.untrusted = source.untrusted;
    options.header_only = source.header_only;
    options.openenclave = source.openenclave;
    options.sgx_sdk = source.sgx_sdk;
    ccbox::edl::Diagnostics diagnostics;
    auto out = ccbox::edl::compile_edl(options, files, diagnostics);
    Compiled c;
    c.ok = out.has_value();
    if (out)
        c.files = std::move(*out);
    c.diagnostics = diagnostics.list();
    return c;
}

Compiled compile(const std::string& main) {
    Source s;
    s.main = main;
    return compile(s);
}

std::string in_trusted(const std::string& body) { return "enclave {\n    trusted {\n" + body + "\n    };\n};\n"; }
std::string in_untrusted(const std::string& body) {
    return "enclave {\n    untrusted {\n" + body + "\n    };\n};\n";
}

}  // namespace edl_unit
