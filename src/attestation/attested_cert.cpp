#include "attestation/attested_cert.hpp"

#include "attestation/evidence_format.hpp"
#include "attestation/quote.hpp"

#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstring>
#include <optional>

namespace ccbox::attestation {
namespace {

Error malformed(std::string_view oid, const std::string& what) {
    return Error(CCBOX_INVALID_SGX_CERTIFICATE_EXTENSIONS, "evidence extension " + std::string(oid) + ": " + what);
}

// The quote at the start of `rest`: its length is in it (436 + signature_data_len).
Result<size_t> quote_length(std::string_view oid, std::span<const uint8_t> rest) {
    if (rest.size() < kQuoteSignedSize + 4)
        return malformed(oid, "shorter than a quote header and report body (" + std::to_string(rest.size()) +
                                  " bytes, at least " + std::to_string(kQuoteSignedSize + 4) + " expected)");
    uint32_t sig_len = 0;
    std::memcpy(&sig_len, rest.data() + kQuoteSignedSize, 4);
    if (sig_len > rest.size() - kQuoteSignedSize - 4)
        return malformed(oid, "quote signature_data_len " + std::to_string(sig_len) + " runs past the end (" +
                                  std::to_string(rest.size() - kQuoteSignedSize - 4) + " bytes left)");
    return kQuoteSignedSize + 4 + sig_len;
}

// One CBOR data item head (RFC 8949 §3): major type and argument; indefinite lengths refused.
struct CborHead {
    unsigned major = 0;
    uint64_t value = 0;
};
Result<CborHead> cbor_head(std::string_view oid, std::span<const uint8_t>& in) {
    if (in.empty())
        return malformed(oid, "CBOR: truncated");
    const uint8_t first = in[0];
    in = in.subspan(1);
    CborHead h{static_cast<unsigned>(first >> 5), first & 0x1fu};
    if (h.value < 24)
        return h;
    if (h.value > 27)
        return malformed(oid, "CBOR: indefinite or reserved length encoding");
    const size_t n = size_t{1} << (h.value - 24);
    if (in.size() < n)
        return malformed(oid, "CBOR: truncated argument");
    h.value = 0;
    for (size_t i = 0; i < n; ++i)
        h.value = (h.value << 8) | in[i];
    in = in.subspan(n);
    return h;
}

Result<EvidenceExtension> parse_dice(std::string_view oid, std::span<const uint8_t> in) {
    CCBOX_ASSIGN_OR_RETURN(CborHead tag, cbor_head(oid, in));
    if (tag.major != 6)
        return malformed(oid, "CBOR: expected a tag (major type 6), got major type " + std::to_string(tag.major));
    if (tag.value != kCborTagIntelTeeQuote)
        return malformed(oid, "CBOR tag " + std::to_string(tag.value) + " is not an Intel TEE quote (tag " +
                                  std::to_string(kCborTagIntelTeeQuote) + ")");
    CCBOX_ASSIGN_OR_RETURN(CborHead bytes, cbor_head(oid, in));
    if (bytes.major != 2)
        return malformed(oid, "CBOR: the tagged item is not a byte string (major type " + std::to_string(bytes.major) +
                                  ")");
    if (bytes.value != in.size())
        return malformed(oid, "CBOR: byte string of " + std::to_string(bytes.value) + " bytes, " +
                                  std::to_string(in.size()) + " present");
    CCBOX_ASSIGN_OR_RETURN(size_t qlen, quote_length(oid, in));
    if (qlen != in.size())
        return malformed(oid, "the tagged quote has " + std::to_string(in.size() - qlen) + " trailing bytes");
    EvidenceExtension e;
    e.oid = std::string(oid);
    e.encoding = EvidenceEncoding::kTcgDice;
    e.format = kFormatSgxEcdsa;
    e.quote.assign(in.begin(), in.end());
    return e;
}

}  // namespace

Result<EvidenceExtension> parse_evidence_extension(std::string_view oid, std::span<const uint8_t> value) {
    if (value.size() > kMaxEvidenceExtension)
        return malformed(oid, std::to_string(value.size()) + " bytes, more than the " +
                                  std::to_string(kMaxEvidenceExtension) + " accepted");
    if (oid == kOidTcgDiceTaggedEvidence)
        return parse_dice(oid, value);
    if (oid == kOidOeReport || oid == kOidOeReportLegacy)
        return Error(CCBOX_UNSUPPORTED, "evidence extension " + std::string(oid) +
                                            ": an Open Enclave report (oe_generate_attestation_certificate), which "
                                            "ccbox does not verify; expected evidence under " +
                                            std::string(kOidOeEvidence));
    if (oid != kOidOeEvidence && oid != kOidOeEvidenceLegacy)
        return Error(CCBOX_INVALID_PARAMETER, "evidence extension " + std::string(oid) + ": not an evidence OID");
    if (value.size() < 16)
        return malformed(oid, "too short for the embedded 16-byte format id");
    EvidenceExtension e;
    e.oid = std::string(oid);
    std::memcpy(e.format.data(), value.data(), 16);
    if (e.format == kFormatSgxLocalAttestation)
        return Error(CCBOX_UNSUPPORTED, "evidence extension " + std::string(oid) +
                                            ": local-attestation evidence (format 09268c33-...) is verified only by "
                                            "its target enclave; a certificate needs CCBOX_FORMAT_UUID_SGX_ECDSA");
    if (e.format != kFormatSgxEcdsa)
        return malformed(oid, "format id is not CCBOX_FORMAT_UUID_SGX_ECDSA (a3a21e87-1b4d-4014-b70a-a125d2fbcd8c)");
    const auto rest = value.subspan(16);
    CCBOX_ASSIGN_OR_RETURN(size_t qlen, quote_length(oid, rest));
    e.quote.assign(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(qlen));
    e.custom_claims.assign(rest.begin() + static_cast<std::ptrdiff_t>(qlen), rest.end());
    if (e.custom_claims.empty())
        return malformed(oid, "no custom claims after the quote: the evidence binds no key");
    return e;
}

Result<std::vector<uint8_t>> spki_der(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    const int n = i2d_PUBKEY(key, &der);
    if (n <= 0)
        return Error(CCBOX_CRYPTO_ERROR, "cannot encode the public key as SubjectPublicKeyInfo");
    std::vector<uint8_t> out(der, der + n);
    OPENSSL_free(der);
    return out;
}

Result<Pkey> parse_pem_key(std::span<const uint8_t> pem, bool private_key, std::string_view what) {
    if (pem.empty() || pem.size() > (1u << 20))
        return Error(CCBOX_INVALID_PARAMETER, std::string(what) + ": empty or over 1 MiB");
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                  BIO_free);
    if (!bio)
        return Error(CCBOX_OUT_OF_MEMORY, "out of memory");
    EVP_PKEY* key = private_key ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                                : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    if (!key)
        return Error(CCBOX_INVALID_PARAMETER, std::string(what) + ": not a PEM " +
                                                  (private_key ? "private key" : "public key (BEGIN PUBLIC KEY)"));
    return Pkey(key);
}

