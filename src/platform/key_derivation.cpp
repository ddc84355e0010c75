// EGETKEY: KEYREQUEST checks, the KEYDEPENDENCIES record of each key name, and the KDF.
// The record and the KDF are specified byte by byte in docs/key-derivation.md. Trust domain: platform.
#include "platform/key_derivation.hpp"

#include "platform/loader.hpp"
#include "support/hex.hpp"
#include "support/rsa_key.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>

namespace ccbox {
namespace {

using sgx::KeyName;

// TMP_KEYDEPENDENCIES, in the order the SDM assigns its fields. Wiped when destroyed: it
// carries SEAL_KEY_FUSES.
struct KeyDependencies {
    uint16_t keyname = 0;
    std::array<uint8_t, 16> isvfamilyid{};
    std::array<uint8_t, 16> isvextprodid{};
    uint16_t isvprodid = 0;
    uint16_t isvsvn = 0;
    std::array<uint8_t, 16> owner_epoch{};
    sgx::Attributes attributes{};
    sgx::Attributes attributemask{};
    Digest256 mrenclave{};
    Digest256 mrsigner{};
    std::array<uint8_t, 32> keyid{};
    std::array<uint8_t, 32> seal_fuses{};
    std::array<uint8_t, 16> cpusvn{};
    std::array<uint8_t, kSecsPaddingSize> padding{};
    uint32_t miscselect = 0;
    uint32_t miscmask = 0;
    uint16_t keypolicy = 0;
    std::array<uint8_t, 64> configid{};
    uint16_t configsvn = 0;

    KeyDependencies() = default;
    KeyDependencies(const KeyDependencies&) = delete;
    KeyDependencies& operator=(const KeyDependencies&) = delete;
    ~KeyDependencies() {
        OPENSSL_cleanse(seal_fuses.data(), seal_fuses.size());
        OPENSSL_cleanse(owner_epoch.data(), owner_epoch.size());
    }
};

// The serialized record; wiped when destroyed.
struct KeyDependencyBytes {
    std::array<uint8_t, kKeyDependenciesSize> bytes{};
    KeyDependencyBytes() = default;
    KeyDependencyBytes(const KeyDependencyBytes&) = delete;
    KeyDependencyBytes& operator=(const KeyDependencyBytes&) = delete;
    ~KeyDependencyBytes() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

class RecordWriter {
public:
    explicit RecordWriter(std::span<uint8_t, kKeyDependenciesSize> out) : out_(out) {}

    void bytes(std::span<const uint8_t> data) {
        std::memcpy(out_.data() + pos_, data.data(), data.size());
        pos_ += data.size();
    }
    void u16(uint16_t v) { little_endian(v, 2); }
    void u32(uint32_t v) { little_endian(v, 4); }
    void attributes(const sgx::Attributes& a) {
        little_endian(a.flags, 8);
        little_endian(a.xfrm, 8);
    }
    size_t position() const { return pos_; }

private:
    void little_endian(uint64_t v, size_t size) {
        for (size_t i = 0; i < size; ++i)
            out_[pos_ + i] = static_cast<uint8_t>(v >> (8 * i));
        pos_ += size;
    }

