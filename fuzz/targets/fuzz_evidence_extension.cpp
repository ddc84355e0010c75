// Fuzzes the evidence extension parser of attestation certificates (docs/attested-tls.md):
// the first byte picks the OID (OE evidence, OE legacy evidence, OE report, TCG DICE tagged
// evidence) or, at 4 and above, a whole DER certificate; the rest is the content. Whatever
// parses must be self-consistent: a quote of exactly its own length, claims only for OE.
#include "attestation/attested_cert.hpp"
#include "attestation/quote.hpp"

#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace ccbox::attestation;
    if (size < 1)
        return 0;
    static constexpr std::string_view kOids[] = {kOidOeEvidence, kOidOeEvidenceLegacy, kOidOeReport,
                                                 kOidTcgDiceTaggedEvidence};
    const std::span<const uint8_t> rest(data + 1, size - 1);
    if (data[0] >= 4) {
        auto cert = parse_attestation_certificate(rest);
        if (cert.ok() && cert->evidence.quote.size() < kQuoteSignedSize + 4)
            std::abort();
        return 0;
    }
    auto e = parse_evidence_extension(kOids[data[0]], rest);
    if (!e.ok())
        return 0;
    uint32_t sig_len = 0;
    if (e->quote.size() < kQuoteSignedSize + 4)
        std::abort();
    std::memcpy(&sig_len, e->quote.data() + kQuoteSignedSize, 4);
    if (e->quote.size() != kQuoteSignedSize + 4 + sig_len)
        std::abort();
    if (e->encoding == EvidenceEncoding::kTcgDice && !e->custom_claims.empty())
        std::abort();
    if (e->encoding == EvidenceEncoding::kOeEvidence) {
        if (16 + e->quote.size() + e->custom_claims.size() != rest.size())
            std::abort();
        static const std::vector<uint8_t> spki(91, 0x30);
        (void)custom_claims_bind_key(e->custom_claims, spki);
    }
    VerifyError error;
    (void)parse_quote(e->quote, &error);
    return 0;
}
