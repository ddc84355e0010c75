// Where the broker's collateral and trusted roots come from: a collateral JSON and root PEM
// given on the command line (`--collateral`, `--root`), or by default the local platform's
// development PKI (STATE_DIR/development-pki, made by the platform on its first quote), from
// which fresh collateral is issued in memory. The collateral is verified once and reused
// (VerifiedCollateral); it is re-issued from a PKI when its window ends.
#pragma once

#include "attestation/verifier.hpp"
#include "support/result.hpp"

#include <map>
#include <memory>
#include <span>
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
    // From a PCCS/PCS v4 service: fetched on first use for the FMSPC of the quote at hand (one
    // verified collateral per FMSPC), re-fetched when its window ends; `roots` are trusted.
    static std::unique_ptr<CollateralSource> from_pccs(const std::string& url, const std::string& ca_file,
                                                       std::vector<attestation::TrustedRoot> roots);
    // From memory (tests, benchmarks).
    static Result<std::unique_ptr<CollateralSource>> from_bundle(const std::string& collateral_json,
                                                                 std::vector<attestation::TrustedRoot> roots);

    // Collateral valid at `now` for `quote` (only a PCCS source reads it, for its FMSPC), or an
    // error (CCBOX_SERVICE_UNAVAILABLE) saying why there is none.
    Result<LoadedCollateral> get(int64_t now, std::span<const uint8_t> quote = {});

private:
    CollateralSource() = default;
    Result<void> load_json(const std::string& json, int64_t now);
    Result<void> issue_from_pki(int64_t now);

    std::mutex mutex_;
    Result<LoadedCollateral> get_pccs(int64_t now, std::span<const uint8_t> quote);

    std::string pki_dir_;
    std::string pccs_url_, pccs_ca_;
    std::map<std::string, LoadedCollateral> by_fmspc_;  // PCCS sources
    std::vector<attestation::TrustedRoot> roots_;
    LoadedCollateral current_;
};

}  // namespace ccbox::keybroker
