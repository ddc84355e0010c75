// ccbox-edger8r: the EDL compiler.
//
//   ccbox-edger8r [--trusted|--untrusted] [--trusted-dir D] [--untrusted-dir D]
//                 [--search-path P]... [-D NAME]... [--header-only] X.edl
//
// Exit status: 0 success, 1 errors in the EDL (or output not writable), 2 bad command line.
#include "compiler.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <system_error>

namespace {

using namespace ccbox::edl;

// Writes `contents` unless the file already holds exactly that (keeps build systems from
// rebuilding what did not change).
bool write_if_changed(const std::filesystem::path& path, const std::string& contents) {
    {
        std::ifstream in(path, std::ios::binary);
        if (in) {
            std::string old((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (old == contents)
                return true;
        }
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << contents;
    out.close();
    return static_cast<bool>(out);
}

int run(int argc, char** argv) {
    CLI::App app{"ccbox-edger8r: generates the host and enclave marshalling code of an EDL file"};
    CompileOptions options;
    bool trusted = false, untrusted = false;
    std::string trusted_dir = ".", untrusted_dir = ".";
    std::vector<std::string> defines;
    app.add_flag("--trusted", trusted, "generate the enclave side only (X_t.h, X_t.c, X_args.h)");
    app.add_flag("--untrusted", untrusted, "generate the host side only (X_u.h, X_u.c, X_args.h)");
    app.add_option("--trusted-dir", trusted_dir, "directory for the enclave-side files (default: .)");
    app.add_option("--untrusted-dir", untrusted_dir, "directory for the host-side files (default: .)");
    app.add_option("--search-path", options.search_paths, "directory searched for imported EDL files")
        ->allow_extra_args(false);
    app.add_option("-D", defines, "define NAME for #ifdef / #ifndef")->allow_extra_args(false);
    app.add_flag("--header-only", options.header_only, "generate only the headers");
    app.add_option("edl", options.edl_path, "the EDL file")->required();
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    if (trusted || untrusted) {
        options.trusted = trusted;
        options.untrusted = untrusted;
    }
    for (std::string& d : defines) {
        auto eq = d.find('=');
        options.defines.insert(eq == std::string::npos ? d : d.substr(0, eq));
    }

    DiskFileProvider files;
    Diagnostics diagnostics;
    auto generated = compile_edl(options, files, diagnostics);
    for (const Diagnostic& d : diagnostics.list())
        std::cerr << format_diagnostic(d) << '\n';
    if (!generated) {
        if (!diagnostics.has_errors())
            std::cerr << "ccbox-edger8r: error: cannot compile " << options.edl_path << '\n';
        return 1;
    }
    for (const GeneratedFile& f : *generated) {
        std::filesystem::path dir = f.trusted_side ? trusted_dir : untrusted_dir;
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (!write_if_changed(dir / f.name, f.contents)) {
            std::cerr << "ccbox-edger8r: error: cannot write " << (dir / f.name).string() << '\n';
            return 1;
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "ccbox-edger8r: error: " << e.what() << '\n';
        return 1;
    }
}
