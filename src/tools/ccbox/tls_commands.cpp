// `ccbox tls inspect-cert CERT` (docs/attested-tls.md): decodes an attestation certificate —
// its key, its evidence extension, the quote's identity and the key binding — and, given
// collateral and a root, verifies it as ccbox_verify_attestation_certificate_with_evidence does.
#include "tools/ccbox/tls_commands.hpp"

#include "attestation/attested_cert.hpp"
#include "attestation/quote.hpp"
#include "platform/platform_mode.hpp"
#include "support/file_io.hpp"
#include "support/hex.hpp"
#include "support/sha256.hpp"

#include <ccbox/verifier.h>

#include <nlohmann/json.hpp>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstring>
#include <iostream>

namespace ccbox {
namespace {

using namespace attestation;
using nlohmann::ordered_json;

std::string encoding_name(const EvidenceExtension& e) {
    if (e.encoding == EvidenceEncoding::kTcgDice)
        return "TCG DICE tagged evidence (CBOR tag Intel TEE quote)";
    return e.oid == kOidOeEvidence ? "Open Enclave evidence" : "Open Enclave evidence (legacy OID)";
}

// The certificate as DER, from a PEM or DER file.
Result<Bytes> certificate_bytes(const std::string& path) {
    CCBOX_ASSIGN_OR_RETURN(Bytes bytes, read_file(path, 1 << 20));
    static constexpr char kPem[] = "-----BEGIN CERTIFICATE-----";
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (text.find(kPem) == std::string_view::npos)
        return bytes;
    CCBOX_ASSIGN_OR_RETURN(auto certs, parse_pem_certificates(text, path));
    if (certs.size() != 1)
        return Error(CCBOX_INVALID_PARAMETER, path + ": expected one certificate, found " + std::to_string(certs.size()));
    return certificate_der(certs[0].get());
}

class Commands final : public TlsCommands {
public:
    explicit Commands(CLI::App& app) {
        auto* tls = app.add_subcommand("tls", "Attested TLS: attestation certificates");
        tls->require_subcommand(1);
        inspect_ = tls->add_subcommand("inspect-cert", "Decode (and with --collateral/--root, verify) an attestation "
                                                       "certificate");
        inspect_->add_option("cert", cert_, "the certificate (PEM or DER)")->required();
        inspect_->add_option("--collateral", collateral_, "the collateral JSON, to verify");
        inspect_->add_option("--root", root_, "the trusted root CA (PEM), to verify");
        inspect_->add_option("--at", at_, "verification time (UNIX seconds; default now)");
        inspect_->add_flag("--require-production", production_, "refuse development platforms");
        inspect_->add_flag("--no-debug", no_debug_, "refuse debug enclaves");
        inspect_->add_flag("--json", json_, "print JSON");
    }

    int run() override { return *inspect_ ? inspect() : -1; }

private:
    int error(const std::string& message) {
        std::fprintf(stderr, "ccbox: error: %s: %s\n", cert_.c_str(), message.c_str());
        return 1;
    }

