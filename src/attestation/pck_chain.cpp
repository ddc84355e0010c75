// VerifiedCollateral::verify_pck_chain: the quote's PCK chain (leaf ‖ PCK CA ‖ root, any order)
// against the collateral. The fast path recognises the collateral's own root and PCK CA by
// their DER (no X.509 parsing: OpenSSL 3 decodes every public key through its provider
// decoders, which costs more than an ECDSA verification) and the leaf by a cache of PCK
// certificates already verified under this collateral. Revocation and validity are checked on
// every call.
#include "attestation/verifier.hpp"
#include "attestation/x509_checks.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace ccbox::attestation {
namespace {

using namespace detail;

constexpr size_t kPckCacheLimit = 4096;

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };

// The DER of every PEM CERTIFICATE block; nullopt if anything else is there.
std::optional<std::vector<std::vector<uint8_t>>> pem_blocks(const std::string& pem) {
    if (pem.size() > (1u << 20))
        return std::nullopt;
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    std::vector<std::vector<uint8_t>> blocks;
    for (;;) {
        char* name = nullptr;
        char* header = nullptr;
        unsigned char* data = nullptr;
        long len = 0;
        if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1)
            break;
        const bool cert = std::string_view(name) == "CERTIFICATE" && header[0] == '\0';
        if (cert)
            blocks.emplace_back(data, data + len);
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(data);
        if (!cert)
            return std::nullopt;
    }
    ERR_clear_error();
    if (blocks.empty())
        return std::nullopt;
    return blocks;
}

}  // namespace

std::shared_ptr<const VerifiedPck> VerifiedCollateral::verify_pck_chain(const std::string& pem, int64_t now,
                                                                        VerifyError* error) const {
    std::shared_ptr<const VerifiedPck> pck;
    auto blocks = pem_blocks(pem);
    if (blocks && blocks->size() == 3) {
        const std::vector<uint8_t>* leaf = nullptr;
        int known = 0;
        for (const auto& der : *blocks) {
            if (der == root_der_ || der == pck_ca_der_)
                ++known;
            else
                leaf = &der;
        }
        if (known == 2 && leaf && (*blocks)[0] != (*blocks)[1] && (*blocks)[1] != (*blocks)[2] &&
            (*blocks)[0] != (*blocks)[2]) {
            std::lock_guard lock(pck_cache_mutex_);
            if (auto it = pck_cache_.find(sha256(*leaf)); it != pck_cache_.end())
                pck = it->second;
        }
        if (!pck) {
            pck = verify_pck_slow(pem, now, error);
            if (!pck)
                return nullptr;
            if (known == 2 && leaf) {
                std::lock_guard lock(pck_cache_mutex_);
                if (pck_cache_.size() >= kPckCacheLimit)
                    pck_cache_.clear();
                pck_cache_.emplace(sha256(*leaf), pck);
            }
            return pck;
        }
    } else {
        return verify_pck_slow(pem, now, error);
    }
    // A remembered certificate: what can change is the time and the CRL's verdict.
    if (auto e = check_window(pck->window, now)) {
        *error = {e->failure, "quote: " + e->message};
        return nullptr;
    }
    X509_REVOKED* entry = nullptr;
    if (X509_CRL_get0_by_serial(pck_crl_.get(), &entry, pck->serial.get()) == 1) {
        *error = {Failure::kCertificateRevoked, "quote: PCK certificate is revoked by the PCK CRL"};
        return nullptr;
    }
    return pck;
}

std::shared_ptr<const VerifiedPck> VerifiedCollateral::verify_pck_slow(const std::string& pem, int64_t now,
                                                                       VerifyError* error) const {
    auto fail = [&](Failure f, std::string message) {
        *error = {f, std::move(message)};
        return nullptr;
    };
    auto certs = parse_pem_certificates(pem, "quote certification data");
    if (!certs)
        return fail(Failure::kQuoteMalformed, "quote: " + certs.error().message());
    if (certs->size() != 3)
        return fail(Failure::kCertificateChainInvalid, "quote: the PCK chain has " + std::to_string(certs->size()) +
                                                           " certificates, expected 3 (PCK, PCK CA, root CA)");
    X509* leaf = nullptr;
    for (auto& cert : *certs)
        if (!is_ca(cert.get())) {
            if (leaf)
                return fail(Failure::kCertificateChainInvalid, "quote: the PCK chain has two non-CA certificates");
            leaf = cert.get();
        }
    if (!leaf)
        return fail(Failure::kCertificateChainInvalid, "quote: the PCK chain has no PCK (leaf) certificate");
    X509* intermediate = nullptr;
    X509* root = nullptr;
    for (auto& cert : *certs) {
        if (cert.get() == leaf)
            continue;
        if (X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(leaf)) == 0 &&
            X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())) != 0)
            intermediate = cert.get();
        else
            root = cert.get();
    }
    if (!intermediate || !root)
        return fail(Failure::kCertificateChainInvalid,
                    "quote: the PCK chain is not PCK certificate, its issuing PCK CA and a root CA");
    if (!same_certificate(root, root_.get()))
        return fail(Failure::kRootUntrusted, "quote: the PCK chain ends at \"" +
                                                 name_line(X509_get_subject_name(root)) +
                                                 "\", not at the trusted root CA of the collateral");
    if (!same_certificate(intermediate, pck_ca_.get())) {
        // Another certificate of the CA than the collateral's: check it in full.
        if (auto e = check_issued_by(intermediate, root_.get(), "PCK CA certificate", "root CA"))
            return fail(e->failure, "quote: " + e->message);
        if (auto e = check_not_revoked(intermediate, root_crl_.get(), "PCK CA certificate", "root CA CRL"))
            return fail(e->failure, "quote: " + e->message);
        if (auto e = check_crl_signed_by(pck_crl_.get(), intermediate, "PCK CRL", "quote's PCK CA"))
            return fail(Failure::kCrlMissing, "quote: " + e->message);
        auto w = certificate_window(intermediate, "PCK CA certificate");
        if (!w)
            return fail(Failure::kQuoteMalformed, "quote: PCK CA certificate has invalid validity times");
        if (auto e = check_window(*w, now))
            return fail(e->failure, "quote: " + e->message);
    }
    if (auto e = check_issued_by(leaf, intermediate, "PCK certificate", "PCK CA"))
        return fail(e->failure, "quote: " + e->message);
    auto window = certificate_window(leaf, "PCK certificate");
    if (!window)
        return fail(Failure::kQuoteMalformed, "quote: PCK certificate has invalid validity times");
    if (auto e = check_window(*window, now))
        return fail(e->failure, "quote: " + e->message);
    if (auto e = check_not_revoked(leaf, pck_crl_.get(), "PCK certificate", "PCK CRL"))
        return fail(e->failure, "quote: " + e->message);
    EVP_PKEY* key = X509_get0_pubkey(leaf);
    if (!is_p256(key))
        return fail(Failure::kCertificateChainInvalid, "quote: the PCK certificate's key is not ECDSA P-256");
    auto ext = sgx_extension_of(leaf);
    if (!ext)
        return fail(Failure::kPckExtensionInvalid, "quote: PCK certificate: " + ext.error().message());
    auto out = std::make_shared<VerifiedPck>();
    EVP_PKEY_up_ref(key);
    out->key.reset(key);
    out->ext = *ext;
    out->window = *window;
    out->serial.reset(ASN1_INTEGER_dup(X509_get0_serialNumber(leaf)));
    if (!out->serial)
        return fail(Failure::kQuoteMalformed, "quote: out of memory copying the PCK serial number");
    return out;
}

}  // namespace ccbox::attestation