    std::span<uint8_t, kKeyDependenciesSize> out_;
    size_t pos_ = 0;
};

void serialize(const KeyDependencies& d, KeyDependencyBytes& out) {
    RecordWriter w(out.bytes);
    w.u16(d.keyname);           //   0
    w.bytes(d.isvfamilyid);     //   2
    w.bytes(d.isvextprodid);    //  18
    w.u16(d.isvprodid);         //  34
    w.u16(d.isvsvn);            //  36
    w.bytes(d.owner_epoch);     //  38
    w.attributes(d.attributes);     //  54
    w.attributes(d.attributemask);  //  70
    w.bytes(d.mrenclave);       //  86
    w.bytes(d.mrsigner);        // 118
    w.bytes(d.keyid);           // 150
    w.bytes(d.seal_fuses);      // 182
    w.bytes(d.cpusvn);          // 214
    w.bytes(d.padding);         // 230
    w.u32(d.miscselect);        // 582
    w.u32(d.miscmask);          // 586
    w.u16(d.keypolicy);         // 590
    w.bytes(d.configid);        // 592
    w.u16(d.configsvn);         // 656
    if (w.position() != kKeyDependenciesSize)
        std::abort();  // the layout above and kKeyDependenciesSize disagree: a build defect
}

std::string hex_value(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

template <size_t N>
std::array<uint8_t, N> to_array(const uint8_t (&in)[N]) {
    std::array<uint8_t, N> out{};
    std::copy(std::begin(in), std::end(in), out.begin());
    return out;
}

// The SDM's #GP cases: reserved fields, and KSS-only inputs without KSS.
Result<void> check_request_format(const EnclaveKeyIdentity& enclave, const sgx::Keyrequest& r) {
    if (r.reserved1 != 0)
        return Error(CCBOX_INVALID_PARAMETER,
                     "KEYREQUEST.RESERVED (offset 6) must be zero, is " + hex_value(r.reserved1));
    for (size_t i = 0; i < sizeof r.reserved2; ++i)
        if (r.reserved2[i] != 0)
            return Error(CCBOX_INVALID_PARAMETER, "KEYREQUEST.RESERVED (offsets 78-511) must be zero; byte at offset " +
                                                      std::to_string(78 + i) + " is " + hex_value(r.reserved2[i]));
    if ((r.keypolicy & ~sgx::keypolicy::kAll) != 0)
        return Error(CCBOX_INVALID_PARAMETER, "KEYREQUEST.KEYPOLICY " + hex_value(r.keypolicy) +
                                                  " sets reserved bits " +
                                                  hex_value(r.keypolicy & ~sgx::keypolicy::kAll) +
                                                  " (defined bits are 0x3f)");
    if ((enclave.attributes.flags & sgx::attr::kKss) == 0) {
        if ((r.keypolicy & sgx::keypolicy::kKssBits) != 0)
            return Error(CCBOX_INVALID_PARAMETER,
                         "KEYREQUEST.KEYPOLICY " + hex_value(r.keypolicy) + " uses KSS bits " +
                             hex_value(r.keypolicy & sgx::keypolicy::kKssBits) +
                             " (NOISVPRODID, CONFIGID, ISVFAMILYID, ISVEXTPRODID), but the enclave lacks the KSS attribute");
        if (r.configsvn != 0)
            return Error(CCBOX_INVALID_PARAMETER, "KEYREQUEST.CONFIGSVN is " + std::to_string(r.configsvn) +
                                                      ", but must be 0 for an enclave without the KSS attribute");
    }
    return ok_result();
}

// The SVN rule for the key names whose SVNs come from the request.
Result<void> check_request_svns(const PlatformSecrets& secrets, const EnclaveKeyIdentity& enclave,
                                const sgx::Keyrequest& r) {
    if (cpusvn_above(r.cpusvn, secrets.cpusvn))
        return Error(CCBOX_INVALID_CPUSVN, "KEYREQUEST.CPUSVN " + to_hex(r.cpusvn) +
                                               " is above the platform's CPUSVN " +
                                               to_hex(secrets.cpusvn) + " in some component");
    if (r.isvsvn > enclave.isvsvn)
        return Error(CCBOX_INVALID_ISVSVN, "KEYREQUEST.ISVSVN " + std::to_string(r.isvsvn) +
                                               " is above the enclave's ISVSVN " + std::to_string(enclave.isvsvn));
    if (r.configsvn > enclave.configsvn)
        return Error(CCBOX_INVALID_ISVSVN, "KEYREQUEST.CONFIGSVN " + std::to_string(r.configsvn) +
                                               " is above the enclave's CONFIGSVN " +
                                               std::to_string(enclave.configsvn));
    return ok_result();
}

Result<void> check_key_name(const EnclaveKeyIdentity& enclave, const sgx::Keyrequest& r) {
    switch (static_cast<KeyName>(r.keyname)) {
    case KeyName::kSeal:
    case KeyName::kReport:
        return ok_result();
    case KeyName::kProvision:
    case KeyName::kProvisionSeal:
        if ((enclave.attributes.flags & sgx::attr::kProvisionKey) == 0)
            return Error(CCBOX_INVALID_ATTRIBUTE,
                         std::string("KEYREQUEST.KEYNAME ") +
                             (static_cast<KeyName>(r.keyname) == KeyName::kProvision ? "PROVISION" : "PROVISION_SEAL") +
                             " needs the PROVISIONKEY attribute, which the enclave does not have");
        return ok_result();
    case KeyName::kEinitToken:
        return Error(CCBOX_INVALID_KEYNAME,
                     "KEYREQUEST.KEYNAME EINITTOKEN (0) is not available: ccbox issues no launch tokens");
    }
    return Error(CCBOX_INVALID_KEYNAME, "KEYREQUEST.KEYNAME " + std::to_string(r.keyname) +
                                            " is not a key name (PROVISION 1, PROVISION_SEAL 2, REPORT 3, SEAL 4)");
}

// The policy-selected identity fields SEAL and PROVISION_SEAL share.
void select_by_policy(const EnclaveKeyIdentity& e, const sgx::Keyrequest& r, KeyDependencies& d) {
    using namespace sgx::keypolicy;
    if (r.keypolicy & kIsvFamilyId)
        d.isvfamilyid = e.isvfamilyid;
    if (r.keypolicy & kIsvExtProdId)
        d.isvextprodid = e.isvextprodid;
    if (!(r.keypolicy & kNoIsvProdId))
        d.isvprodid = e.isvprodid;
    if (r.keypolicy & kConfigId) {
        d.configid = e.configid;
        d.configsvn = r.configsvn;
    }
    d.keypolicy = r.keypolicy;
}

// The request-derived fields SEAL, PROVISION and PROVISION_SEAL share.
void take_from_request(const EnclaveKeyIdentity& e, const sgx::Keyrequest& r, KeyDependencies& d) {
    // INIT and DEBUG always count (the SDM's REQUIRED_SEALING_MASK).
    d.attributes.flags = (r.attributemask.flags | sgx::attr::kInit | sgx::attr::kDebug) & e.attributes.flags;
    d.attributes.xfrm = r.attributemask.xfrm & e.attributes.xfrm;
    d.attributemask = r.attributemask;
    d.miscselect = r.miscmask & e.miscselect;
    d.miscmask = ~r.miscmask;
    d.isvsvn = r.isvsvn;
    d.cpusvn = to_array(r.cpusvn);
    d.padding = e.padding;
}

void fill_dependencies(const PlatformSecrets& s, const EnclaveKeyIdentity& e, const sgx::Keyrequest& r,
                       KeyDependencies& d) {
    d.keyname = r.keyname;
    switch (static_cast<KeyName>(r.keyname)) {
    case KeyName::kSeal:
        take_from_request(e, r, d);
        select_by_policy(e, r, d);
        d.owner_epoch = s.owner_epoch;
        if (r.keypolicy & sgx::keypolicy::kMrenclave)
            d.mrenclave = e.mrenclave;
        if (r.keypolicy & sgx::keypolicy::kMrsigner)
            d.mrsigner = e.mrsigner;
        d.keyid = to_array(r.keyid);
        d.seal_fuses = s.seal_fuses;
        break;
    case KeyName::kReport:
        d.owner_epoch = s.owner_epoch;
        d.attributes = e.attributes;
        d.mrenclave = e.mrenclave;
        d.keyid = to_array(r.keyid);
        d.seal_fuses = s.seal_fuses;
        d.cpusvn = s.cpusvn;
        d.padding = kPkcs1Sha256Padding;
        d.miscselect = e.miscselect;
        d.configid = e.configid;
        d.configsvn = e.configsvn;
        break;
    case KeyName::kProvision:
        take_from_request(e, r, d);
        d.isvprodid = e.isvprodid;
        d.mrsigner = e.mrsigner;
        break;
    case KeyName::kProvisionSeal:
        take_from_request(e, r, d);
        select_by_policy(e, r, d);
        d.mrsigner = e.mrsigner;
        d.seal_fuses = s.seal_fuses;
        break;
    case KeyName::kEinitToken:
        break;  // refused by check_key_name
    }
}

// The root secret that keys the KDF for a key name: provisioning keys hang off the
// provisioning fuses, everything else off the seal fuses.
const std::array<uint8_t, 32>& root_key_for(const PlatformSecrets& s, uint16_t keyname) {
    const auto name = static_cast<KeyName>(keyname);
    return name == KeyName::kProvision || name == KeyName::kProvisionSeal ? s.provisioning_fuses : s.seal_fuses;
}

struct KdfDeleter {
    void operator()(EVP_KDF* kdf) const { EVP_KDF_free(kdf); }
};
struct KdfCtxDeleter {
    void operator()(EVP_KDF_CTX* ctx) const { EVP_KDF_CTX_free(ctx); }
};

// NIST SP 800-108 counter mode, PRF = CMAC-AES-256: K = PRF(root, [1]_32 ‖ Label ‖ 0x00 ‖
// Context ‖ [128]_32), one PRF block for the 128-bit key.
Result<std::array<uint8_t, 16>> kbkdf_cmac_aes256(const std::array<uint8_t, 32>& root,
                                                   std::span<const uint8_t> context) {
    // Fetched once: a fetch per derivation costs more than the derivation.
    static const std::unique_ptr<EVP_KDF, KdfDeleter> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_KBKDF, nullptr));
    if (!kdf)
        return Error(CCBOX_CRYPTO_ERROR, "OpenSSL has no KBKDF: " + openssl_error_text());
    std::unique_ptr<EVP_KDF_CTX, KdfCtxDeleter> ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx)
        return Error(CCBOX_CRYPTO_ERROR, "cannot create a KBKDF context: " + openssl_error_text());
    int use_l = 1;
    int use_separator = 1;
    char mode[] = "counter";
    char mac[] = "CMAC";
    char cipher[] = "AES-256-CBC";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MODE, mode, 0),
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MAC, mac, 0),
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_CIPHER, cipher, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(root.data()), root.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(kKeyDerivationLabel),
                                          sizeof kKeyDerivationLabel - 1),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<uint8_t*>(context.data()),
                                          context.size()),
        OSSL_PARAM_construct_int(OSSL_KDF_PARAM_KBKDF_USE_L, &use_l),
        OSSL_PARAM_construct_int(OSSL_KDF_PARAM_KBKDF_USE_SEPARATOR, &use_separator),
        OSSL_PARAM_construct_end(),
    };
    std::array<uint8_t, 16> key{};
    if (EVP_KDF_derive(ctx.get(), key.data(), key.size(), params) != 1)
        return Error(CCBOX_CRYPTO_ERROR, "KBKDF (CMAC-AES-256) failed: " + openssl_error_text());
    return key;
}

}  // namespace

