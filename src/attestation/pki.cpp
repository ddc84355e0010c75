#include "attestation/pki.hpp"

#include <algorithm>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

namespace ccbox::attestation {
namespace {

struct ExtFree { void operator()(X509_EXTENSION* e) const { X509_EXTENSION_free(e); } };
struct ReqFree { void operator()(X509_REQ* r) const { X509_REQ_free(r); } };
struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
struct Asn1TimeFree { void operator()(ASN1_TIME* t) const { ASN1_TIME_free(t); } };

Error fail(const std::string& what) { return Error(CCBOX_CRYPTO_ERROR, "PKI: " + what); }

bool add_entry(X509_NAME* name, const char* field, const std::string& value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.c_str()),
                                      -1, -1, 0) == 1;
}

bool set_name(X509_NAME* name, const PkiNames& names, const std::string& cn) {
    return add_entry(name, "CN", cn) && add_entry(name, "O", names.organization()) &&
           add_entry(name, "L", names.locality) && add_entry(name, "ST", names.state) &&
           add_entry(name, "C", names.country);
}

bool add_conf_ext(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
    std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool set_time(ASN1_TIME* field, int64_t t) { return ASN1_TIME_set(field, static_cast<time_t>(t)) != nullptr; }

}  // namespace

std::string role_common_name(CertRole role) {
    switch (role) {
    case CertRole::kRootCa: return "ccbox SGX Root CA";
    case CertRole::kPckPlatformCa: return "ccbox SGX PCK Platform CA";
    case CertRole::kTcbSigning: return "ccbox SGX TCB Signing";
    case CertRole::kPck: return "ccbox SGX PCK Certificate";
    }
    return "?";
}

Result<Cert> issue_certificate(const PkiNames& names, const IssueRequest& req) {
    const bool self_signed = req.role == CertRole::kRootCa;
    if (!req.subject_key || !req.issuer_key || (!self_signed && !req.issuer))
        return fail("issue_certificate: a key or the issuer is missing");
    Cert cert(X509_new());
    if (!cert || X509_set_version(cert.get(), 2) != 1)
        return fail("out of memory");
    uint8_t serial[20];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return fail("no randomness for the serial number");
    serial[0] = static_cast<uint8_t>((serial[0] & 0x7f) | 0x01);  // positive, 20 bytes as Intel's
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_bin2bn(serial, sizeof serial, nullptr), &BN_free);
    if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())))
        return fail("could not set the serial number");
    if (!set_name(X509_get_subject_name(cert.get()), names, role_common_name(req.role)))
        return fail("could not set the subject");
    if (X509_set_issuer_name(cert.get(), self_signed ? X509_get_subject_name(cert.get())
                                                     : X509_get_subject_name(req.issuer)) != 1)
        return fail("could not set the issuer");
    if (!set_time(X509_getm_notBefore(cert.get()), req.not_before) ||
        !set_time(X509_getm_notAfter(cert.get()), req.not_after))
        return fail("could not set the validity");
    if (X509_set_pubkey(cert.get(), req.subject_key) != 1)
        return fail("could not set the public key");

    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, self_signed ? cert.get() : req.issuer, cert.get(), nullptr, nullptr, 0);
    // Intel's order: AKI, CRL distribution points, SKI, key usage, basic constraints, SGX.
    const std::string crl_url = req.role == CertRole::kPck
                                    ? "URI:" + names.crl_base_url + "/pckcrl?ca=platform&encoding=der"
                                    : "URI:" + names.crl_base_url + "/rootcacrl";
    // AKI needs the issuer's SKI, which for the root is its own: add SKI first, then move it
    // after AKI and the CRL distribution point.
    if (!add_conf_ext(cert.get(), &ctx, NID_subject_key_identifier, "hash") ||
        !add_conf_ext(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always"))
        return fail("could not add the key identifiers");
    std::unique_ptr<X509_EXTENSION, ExtFree> ski(X509_delete_ext(cert.get(), 0));
    if (!ski || !add_conf_ext(cert.get(), &ctx, NID_crl_distribution_points, crl_url.c_str()) ||
        X509_add_ext(cert.get(), ski.get(), -1) != 1)
        return fail("could not add the CRL distribution point");
    const bool ca = req.role == CertRole::kRootCa || req.role == CertRole::kPckPlatformCa;
    if (!add_conf_ext(cert.get(), &ctx, NID_key_usage,
                      ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,nonRepudiation") ||
        !add_conf_ext(cert.get(), &ctx, NID_basic_constraints,
                      req.role == CertRole::kRootCa         ? "critical,CA:TRUE,pathlen:1"
                      : req.role == CertRole::kPckPlatformCa ? "critical,CA:TRUE,pathlen:0"
                                                             : "critical,CA:FALSE"))
        return fail("could not add key usage or basic constraints");
    if (req.role == CertRole::kPck) {
        if (!req.sgx)
            return fail("a PCK certificate needs its SGX extension");
        auto der = encode_sgx_extension(*req.sgx);
        if (!der)
            return std::move(der).error();
        std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> oid(OBJ_txt2obj(kSgxExtensionOid, 1),
                                                                      &ASN1_OBJECT_free);
        std::unique_ptr<ASN1_OCTET_STRING, decltype(&ASN1_OCTET_STRING_free)> data(ASN1_OCTET_STRING_new(),
                                                                                   &ASN1_OCTET_STRING_free);
        ASN1_OCTET_STRING_set(data.get(), der->data(), static_cast<int>(der->size()));
        std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), 0, data.get()));
        if (!ext || X509_add_ext(cert.get(), ext.get(), -1) != 1)
            return fail("could not add the SGX extension");
    }
    if (X509_sign(cert.get(), req.issuer_key, EVP_sha256()) <= 0)
        return fail("signing the certificate failed");
    return cert;
}

