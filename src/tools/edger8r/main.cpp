// ccbox-edger8r: the EDL compiler.
//
//   ccbox-edger8r [--trusted|--untrusted] [--trusted-dir D] [--untrusted-dir D]
//                 [--search-path P]... [-D NAME]... [--header-only] [--depfile F] X.edl
//
// Exit status: 0 success, 1 errors in the EDL (or output not writable), 2 bad command line.
#include "compiler.h"
#include "support/file_io.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string_view>
#include <system_error>
#include <vector>


namespace {

using namespace ccbox::edl;

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

int run(int argc, char** argv) {
    CLI::App app{"ccbox-edger8r: generates the host and enclave marshalling code of an EDL file"};
    CompileOptions options;
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
    app.add_option("--depfile", depfile,
                   "also write a Make-style dependency file listing the EDL and every file it imports");
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

    DiskFileProvider disk;
    RecordingFileProvider files(disk);
    Diagnostics diagnostics;
    auto generated = compile_edl(options, files, diagnostics);
    for (const Diagnostic& d : diagnostics.list())
        std::cerr << format_diagnostic(d) << '\n';
    if (!generated) {
        if (!diagnostics.has_errors())
            std::cerr << "ccbox-edger8r: error: cannot compile " << options.edl_path << '\n';
        return 1;
    }
    std::vector<std::filesystem::path> outputs;
    for (const GeneratedFile& f : *generated) {
        std::filesystem::path dir = f.trusted_side ? trusted_dir : untrusted_dir;
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        outputs.push_back(dir / f.name);
        if (!write_if_changed(outputs.back(), f.contents)) {
            std::cerr << "ccbox-edger8r: error: cannot write " << outputs.back().string() << '\n';
            return 1;
        }
    }
    if (!depfile.empty() && !write_if_changed(depfile, depfile_contents(outputs, files.files_read()))) {
        std::cerr << "ccbox-edger8r: error: cannot write " << depfile << '\n';
        return 1;
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
