// Where the broker's collateral and trusted roots come from: a collateral JSON and root PEM
// given on the command line (`--collateral`, `--root`), or by default the local platform's
// development PKI (STATE_DIR/development-pki, made by the platform on its first quote), from
// which fresh collateral is issued in memory. The collateral is verified once and reused
// (VerifiedCollateral); it is re-issued from a PKI when its window ends.
#pragma once

#include "attestation/verifier.hpp"
#include "support/result.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ccbox::keybroker {

struct LoadedCollateral {
    std::shared_ptr<const attestation::VerifiedCollateral> verified;
    std::string sha256;  // hex SHA-256 of the collateral JSON, for the audit log
};

class CollateralSource {
public:
    // From files; verified now, so a bad file fails `serve` at start.
    static Result<std::unique_ptr<CollateralSource>> from_files(const std::string& collateral_json,
                                                                const std::string& roots_pem);
    // From a PKI directory; loaded on first use (the PKI may not exist yet).
    static std::unique_ptr<CollateralSource> from_pki(const std::string& pki_dir);
    // From memory (tests, benchmarks).
    static Result<std::unique_ptr<CollateralSource>> from_bundle(const std::string& collateral_json,
                                                                 std::vector<attestation::TrustedRoot> roots);

    // Collateral valid at `now`, or an error (CCBOX_SERVICE_UNAVAILABLE) saying why there is none.
    Result<LoadedCollateral> get(int64_t now);

private:
    CollateralSource() = default;
    Result<void> load_json(const std::string& json, int64_t now);
    Result<void> issue_from_pki(int64_t now);

    std::mutex mutex_;
    std::string pki_dir_;
    std::vector<attestation::TrustedRoot> roots_;
    LoadedCollateral current_;
};

}  // namespace ccbox::keybroker