bool custom_claims_bind_key(std::span<const uint8_t> claims, std::span<const uint8_t> spki) {
    if (claims.size() == spki.size() && std::memcmp(claims.data(), spki.data(), spki.size()) == 0)
        return true;
    // Open Enclave binds the PEM text its caller passed (with its NUL, as mbedtls writes it).
    static constexpr char kBegin[] = "-----BEGIN PUBLIC KEY-----";
    if (claims.size() < sizeof kBegin - 1 || std::memcmp(claims.data(), kBegin, sizeof kBegin - 1) != 0)
        return false;
    size_t n = claims.size();
    if (claims[n - 1] == 0)
        --n;
    if (std::memchr(claims.data(), 0, n))
        return false;
    auto key = parse_pem_key(claims.first(n), false, "custom claims");
    if (!key)
        return false;
    auto der = spki_der(key->get());
    return der && *der == std::vector<uint8_t>(spki.begin(), spki.end());
}

Result<AttestationCertificate> parse_attestation_certificate(std::span<const uint8_t> der) {
    if (der.empty() || der.size() > kMaxEvidenceExtension + 64 * 1024)
        return Error(CCBOX_INVALID_PARAMETER, "attestation certificate: empty or too large (" +
                                                  std::to_string(der.size()) + " bytes)");
    CCBOX_ASSIGN_OR_RETURN(Cert cert, parse_der_certificate(der, "attestation certificate"));
    if (X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())) != 0)
        return Error(CCBOX_INVALID_PARAMETER, "attestation certificate: not self-issued (issuer " +
                                                  name_line(X509_get_issuer_name(cert.get())) + ", subject " +
                                                  name_line(X509_get_subject_name(cert.get())) + ")");
    EVP_PKEY* key = X509_get0_pubkey(cert.get());
    if (!key)
        return Error(CCBOX_INVALID_PARAMETER, "attestation certificate: its public key does not parse");
    CCBOX_ASSIGN_OR_RETURN(std::vector<uint8_t> spki, spki_der(key));

    std::optional<EvidenceExtension> found;
    const int count = X509_get_ext_count(cert.get());
    for (int i = 0; i < count; ++i) {
        X509_EXTENSION* ext = X509_get_ext(cert.get(), i);
        char oid[80];
        if (OBJ_obj2txt(oid, sizeof oid, X509_EXTENSION_get_object(ext), 1) <= 0)
            continue;
        const std::string_view o(oid);
        if (o != kOidOeEvidence && o != kOidOeEvidenceLegacy && o != kOidTcgDiceTaggedEvidence && o != kOidOeReport &&
            o != kOidOeReportLegacy)
            continue;
        if (found)
            return Error(CCBOX_INVALID_SGX_CERTIFICATE_EXTENSIONS,
                         "attestation certificate: more than one evidence extension (" + found->oid + " and " +
                             std::string(o) + ")");
        const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(ext);
        CCBOX_ASSIGN_OR_RETURN(
            EvidenceExtension e,
            parse_evidence_extension(o, std::span(ASN1_STRING_get0_data(data), static_cast<size_t>(ASN1_STRING_length(data)))));
        found = std::move(e);
    }
    if (!found)
        return Error(CCBOX_NOT_FOUND, "attestation certificate: no evidence extension (" + std::string(kOidOeEvidence) +
                                          ", " + std::string(kOidOeEvidenceLegacy) + " or " +
                                          std::string(kOidTcgDiceTaggedEvidence) + ")");
    return AttestationCertificate{std::move(cert), std::move(spki), std::move(*found)};
}