bool cpusvn_above(const uint8_t (&request)[16], const std::array<uint8_t, 16>& current) {
    for (size_t i = 0; i < current.size(); ++i)
        if (request[i] > current[i])
            return true;
    return false;
}

EnclaveKeyIdentity key_identity_of(const EnclaveIdentity& identity) {
    EnclaveKeyIdentity k;
    k.mrenclave = identity.mrenclave;
    k.mrsigner = identity.mrsigner;
    k.isvprodid = identity.isvprodid;
    k.isvsvn = identity.isvsvn;
    k.attributes = identity.attributes;
    k.miscselect = identity.miscselect;
    k.isvfamilyid = to_array(identity.isvfamilyid);
    k.isvextprodid = to_array(identity.isvextprodid);
    return k;
}

Result<std::array<uint8_t, 16>> derive_key(const PlatformSecrets& secrets, const EnclaveKeyIdentity& enclave,
                                           const sgx::Keyrequest& request) {
    CCBOX_TRY(check_request_format(enclave, request));
    CCBOX_TRY(check_key_name(enclave, request));
    if (static_cast<KeyName>(request.keyname) != KeyName::kReport)
        CCBOX_TRY(check_request_svns(secrets, enclave, request));

    KeyDependencies dependencies;
    fill_dependencies(secrets, enclave, request, dependencies);
    KeyDependencyBytes record;
    serialize(dependencies, record);
    return kbkdf_cmac_aes256(root_key_for(secrets, request.keyname), record.bytes);
}

}  // namespace ccbox
