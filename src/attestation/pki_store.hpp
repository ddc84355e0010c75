// A provisioning PKI on disk (`ccbox pki init --out DIR`) and what its owner does with it:
// issue PCK certificates from CSRs, revoke them (and CAs), publish TCB recoveries and
// advisories, and write collateral (TCB Info v3, QE Identity v2, CRLs) signed by the TCB
// signing key. Layout of DIR (docs/attestation.md):
//   root_ca.pem  root_ca.key.pem   pck_ca.pem  pck_ca.key.pem   tcb_signing.pem  tcb_signing.key.pem
//   pki.json     the owner's settings: development flag, TCB levels, QE Identity, revocations
#pragma once

#include "attestation/collateral.hpp"
#include "attestation/pki.hpp"

#include <string>
#include <vector>

namespace ccbox::attestation {

struct QeIdentitySettings {
    std::array<uint8_t, 32> mrsigner{};
    uint16_t isvprodid = 0;
    uint32_t miscselect = 0, miscselect_mask = 0xffffffff;
    std::array<uint8_t, 16> attributes{}, attributes_mask{};
    std::vector<QeTcbLevel> levels;  // highest first
};

struct PkiSettings {
    bool development = false;
    std::array<uint8_t, 6> fmspc{};
    std::array<uint8_t, 2> pce_id{};
    uint32_t tcb_evaluation_data_number = 1;
    std::vector<TcbLevel> tcb_levels;  // highest first
    QeIdentitySettings qe;
    std::vector<RevokedEntry> revoked_pck;  // by the PCK CA
    std::vector<RevokedEntry> revoked_ca;   // by the root CA
    uint64_t crl_number = 1;
};

class Pki {
public:
    // A new PKI valid from `now` for `years`; TCB levels and QE Identity default to the
    // ccbox platform model (one UpToDate level at `platform_tcb`).
    static Result<Pki> create(bool development, int64_t now, int years, const SgxExtension& platform_tcb,
                              const QeIdentitySettings& qe);
    static Result<Pki> load(const std::string& dir);
    Result<void> save(const std::string& dir) const;

    // Issues a PCK certificate for the key in `csr_der` with the platform's stated fields.
    Result<Cert> issue_pck(std::span<const uint8_t> csr_der, const SgxExtension& fields, int64_t now) const;
    // leaf ‖ PCK CA ‖ root, PEM: what a platform keeps and puts in its quotes.
    std::string pck_chain_pem(X509* leaf) const;

    // A TCB recovery: a new top level at `components`/`pcesvn`; every older level becomes
    // OutOfDate (or OutOfDateConfigurationNeeded where it needed configuration).
    void tcb_recovery(const std::array<uint8_t, 16>& components, uint16_t pcesvn, const std::string& tcb_date);
    Result<void> set_advisories(size_t level, std::vector<std::string> ids);
    void revoke_pck(X509* cert, int64_t when) { settings_.revoked_pck.push_back({certificate_serial(cert), when}); }
    void revoke_pck_ca(int64_t when) { settings_.revoked_ca.push_back({certificate_serial(pck_ca_.get()), when}); }

    // Collateral issued at `issue_date`, valid until `next_update`.
    Result<CollateralBundle> collateral(int64_t issue_date, int64_t next_update);

    PkiSettings& settings() { return settings_; }
    const PkiSettings& settings() const { return settings_; }
    X509* root() const { return root_.get(); }
    X509* pck_ca() const { return pck_ca_.get(); }
    X509* tcb_signing() const { return tcb_.get(); }
    EVP_PKEY* root_key() const { return root_key_.get(); }
    EVP_PKEY* pck_ca_key() const { return pck_ca_key_.get(); }
    EVP_PKEY* tcb_signing_key() const { return tcb_key_.get(); }
    PkiNames names() const;

private:
    Cert root_, pck_ca_, tcb_;
    Pkey root_key_, pck_ca_key_, tcb_key_;
    PkiSettings settings_;
};

// The TCB Info and QE Identity JSON bodies for `settings`, exactly as they are signed.
std::string tcb_info_json(const PkiSettings& settings, int64_t issue_date, int64_t next_update);
std::string qe_identity_json(const PkiSettings& settings, int64_t issue_date, int64_t next_update);

}  // namespace ccbox::attestation
