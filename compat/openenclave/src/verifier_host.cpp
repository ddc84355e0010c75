// The host side of OE's verifier (docs/openenclave.md "Attestation"): where oe_verify_evidence
// finds collateral and the trusted root when the caller gives none, and the host's answer to an
// enclave's oe_ccbox_get_collateral_ocall (openenclave/edl/sgx/attestation.edl). Trust domain:
// host. The answer is the host's files: CCBOX_OE_COLLATERAL (a collateral JSON of `ccbox
// collateral`) and CCBOX_OE_TRUSTED_ROOTS (PEM), or by default collateral issued in memory
// from the local platform's development PKI (STATE_DIR/development-pki, made on its first
// quote), which stands in for Intel's PCCS and DCAP quote provider library.
#include "attest_internal.h"

#include "attestation/ossl.hpp"
#include "attestation/pki_store.hpp"
#include "platform/quoting/provisioning.hpp"
#include "platform/service/state_dir.hpp"
#include "support/file_io.hpp"

#include <openenclave/attestation/sgx/evidence.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

namespace {

using namespace ccbox;

struct Sources {
    std::string collateral, roots;
};

Result<Sources> load_sources() {
    const char* collateral_file = std::getenv("CCBOX_OE_COLLATERAL");
    const char* roots_file = std::getenv("CCBOX_OE_TRUSTED_ROOTS");
    Sources s;
    if ((collateral_file && *collateral_file) != (roots_file && *roots_file))
        return Error(CCBOX_INVALID_PARAMETER, "set both CCBOX_OE_COLLATERAL and CCBOX_OE_TRUSTED_ROOTS, or neither");
    if (collateral_file && *collateral_file) {
        CCBOX_ASSIGN_OR_RETURN(Bytes c, read_file(collateral_file, 8 << 20));
        CCBOX_ASSIGN_OR_RETURN(Bytes r, read_file(roots_file, 1 << 20));
        s.collateral.assign(c.begin(), c.end());
        s.roots.assign(r.begin(), r.end());
        return s;
    }
    const std::string dir = client_platform_paths().state_dir + "/" + quoting::kDevelopmentPkiDir;
    auto pki = attestation::Pki::load(dir);
    if (!pki)
        return Error(CCBOX_SERVICE_UNAVAILABLE,
                     "no collateral: the platform's development PKI " + dir + " cannot be read (" +
                         pki.error().message() +
                         "); it is made on the platform's first quote, or set CCBOX_OE_COLLATERAL and "
                         "CCBOX_OE_TRUSTED_ROOTS");
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    // Issued in memory for a day either side of now; the PKI directory is not written.
    CCBOX_ASSIGN_OR_RETURN(attestation::CollateralBundle bundle, pki->collateral(now - 86400, now + 86400));
    s.collateral = attestation::collateral_bundle_json(bundle);
    s.roots = attestation::certificate_pem(pki->root());
    return s;
}

}  // namespace

extern "C" oe_result_t oe_ccbox_default_sources(uint8_t** collateral, size_t* collateral_size, char** roots,
                                                size_t* roots_size, const char** root_source) {
    *collateral = nullptr;
    *roots = nullptr;
    *collateral_size = *roots_size = 0;
    *root_source = "local";
    auto s = load_sources();
    if (!s)
        return oe_ccbox_fail(s.error().code(), "oe_verify_evidence", s.error().message().c_str());
    auto* c = static_cast<uint8_t*>(std::malloc(s->collateral.size() + 1));
    auto* r = static_cast<char*>(std::malloc(s->roots.size() + 1));
    if (!c || !r) {
        std::free(c);
        std::free(r);
        return OE_OUT_OF_MEMORY;
    }
    std::memcpy(c, s->collateral.data(), s->collateral.size());
    std::memcpy(r, s->roots.c_str(), s->roots.size() + 1);
    *collateral = c;
    *collateral_size = s->collateral.size();
    *roots = r;
    *roots_size = s->roots.size();
    return OE_OK;
}

// What the host answers to an enclave's oe_ccbox_get_collateral_ocall (collateral_ocall.cpp):
// the same sources. Sizes needed are always written; OE_BUFFER_TOO_SMALL when either buffer is
// short (the enclave asks again).
extern "C" int oe_ccbox_host_collateral(uint8_t* collateral, size_t collateral_size, size_t* collateral_needed,
                                        uint8_t* roots, size_t roots_size, size_t* roots_needed) {
    if (!collateral_needed || !roots_needed)
        return OE_INVALID_PARAMETER;
    *collateral_needed = *roots_needed = 0;
    auto s = load_sources();
    if (!s) {
        oe_ccbox_fail(s.error().code(), "oe_ccbox_get_collateral_ocall", s.error().message().c_str());
        return s.error().code();
    }
    *collateral_needed = s->collateral.size();
    *roots_needed = s->roots.size();
    if (s->collateral.size() > collateral_size || s->roots.size() > roots_size || !collateral || !roots)
        return OE_BUFFER_TOO_SMALL;
    std::memcpy(collateral, s->collateral.data(), s->collateral.size());
    std::memcpy(roots, s->roots.data(), s->roots.size());
    return OE_OK;
}

extern "C" oe_result_t oe_verifier_get_format_settings(const oe_uuid_t* format_id, uint8_t** settings,
                                                       size_t* settings_size) {
    static const uint8_t ecdsa[16] = OE_FORMAT_UUID_SGX_ECDSA;
    static const uint8_t local[16] = OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION;
    if (!format_id || !settings || !settings_size)
        return OE_INVALID_PARAMETER;
    *settings = nullptr;
    *settings_size = 0;
    if (std::memcmp(format_id->b, ecdsa, 16) == 0)
        return OE_OK;
    if (std::memcmp(format_id->b, local, 16) == 0)
        return oe_ccbox_fail(OE_UNSUPPORTED, "oe_verifier_get_format_settings",
                             "local attestation is verified inside its target enclave, not on the host");
    return oe_ccbox_fail(OE_NOT_FOUND, "oe_verifier_get_format_settings", "unknown evidence format");
}

extern "C" oe_result_t oe_ccbox_verify_local(const uint8_t*, size_t, const oe_policy_t*, size_t, oe_claim_t**,
                                             size_t*) {
    return oe_ccbox_fail(OE_UNSUPPORTED, "oe_verify_evidence",
                         "local attestation evidence is verified inside its target enclave (its REPORT's MAC "
                         "is under that enclave's report key), not on the host");
}
