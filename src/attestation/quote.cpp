#include "attestation/quote.hpp"

#include <algorithm>
#include <cstring>

namespace ccbox::attestation {
namespace {

class Reader {
public:
    explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
    size_t offset() const { return offset_; }
    size_t left() const { return bytes_.size() - offset_; }
    bool take(void* out, size_t n) {
        if (left() < n)
            return false;
        if (n == 0)
            return true;  // an empty field (QE auth data of size 0): nothing to copy
        std::memcpy(out, bytes_.data() + offset_, n);
        offset_ += n;
        return true;
    }
    std::span<const uint8_t> view(size_t n) const { return bytes_.subspan(offset_, n); }

private:
    std::span<const uint8_t> bytes_;
    size_t offset_ = 0;
};

std::optional<Quote> fail(VerifyError* error, Failure f, std::string message) {
    if (error)
        *error = {f, "quote: " + std::move(message)};
    return std::nullopt;
}

std::string truncated(const char* field, const Reader& r, size_t need) {
    return std::string(field) + " at offset " + std::to_string(r.offset()) + " needs " + std::to_string(need) +
           " bytes, " + std::to_string(r.left()) + " left (truncated quote)";
}

}  // namespace

std::optional<Quote> parse_quote(std::span<const uint8_t> bytes, VerifyError* error) {
    if (bytes.size() > kQuoteMaxSize)
        return fail(error, Failure::kQuoteMalformed,
                    std::to_string(bytes.size()) + " bytes is larger than the " + std::to_string(kQuoteMaxSize) +
                        "-byte limit");
    Quote q;
    Reader r(bytes);
#define CCBOX_TAKE_(field, dst, n)                                              \
    do {                                                                       \
        if (!r.take(dst, n))                                                   \
            return fail(error, Failure::kQuoteMalformed, truncated(field, r, n)); \
    } while (0)
    CCBOX_TAKE_("header", &q.header, sizeof q.header);
    if (q.header.version != kQuoteVersion3)
        return fail(error, Failure::kUnsupportedQuoteVersion,
                    "version is " + std::to_string(q.header.version) + ", expected 3");
    if (q.header.att_key_type != kAttestationKeyEcdsaP256)
        return fail(error, Failure::kUnsupportedKeyType,
                    "attestation key type is " + std::to_string(q.header.att_key_type) +
                        ", expected 2 (ECDSA-256-with-P-256)");
    if (q.header.tee_type != 0)
        return fail(error, Failure::kQuoteMalformed,
                    "att_key_data_0 is " + std::to_string(q.header.tee_type) + ", expected 0 in a v3 quote");
    CCBOX_TAKE_("ISV report body", &q.isv_report, sizeof q.isv_report);
    q.signed_bytes = bytes.subspan(0, kQuoteSignedSize);
    uint32_t sig_len = 0;
    CCBOX_TAKE_("signature_data_len", &sig_len, 4);
    if (sig_len != r.left())
        return fail(error, Failure::kQuoteMalformed,
                    "signature_data_len is " + std::to_string(sig_len) + " but " + std::to_string(r.left()) +
                        " bytes follow it" + (sig_len > r.left() ? " (truncated quote)" : " (trailing bytes)"));
    CCBOX_TAKE_("ECDSA signature", q.signature, 64);
    CCBOX_TAKE_("attestation key", q.attestation_key, 64);
    q.qe_report_bytes = r.view(sizeof q.qe_report);
    CCBOX_TAKE_("QE report body", &q.qe_report, sizeof q.qe_report);
    CCBOX_TAKE_("QE report signature", q.qe_report_signature, 64);
    uint16_t auth_size = 0;
    CCBOX_TAKE_("QE auth data size", &auth_size, 2);
    q.qe_auth_data.resize(auth_size);
    CCBOX_TAKE_("QE auth data", q.qe_auth_data.data(), auth_size);
    CCBOX_TAKE_("certification data type", &q.certification_data_type, 2);
    uint32_t cert_size = 0;
    CCBOX_TAKE_("certification data size", &cert_size, 4);
    if (cert_size != r.left())
        return fail(error, Failure::kQuoteMalformed,
                    "certification data size is " + std::to_string(cert_size) + " but " +
                        std::to_string(r.left()) + " bytes follow it" +
                        (cert_size > r.left() ? " (truncated quote)" : " (trailing bytes)"));
    if (q.certification_data_type != kCertificationDataPckChain)
        return fail(error, Failure::kUnsupportedCertificationDataType,
                    "certification data type is " + std::to_string(q.certification_data_type) +
                        ", expected 5 (PCK certificate chain)");
    auto pem = r.view(cert_size);
    size_t pem_len = pem.size();
    while (pem_len > 0 && pem[pem_len - 1] == 0)
        --pem_len;
    if (std::memchr(pem.data(), 0, pem_len) != nullptr)
        return fail(error, Failure::kQuoteMalformed, "certification data has a NUL inside the PEM chain");
    q.pck_chain_pem.assign(reinterpret_cast<const char*>(pem.data()), pem_len);
#undef CCBOX_TAKE_
    return q;
}

}  // namespace ccbox::attestation