Result<std::vector<uint8_t>> make_crl(X509* issuer, EVP_PKEY* issuer_key, const std::vector<RevokedEntry>& revoked,
                                      int64_t this_update, int64_t next_update, uint64_t crl_number) {
    Crl crl(X509_CRL_new());
    std::unique_ptr<ASN1_TIME, Asn1TimeFree> t1(ASN1_TIME_new()), t2(ASN1_TIME_new());
    if (!crl || !t1 || !t2 || X509_CRL_set_version(crl.get(), 1) != 1 ||
        X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer)) != 1 || !set_time(t1.get(), this_update) ||
        !set_time(t2.get(), next_update) || X509_CRL_set1_lastUpdate(crl.get(), t1.get()) != 1 ||
        X509_CRL_set1_nextUpdate(crl.get(), t2.get()) != 1)
        return fail("could not build the CRL");
    for (const auto& entry : revoked) {
        X509_REVOKED* r = X509_REVOKED_new();
        std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(
            BN_bin2bn(entry.serial.data(), static_cast<int>(entry.serial.size()), nullptr), &BN_free);
        ASN1_INTEGER* serial = bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr;
        std::unique_ptr<ASN1_TIME, Asn1TimeFree> when(ASN1_TIME_new());
        bool ok = r && serial && when && set_time(when.get(), entry.revoked_at) &&
                  X509_REVOKED_set_serialNumber(r, serial) == 1 && X509_REVOKED_set_revocationDate(r, when.get()) == 1;
        ASN1_INTEGER_free(serial);
        if (!ok || X509_CRL_add0_revoked(crl.get(), r) != 1) {
            X509_REVOKED_free(r);
            return fail("could not add a revoked entry");
        }
    }
    std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> number(ASN1_INTEGER_new(), &ASN1_INTEGER_free);
    ASN1_INTEGER_set_uint64(number.get(), crl_number);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, nullptr, nullptr, crl.get(), 0);
    std::unique_ptr<X509_EXTENSION, ExtFree> aki(X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier,
                                                                     "keyid:always"));
    if (X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) != 1 || !aki ||
        X509_CRL_add_ext(crl.get(), aki.get(), -1) != 1)
        return fail("could not add the CRL extensions");
    X509_CRL_sort(crl.get());
    if (X509_CRL_sign(crl.get(), issuer_key, EVP_sha256()) <= 0)
        return fail("signing the CRL failed");
    unsigned char* der = nullptr;
    int len = i2d_X509_CRL(crl.get(), &der);
    if (len <= 0)
        return fail("encoding the CRL failed");
    std::vector<uint8_t> out(der, der + len);
    OPENSSL_free(der);
    return out;
}

Result<std::vector<uint8_t>> make_csr(EVP_PKEY* key, const std::string& common_name) {
    std::unique_ptr<X509_REQ, ReqFree> req(X509_REQ_new());
    if (!req || X509_REQ_set_version(req.get(), 0) != 1 ||
        !add_entry(X509_REQ_get_subject_name(req.get()), "CN", common_name) ||
        X509_REQ_set_pubkey(req.get(), key) != 1 || X509_REQ_sign(req.get(), key, EVP_sha256()) <= 0)
        return fail("could not make the certificate request");
    unsigned char* der = nullptr;
    int len = i2d_X509_REQ(req.get(), &der);
    if (len <= 0)
        return fail("could not encode the certificate request");
    std::vector<uint8_t> out(der, der + len);
    OPENSSL_free(der);
    return out;
}

Result<Pkey> verify_csr(std::span<const uint8_t> der) {
    const unsigned char* p = der.data();
    std::unique_ptr<X509_REQ, ReqFree> req(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
    if (!req || p != der.data() + der.size())
        return Error(CCBOX_INVALID_PARAMETER, "certificate request: not a DER PKCS#10 request");
    EVP_PKEY* key = X509_REQ_get_pubkey(req.get());
    if (!key || X509_REQ_verify(req.get(), key) != 1) {
        EVP_PKEY_free(key);
        return Error(CCBOX_VERIFY_FAILED, "certificate request: its signature does not verify (no proof of possession)");
    }
    Pkey out(key);
    if (!p256_raw_public_key(key).ok())
        return Error(CCBOX_INVALID_PARAMETER, "certificate request: the key is not ECDSA P-256");
    return out;
}

std::vector<uint8_t> certificate_serial(X509* cert) {
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr), &BN_free);
    std::vector<uint8_t> out(static_cast<size_t>(BN_num_bytes(bn.get())));
    BN_bn2bin(bn.get(), out.data());
    return out;
}

std::string private_key_pem(EVP_PKEY* key) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(len));
}

Result<Pkey> parse_private_key_pem(std::string_view pem, std::string_view what) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    if (!key || !p256_raw_public_key(key).ok()) {
        EVP_PKEY_free(key);
        return Error(CCBOX_INVALID_PARAMETER, std::string(what) + ": not a PEM ECDSA P-256 private key");
    }
    return Pkey(key);
}

}  // namespace ccbox::attestation
