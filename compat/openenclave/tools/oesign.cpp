// oesign: Open Enclave's signing tool on ccbox's signing code (src/tools/ccbox/signing.*).
//
//   oesign sign -e ENCLAVE [-c CONF] -k KEY.pem [-o OUT]
//   oesign sign -e ENCLAVE [-c CONF] -x CERT_OR_PUBKEY.pem -d SIGNATURE [-o OUT]   (two-step)
//   oesign digest -e ENCLAVE [-c CONF] -d DIGEST_FILE
//   oesign dump -e ENCLAVE
//
// Exit status: 0 success, 1 failure (the message says what), 2 bad command line.
#include "support/file_io.hpp"
#include "support/hex.hpp"
#include "tools/ccbox/inspect.hpp"
#include "tools/ccbox/signing.hpp"

#include <CLI/CLI.hpp>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <iostream>
#include <memory>

namespace ccbox {
namespace {

int report_error(const Error& error) {
    std::fprintf(stderr, "oesign: error: %s (%s)\n", error.message().c_str(), ccbox_result_str(error.code()));
    return 1;
}

// -x takes an X.509 certificate (as Open Enclave's oesign) or, for convenience, a PEM public key.
Result<RsaKey> load_public_key(const std::string& path) {
    CCBOX_ASSIGN_OR_RETURN(Bytes pem, read_file(path, 1 << 20));
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    if (!bio)
        return Error(CCBOX_OUT_OF_MEMORY, "cannot allocate a BIO");
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
    if (!cert) {
        ERR_clear_error();
        return RsaKey::from_pem(pem, path, true);
    }
    EVP_PKEY* key = X509_get0_pubkey(cert.get());
    std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
    if (!key || !out || PEM_write_bio_PUBKEY(out.get(), key) != 1)
        return Error(CCBOX_INVALID_SGX_SIGNING_KEY, path + ": the certificate carries no usable public key");
    char* data = nullptr;
    long size = BIO_get_mem_data(out.get(), &data);
    return RsaKey::from_pem(std::span(reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(size)), path, true);
}

int main_impl(int argc, char** argv) {
    CLI::App app{"oesign: sign, digest and dump enclave images (Open Enclave's options, ccbox's formats)"};
    app.require_subcommand(1);

    SignRequest sign;
    std::string x509, engine, engine_path, key_id;
    auto* sign_cmd = app.add_subcommand("sign", "Sign an enclave image");
    sign_cmd->add_option("-e,--enclave-image", sign.image, "enclave image")->required();
    sign_cmd->add_option("-c,--config-file", sign.config, "configuration file (.conf)");
    auto* key_opt = sign_cmd->add_option("-k,--key-file", sign.key_path, "private key (PEM, RSA-3072, exponent 3)");
    auto* x509_opt = sign_cmd->add_option("-x,--x509", x509, "certificate (or PEM public key) of the signing key");
    sign_cmd->add_option("-d,--digest-signature", sign.signature_path, "signature of the digest (with -x)");
    sign_cmd->add_option("-o,--output-file", sign.out, "signed image (default ENCLAVE.signed)");
    sign_cmd->add_option("-n,--engine", engine, "not supported: OpenSSL engines");
    sign_cmd->add_option("-p,--load-path", engine_path, "not supported: OpenSSL engines");
    sign_cmd->add_option("-i,--key-id", key_id, "not supported: OpenSSL engines");
    key_opt->excludes(x509_opt);

    std::string digest_image, digest_config, digest_out;
    auto* digest_cmd = app.add_subcommand("digest", "Write the SIGSTRUCT digest a key kept offline signs");
    digest_cmd->add_option("-e,--enclave-image", digest_image, "enclave image")->required();
    digest_cmd->add_option("-c,--config-file", digest_config, "configuration file (.conf)");
    digest_cmd->add_option("-d,--digest-file", digest_out, "digest file (32 bytes)")->required();

    std::string dump_image;
    auto* dump_cmd = app.add_subcommand("dump", "Print an image's properties and signature");
    dump_cmd->add_option("-e,--enclave-image", dump_image, "enclave image")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    if (*sign_cmd) {
        if (!engine.empty() || !engine_path.empty() || !key_id.empty())
            return report_error(Error(CCBOX_UNSUPPORTED, "-n/-p/-i: OpenSSL engines are not supported; sign with -k, "
                                                         "or in two steps with oesign digest and -x/-d"));
        if (sign.key_path.empty() == x509.empty() || (!x509.empty() && sign.signature_path.empty()))
            return report_error(Error(CCBOX_INVALID_PARAMETER, "sign needs either -k KEY.pem, or -x CERT.pem and "
                                                               "-d SIGNATURE"));
        if (!x509.empty()) {
            auto key = load_public_key(x509);
            if (!key.ok())
                return report_error(key.error());
            sign.public_key = *key;
            sign.public_key_origin = x509;
        }
        auto r = sign_image(sign);
        if (!r.ok())
            return report_error(r.error());
        std::printf("Created %s\n", (sign.out.empty() ? sign.image + ".signed" : sign.out).c_str());
        return 0;
    }
    if (*digest_cmd) {
        auto r = write_signing_digest(digest_image, digest_config, "", digest_out);
        if (!r.ok())
            return report_error(r.error());
        std::printf("Created %s\n", digest_out.c_str());
        return 0;
    }
    if (*dump_cmd) {
        auto report = inspect_file(dump_image);
        if (!report.ok())
            return report_error(report.error());
        std::cout << format_report_text(*report);
        // OE's own dump lines (key=value), which OE's samples parse: attested_tls's
        // gen_mrenclave_header.sh takes the server's MRENCLAVE from "mrenclave=".
        std::cout << "\n=== SGX Enclave Properties:\n";
        const auto& sig = report->sigstruct;
        std::cout << "product_id=" << sig.isvprodid << "\nsecurity_version=" << sig.isvsvn << "\n";
        if (report->config) {
            const auto& c = *report->config;
            std::cout << "debug=" << ((c.flags & CCBOX_CONFIG_FLAG_DEBUG) ? 1 : 0) << "\nnum_heap_pages="
                      << c.num_heap_pages << "\nnum_stack_pages=" << c.num_stack_pages << "\nnum_tcs=" << c.num_tcs
                      << "\n";
        }
        std::cout << "mrenclave=" << to_hex(sig.enclavehash) << "\nmrsigner=" << to_hex(report->mrsigner) << "\n";
        return report->all_checks_passed() ? 0 : 1;
    }
    return 2;
}

}  // namespace
}  // namespace ccbox

int main(int argc, char** argv) {
    try {
        return ccbox::main_impl(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "oesign: error: %s\n", e.what());
        return 1;
    }
}
