// The `ccbox` command-line tool: keys, signing, measurement and inspection of enclave images.
#include "platform/measurement.hpp"
#include "support/file_io.hpp"
#include "support/hex.hpp"
#include "tools/ccbox/attestation_commands.hpp"
#include "tools/ccbox/tls_commands.hpp"
#include "tools/ccbox/box_commands.hpp"
#include "tools/ccbox/cli_numbers.hpp"
#include "tools/ccbox/inspect.hpp"
#include "tools/ccbox/keybroker_commands.hpp"
#include "tools/ccbox/platform_commands.hpp"
#include "tools/ccbox/platform_install.hpp"
#include "tools/ccbox/signing.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <sys/stat.h>

namespace ccbox {
namespace {

int report_error(const Error& error) {
    std::fprintf(stderr, "ccbox: error: %s\n", error.message().c_str());
    return 1;
}

int run(const Result<void>& result) { return result.ok() ? 0 : report_error(result.error()); }

// ---------------------------------------------------------------- keygen
struct KeygenOptions {
    std::string out;
    std::string public_out;
    bool force = false;
};

Result<void> cmd_keygen(const KeygenOptions& o) {
    struct stat st {};
    if (!o.force && ::stat(o.out.c_str(), &st) == 0)
        return Error(CCBOX_ALREADY_EXISTS, o.out + ": already exists (use --force to replace it)");
    CCBOX_ASSIGN_OR_RETURN(RsaKey key, RsaKey::generate_sgx_key());
    std::string pem = key.private_pem();
    CCBOX_TRY(write_file_atomic(o.out, std::span(reinterpret_cast<const uint8_t*>(pem.data()), pem.size()), 0600));
    if (!o.public_out.empty()) {
        std::string pub = key.public_pem();
        CCBOX_TRY(write_file_atomic(o.public_out, std::span(reinterpret_cast<const uint8_t*>(pub.data()), pub.size()),
                                    0644));
    }
    return ok_result();
}

// ---------------------------------------------------------------- sign / digest
struct SignOptions {
    std::string image;
    std::string config;
    std::string key;
    std::string public_key;
    std::string signature;
    std::string out;
    std::string date;
};

std::optional<std::string> optional_path(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

Result<void> cmd_sign(const SignOptions& o) {
    bool one_step = !o.key.empty();
    bool two_step = !o.public_key.empty() || !o.signature.empty();
    if (one_step == two_step || (two_step && (o.public_key.empty() || o.signature.empty())))
        return Error(CCBOX_INVALID_PARAMETER, "sign needs either -k KEY.pem, or --public-key PUB.pem and --signature SIG");
    SignRequest request{o.image, o.config, o.out, o.date, o.key, std::nullopt, o.public_key, o.signature};
    if (two_step) {
        CCBOX_ASSIGN_OR_RETURN(RsaKey key, RsaKey::load_pem_file(o.public_key, true));
        request.public_key = key;
    }
    return sign_image(request);
}

Result<void> cmd_digest(const SignOptions& o) { return write_signing_digest(o.image, o.config, o.date, o.out); }

// ---------------------------------------------------------------- sigstruct
struct SigstructOptions {
    std::string key, enclave_hash, date, out;
    std::string vendor = "0", attributes = "MODE64BIT", xfrm = "0x3";
    std::string attributes_mask = "0xfffffffffffffffd", xfrm_mask = "0xffffffffffffff1b";
    std::string miscselect = "0", misc_mask = "0xffffffff";
    std::string product_id = "0", svn = "0", swdefined = "0";
    std::string family_id, ext_product_id;
};

Result<void> cmd_sigstruct(const SigstructOptions& o) {
    SigstructFields f;
    CCBOX_ASSIGN_OR_RETURN(f.vendor, parse_u32_option(o.vendor, "--vendor"));
    CCBOX_ASSIGN_OR_RETURN(f.date, parse_date_yyyymmdd(o.date));
    CCBOX_ASSIGN_OR_RETURN(f.swdefined, parse_u32_option(o.swdefined, "--swdefined"));
    CCBOX_ASSIGN_OR_RETURN(f.attributes.flags, parse_attribute_flags(o.attributes, "--attributes"));
    CCBOX_ASSIGN_OR_RETURN(f.attributes.xfrm, parse_u64_option(o.xfrm, "--xfrm"));
    CCBOX_ASSIGN_OR_RETURN(f.attributemask.flags, parse_attribute_flags(o.attributes_mask, "--attributes-mask"));
    CCBOX_ASSIGN_OR_RETURN(f.attributemask.xfrm, parse_u64_option(o.xfrm_mask, "--xfrm-mask"));
    CCBOX_ASSIGN_OR_RETURN(f.miscselect, parse_u32_option(o.miscselect, "--miscselect"));
    CCBOX_ASSIGN_OR_RETURN(f.miscmask, parse_u32_option(o.misc_mask, "--misc-mask"));
    CCBOX_ASSIGN_OR_RETURN(uint32_t prod, parse_u32_option(o.product_id, "--product-id"));
    CCBOX_ASSIGN_OR_RETURN(uint32_t svn, parse_u32_option(o.svn, "--svn"));
    if (prod > 0xffff || svn > 0xffff)
        return Error(CCBOX_INVALID_PARAMETER, "--product-id and --svn must be at most 65535");
    f.isvprodid = static_cast<uint16_t>(prod);
    f.isvsvn = static_cast<uint16_t>(svn);
    CCBOX_ASSIGN_OR_RETURN(auto hash, from_hex(o.enclave_hash, 32, "--enclave-hash"));
    std::copy(hash.begin(), hash.end(), f.enclavehash.begin());
    if (!o.family_id.empty()) {
        CCBOX_ASSIGN_OR_RETURN(auto id, from_hex(o.family_id, 16, "--family-id"));
        std::copy(id.begin(), id.end(), f.isvfamilyid);
    }
    if (!o.ext_product_id.empty()) {
        CCBOX_ASSIGN_OR_RETURN(auto id, from_hex(o.ext_product_id, 16, "--ext-product-id"));
        std::copy(id.begin(), id.end(), f.isvextprodid);
    }
    CCBOX_ASSIGN_OR_RETURN(RsaKey key, RsaKey::load_pem_file(o.key, false));
    CCBOX_TRY(require_sgx_signing_key(key, o.key));
    CCBOX_ASSIGN_OR_RETURN(sgx::Sigstruct sig, sign_sigstruct(make_unsigned_sigstruct(f), key));
    return write_file_atomic(o.out, std::span(reinterpret_cast<const uint8_t*>(&sig), sizeof sig), 0644);
}

// ---------------------------------------------------------------- inspect / measure
int cmd_inspect(const std::string& path, bool json) {
    auto report = inspect_file(path);
    if (!report.ok())
        return report_error(report.error());
    if (json)
        std::cout << report_json(*report).dump(2) << "\n";
    else
        std::cout << format_report_text(*report);
    return report->all_checks_passed() ? 0 : 1;
}

struct MeasureOptions {
    std::string image, config, sgxs_out, sgxs_in;
    bool json = false;
};

int print_mrenclave(const Digest256& mrenclave, bool json, const std::string& detail) {
    if (json) {
        std::cout << nlohmann::json{{"mrenclave", to_hex(mrenclave)}}.dump() << "\n";
    } else {
        if (!detail.empty())
            std::cout << detail << "\n";
        std::cout << to_hex(mrenclave) << "\n";
    }
    return 0;
}

int cmd_measure(const MeasureOptions& o) {
    if (o.image.empty() == o.sgxs_in.empty())
        return report_error(Error(CCBOX_INVALID_PARAMETER, "measure needs either -e IMAGE or --sgxs-in FILE"));
    if (!o.sgxs_in.empty()) {
        auto stream = read_file(o.sgxs_in);
        if (!stream.ok())
            return report_error(stream.error());
        auto replay = replay_sgxs(*stream, o.sgxs_in);
        if (!replay.ok())
            return report_error(replay.error());
        std::string detail = "SGXS stream: " + std::to_string(replay->ecreate_count) + " ECREATE, " +
                             std::to_string(replay->eadd_count) + " EADD, " + std::to_string(replay->eextend_count) +
                             " EEXTEND, " + std::to_string(replay->unmeasured_count) + " UNMEASRD; SSAFRAMESIZE " +
                             std::to_string(replay->ssa_frame_size) + ", SIZE " + std::to_string(replay->enclave_size);
        return print_mrenclave(replay->mrenclave, o.json, detail);
    }
    auto enclave = resolve_enclave(o.image, optional_path(o.config));
    if (!enclave.ok())
        return report_error(enclave.error());
    Bytes stream;
    MeasurementSink sink;
    if (!o.sgxs_out.empty())
        sink = [&](std::span<const uint8_t> chunk) { stream.insert(stream.end(), chunk.begin(), chunk.end()); };
    auto mrenclave = measure_enclave(*enclave, sink);
    if (!mrenclave.ok())
        return report_error(mrenclave.error());
    if (!o.sgxs_out.empty())
        if (auto written = write_file_atomic(o.sgxs_out, stream, 0644); !written.ok())
            return report_error(written.error());
    return print_mrenclave(*mrenclave, o.json, "");
}

int main_impl(int argc, char** argv) {
    CLI::App app{"ccbox: build, sign, measure and inspect SGX enclave images"};
    app.require_subcommand(1);

    KeygenOptions keygen;
    auto* keygen_cmd = app.add_subcommand("keygen", "Make an RSA-3072 (e=3) enclave signing key");
    keygen_cmd->add_option("-o,--out", keygen.out, "private key (PEM, mode 0600)")->required();
    keygen_cmd->add_option("--public-out", keygen.public_out, "also write the public key (PEM)");
    keygen_cmd->add_flag("--force", keygen.force, "replace an existing key file");

    SignOptions sign;
    auto* sign_cmd = app.add_subcommand("sign", "Embed the SIGSTRUCT and configuration into an image");
    sign_cmd->add_option("-e,--enclave", sign.image, "enclave image")->required();
    sign_cmd->add_option("-c,--config", sign.config, "configuration file (.conf)");
    sign_cmd->add_option("-k,--key", sign.key, "private signing key (PEM)");
    sign_cmd->add_option("--public-key", sign.public_key, "public key, with --signature (two-step signing)");
    sign_cmd->add_option("--signature", sign.signature, "384-byte big-endian PKCS#1 v1.5 signature of the digest");
    sign_cmd->add_option("-o,--out", sign.out, "signed image (default IMAGE.signed)");
    sign_cmd->add_option("--date", sign.date, "SIGSTRUCT date YYYYMMDD (default: today, UTC)");

    SignOptions digest;
    auto* digest_cmd = app.add_subcommand("digest", "Write the 32-byte digest a key kept offline must sign");
    digest_cmd->add_option("-e,--enclave", digest.image, "enclave image")->required();
    digest_cmd->add_option("-c,--config", digest.config, "configuration file (.conf)");
    digest_cmd->add_option("-o,--out", digest.out, "digest file")->required();
    digest_cmd->add_option("--date", digest.date, "SIGSTRUCT date YYYYMMDD (default: today, UTC)");

    SigstructOptions ss;
    auto* ss_cmd = app.add_subcommand("sigstruct", "Build a SIGSTRUCT from explicit fields");
    ss_cmd->add_option("--key", ss.key, "private signing key (PEM)")->required();
    ss_cmd->add_option("--enclave-hash", ss.enclave_hash, "ENCLAVEHASH (64 hex digits)")->required();
    ss_cmd->add_option("--date", ss.date, "DATE as YYYYMMDD")->required();
    ss_cmd->add_option("-o,--out", ss.out, "output file (1808 bytes)")->required();
    ss_cmd->add_option("--vendor", ss.vendor, "VENDOR (0 or 0x8086)")->capture_default_str();
    ss_cmd->add_option("--swdefined", ss.swdefined, "SWDEFINED")->capture_default_str();
    ss_cmd->add_option("--attributes", ss.attributes, "ATTRIBUTES.FLAGS: a number or names joined by |")
        ->capture_default_str();
    ss_cmd->add_option("--xfrm", ss.xfrm, "ATTRIBUTES.XFRM")->capture_default_str();
    ss_cmd->add_option("--attributes-mask", ss.attributes_mask, "ATTRIBUTEMASK.FLAGS")->capture_default_str();
    ss_cmd->add_option("--xfrm-mask", ss.xfrm_mask, "ATTRIBUTEMASK.XFRM")->capture_default_str();
    ss_cmd->add_option("--miscselect", ss.miscselect, "MISCSELECT")->capture_default_str();
    ss_cmd->add_option("--misc-mask", ss.misc_mask, "MISCMASK")->capture_default_str();
    ss_cmd->add_option("--product-id", ss.product_id, "ISVPRODID")->capture_default_str();
    ss_cmd->add_option("--svn", ss.svn, "ISVSVN")->capture_default_str();
    ss_cmd->add_option("--family-id", ss.family_id, "ISVFAMILYID (32 hex digits)");
    ss_cmd->add_option("--ext-product-id", ss.ext_product_id, "ISVEXTPRODID (32 hex digits)");

    std::string inspect_path;
    bool inspect_json = false;
    auto* inspect_cmd = app.add_subcommand("inspect", "Show the identity of a signed image or SIGSTRUCT and check it");
    inspect_cmd->add_option("file", inspect_path, "signed image or 1808-byte SIGSTRUCT")->required();
    inspect_cmd->add_flag("--json", inspect_json, "print JSON");

    MeasureOptions measure;
    auto* measure_cmd = app.add_subcommand("measure", "Compute MRENCLAVE of an image or replay an SGXS stream");
    measure_cmd->add_option("-e,--enclave", measure.image, "enclave image");
    measure_cmd->add_option("-c,--config", measure.config, "configuration file (.conf)");
    measure_cmd->add_option("--sgxs-out", measure.sgxs_out, "also write the measurement stream as SGXS");
    measure_cmd->add_option("--sgxs-in", measure.sgxs_in, "replay this SGXS stream instead of an image");
    measure_cmd->add_flag("--json", measure.json, "print {\"mrenclave\": ...}");

    auto* platform_cmd = app.add_subcommand("platform", "Start, stop or query the platform service (ccboxd)");
    platform_cmd->require_subcommand(1);
    PlatformCommandOptions platform;
    auto add_platform_location = [&](CLI::App* cmd) {
        cmd->add_option("--state-dir", platform.state_dir, "the platform's state directory");
        cmd->add_option("--socket", platform.socket, "the platform's socket (default STATE_DIR/platform.sock)");
    };
    auto* platform_start_cmd = platform_cmd->add_subcommand("start", "Start a platform (in the background)");
    add_platform_location(platform_start_cmd);
    auto* sku_opt = platform_start_cmd->add_option("--sku", platform.sku, "SKU profile: DC1s_v2 ... DC48s_v3");
    platform_start_cmd->add_option("--epc", platform.epc, "custom EPC size, e.g. 64MiB")->excludes(sku_opt);
    platform_start_cmd->add_option("--commit-limit", platform.commit_limit,
                                   "hard limit on committed enclave memory, e.g. 28MiB (default 8 times the EPC)");
    platform_start_cmd->add_flag("--json", platform.json, "print the status as JSON");
    auto* platform_stop_cmd = platform_cmd->add_subcommand("stop", "Stop the platform and its enclaves");
    add_platform_location(platform_stop_cmd);
    auto* platform_status_cmd = platform_cmd->add_subcommand("status", "Show SKU, EPC use and enclaves");
    add_platform_location(platform_status_cmd);
    platform_status_cmd->add_flag("--json", platform.json, "print JSON");
    PlatformInstallOptions install;
    auto add_install_location = [&](CLI::App* cmd) {
        cmd->add_option("--user", install.user, "the platform's system account and group (default ccbox)");
        cmd->add_option("--state-dir", install.state_dir, "its state directory (default /var/lib/ccbox)");
        cmd->add_option("--run-dir", install.run_dir, "the directory of its socket (default /run/ccbox)");
        cmd->add_option("--unit-dir", install.unit_dir, "where the systemd unit goes (default /etc/systemd/system)");
    };
    auto* install_cmd = platform_cmd->add_subcommand("install", "Set up the system platform (root): account, "
                                                                "directories, systemd unit");
    add_install_location(install_cmd);
    install_cmd->add_option("--ccboxd", install.ccboxd, "the ccboxd the unit runs (default: next to this ccbox)");
    install_cmd->add_option("--sku", install.sku, "the platform's SKU (default DC4s_v2)");
    install_cmd->add_flag("!--no-start", install.start, "write everything but do not enable or start the unit");
    bool print_unit = false;
    install_cmd->add_flag("--print-unit", print_unit, "print the unit it would write, and change nothing");
    auto* uninstall_cmd = platform_cmd->add_subcommand("uninstall", "Undo `ccbox platform install` (root)");
    add_install_location(uninstall_cmd);
    uninstall_cmd->add_flag("--purge", install.purge, "remove the state directory and its secrets too");
    auto attestation_cmds = register_attestation_commands(app, *platform_cmd);
    auto box_cmds = register_box_commands(app);
    auto keybroker_cmds = register_keybroker_commands(app);
    auto tls_cmds = register_tls_commands(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    if (*keygen_cmd)
        return run(cmd_keygen(keygen));
    if (*sign_cmd)
        return run(cmd_sign(sign));
    if (*digest_cmd)
        return run(cmd_digest(digest));
    if (*ss_cmd)
        return run(cmd_sigstruct(ss));
    if (*inspect_cmd)
        return cmd_inspect(inspect_path, inspect_json);
    if (*measure_cmd)
        return cmd_measure(measure);
    if (*platform_start_cmd)
        return run(platform_start(platform));
    if (*platform_stop_cmd)
        return run(platform_stop(platform));
    if (*platform_status_cmd)
        return run(platform_status(platform));
    if (*install_cmd && print_unit) {
        std::fputs(systemd_unit_text(install, install.ccboxd.empty() ? "/usr/bin/ccboxd" : install.ccboxd).c_str(),
                   stdout);
        return 0;
    }
    if (*install_cmd)
        return run(platform_install(install));
    if (*uninstall_cmd)
        return run(platform_uninstall(install));
    if (int rc = attestation_cmds->run(); rc >= 0)
        return rc;
    if (int rc = box_cmds->run(); rc >= 0)
        return rc;
    if (int rc = keybroker_cmds->run(); rc >= 0)
        return rc;
    if (int rc = tls_cmds->run(); rc >= 0)
        return rc;
    return 2;
}

}  // namespace
}  // namespace ccbox

int main(int argc, char** argv) { return ccbox::main_impl(argc, argv); }
