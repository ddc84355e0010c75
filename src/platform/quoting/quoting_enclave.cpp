#include "platform/quoting/quoting_enclave.hpp"

#include "attestation/pki.hpp"
#include "attestation/quote.hpp"
#include "platform/quoting/qe_model.hpp"
#include "platform/report.hpp"
#include "support/sha256.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>

#include <algorithm>
#include <cstring>

namespace ccbox::quoting {
namespace {

using attestation::Pkey;

struct KdfFree { void operator()(EVP_KDF* k) const { EVP_KDF_free(k); } };
struct KdfCtxFree { void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); } };

EnclaveKeyIdentity identity(uint16_t prodid, uint16_t svn) {
    EnclaveKeyIdentity id;
    std::copy(kQeMrenclave.begin(), kQeMrenclave.end(), id.mrenclave.begin());
    std::copy(kQeMrsigner.begin(), kQeMrsigner.end(), id.mrsigner.begin());
    id.isvprodid = prodid;
    id.isvsvn = svn;
    id.attributes.flags = kQeAttributeFlags;
    id.attributes.xfrm = kQeXfrm;
    return id;
}

// A P-256 scalar from a 128-bit EGETKEY key: HKDF-SHA256 with a counter until it is in range.
Result<Pkey> p256_from_key(const std::array<uint8_t, 16>& key, const char* label) {
    static const std::unique_ptr<EVP_KDF, KdfFree> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr));
    for (uint8_t counter = 0; counter < 16; ++counter) {
        std::string info = std::string(label) + '\0' + static_cast<char>(counter);
        std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
        OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
            OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(key.data()), key.size()),
            OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(), info.size()),
            OSSL_PARAM_construct_end()};
        std::array<uint8_t, 32> scalar{};
        if (!ctx || EVP_KDF_derive(ctx.get(), scalar.data(), scalar.size(), params) != 1)
            return Error(CCBOX_CRYPTO_ERROR, "quoting: HKDF failed");
        auto pkey = attestation::p256_private_key(scalar);
        OPENSSL_cleanse(scalar.data(), scalar.size());
        if (pkey)
            return pkey;
    }
    return Error(CCBOX_CRYPTO_ERROR, "quoting: no valid P-256 scalar derived");
}

Result<std::array<uint8_t, 16>> egetkey(const PlatformSecrets& secrets, const EnclaveKeyIdentity& who,
                                        sgx::KeyName name) {
    sgx::Keyrequest request{};
    request.keyname = static_cast<uint16_t>(name);
    request.keypolicy = sgx::keypolicy::kMrsigner;
    request.isvsvn = who.isvsvn;
    std::memcpy(request.cpusvn, secrets.cpusvn.data(), 16);
    request.attributemask.flags = ~uint64_t{0};
    request.attributemask.xfrm = 0;
    request.miscmask = ~uint32_t{0};
    return derive_key(secrets, who, request);
}

}  // namespace

EnclaveKeyIdentity qe_identity() { return identity(kQeIsvProdId, kQeIsvSvn); }
EnclaveKeyIdentity pce_identity() { return identity(kPceIsvProdId, kPceIsvSvn); }
sgx::Targetinfo qe_target_info() { return target_info_of(qe_identity()); }

Result<Pkey> attestation_key(const PlatformSecrets& secrets) {
    auto key = egetkey(secrets, qe_identity(), sgx::KeyName::kSeal);
    if (!key)
        return std::move(key).error();
    auto out = p256_from_key(*key, "ccbox QE attestation key v1");
    OPENSSL_cleanse(key->data(), key->size());
    return out;
}

Result<Pkey> pck_key(const PlatformSecrets& secrets) {
    auto key = egetkey(secrets, pce_identity(), sgx::KeyName::kProvision);
    if (!key)
        return std::move(key).error();
    auto out = p256_from_key(*key, "ccbox PCK v1");
    OPENSSL_cleanse(key->data(), key->size());
    return out;
}

Result<attestation::SgxExtension> platform_sgx_fields(const PlatformSecrets& secrets) {
    auto key = egetkey(secrets, pce_identity(), sgx::KeyName::kProvision);
    if (!key)
        return std::move(key).error();
    // PPID and platform instance ID: stable per platform, not secret, unlinkable to the keys.
    Sha256 h;
    h.update("ccbox PPID v1", 13);
    h.update(key->data(), key->size());
    const Digest256 ppid = h.finish();
    OPENSSL_cleanse(key->data(), key->size());
    attestation::SgxExtension ext;
    std::copy_n(ppid.begin(), 16, ext.ppid.begin());
    ext.tcb_components = secrets.cpusvn;  // ccbox's CPUSVN is 16 one-byte component SVNs
    ext.pcesvn = kPceIsvSvn;
    ext.cpusvn = secrets.cpusvn;
    ext.pce_id = kPceId;
    ext.fmspc = kFmspc;
    ext.sgx_type = attestation::SgxType::kStandard;
    std::array<uint8_t, 16> instance{};
    std::copy_n(ppid.begin() + 16, 16, instance.begin());
    ext.platform_instance_id = instance;
    ext.configuration = attestation::SgxConfiguration{false, false, false};
    return ext;
}