Result<std::vector<uint8_t>> make_attestation_certificate(std::string_view subject, EVP_PKEY* key,
                                                          std::string_view oid, std::span<const uint8_t> evidence) {
    const auto crypto = [](const char* what) { return Error(CCBOX_CRYPTO_ERROR, std::string("certificate: ") + what); };
    if (!key)
        return Error(CCBOX_INVALID_PARAMETER, "certificate: no key");
    if (evidence.empty() || evidence.size() > kMaxEvidenceExtension)
        return Error(CCBOX_INVALID_PARAMETER, "certificate: evidence empty or over 64 KiB");
    Cert cert(X509_new());
    if (!cert || !X509_set_version(cert.get(), X509_VERSION_3))
        return crypto("X509_new");

    // The subject: "CN=a,O=b,C=c" (RFC 4514 order of components, no escapes).
    X509_NAME* name = X509_get_subject_name(cert.get());
    std::string_view rest = subject;
    if (rest.empty())
        return Error(CCBOX_INVALID_PARAMETER, "certificate: empty subject name");
    while (!rest.empty()) {
        const size_t comma = rest.find(',');
        const std::string_view part = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        const size_t eq = part.find('=');
        if (eq == std::string_view::npos || eq == 0 || eq + 1 == part.size())
            return Error(CCBOX_INVALID_PARAMETER, "certificate subject: '" + std::string(part) +
                                                      "' is not TYPE=VALUE (expected e.g. CN=ccbox,O=ccbox,C=ZZ)");
        const std::string type(part.substr(0, eq));
        const std::string value(part.substr(eq + 1));
        if (!X509_NAME_add_entry_by_txt(name, type.c_str(), MBSTRING_UTF8,
                                        reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0))
            return Error(CCBOX_INVALID_PARAMETER, "certificate subject: unknown attribute type '" + type + "'");
    }
    if (!X509_set_issuer_name(cert.get(), name))
        return crypto("issuer name");

    uint8_t serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return crypto("RAND_bytes");
    serial[0] &= 0x7f;
    serial[0] |= 0x01;  // positive, 16 bytes
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_bin2bn(serial, sizeof serial, nullptr), BN_free);
    if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())))
        return crypto("serial number");
    if (!ASN1_TIME_set_string_X509(X509_getm_notBefore(cert.get()), "20190501000000Z") ||
        !ASN1_TIME_set_string_X509(X509_getm_notAfter(cert.get()), "20501231235959Z"))
        return crypto("validity");
    if (!X509_set_pubkey(cert.get(), key))
        return crypto("public key");

    const std::string oid_text(oid);
    std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> obj(OBJ_txt2obj(oid_text.c_str(), 1), ASN1_OBJECT_free);
    std::unique_ptr<ASN1_OCTET_STRING, decltype(&ASN1_OCTET_STRING_free)> data(ASN1_OCTET_STRING_new(),
                                                                               ASN1_OCTET_STRING_free);
    if (!obj || !data || !ASN1_OCTET_STRING_set(data.get(), evidence.data(), static_cast<int>(evidence.size())))
        return crypto("extension");
    std::unique_ptr<X509_EXTENSION, decltype(&X509_EXTENSION_free)> ext(
        X509_EXTENSION_create_by_OBJ(nullptr, obj.get(), 0, data.get()), X509_EXTENSION_free);
    if (!ext || !X509_add_ext(cert.get(), ext.get(), -1))
        return crypto("add extension");

    // Ed25519/Ed448 sign without a separate digest; EC and RSA with SHA-256.
    const int id = EVP_PKEY_get_base_id(key);
    const EVP_MD* md = (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) ? nullptr : EVP_sha256();
    if (X509_sign(cert.get(), key, md) <= 0)
        return Error(CCBOX_CRYPTO_ERROR, "certificate: signing failed (is the private key usable for signatures?)");
    return certificate_der(cert.get());
}

}  // namespace ccbox::attestation
