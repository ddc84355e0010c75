// EREPORT: REPORTBODY from the reporter's identity, MAC with the target's REPORT key; and the
// target's constant-time MAC check. Trust domain: platform.
#include "platform/report.hpp"

#include "support/rsa_key.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

namespace ccbox {
namespace {

using sgx::all_zero;

// A 16-byte key that is wiped when it goes out of scope.
struct ScopedKey {
    std::array<uint8_t, 16> bytes{};
    ScopedKey() = default;
    ScopedKey(const ScopedKey&) = delete;
    ScopedKey& operator=(const ScopedKey&) = delete;
    ~ScopedKey() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

Result<void> check_targetinfo(const sgx::Targetinfo& t) {
    if (t.cet_attributes != 0)
        return Error(CCBOX_INVALID_PARAMETER, "TARGETINFO.CET_ATTRIBUTES must be zero: ccbox does not model CET");
    if (t.reserved1 != 0)
        return Error(CCBOX_INVALID_PARAMETER, "TARGETINFO.RESERVED (offset 49) must be zero");
    if (!all_zero(t.reserved2, sizeof t.reserved2))
        return Error(CCBOX_INVALID_PARAMETER, "TARGETINFO.RESERVED (offsets 56-63) must be zero");
    if (!all_zero(t.reserved3, sizeof t.reserved3))
        return Error(CCBOX_INVALID_PARAMETER, "TARGETINFO.RESERVED (offsets 128-511) must be zero");
    return ok_result();
}

// What EGETKEY reads for a REPORT key, taken from a TARGETINFO. The other fields do not
// enter a REPORT key.
EnclaveKeyIdentity identity_of_target(const sgx::Targetinfo& t) {
    EnclaveKeyIdentity k;
    std::memcpy(k.mrenclave.data(), t.measurement, sizeof t.measurement);
    k.attributes = t.attributes;
    k.miscselect = t.miscselect;
    std::memcpy(k.configid.data(), t.configid, sizeof t.configid);
    k.configsvn = t.configsvn;
    return k;
}

Result<void> report_key(const PlatformSecrets& secrets, const EnclaveKeyIdentity& enclave, const uint8_t (&keyid)[32],
                        ScopedKey& out) {
    sgx::Keyrequest request{};
    request.keyname = static_cast<uint16_t>(sgx::KeyName::kReport);
    std::memcpy(request.keyid, keyid, sizeof request.keyid);
    CCBOX_ASSIGN_OR_RETURN(auto key, derive_key(secrets, enclave, request));
    out.bytes = key;
    OPENSSL_cleanse(key.data(), key.size());
    return ok_result();
}

std::span<const uint8_t> body_bytes(const sgx::Report& report) {
    return {reinterpret_cast<const uint8_t*>(&report.body), sizeof report.body};
}

struct MacDeleter {
    void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};
struct MacCtxDeleter {
    void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

}  // namespace

Result<std::array<uint8_t, 16>> aes128_cmac(const std::array<uint8_t, 16>& key, std::span<const uint8_t> data) {
    static const std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_CMAC, nullptr));
    std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
    if (!ctx)
        return Error(CCBOX_CRYPTO_ERROR, "cannot create a CMAC context: " + openssl_error_text());
    char cipher[] = "AES-128-CBC";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
        OSSL_PARAM_construct_end(),
    };
    std::array<uint8_t, 16> out{};
    size_t out_size = 0;
    if (EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1 ||
        EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 ||
        EVP_MAC_final(ctx.get(), out.data(), &out_size, out.size()) != 1 || out_size != out.size())
        return Error(CCBOX_CRYPTO_ERROR, "AES-128-CMAC failed: " + openssl_error_text());
    return out;
}

sgx::Targetinfo target_info_of(const EnclaveKeyIdentity& enclave) {
    sgx::Targetinfo t{};
    std::memcpy(t.measurement, enclave.mrenclave.data(), sizeof t.measurement);
    t.attributes = enclave.attributes;
    t.configsvn = enclave.configsvn;
    t.miscselect = enclave.miscselect;
    std::memcpy(t.configid, enclave.configid.data(), sizeof t.configid);
    return t;
}

Result<sgx::Report> make_report(const PlatformSecrets& secrets, const EnclaveKeyIdentity& reporter,
                                const sgx::Targetinfo& target,
                                std::span<const uint8_t, sgx::kReportDataSize> report_data) {
    CCBOX_TRY(check_targetinfo(target));

    sgx::Report report{};
    sgx::Reportbody& b = report.body;
    std::memcpy(b.cpusvn, secrets.cpusvn.data(), sizeof b.cpusvn);
    b.miscselect = reporter.miscselect;
    std::memcpy(b.isvextprodid, reporter.isvextprodid.data(), sizeof b.isvextprodid);
    b.attributes = reporter.attributes;
    std::memcpy(b.mrenclave, reporter.mrenclave.data(), sizeof b.mrenclave);
    std::memcpy(b.mrsigner, reporter.mrsigner.data(), sizeof b.mrsigner);
    std::memcpy(b.configid, reporter.configid.data(), sizeof b.configid);
    b.isvprodid = reporter.isvprodid;
    b.isvsvn = reporter.isvsvn;
    b.configsvn = reporter.configsvn;
    std::memcpy(b.isvfamilyid, reporter.isvfamilyid.data(), sizeof b.isvfamilyid);
    std::memcpy(b.reportdata, report_data.data(), sizeof b.reportdata);
    std::memcpy(report.keyid, secrets.report_keyid.data(), sizeof report.keyid);

    ScopedKey key;
    CCBOX_TRY(report_key(secrets, identity_of_target(target), report.keyid, key));
    CCBOX_ASSIGN_OR_RETURN(auto mac, aes128_cmac(key.bytes, body_bytes(report)));
    std::memcpy(report.mac, mac.data(), sizeof report.mac);
    return report;
}

bool verify_report_mac(const PlatformSecrets& secrets, const EnclaveKeyIdentity& verifier, const sgx::Report& report) {
    ScopedKey key;
    if (!report_key(secrets, verifier, report.keyid, key).ok())
        return false;
    auto mac = aes128_cmac(key.bytes, body_bytes(report));
    return mac.ok() && CRYPTO_memcmp(mac->data(), report.mac, sizeof report.mac) == 0;
}

}  // namespace ccbox
