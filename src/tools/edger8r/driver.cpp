// The command line of the EDL compiler, shared by ccbox-edger8r and Open Enclave's oeedger8r
// (compat/openenclave/tools): one parser of options, one way of writing the outputs.
#include "driver.h"

#include "compiler.h"
#include "support/file_io.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string_view>
#include <system_error>
#include <vector>

namespace ccbox::edl {

namespace {

// Writes `contents` unless the file already holds exactly that (keeps build systems from
// rebuilding what did not change). The write is atomic (write_file_atomic), so a failed write
// never leaves a truncated file behind.
bool write_if_changed(const std::filesystem::path& path, const std::string& contents) {
    auto old = ccbox::read_file(path.string());
    if (old.ok() && std::string_view(reinterpret_cast<const char*>(old->data()), old->size()) == contents)
        return true;
    const auto* bytes = reinterpret_cast<const uint8_t*>(contents.data());
    return ccbox::write_file_atomic(path.string(), std::span(bytes, contents.size()), 0666).ok();
}

// A path as Make and Ninja read it in a dependency file.
std::string depfile_escape(const std::string& path) {
    std::string escaped;
    for (char c : path) {
        if (c == ' ' || c == '#')
            escaped += '\\';
        if (c == '$')
            escaped += '$';
        escaped += c;
    }
    return escaped;
}

// "out1 out2: in1 in2": every generated file depends on the EDL and on every file it imports.
// The generated source comes first: Ninja matches a depfile by its first target, and
// ccbox_add_enclave names X_t.c / X_u.c first.
std::string depfile_contents(std::vector<std::filesystem::path> outputs, const std::vector<std::string>& inputs) {
    std::stable_partition(outputs.begin(), outputs.end(),
                          [](const std::filesystem::path& p) { return p.extension() == ".c"; });
    std::string text;
    for (const auto& output : outputs)
        text += (text.empty() ? "" : " ") + depfile_escape(std::filesystem::absolute(output).lexically_normal().string());
    text += ":";
    for (const std::string& input : inputs)
        text += " \\\n  " + depfile_escape(std::filesystem::absolute(input).lexically_normal().string());
    return text + "\n";
}

int run(int argc, char** argv, Dialect dialect) {
    const bool oe = dialect == Dialect::OpenEnclave;
    const std::string tool = oe ? "oeedger8r" : "ccbox-edger8r";
    CLI::App app{tool + ": generates the host and enclave marshalling code of an EDL file"};
    CompileOptions options;
    options.openenclave = oe;
    bool trusted = false, untrusted = false;
    std::string trusted_dir = ".", untrusted_dir = ".";
    std::vector<std::string> defines;
    std::string depfile;
    app.add_flag("--trusted", trusted, "generate the enclave side only (X_t.h, X_t.c, X_args.h)");
    app.add_flag("--untrusted", untrusted, "generate the host side only (X_u.h, X_u.c, X_args.h)");
    app.add_option("--trusted-dir", trusted_dir, "directory for the enclave-side files (default: .)");
    app.add_option("--untrusted-dir", untrusted_dir, "directory for the host-side files (default: .)");
    app.add_option("--search-path", options.search_paths, "directory searched for imported EDL files")
        ->allow_extra_args(false);
    app.add_option("-D", defines, "define NAME for #ifdef / #ifndef")->allow_extra_args(false);
    app.add_flag("--header-only", options.header_only, "generate only the headers");
    if (!oe)  // oeedger8r keeps OE's command line
        app.add_flag("--sgx-sdk", options.sgx_sdk,
                     "Intel SGX SDK style: X_args.h includes sgx_edger8r.h (sgx_status_t, sgx_enclave_id_t)");
    app.add_option("--depfile", depfile,
                   "also write a Make-style dependency file listing the EDL and every file it imports");
    // Open Enclave's own options (oeedger8r-cpp's main.cpp). ccbox's checks are always on, so
    // the warning switches change nothing; --use-prefix renames the proxies, which ccbox's
    // runtime does not do: refused rather than ignored.
    bool experimental = false, use_prefix = false;
    std::vector<std::string> warnings;
    if (oe) {
        app.add_flag("--experimental", experimental, "accepted: every feature ccbox supports is enabled");
        app.add_flag("--use-prefix", use_prefix, "not supported: prefix ECALL proxies with the EDL name");
        app.add_option("-W", warnings, "accepted: -Wall, -Werror, -Werror=X, -W<warning>, -Wno-<warning>")
            ->allow_extra_args(false);
    }
    app.add_option("edl", options.edl_path, "the EDL file")->required();
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    if (use_prefix) {
        std::cerr << tool << ": error: --use-prefix is not supported by ccbox (the ECALL proxies keep the EDL's names)\n";
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

    DiskFileProvider disk;
    RecordingFileProvider files(disk);
    Diagnostics diagnostics;
    auto generated = compile_edl(options, files, diagnostics);
    for (const Diagnostic& d : diagnostics.list())
        std::cerr << format_diagnostic(d) << '\n';
    if (!generated) {
        if (!diagnostics.has_errors())
            std::cerr << tool << ": error: cannot compile " << options.edl_path << '\n';
        return 1;
    }
    std::vector<std::filesystem::path> outputs;
    for (const GeneratedFile& f : *generated) {
        std::filesystem::path dir = f.trusted_side ? trusted_dir : untrusted_dir;
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        outputs.push_back(dir / f.name);
        if (!write_if_changed(outputs.back(), f.contents)) {
            std::cerr << tool << ": error: cannot write " << outputs.back().string() << '\n';
            return 1;
        }
    }
    if (!depfile.empty() && !write_if_changed(depfile, depfile_contents(outputs, files.files_read()))) {
        std::cerr << tool << ": error: cannot write " << depfile << '\n';
        return 1;
    }
    return 0;
}

}  // namespace

int edger8r_main(int argc, char** argv, Dialect dialect) {
    try {
        return run(argc, argv, dialect);
    } catch (const std::exception& e) {
        std::cerr << (dialect == Dialect::OpenEnclave ? "oeedger8r" : "ccbox-edger8r") << ": error: " << e.what()
                  << '\n';
        return 1;
    }
}

}  // namespace ccbox::edl
