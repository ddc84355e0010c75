// A platform's PCK certificate chain, kept in its state directory (STATE_DIR/pck_chain.pem),
// and the embedded default: an unprovisioned platform makes a development PKI in
// STATE_DIR/development-pki on first use, certifies itself under it and says so. A chain made
// that way ends at a development root, so its quotes always verify as development.
// Trust domain: platform.
#pragma once

#include "attestation/pki_store.hpp"
#include "platform/platform_mode.hpp"
#include "platform/platform_secrets.hpp"

#include <string>

namespace ccbox::quoting {

inline constexpr const char* kPckChainFile = "pck_chain.pem";  // a production TCB's
inline constexpr const char* kDevelopmentPckChainFile = "pck_chain.development.pem";
// The PCK chain of the platform's current TCB: a PCK key (and so its certificate) belongs to one
// CPUSVN, and a state directory can serve a production platform and a development one (the sim
// backend, a user's platform) whose isolation SVNs differ.
inline std::string pck_chain_path(const std::string& state_dir, const PlatformSecrets& secrets) {
    return state_dir + "/" + (secrets.cpusvn[15] >= 1 ? kPckChainFile : kDevelopmentPckChainFile);
}
inline constexpr const char* kDevelopmentPkiDir = "development-pki";

// The default TCB level and QE Identity of a PKI for ccbox platforms of `mode`.
attestation::SgxExtension model_tcb(PlatformMode mode);
attestation::QeIdentitySettings model_qe_identity();

// `ccbox platform provision`: the platform makes a CSR with its PCK key, `pki` signs it, and
// the chain is stored in `state_dir`.
Result<void> provision(const std::string& state_dir, const PlatformSecrets& secrets, const attestation::Pki& pki,
                       int64_t now);

// Whether `pem` is leaf ‖ PCK CA ‖ root for this platform: the leaf's key is the platform's
// PCK key and its SGX extension states the platform's own fields.
Result<void> check_pck_chain_for(const PlatformSecrets& secrets, const std::string& pem);

// The stored chain; on first use of an unprovisioned platform, the development default
// (`notice` then says where the development PKI was made).
Result<std::string> pck_chain(const std::string& state_dir, const PlatformSecrets& secrets, int64_t now,
                              std::string* notice);

}  // namespace ccbox::quoting
