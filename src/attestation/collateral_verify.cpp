// VerifiedCollateral::verify: the collateral half of the verifier, done once per collateral.
#include "attestation/verifier.hpp"
#include "attestation/x509_checks.hpp"

namespace ccbox::attestation {
namespace {

using namespace detail;

struct Chain {
    Cert signer;     // the one non-root certificate
    size_t root = 0;  // index into the trusted roots
};

// An issuer chain of collateral: exactly one certificate plus one of the trusted roots.
std::optional<Chain> parse_chain(const std::string& pem, const std::string& name, std::span<const TrustedRoot> roots,
                                 VerifyError* error) {
    auto certs = parse_pem_certificates(pem, name);
    if (!certs) {
        *error = {Failure::kCollateralMalformed, certs.error().message()};
        return std::nullopt;
    }
    std::optional<size_t> root;
    for (auto& cert : *certs)
        for (size_t r = 0; r < roots.size(); ++r)
            if (same_certificate(cert.get(), roots[r].cert.get()))
                root = r;
    if (!root) {
        *error = {Failure::kRootUntrusted, name + ": does not end at a trusted root CA"};
        return std::nullopt;
    }
    Chain chain;
    for (auto& cert : *certs) {
        if (same_certificate(cert.get(), roots[*root].cert.get()))
            continue;
        if (chain.signer) {
            *error = {Failure::kCertificateChainInvalid, name + ": more than one certificate below the root"};
            return std::nullopt;
        }
        chain.signer = std::move(cert);
    }
    if (!chain.signer) {
        *error = {Failure::kCertificateChainInvalid, name + ": has no certificate below the root"};
        return std::nullopt;
    }
    chain.root = *root;
    return chain;
}

}  // namespace

std::string_view root_kind_name(RootKind kind) {
    switch (kind) {
    case RootKind::kHardware: return "hardware";
    case RootKind::kCcboxProduction: return "ccbox-production";
    case RootKind::kCcboxDevelopment: return "ccbox-development";
    }
    return "?";
}

RootKind infer_root_kind(X509* root) {
    const std::string subject = name_line(X509_get_subject_name(root));
    if (subject.find("O = Intel Corporation") != std::string::npos)
        return RootKind::kHardware;
    if (subject.find("O = ccbox Development") != std::string::npos)
        return RootKind::kCcboxDevelopment;
    return RootKind::kCcboxProduction;
}

std::shared_ptr<const VerifiedCollateral> VerifiedCollateral::verify(const CollateralBundle& bundle,
                                                                     std::span<const TrustedRoot> roots, int64_t now,
                                                                     VerifyError* error_out) {
    VerifyError scratch;
    VerifyError* error = error_out ? error_out : &scratch;
    auto fail = [&](VerifyError e) {
        *error = std::move(e);
        return nullptr;
    };
    auto out = std::shared_ptr<VerifiedCollateral>(new VerifiedCollateral());
    if (roots.empty())
        return fail({Failure::kRootUntrusted, "no trusted root CA was given"});

    // Issuer chains: each one certificate under a trusted root, all under the same root.
    auto tcb_chain = parse_chain(bundle.tcb_info_issuer_chain, "TCB Info issuer chain", roots, error);
    if (!tcb_chain)
        return nullptr;
    auto qe_chain = parse_chain(bundle.qe_identity_issuer_chain, "QE Identity issuer chain", roots, error);
    if (!qe_chain)
        return nullptr;
    auto pck_chain = parse_chain(bundle.pck_crl_issuer_chain, "PCK CRL issuer chain", roots, error);
    if (!pck_chain)
        return nullptr;
    if (qe_chain->root != tcb_chain->root || pck_chain->root != tcb_chain->root)
        return fail({Failure::kRootUntrusted, "collateral: the issuer chains end at different roots"});
    const TrustedRoot& root = roots[tcb_chain->root];
    out->root_.reset(X509_dup(root.cert.get()));
    out->root_kind_ = root.kind;
    X509* root_cert = out->root_.get();

    for (auto [cert, name] : {std::pair{tcb_chain->signer.get(), "TCB signing certificate"},
                              std::pair{qe_chain->signer.get(), "QE Identity signing certificate"},
                              std::pair{pck_chain->signer.get(), "PCK CA certificate"}})
        if (auto e = check_issued_by(cert, root_cert, name, "root CA"))
            return fail(*e);
    if (is_ca(tcb_chain->signer.get()) || is_ca(qe_chain->signer.get()))
        return fail({Failure::kCertificateChainInvalid, "TCB signing certificate: must not be a CA certificate"});

    // CRLs: the root CA's over the CAs below it, the PCK CA's over PCK certificates.
    auto root_crl = parse_der_crl(bundle.root_ca_crl, "root CA CRL");
    if (!root_crl)
        return fail({Failure::kCollateralMalformed, root_crl.error().message()});
    auto pck_crl = parse_der_crl(bundle.pck_crl, "PCK CRL");
    if (!pck_crl)
        return fail({Failure::kCollateralMalformed, pck_crl.error().message()});
    if (auto e = check_crl_signed_by(root_crl->get(), root_cert, "root CA CRL", "root CA"))
        return fail(*e);
    if (auto e = check_crl_signed_by(pck_crl->get(), pck_chain->signer.get(), "PCK CRL", "PCK CA"))
        return fail(*e);
    for (auto [cert, name] : {std::pair{tcb_chain->signer.get(), "TCB signing certificate"},
                              std::pair{qe_chain->signer.get(), "QE Identity signing certificate"},
                              std::pair{pck_chain->signer.get(), "PCK CA certificate"}})
        if (auto e = check_not_revoked(cert, root_crl->get(), name, "root CA CRL"))
            return fail(*e);

    // The signed bodies: ECDSA r‖s over the exact bytes received.
    auto as_bytes = [](const std::string& s) {
        return std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size());
    };
    if (!ecdsa_p256_verify(X509_get0_pubkey(tcb_chain->signer.get()), as_bytes(bundle.tcb_info),
                           bundle.tcb_info_signature))
        return fail({Failure::kTcbInfoSignatureInvalid,
                     "TCB Info: signature does not verify with the TCB signing certificate's key"});
    if (!ecdsa_p256_verify(X509_get0_pubkey(qe_chain->signer.get()), as_bytes(bundle.qe_identity),
                           bundle.qe_identity_signature))
        return fail({Failure::kQeIdentitySignatureInvalid,
                     "QE Identity: signature does not verify with the QE Identity signing certificate's key"});
    auto tcb = parse_tcb_info(bundle.tcb_info);
    if (!tcb)
        return fail({Failure::kCollateralMalformed, tcb.error().message()});
    auto qe = parse_qe_identity(bundle.qe_identity);
    if (!qe)
        return fail({Failure::kCollateralMalformed, qe.error().message()});
    out->tcb_info_ = std::move(*tcb);
    out->qe_identity_ = std::move(*qe);