    int inspect() {
        auto der = certificate_bytes(cert_);
        if (!der)
            return error(der.error().message());
        auto parsed = parse_attestation_certificate(*der);
        if (!parsed)
            return error(parsed.error().message());
        const AttestationCertificate& c = *parsed;
        const EvidenceExtension& ev = c.evidence;
        VerifyError qerr;
        auto q = parse_quote(ev.quote, &qerr);
        if (!q)
            return error(std::string(failure_id(qerr.failure)) + ": " + qerr.message);
        const sgx::Reportbody& r = q->isv_report;
        const bool self_signed = X509_verify(c.cert.get(), X509_get0_pubkey(c.cert.get())) == 1;
        const std::vector<uint8_t>& bound = ev.encoding == EvidenceEncoding::kTcgDice ? c.spki : ev.custom_claims;
        const Digest256 bound_hash = sha256(bound);
        const bool reportdata_binds = std::memcmp(r.reportdata, bound_hash.data(), 32) == 0;
        const bool claims_are_key = ev.encoding == EvidenceEncoding::kTcgDice || custom_claims_bind_key(ev.custom_claims, c.spki);
        const bool debug = (r.attributes.flags & sgx::attr::kDebug) != 0;

        ordered_json j = {
            {"subject", name_line(X509_get_subject_name(c.cert.get()))},
            {"self_signature_valid", self_signed},
            {"spki_sha256", to_hex(sha256(c.spki))},
            {"evidence_oid", ev.oid},
            {"evidence_encoding", encoding_name(ev)},
            {"format_id", to_hex(ev.format)},
            {"quote_size", ev.quote.size()},
            {"custom_claims_size", ev.custom_claims.size()},
            {"mrenclave", to_hex(std::span(r.mrenclave))},
            {"mrsigner", to_hex(std::span(r.mrsigner))},
            {"isvprodid", r.isvprodid},
            {"isvsvn", r.isvsvn},
            {"debug", debug},
            {"isolation_svn", r.cpusvn[kCpusvnModeComponent]},
            {"reportdata", to_hex(std::span(r.reportdata))},
            {"key_bound", reportdata_binds && claims_are_key},
        };
        int rc = 0;
        if (!collateral_.empty() || !root_.empty()) {
            if (collateral_.empty() || root_.empty())
                return error("verification needs both --collateral and --root");
            auto coll = read_file(collateral_, 8 << 20);
            auto root = read_file(root_, 1 << 20);
            if (!coll || !root)
                return error((!coll ? coll.error() : root.error()).message());
            std::vector<ccbox_policy_t> policies = {{CCBOX_POLICY_TRUSTED_ROOTS, root->data(), root->size()}};
            int64_t at = at_;
            if (at_ > 0)
                policies.push_back({CCBOX_POLICY_VERIFICATION_TIME, &at, sizeof at});
            if (production_)
                policies.push_back({CCBOX_POLICY_REQUIRE_PRODUCTION, nullptr, 0});
            if (no_debug_)
                policies.push_back({CCBOX_POLICY_REFUSE_DEBUG, nullptr, 0});
            const ccbox_result_t v = ccbox_verify_attestation_certificate_with_evidence(
                der->data(), der->size(), coll->data(), coll->size(), policies.data(), policies.size(), nullptr,
                nullptr);
            j["verified"] = v == CCBOX_OK;
            if (v != CCBOX_OK) {
                j["error"] = ccbox_verifier_last_error();
                rc = 1;
            }
        }
        if (json_) {
            std::cout << j.dump(2) << "\n";
            return rc;
        }
        std::printf("attestation certificate: %s\n", j["subject"].get<std::string>().c_str());
        std::printf("  self-signature: %s\n", self_signed ? "valid (signed by its own key)" : "INVALID");
        std::printf("  key: SubjectPublicKeyInfo SHA-256 %s\n", j["spki_sha256"].get<std::string>().c_str());
        std::printf("evidence: %s under %s, format %s\n", encoding_name(ev).c_str(), ev.oid.c_str(),
                    to_hex(ev.format).c_str());
        std::printf("  DCAP ECDSA quote v%u (%zu bytes), custom claims %zu bytes\n", q->header.version,
                    ev.quote.size(), ev.custom_claims.size());
        std::printf("  mrenclave   %s\n  mrsigner    %s\n  isvprodid   %u\n  isvsvn      %u\n  debug       %s\n",
                    j["mrenclave"].get<std::string>().c_str(), j["mrsigner"].get<std::string>().c_str(), r.isvprodid,
                    r.isvsvn, debug ? "yes" : "no");
        std::printf("  isolation SVN (CPUSVN[15]; on a ccbox platform 0 = development): %u\n",
                    r.cpusvn[kCpusvnModeComponent]);
        std::printf("  reportdata  %s\n", j["reportdata"].get<std::string>().c_str());
        std::printf("key binding: REPORTDATA[0..32) = SHA-256(%s): %s; %s\n",
                    ev.encoding == EvidenceEncoding::kTcgDice ? "SPKI DER" : "custom claims",
                    reportdata_binds ? "yes" : "NO",
                    claims_are_key ? "the bound key is this certificate's" : "the bound key is NOT this certificate's");
        if (j.contains("verified"))
            std::printf("verification: %s\n", j["verified"].get<bool>() ? "ok" : j["error"].get<std::string>().c_str());
        else
            std::printf("verification: not done (give --collateral and --root)\n");
        return rc;
    }

    CLI::App* inspect_ = nullptr;
    std::string cert_, collateral_, root_;
    int64_t at_ = 0;
    bool production_ = false, no_debug_ = false, json_ = false;
};

}  // namespace

std::unique_ptr<TlsCommands> register_tls_commands(CLI::App& app) { return std::make_unique<Commands>(app); }

}  // namespace ccbox