Result<std::vector<uint8_t>> pck_certificate_request(const PlatformSecrets& secrets) {
    auto key = pck_key(secrets);
    if (!key)
        return std::move(key).error();
    return attestation::make_csr(key->get(), "ccbox SGX PCK Certificate");
}

Result<std::vector<uint8_t>> make_quote(const PlatformSecrets& secrets, const sgx::Report& isv_report,
                                        const std::string& pck_chain_pem) {
    if (!verify_report_mac(secrets, qe_identity(), isv_report))
        return Error(CCBOX_VERIFY_FAILED_AES_CMAC_MISMATCH,
                     "quoting: the REPORT's MAC does not verify with the QE's REPORT key (not targeted at the QE?)");
    auto att_key = attestation_key(secrets);
    if (!att_key)
        return std::move(att_key).error();
    auto att_pub = attestation::p256_raw_public_key(att_key->get());
    if (!att_pub)
        return std::move(att_pub).error();
    auto pck = pck_key(secrets);
    if (!pck)
        return std::move(pck).error();

    // QE auth data: 32 bytes 00 01 … 1f, as Intel's QE3 writes.
    std::vector<uint8_t> auth(32);
    for (size_t i = 0; i < auth.size(); ++i)
        auth[i] = static_cast<uint8_t>(i);
    Sha256 h;
    h.update(att_pub->data(), att_pub->size());
    h.update(auth);
    const Digest256 binding = h.finish();
    uint8_t report_data[64] = {};
    std::memcpy(report_data, binding.data(), binding.size());
    auto qe_report = make_report(secrets, qe_identity(), target_info_of(pce_identity()), std::span(report_data));
    if (!qe_report)
        return std::move(qe_report).error();

    attestation::QuoteHeader header{};
    header.version = attestation::kQuoteVersion3;
    header.att_key_type = attestation::kAttestationKeyEcdsaP256;
    header.qe_svn = kQeIsvSvn;
    header.pce_svn = kPceIsvSvn;
    std::copy(kQeVendorId.begin(), kQeVendorId.end(), header.qe_vendor_id);
    auto fields = platform_sgx_fields(secrets);
    if (!fields)
        return std::move(fields).error();
    std::copy(fields->ppid.begin(), fields->ppid.end(), header.user_data);  // the QE-ID

    std::vector<uint8_t> quote;
    auto append = [&](const void* data, size_t size) {
        const auto* p = static_cast<const uint8_t*>(data);
        quote.insert(quote.end(), p, p + size);
    };
    append(&header, sizeof header);
    append(&isv_report.body, sizeof isv_report.body);
    auto quote_sig = attestation::ecdsa_p256_sign(att_key->get(), quote);
    if (!quote_sig)
        return std::move(quote_sig).error();
    auto qe_sig = attestation::ecdsa_p256_sign(
        pck->get(), std::span(reinterpret_cast<const uint8_t*>(&qe_report->body), sizeof qe_report->body));
    if (!qe_sig)
        return std::move(qe_sig).error();
    const uint16_t auth_size = static_cast<uint16_t>(auth.size());
    const uint16_t cert_type = attestation::kCertificationDataPckChain;
    const uint32_t cert_size = static_cast<uint32_t>(pck_chain_pem.size() + 1);
    const uint32_t sig_len = static_cast<uint32_t>(64 + 64 + 384 + 64 + 2 + auth.size() + 2 + 4 + cert_size);
    append(&sig_len, 4);
    append(quote_sig->data(), 64);
    append(att_pub->data(), 64);
    append(&qe_report->body, sizeof qe_report->body);
    append(qe_sig->data(), 64);
    append(&auth_size, 2);
    append(auth.data(), auth.size());
    append(&cert_type, 2);
    append(&cert_size, 4);
    append(pck_chain_pem.data(), pck_chain_pem.size());
    quote.push_back(0);  // NUL-terminated, as Intel's
    return quote;
}

}  // namespace ccbox::quoting