    // Validity windows of everything; the verdict's window is their intersection.
    std::vector<std::optional<ValidityItem>> windows = {
        certificate_window(root_cert, "root CA certificate"),
        certificate_window(tcb_chain->signer.get(), "TCB signing certificate"),
        certificate_window(qe_chain->signer.get(), "QE Identity signing certificate"),
        certificate_window(pck_chain->signer.get(), "PCK CA certificate"),
        crl_window(root_crl->get(), "root CA CRL"),
        crl_window(pck_crl->get(), "PCK CRL"),
        ValidityItem{"TCB Info", Failure::kTcbInfoExpired, out->tcb_info_.issue_date, out->tcb_info_.next_update},
        ValidityItem{"QE Identity", Failure::kQeIdentityExpired, out->qe_identity_.issue_date,
                     out->qe_identity_.next_update},
    };
    out->valid_from_ = INT64_MIN;
    out->valid_until_ = INT64_MAX;
    for (auto& w : windows) {
        if (!w)
            return fail({Failure::kCollateralMalformed, "collateral: a certificate or CRL has no valid time fields"});
        out->valid_from_ = std::max(out->valid_from_, w->not_before);
        out->valid_until_ = std::min(out->valid_until_, w->not_after);
        out->windows_.push_back(std::move(*w));
    }
    if (auto e = out->check_time(now))
        return fail(*e);

    out->root_crl_ = std::move(*root_crl);
    out->pck_crl_ = std::move(*pck_crl);
    out->pck_ca_ = std::move(pck_chain->signer);
    out->pck_ca_der_ = certificate_der(out->pck_ca_.get());
    out->root_der_ = certificate_der(out->root_.get());
    return out;
}

std::optional<VerifyError> VerifiedCollateral::check_time(int64_t now) const {
    // Expired items are reported before not-yet-valid ones: "expired" is what a stale cache is.
    for (const auto& w : windows_)
        if (now >= w.not_after)
            return detail::check_window(w, now);
    for (const auto& w : windows_)
        if (auto e = detail::check_window(w, now))
            return e;
    return std::nullopt;
}

}  // namespace ccbox::attestation
