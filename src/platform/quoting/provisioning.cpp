#include "platform/quoting/provisioning.hpp"

#include "platform/platform_mode.hpp"
#include "platform/quoting/qe_model.hpp"
#include "platform/quoting/quoting_enclave.hpp"
#include "support/file_io.hpp"

#include <filesystem>
#include <system_error>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace ccbox::quoting {

attestation::SgxExtension model_tcb(PlatformMode mode) {
    attestation::SgxExtension tcb;
    tcb.tcb_components = cpusvn_for_mode(kDefaultCpusvn, mode);
    tcb.cpusvn = tcb.tcb_components;
    tcb.pcesvn = kPceIsvSvn;
    tcb.fmspc = kFmspc;
    tcb.pce_id = kPceId;
    return tcb;
}

attestation::QeIdentitySettings model_qe_identity() {
    attestation::QeIdentitySettings qe;
    std::copy(kQeMrsigner.begin(), kQeMrsigner.end(), qe.mrsigner.begin());
    qe.isvprodid = kQeIsvProdId;
    qe.attributes = kQeIdentityAttributes;
    qe.attributes_mask = kQeIdentityAttributesMask;
    qe.levels.push_back({kQeIsvSvn, "2026-01-01T00:00:00Z", attestation::TcbStatus::kUpToDate, {}});
    return qe;
}

Result<void> check_pck_chain_for(const PlatformSecrets& secrets, const std::string& pem) {
    CCBOX_ASSIGN_OR_RETURN(auto certs, attestation::parse_pem_certificates(pem, "PCK chain"));
    if (certs.size() != 3)
        return Error(CCBOX_INVALID_PARAMETER, "PCK chain: expected the PCK certificate, its CA and the root");
    CCBOX_ASSIGN_OR_RETURN(auto key, pck_key(secrets));
    if (X509_check_private_key(certs[0].get(), key.get()) != 1)
        return Error(CCBOX_VERIFY_FAILED, "PCK chain: the first certificate is not for the platform's PCK key");
    CCBOX_ASSIGN_OR_RETURN(auto ext, attestation::sgx_extension_of(certs[0].get()));
    CCBOX_ASSIGN_OR_RETURN(auto fields, platform_sgx_fields(secrets));
    if (ext.ppid != fields.ppid || ext.cpusvn != fields.cpusvn || ext.tcb_components != fields.tcb_components ||
        ext.pcesvn != fields.pcesvn || ext.fmspc != fields.fmspc || ext.pce_id != fields.pce_id)
        return Error(CCBOX_VERIFY_FAILED, "PCK chain: the certificate's SGX extension is not this platform's");
    if (X509_NAME_cmp(X509_get_issuer_name(certs[0].get()), X509_get_subject_name(certs[1].get())) != 0 ||
        X509_verify(certs[0].get(), X509_get0_pubkey(certs[1].get())) != 1 ||
        X509_verify(certs[1].get(), X509_get0_pubkey(certs[2].get())) != 1)
        return Error(CCBOX_VERIFY_FAILED, "PCK chain: not leaf, its issuing CA and the root, in that order");
    return ok_result();
}

Result<void> provision(const std::string& state_dir, const PlatformSecrets& secrets, const attestation::Pki& pki,
                       int64_t now) {
    CCBOX_ASSIGN_OR_RETURN(auto csr, pck_certificate_request(secrets));
    CCBOX_ASSIGN_OR_RETURN(auto fields, platform_sgx_fields(secrets));
    CCBOX_ASSIGN_OR_RETURN(auto cert, pki.issue_pck(csr, fields, now));
    // The returned certificate must be for our key and fields: a CA cannot swap in another.
    const std::string chain = pki.pck_chain_pem(cert.get());
    CCBOX_TRY(check_pck_chain_for(secrets, chain));
    return write_file_atomic(pck_chain_path(state_dir, secrets),
                             std::span(reinterpret_cast<const uint8_t*>(chain.data()), chain.size()), 0600);
}

Result<std::string> pck_chain(const std::string& state_dir, const PlatformSecrets& secrets, int64_t now,
                              std::string* notice) {
    const std::string path = pck_chain_path(state_dir, secrets);
    if (::access(path.c_str(), F_OK) != 0) {
        const std::string pki_dir = state_dir + "/" + kDevelopmentPkiDir;
        auto pki = attestation::Pki::load(pki_dir);
        if (!pki) {
            auto created = attestation::Pki::create(true, now - 86400, 10, model_tcb(PlatformMode::kDevelopment),
                                                    model_qe_identity());
            if (!created)
                return std::move(created).error();
            // The development PKI certifies this platform whatever its mode: its TCB level is
            // the platform's own, at isolation SVN 0, so that the other mode's platform on this
            // state directory (root's ccboxd and a sim host: production and development TCBs)
            // meets it too. Its quotes verify as development either way (the root's kind).
            auto fields = platform_sgx_fields(secrets);
            if (!fields)
                return std::move(fields).error();
            created->settings().tcb_levels[0].sgx_components =
                cpusvn_for_mode(fields->tcb_components, PlatformMode::kDevelopment);
            // Made aside and renamed into place, so that two first quotes racing (ccboxd and a
            // sim host on one state directory) end with one whole PKI, the first one's.
            std::string tmp = pki_dir + ".new.XXXXXX";
            if (!::mkdtemp(tmp.data()))
                return Error(CCBOX_IO_ERROR, state_dir + ": cannot create a directory for the development PKI");
            CCBOX_TRY(created->save(tmp));
            if (::rename(tmp.c_str(), pki_dir.c_str()) != 0) {
                std::error_code ignored;
                std::filesystem::remove_all(tmp, ignored);
            }
            pki = attestation::Pki::load(pki_dir);
            if (!pki)
                return std::move(pki).error();
        }
        CCBOX_TRY(provision(state_dir, secrets, *pki, now - 3600));
        if (notice)
            *notice = "the platform is not provisioned: made a development PKI in " + pki_dir +
                      " and certified the platform under it (its quotes verify as development)";
    }
    CCBOX_ASSIGN_OR_RETURN(Bytes bytes, read_file(path, 1 << 20));
    return std::string(bytes.begin(), bytes.end());
}

}  // namespace ccbox::quoting
