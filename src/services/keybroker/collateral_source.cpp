#include "services/keybroker/collateral_source.hpp"

#include "attestation/pki_store.hpp"
#include "support/file_io.hpp"
#include "support/hex.hpp"
#include "support/sha256.hpp"

namespace ccbox::keybroker {

using namespace attestation;

Result<void> CollateralSource::load_json(const std::string& json, int64_t now) {
    CCBOX_ASSIGN_OR_RETURN(CollateralBundle bundle, parse_collateral_bundle(json));
    VerifyError error;
    auto verified = VerifiedCollateral::verify(bundle, roots_, now, &error);
    if (!verified)
        return Error(CCBOX_SERVICE_UNAVAILABLE,
                     "collateral does not verify: " + std::string(failure_id(error.failure)) + ": " + error.message);
    current_.verified = std::move(verified);
    current_.sha256 = to_hex(sha256(std::span(reinterpret_cast<const uint8_t*>(json.data()), json.size())));
    return ok_result();
}

Result<void> CollateralSource::issue_from_pki(int64_t now) {
    auto pki = Pki::load(pki_dir_);
    if (!pki)
        return Error(CCBOX_SERVICE_UNAVAILABLE, "no collateral: the development PKI " + pki_dir_ +
                                                    " cannot be read (" + pki.error().message() +
                                                    "); it is made by the platform on its first quote, or give "
                                                    "--collateral and --root");
    roots_.clear();
    roots_.push_back({Cert(X509_dup(pki->root())), infer_root_kind(pki->root())});
    // Issued in memory for a day either side of now; the PKI directory is not written.
    CCBOX_ASSIGN_OR_RETURN(CollateralBundle bundle, pki->collateral(now - 86400, now + 86400));
    return load_json(collateral_bundle_json(bundle), now);
}

Result<std::unique_ptr<CollateralSource>> CollateralSource::from_files(const std::string& collateral_json,
                                                                       const std::string& roots_pem) {
    CCBOX_ASSIGN_OR_RETURN(Bytes json, read_file(collateral_json, 8 << 20));
    CCBOX_ASSIGN_OR_RETURN(Bytes pem, read_file(roots_pem, 1 << 20));
    auto certs = parse_pem_certificates(std::string(pem.begin(), pem.end()), roots_pem);
    if (!certs)
        return certs.error();
    std::vector<TrustedRoot> roots;
    for (auto& c : *certs) {
        const RootKind kind = infer_root_kind(c.get());
        roots.push_back({std::move(c), kind});
    }
    auto s = from_bundle(std::string(json.begin(), json.end()), std::move(roots));
    if (!s)
        return s.error().with_context(collateral_json + ": ");
    return s;
}

std::unique_ptr<CollateralSource> CollateralSource::from_pki(const std::string& pki_dir) {
    std::unique_ptr<CollateralSource> s(new CollateralSource());
    s->pki_dir_ = pki_dir;
    return s;
}

Result<std::unique_ptr<CollateralSource>> CollateralSource::from_bundle(const std::string& collateral_json,
                                                                        std::vector<TrustedRoot> roots) {
    std::unique_ptr<CollateralSource> s(new CollateralSource());
    s->roots_ = std::move(roots);
    CCBOX_TRY(s->load_json(collateral_json, static_cast<int64_t>(std::time(nullptr))));
    return s;
}

Result<LoadedCollateral> CollateralSource::get(int64_t now) {
    std::lock_guard lock(mutex_);
    const bool usable = current_.verified && !current_.verified->check_time(now);
    if (!usable) {
        if (pki_dir_.empty()) {
            if (!current_.verified)
                return Error(CCBOX_SERVICE_UNAVAILABLE, "no collateral");
            // Files: the verifier will report the expired item; the broker keeps answering.
        } else {
            CCBOX_TRY(issue_from_pki(now));
        }
    }
    return current_;
}

}  // namespace ccbox::keybroker
