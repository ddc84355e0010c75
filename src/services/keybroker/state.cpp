#include "services/keybroker/state.hpp"

#include "attestation/ossl.hpp"
#include "attestation/pki.hpp"
#include "services/keybroker/store.hpp"
#include "support/file_io.hpp"
#include "support/hex.hpp"

#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>

namespace ccbox::keybroker {

using namespace attestation;

StatePaths state_paths(const std::string& dir) {
    StatePaths p;
    p.dir = dir;
    if (p.dir.empty())
        if (const char* env = std::getenv("CCBOX_KEYBROKER_DIR"); env && *env)
            p.dir = env;
    if (p.dir.empty()) {
        const char* home = std::getenv("HOME");
        p.dir = std::string(home && *home ? home : "/root") + "/.local/share/ccbox/keybroker";
    }
    p.db = p.dir + "/broker.db";
    p.token = p.dir + "/admin.token";
    p.cert = p.dir + "/tls/cert.pem";
    p.key = p.dir + "/tls/key.pem";
    return p;
}

namespace {

Result<void> make_dirs(const std::string& path, mode_t mode) {
    std::string partial;
    for (size_t i = 0; i <= path.size(); ++i) {
        if (i == path.size() || (path[i] == '/' && i > 0)) {
            partial = path.substr(0, i);
            if (::mkdir(partial.c_str(), i == path.size() ? mode : 0755) != 0 && errno != EEXIST)
                return Error(CCBOX_IO_ERROR, partial + ": cannot create directory: " + std::strerror(errno));
        }
    }
    return ok_result();
}

Result<void> write_text(const std::string& path, const std::string& text, unsigned mode) {
    return write_file_atomic(path, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), mode);
}

Error ssl_error(const char* what) { return Error(CCBOX_CRYPTO_ERROR, std::string("TLS certificate: ") + what); }

}  // namespace

Result<TlsIdentity> make_tls_identity(int days) {
    CCBOX_ASSIGN_OR_RETURN(Pkey key, p256_generate());
    Cert cert(X509_new());
    if (!cert)
        return ssl_error("X509_new");
    uint8_t serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return ssl_error("RAND_bytes");
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    const bool serial_ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_NAME* name = X509_get_subject_name(cert.get());
    if (!serial_ok || X509_set_version(cert.get(), 2) != 1 ||
        !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert.get()), int64_t{days} * 86400) ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("ccbox key broker"),
                                   -1, -1, 0) != 1 ||
        X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key.get()) != 1)
        return ssl_error("fields");
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                              std::pair{NID_key_usage, "critical,digitalSignature"},
                              std::pair{NID_ext_key_usage, "serverAuth"},
                              std::pair{NID_subject_key_identifier, "hash"}}) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        const bool added = ext && X509_add_ext(cert.get(), ext, -1) == 1;
        X509_EXTENSION_free(ext);
        if (!added)
            return ssl_error("extensions");
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return ssl_error("X509_sign");
    return TlsIdentity{certificate_pem(cert.get()), private_key_pem(key.get())};
}

Result<void> init_state(const StatePaths& p) {
    struct stat st {};
    if (::stat(p.token.c_str(), &st) == 0)
        return Error(CCBOX_ALREADY_EXISTS, p.dir + ": already initialised (" + p.token + " exists)");
    CCBOX_TRY(make_dirs(p.dir, 0700));
    if (::chmod(p.dir.c_str(), 0700) != 0)
        return Error(CCBOX_IO_ERROR, p.dir + ": cannot chmod: " + std::strerror(errno));
    CCBOX_TRY(make_dirs(p.dir + "/tls", 0700));
    CCBOX_ASSIGN_OR_RETURN(TlsIdentity tls, make_tls_identity(825));
    CCBOX_TRY(write_text(p.key, tls.key_pem, 0600));
    CCBOX_TRY(write_text(p.cert, tls.cert_pem, 0644));
    CCBOX_ASSIGN_OR_RETURN(auto store, Store::open(p.db));
    (void)::chmod(p.db.c_str(), 0600);
    std::vector<uint8_t> token(32);
    if (RAND_bytes(token.data(), 32) != 1)
        return Error(CCBOX_CRYPTO_ERROR, "admin token: RAND_bytes failed");
    return write_text(p.token, to_hex(token) + "\n", 0600);
}

Result<std::string> read_admin_token(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return Error(CCBOX_NOT_FOUND, path + ": no admin token (run `ccbox keybroker init`)");
    if (st.st_mode & 077) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
        return Error(CCBOX_INVALID_PARAMETER, path + ": the admin token is readable or writable by others (mode " +
                                                  mode + "; expected 0600)");
    }
    CCBOX_ASSIGN_OR_RETURN(Bytes bytes, read_file(path, 4096));
    std::string token(bytes.begin(), bytes.end());
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
        token.pop_back();
    if (token.size() < 32)
        return Error(CCBOX_INVALID_PARAMETER, path + ": the admin token is too short");
    return token;
}

}  // namespace ccbox::keybroker
