#include "attestation/ossl.hpp"

#include <algorithm>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <ctime>

namespace ccbox::attestation {
namespace {

struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
struct SigFree { void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); } };
struct CtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct BldFree { void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); } };
struct ParamFree { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };

Error crypto_error(const std::string& what) { return Error(CCBOX_CRYPTO_ERROR, what); }

Result<Pkey> key_from_params(OSSL_PARAM* params, int selection) {
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY* key = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &key, selection, params) != 1)
        return crypto_error("not a valid P-256 key");
    return Pkey(key);
}

}  // namespace

Result<Pkey> p256_public_key(std::span<const uint8_t, 64> xy) {
    uint8_t point[65];
    point[0] = 0x04;
    std::copy(xy.begin(), xy.end(), point + 1);
    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) != 1)
        return crypto_error("out of memory building a P-256 key");
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    auto key = key_from_params(params.get(), EVP_PKEY_PUBLIC_KEY);
    if (!key)
        return crypto_error("the public key is not a point on P-256");
    // fromdata does not always check the point: do it explicitly (on the curve; P-256 has
    // cofactor 1, so the full check's n·Q = O multiplication adds nothing).
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key->get(), nullptr));
    if (!check || EVP_PKEY_public_check_quick(check.get()) != 1)
        return crypto_error("the public key is not a point on P-256");
    return key;
}

Result<RawPublicKey> p256_raw_public_key(EVP_PKEY* key) {
    uint8_t point[65];
    size_t len = 0;
    char group[32] = {};
    size_t group_len = 0;
    if (!key || EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &group_len) != 1 ||
        std::string_view(group) != "prime256v1")
        return crypto_error("the key is not a P-256 key");
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len) != 1 ||
        len != 65 || point[0] != 0x04)
        return crypto_error("the P-256 key has no uncompressed public point");
    RawPublicKey raw;
    std::copy(point + 1, point + 65, raw.begin());
    return raw;
}

Result<Pkey> p256_private_key(std::span<const uint8_t, 32> scalar) {
    std::unique_ptr<BIGNUM, BnFree> d(BN_bin2bn(scalar.data(), 32, nullptr));
    std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)> group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1),
                                                              &EC_GROUP_free);
    if (!d || !group)
        return crypto_error("out of memory deriving a P-256 key");
    if (BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0)
        return crypto_error("the derived scalar is not a valid P-256 private key");
    std::unique_ptr<EC_POINT, decltype(&EC_POINT_free)> pub(EC_POINT_new(group.get()), &EC_POINT_free);
    uint8_t point[65];
    if (!pub || EC_POINT_mul(group.get(), pub.get(), d.get(), nullptr, nullptr, nullptr) != 1 ||
        EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED, point, sizeof point, nullptr) != 65)
        return crypto_error("could not compute the P-256 public key");
    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1)
        return crypto_error("out of memory building a P-256 key");
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    return key_from_params(params.get(), EVP_PKEY_KEYPAIR);
}

Result<Pkey> p256_generate() {
    EVP_PKEY* key = EVP_EC_gen("prime256v1");
    if (!key)
        return crypto_error("could not generate a P-256 key");
    return Pkey(key);
}

bool ecdsa_p256_verify(EVP_PKEY* key, std::span<const uint8_t> message, std::span<const uint8_t, 64> rs) {
    std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(rs.data(), 32, nullptr);
    BIGNUM* s = BN_bin2bn(rs.data() + 32, 32, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return false;
    }
    unsigned char* der = nullptr;
    int der_len = i2d_ECDSA_SIG(sig.get(), &der);
    if (der_len <= 0)
        return false;
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
              EVP_DigestVerify(ctx.get(), der, static_cast<size_t>(der_len), message.data(), message.size()) == 1;
    OPENSSL_free(der);
    return ok;
}

Result<RawSignature> ecdsa_p256_sign(EVP_PKEY* key, std::span<const uint8_t> message) {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    size_t der_len = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &der_len, message.data(), message.size()) != 1)
        return crypto_error("ECDSA signing failed");
    std::vector<uint8_t> der(der_len);
    if (EVP_DigestSign(ctx.get(), der.data(), &der_len, message.data(), message.size()) != 1)
        return crypto_error("ECDSA signing failed");
    const unsigned char* p = der.data();
    std::unique_ptr<ECDSA_SIG, SigFree> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
    RawSignature raw{};
    if (!sig || BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), 32) != 32 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + 32, 32) != 32)
        return crypto_error("ECDSA signing produced a malformed signature");
    return raw;
}

Result<std::vector<Cert>> parse_pem_certificates(std::string_view pem, std::string_view what) {
    if (pem.size() > (1u << 20))
        return Error(CCBOX_INVALID_PARAMETER, std::string(what) + ": the PEM text is larger than 1 MiB");
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    std::vector<Cert> certs;
    while (bio) {
        X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
        if (!cert)
            break;
        certs.emplace_back(cert);
    }
    // Anything but trailing whitespace or NULs after the last certificate is an error.
    char rest[64];
    int n = bio ? BIO_read(bio.get(), rest, sizeof rest) : 0;
    for (int i = 0; i < n; ++i)
        if (rest[i] != '\0' && rest[i] != '\n' && rest[i] != '\r' && rest[i] != ' ')
            return Error(CCBOX_INVALID_PARAMETER, std::string(what) + ": bytes after the last PEM certificate "
                                                  "are not a certificate");
    if (certs.empty())
        return Error(CCBOX_INVALID_PARAMETER, std::string(what) + ": no PEM certificate");
    return certs;
}

Result<Cert> parse_der_certificate(std::span<const uint8_t> der, std::string_view what) {
    const unsigned char* p = der.data();
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (!cert || p != der.data() + der.size()) {
        X509_free(cert);
        return Error(CCBOX_INVALID_PARAMETER, std::string(what) + ": not a DER X.509 certificate");
    }
    return Cert(cert);
}

Result<Crl> parse_der_crl(std::span<const uint8_t> der, std::string_view what) {
    const unsigned char* p = der.data();
    X509_CRL* crl = d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size()));
    if (!crl || p != der.data() + der.size()) {
        X509_CRL_free(crl);
        return Error(CCBOX_INVALID_REVOCATION_INFO, std::string(what) + ": not a DER X.509 CRL");
    }
    return Crl(crl);
}

std::string certificate_pem(X509* cert) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(len));
}

std::vector<uint8_t> certificate_der(X509* cert) {
    unsigned char* der = nullptr;
    int len = i2d_X509(cert, &der);
    if (len <= 0)
        return {};
    std::vector<uint8_t> out(der, der + len);
    OPENSSL_free(der);
    return out;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

Result<int64_t> asn1_time_seconds(const ASN1_TIME* time, std::string_view what) {
    struct tm tm {};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1)
        return Error(CCBOX_INVALID_UTC_DATE_TIME, std::string(what) + ": not a valid ASN.1 time");
    return days_from_civil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1), static_cast<unsigned>(tm.tm_mday)) *
               86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

std::string name_line(const X509_NAME* name) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(len));
}

}  // namespace ccbox::attestation
