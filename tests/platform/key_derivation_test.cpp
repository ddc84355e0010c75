// EGETKEY (platform/key_derivation) and the platform's root secrets: every KEYDEPENDENCIES input
// of every key name, the policies' exclusions, every error case, the KDF's documented byte
// layout, and the secrets' serialization.
#include "platform/key_derivation.hpp"
#include "platform/platform_secrets.hpp"

#include <gtest/gtest.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace ccbox {
namespace {

using Key = std::array<uint8_t, 16>;
using sgx::KeyName;
namespace kp = sgx::keypolicy;

constexpr KeyName kKeyNames[] = {KeyName::kSeal, KeyName::kReport, KeyName::kProvision, KeyName::kProvisionSeal};

const char* name_of(KeyName name) {
    switch (name) {
    case KeyName::kSeal: return "SEAL";
    case KeyName::kReport: return "REPORT";
    case KeyName::kProvision: return "PROVISION";
    case KeyName::kProvisionSeal: return "PROVISION_SEAL";
    case KeyName::kEinitToken: return "EINITTOKEN";
    }
    return "?";
}

template <size_t N>
void fill(std::array<uint8_t, N>& a, uint8_t seed) {
    for (size_t i = 0; i < N; ++i)
        a[i] = static_cast<uint8_t>(seed + i);
}
template <size_t N>
void fill(uint8_t (&a)[N], uint8_t seed) {
    for (size_t i = 0; i < N; ++i)
        a[i] = static_cast<uint8_t>(seed + i);
}

PlatformSecrets fixed_secrets(uint8_t seed = 0) {
    PlatformSecrets s;
    fill(s.seal_fuses, static_cast<uint8_t>(0xa0 + seed));
    fill(s.provisioning_fuses, static_cast<uint8_t>(0xb0 + seed));
    fill(s.report_keyid, static_cast<uint8_t>(0xc0 + seed));
    fill(s.owner_epoch, static_cast<uint8_t>(0xd0 + seed));
    s.cpusvn = kDefaultCpusvn;
    return s;
}

// An enclave allowed every key name and policy: KSS and PROVISIONKEY set, CONFIGSVN 3.
EnclaveKeyIdentity test_identity() {
    EnclaveKeyIdentity e;
    fill(e.mrenclave, 0x11);
    fill(e.mrsigner, 0x22);
    e.isvprodid = 7;
    e.isvsvn = 5;
    e.attributes = {sgx::attr::kInit | sgx::attr::kMode64Bit | sgx::attr::kProvisionKey | sgx::attr::kKss,
                    sgx::xfrm::kLegacy | sgx::xfrm::kAvx};
    e.miscselect = sgx::miscselect::kExinfo;
    fill(e.configid, 0x33);
    e.configsvn = 3;
    fill(e.isvfamilyid, 0x44);
    fill(e.isvextprodid, 0x55);
    return e;
}

// The SDK's default seal masks, SVNs below the enclave's and the platform's.
sgx::Keyrequest test_request(KeyName name, uint16_t policy) {
    sgx::Keyrequest r{};
    r.keyname = static_cast<uint16_t>(name);
    r.keypolicy = policy;
    r.isvsvn = 4;
    std::memcpy(r.cpusvn, kDefaultCpusvn.data(), 16);
    r.attributemask = {0xff0000000000000bull, 0};
    fill(r.keyid, 0x66);
    r.miscmask = 0xf0000000u;
    r.configsvn = 2;
    return r;
}

struct Inputs {
    PlatformSecrets secrets = fixed_secrets();
    EnclaveKeyIdentity enclave = test_identity();
    sgx::Keyrequest request{};
};

Key derive_ok(const Inputs& in) {
    auto key = derive_key(in.secrets, in.enclave, in.request);
    EXPECT_TRUE(key.ok()) << (key.ok() ? "" : key.error().message());
    return key.ok() ? *key : Key{};
}

void expect_error(const Inputs& in, ccbox_result_t code, const std::string& fragment) {
    auto key = derive_key(in.secrets, in.enclave, in.request);
    ASSERT_FALSE(key.ok()) << "derive_key accepted the request";
    EXPECT_EQ(key.error().code(), code) << key.error().message();
    EXPECT_NE(key.error().message().find(fragment), std::string::npos)
        << "message \"" << key.error().message() << "\" does not mention \"" << fragment << "\"";
}

// ------------------------------------------------------------- every KEYDEPENDENCIES input

constexpr uint16_t kInclusive = kp::kMrenclave | kp::kMrsigner | kp::kConfigId | kp::kIsvFamilyId | kp::kIsvExtProdId;
constexpr uint16_t kSignerOnly = kp::kMrsigner;  // the SDK's default seal policy
constexpr uint16_t kMinimal = kp::kNoIsvProdId;
constexpr uint16_t kBasePolicies[] = {kInclusive, kSignerOnly, kMinimal};

using Mutation = std::function<void(Inputs&)>;

// `expect[p]` for base policy kBasePolicies[p]: four characters for SEAL, REPORT, PROVISION,
// PROVISION_SEAL; 'Y' = the change must change the key, 'n' = it must not.
struct DependencyCase {
    const char* what;
    Mutation prepare;  // applied to both sides first (may be empty)
    Mutation change;
    const char* expect[3];
};

template <size_t N>
Mutation flip(std::array<uint8_t, N> EnclaveKeyIdentity::*field, size_t index = N - 1) {
    return [field, index](Inputs& in) { (in.enclave.*field)[index] ^= 0x01; };
}
template <size_t N>
Mutation flip_secret(std::array<uint8_t, N> PlatformSecrets::*field) {
    return [field](Inputs& in) { (in.secrets.*field)[N / 2] ^= 0x80; };
}
Mutation toggle_policy(uint16_t bit) {
    return [bit](Inputs& in) { in.request.keypolicy ^= bit; };
}

const std::vector<DependencyCase>& dependency_cases() {
    //                                                  inclusive  signer  minimal
    static const std::vector<DependencyCase> cases = {
        {"SECS.MRENCLAVE", {}, flip(&EnclaveKeyIdentity::mrenclave, 0), {"YYnn", "nYnn", "nYnn"}},
        {"SECS.MRENCLAVE (last byte)", {}, flip(&EnclaveKeyIdentity::mrenclave), {"YYnn", "nYnn", "nYnn"}},
        {"SECS.MRSIGNER", {}, flip(&EnclaveKeyIdentity::mrsigner, 0), {"YnYY", "YnYY", "nnYY"}},
        {"SECS.MRSIGNER (last byte)", {}, flip(&EnclaveKeyIdentity::mrsigner), {"YnYY", "YnYY", "nnYY"}},
        {"SECS.ISVPRODID", {}, [](Inputs& in) { in.enclave.isvprodid ^= 0x100; }, {"YnYY", "YnYY", "nnYn"}},
        {"SECS.ISVFAMILYID", {}, flip(&EnclaveKeyIdentity::isvfamilyid), {"YnnY", "nnnn", "nnnn"}},
        {"SECS.ISVEXTPRODID", {}, flip(&EnclaveKeyIdentity::isvextprodid), {"YnnY", "nnnn", "nnnn"}},
        {"SECS.CONFIGID", {}, flip(&EnclaveKeyIdentity::configid), {"YYnY", "nYnn", "nYnn"}},
        {"SECS.CONFIGID (first byte)", {}, flip(&EnclaveKeyIdentity::configid, 0), {"YYnY", "nYnn", "nYnn"}},
        {"SECS.CONFIGSVN (raised)", {}, [](Inputs& in) { in.enclave.configsvn = 9; }, {"nYnn", "nYnn", "nYnn"}},
        {"SECS.ISVSVN (raised)", {}, [](Inputs& in) { in.enclave.isvsvn = 9; }, {"nnnn", "nnnn", "nnnn"}},
        {"SECS.PADDING", {}, flip(&EnclaveKeyIdentity::padding, 100), {"YnYY", "YnYY", "YnYY"}},
        {"SECS.ATTRIBUTES.INIT", {}, [](Inputs& in) { in.enclave.attributes.flags ^= sgx::attr::kInit; },
         {"YYYY", "YYYY", "YYYY"}},
        {"SECS.ATTRIBUTES.DEBUG", {}, [](Inputs& in) { in.enclave.attributes.flags ^= sgx::attr::kDebug; },
         {"YYYY", "YYYY", "YYYY"}},
        {"SECS.ATTRIBUTES.DEBUG with ATTRIBUTEMASK 0", [](Inputs& in) { in.request.attributemask = {0, 0}; },
         [](Inputs& in) { in.enclave.attributes.flags ^= sgx::attr::kDebug; }, {"YYYY", "YYYY", "YYYY"}},
        {"SECS.ATTRIBUTES.MODE64BIT outside the mask", {},
         [](Inputs& in) { in.enclave.attributes.flags ^= sgx::attr::kMode64Bit; }, {"nYnn", "nYnn", "nYnn"}},
        {"SECS.ATTRIBUTES.MODE64BIT inside the mask",
         [](Inputs& in) { in.request.attributemask.flags |= sgx::attr::kMode64Bit; },
         [](Inputs& in) { in.enclave.attributes.flags ^= sgx::attr::kMode64Bit; }, {"YYYY", "YYYY", "YYYY"}},
        {"SECS.ATTRIBUTES.XFRM outside the mask", {},
         [](Inputs& in) { in.enclave.attributes.xfrm ^= sgx::xfrm::kAvx; }, {"nYnn", "nYnn", "nYnn"}},
        {"SECS.ATTRIBUTES.XFRM inside the mask", [](Inputs& in) { in.request.attributemask.xfrm = ~0ull; },
         [](Inputs& in) { in.enclave.attributes.xfrm ^= sgx::xfrm::kAvx; }, {"YYYY", "YYYY", "YYYY"}},
        {"SECS.MISCSELECT outside the mask", {},
         [](Inputs& in) { in.enclave.miscselect ^= sgx::miscselect::kExinfo; }, {"nYnn", "nYnn", "nYnn"}},
        {"SECS.MISCSELECT inside the mask", [](Inputs& in) { in.request.miscmask = ~0u; },
         [](Inputs& in) { in.enclave.miscselect ^= sgx::miscselect::kExinfo; }, {"YYYY", "YYYY", "YYYY"}},
        {"KEYREQUEST.ATTRIBUTEMASK.FLAGS (bit the SECS has)", {},
         [](Inputs& in) { in.request.attributemask.flags ^= sgx::attr::kMode64Bit; }, {"YnYY", "YnYY", "YnYY"}},
        {"KEYREQUEST.ATTRIBUTEMASK.FLAGS (bit the SECS lacks)", {},
         [](Inputs& in) { in.request.attributemask.flags ^= 0x100; }, {"YnYY", "YnYY", "YnYY"}},
        {"KEYREQUEST.ATTRIBUTEMASK.XFRM", {}, [](Inputs& in) { in.request.attributemask.xfrm ^= 0x1; },
         {"YnYY", "YnYY", "YnYY"}},
        {"KEYREQUEST.MISCMASK", {}, [](Inputs& in) { in.request.miscmask ^= 0x2; }, {"YnYY", "YnYY", "YnYY"}},
        {"KEYREQUEST.ISVSVN (lowered)", {}, [](Inputs& in) { in.request.isvsvn = 3; }, {"YnYY", "YnYY", "YnYY"}},
        {"KEYREQUEST.CPUSVN (lowered)", {}, [](Inputs& in) { in.request.cpusvn[0] -= 1; }, {"YnYY", "YnYY", "YnYY"}},
        {"KEYREQUEST.CONFIGSVN (lowered)", {}, [](Inputs& in) { in.request.configsvn = 1; },
         {"YnnY", "nnnn", "nnnn"}},
        {"KEYREQUEST.KEYID", {}, [](Inputs& in) { in.request.keyid[31] ^= 0x01; }, {"YYnn", "YYnn", "YYnn"}},
        {"KEYREQUEST.KEYPOLICY.MRENCLAVE", {}, toggle_policy(kp::kMrenclave), {"YnnY", "YnnY", "YnnY"}},
        {"KEYREQUEST.KEYPOLICY.MRSIGNER", {}, toggle_policy(kp::kMrsigner), {"YnnY", "YnnY", "YnnY"}},
        {"KEYREQUEST.KEYPOLICY.NOISVPRODID", {}, toggle_policy(kp::kNoIsvProdId), {"YnnY", "YnnY", "YnnY"}},
        {"KEYREQUEST.KEYPOLICY.CONFIGID", {}, toggle_policy(kp::kConfigId), {"YnnY", "YnnY", "YnnY"}},
        {"KEYREQUEST.KEYPOLICY.ISVFAMILYID", {}, toggle_policy(kp::kIsvFamilyId), {"YnnY", "YnnY", "YnnY"}},
        {"KEYREQUEST.KEYPOLICY.ISVEXTPRODID", {}, toggle_policy(kp::kIsvExtProdId), {"YnnY", "YnnY", "YnnY"}},
        {"CR_SEAL_FUSES", {}, flip_secret(&PlatformSecrets::seal_fuses), {"YYnY", "YYnY", "YYnY"}},
        {"provisioning fuses", {}, flip_secret(&PlatformSecrets::provisioning_fuses), {"nnYY", "nnYY", "nnYY"}},
        {"CR_SGXOWNEREPOCH", {}, flip_secret(&PlatformSecrets::owner_epoch), {"YYnn", "YYnn", "YYnn"}},
        {"CR_CPUSVN (raised)", {}, [](Inputs& in) { in.secrets.cpusvn[15] += 1; }, {"nYnn", "nYnn", "nYnn"}},
        {"CR_REPORT_KEYID", {}, flip_secret(&PlatformSecrets::report_keyid), {"nnnn", "nnnn", "nnnn"}},
    };
    return cases;
}

TEST(KeyDerivation, EveryDependencyChangesTheKeyExactlyWhenItsKeyNameAndPolicyIncludeIt) {
    int checked = 0;
    for (const DependencyCase& c : dependency_cases()) {
        for (size_t p = 0; p < std::size(kBasePolicies); ++p) {
            for (size_t n = 0; n < std::size(kKeyNames); ++n) {
                SCOPED_TRACE(std::string(c.what) + ", key " + name_of(kKeyNames[n]) + ", policy 0x" +
                             std::to_string(kBasePolicies[p]));
                Inputs base;
                base.request = test_request(kKeyNames[n], kBasePolicies[p]);
                if (c.prepare)
                    c.prepare(base);
                Inputs changed = base;
                c.change(changed);
                const Key before = derive_ok(base);
                const Key after = derive_ok(changed);
                if (c.expect[p][n] == 'Y')
                    EXPECT_NE(before, after) << "the key does not depend on this input";
                else
                    EXPECT_EQ(before, after) << "the key depends on an input it must ignore";
                ++checked;
            }
        }
    }
    EXPECT_EQ(checked, static_cast<int>(dependency_cases().size() * 12));
}

TEST(KeyDerivation, SameInputsGiveTheSameKey) {
    for (KeyName name : kKeyNames) {
        for (uint16_t policy : kBasePolicies) {
            Inputs a, b;
            a.request = test_request(name, policy);
            b.request = test_request(name, policy);
            EXPECT_EQ(derive_ok(a), derive_ok(b)) << name_of(name);
            EXPECT_EQ(derive_ok(a), derive_ok(a)) << name_of(name);
        }
    }
}

TEST(KeyDerivation, EveryKeyNameGivesADifferentKey) {
    std::set<Key> keys;
    for (KeyName name : kKeyNames) {
        Inputs in;
        in.request = test_request(name, kSignerOnly);
        keys.insert(derive_ok(in));
    }
    EXPECT_EQ(keys.size(), std::size(kKeyNames));
}

TEST(KeyDerivation, RequestFieldsTheReportKeyIgnoresAreNotChecked) {
    // The REPORT key takes ISVSVN, CPUSVN and the masks from nowhere but the SECS and CR_CPUSVN.
    Inputs base;
    base.request = test_request(KeyName::kReport, 0);
    Inputs high = base;
    high.request.isvsvn = 0xffff;
    std::memset(high.request.cpusvn, 0xff, 16);
    high.request.configsvn = 3;
    EXPECT_EQ(derive_ok(base), derive_ok(high));
}

// ------------------------------------------------------------- lower SVNs

TEST(KeyDerivation, EveryLowerIsvsvnIsAllowedAndGivesItsOwnKey) {
    for (KeyName name : {KeyName::kSeal, KeyName::kProvision, KeyName::kProvisionSeal}) {
        std::set<Key> keys;
        for (uint16_t svn = 0; svn <= 5; ++svn) {
            Inputs in;
            in.request = test_request(name, kSignerOnly);
            in.request.isvsvn = svn;
            keys.insert(derive_ok(in));
        }
        EXPECT_EQ(keys.size(), 6u) << name_of(name);
    }
}

TEST(KeyDerivation, EveryLowerCpusvnComponentIsAllowedAndGivesItsOwnKey) {
    for (KeyName name : {KeyName::kSeal, KeyName::kProvision, KeyName::kProvisionSeal}) {
        Inputs current;
        current.request = test_request(name, kSignerOnly);
        std::set<Key> keys{derive_ok(current)};
        size_t expected = 1;
        for (size_t i = 0; i < 16; ++i) {
            if (kDefaultCpusvn[i] == 0)
                continue;
            Inputs lower = current;
            lower.request.cpusvn[i] = 0;
            keys.insert(derive_ok(lower));
            ++expected;
        }
        Inputs zero = current;
        std::memset(zero.request.cpusvn, 0, 16);
        keys.insert(derive_ok(zero));
        ++expected;
        EXPECT_EQ(keys.size(), expected) << name_of(name);
    }
}

TEST(KeyDerivation, LowerConfigsvnIsAllowed) {
    for (uint16_t svn = 0; svn <= 3; ++svn) {
        Inputs in;
        in.request = test_request(KeyName::kSeal, kp::kConfigId);
        in.request.configsvn = svn;
        derive_ok(in);
    }
}

TEST(KeyDerivation, CpusvnComparisonIsComponentWise) {
    std::array<uint8_t, 16> current{};
    current[3] = 5;
    current[9] = 2;
    uint8_t request[16] = {};
    EXPECT_FALSE(cpusvn_above(request, current));
    request[3] = 5;
    request[9] = 2;
    EXPECT_FALSE(cpusvn_above(request, current));
    request[3] = 4;
    request[9] = 3;  // lower overall as a number, but component 9 is above
    EXPECT_TRUE(cpusvn_above(request, current));
    uint8_t only_low_component[16] = {};
    only_low_component[15] = 1;
    EXPECT_TRUE(cpusvn_above(only_low_component, current));
}

// ------------------------------------------------------------- errors

TEST(KeyDerivationErrors, ReservedBytesAreRejected) {
    Inputs in;
    in.request = test_request(KeyName::kSeal, kSignerOnly);
    in.request.reserved1 = 1;
    expect_error(in, CCBOX_INVALID_PARAMETER, "KEYREQUEST.RESERVED (offset 6)");
    for (size_t i = 0; i < sizeof in.request.reserved2; ++i) {
        Inputs r;
        r.request = test_request(KeyName::kSeal, kSignerOnly);
        r.request.reserved2[i] = 0x80;
        expect_error(r, CCBOX_INVALID_PARAMETER, "byte at offset " + std::to_string(78 + i));
    }
}

TEST(KeyDerivationErrors, ReservedPolicyBitsAreRejected) {
    for (unsigned bit = 6; bit < 16; ++bit) {
        Inputs in;
        in.request = test_request(KeyName::kSeal, static_cast<uint16_t>(kSignerOnly | (1u << bit)));
        expect_error(in, CCBOX_INVALID_PARAMETER, "KEYREQUEST.KEYPOLICY");
    }
}

TEST(KeyDerivationErrors, KssInputsNeedTheKssAttribute) {
    for (KeyName name : kKeyNames) {
        for (uint16_t bit : {kp::kNoIsvProdId, kp::kConfigId, kp::kIsvFamilyId, kp::kIsvExtProdId}) {
            Inputs in;
            in.enclave.attributes.flags &= ~sgx::attr::kKss;
            in.request = test_request(name, static_cast<uint16_t>(kp::kMrsigner | bit));
            in.request.configsvn = 0;
            expect_error(in, CCBOX_INVALID_PARAMETER, "KEYREQUEST.KEYPOLICY");
        }
        Inputs in;
        in.enclave.attributes.flags &= ~sgx::attr::kKss;
        in.request = test_request(name, kp::kMrsigner);
        in.request.configsvn = 1;
        expect_error(in, CCBOX_INVALID_PARAMETER, "KEYREQUEST.CONFIGSVN");
        in.request.configsvn = 0;
        derive_ok(in);  // without KSS inputs the same request is fine
    }
}

TEST(KeyDerivationErrors, UnknownAndEinittokenKeyNamesAreRejected) {
    Inputs in;
    in.request = test_request(KeyName::kEinitToken, kSignerOnly);
    in.enclave.attributes.flags |= sgx::attr::kEinitTokenKey;
    expect_error(in, CCBOX_INVALID_KEYNAME, "EINITTOKEN");
    for (uint16_t name : {5, 6, 0x100, 0xffff}) {
        in.request.keyname = name;
        expect_error(in, CCBOX_INVALID_KEYNAME, "KEYREQUEST.KEYNAME " + std::to_string(name));
    }
}

TEST(KeyDerivationErrors, ProvisioningKeysNeedTheProvisionkeyAttribute) {
    for (KeyName name : {KeyName::kProvision, KeyName::kProvisionSeal}) {
        Inputs in;
        in.enclave.attributes.flags &= ~sgx::attr::kProvisionKey;
        in.request = test_request(name, kSignerOnly);
        expect_error(in, CCBOX_INVALID_ATTRIBUTE, "PROVISIONKEY");
        expect_error(in, CCBOX_INVALID_ATTRIBUTE, name_of(name));
    }
    Inputs seal;  // SEAL and REPORT keys do not need it
    seal.enclave.attributes.flags &= ~sgx::attr::kProvisionKey;
    seal.request = test_request(KeyName::kSeal, kSignerOnly);
    derive_ok(seal);
    seal.request.keyname = static_cast<uint16_t>(KeyName::kReport);
    derive_ok(seal);
}

TEST(KeyDerivationErrors, IsvsvnAndConfigsvnAboveTheEnclavesAreRejected) {
    for (KeyName name : {KeyName::kSeal, KeyName::kProvision, KeyName::kProvisionSeal}) {
        Inputs in;
        in.request = test_request(name, kSignerOnly);
        in.request.isvsvn = 6;
        expect_error(in, CCBOX_INVALID_ISVSVN, "KEYREQUEST.ISVSVN 6");
        in.request.isvsvn = 5;
        derive_ok(in);
        in.request.configsvn = 4;
        expect_error(in, CCBOX_INVALID_ISVSVN, "KEYREQUEST.CONFIGSVN 4");
    }
}

TEST(KeyDerivationErrors, CpusvnAboveThePlatformsInAnyComponentIsRejected) {
    for (KeyName name : {KeyName::kSeal, KeyName::kProvision, KeyName::kProvisionSeal}) {
        for (size_t i = 0; i < 16; ++i) {
            Inputs in;
            in.request = test_request(name, kSignerOnly);
            std::memset(in.request.cpusvn, 0, 16);  // everything else lower
            in.request.cpusvn[i] = static_cast<uint8_t>(kDefaultCpusvn[i] + 1);
            expect_error(in, CCBOX_INVALID_CPUSVN, "KEYREQUEST.CPUSVN");
        }
    }
}

// ------------------------------------------------------------- platform secrets in keys

TEST(KeyDerivation, AnotherPlatformGivesOtherKeys) {
    auto first = generate_platform_secrets();
    auto second = generate_platform_secrets();
    ASSERT_TRUE(first.ok() && second.ok());
    for (KeyName name : kKeyNames) {
        Inputs a, b;
        a.secrets = *first;
        b.secrets = *second;
        a.request = b.request = test_request(name, kSignerOnly);
        EXPECT_NE(derive_ok(a), derive_ok(b)) << name_of(name);
        Inputs fixed_a, fixed_b;
        fixed_b.secrets = fixed_secrets(1);
        fixed_a.request = fixed_b.request = test_request(name, kSignerOnly);
        EXPECT_NE(derive_ok(fixed_a), derive_ok(fixed_b)) << name_of(name);
    }
}

// ------------------------------------------------------------- the documented KDF

// CMAC-AES-256 through EVP_MAC, independent of the KBKDF provider.
Key cmac_aes256(const std::array<uint8_t, 32>& key, const std::vector<uint8_t>& data) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_CMAC, nullptr);
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    char cipher[] = "AES-256-CBC";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
                           OSSL_PARAM_construct_end()};
    Key out{};
    size_t len = 0;
    EXPECT_EQ(EVP_MAC_init(ctx, key.data(), key.size(), params), 1);
    EXPECT_EQ(EVP_MAC_update(ctx, data.data(), data.size()), 1);
    EXPECT_EQ(EVP_MAC_final(ctx, out.data(), &len, out.size()), 1);
    EXPECT_EQ(len, 16u);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return out;
}

// SP 800-108 counter mode with one iteration, as docs/key-derivation.md writes it out.
Key documented_kdf(const std::array<uint8_t, 32>& root, const std::vector<uint8_t>& record) {
    std::vector<uint8_t> input = {0, 0, 0, 1};
    const std::string label = "ccbox EGETKEY v1";
    input.insert(input.end(), label.begin(), label.end());
    input.push_back(0);
    input.insert(input.end(), record.begin(), record.end());
    for (uint8_t b : {0, 0, 0, 0x80})
        input.push_back(b);
    return cmac_aes256(root, input);
}

struct RecordBuilder {
    std::vector<uint8_t> bytes = std::vector<uint8_t>(658, 0);
    void put(size_t offset, const void* data, size_t size) {
        ASSERT_LE(offset + size, bytes.size());
        std::memcpy(bytes.data() + offset, data, size);
    }
    void u16(size_t offset, uint16_t v) { put(offset, &v, 2); }  // x86-64: little endian
    void u32(size_t offset, uint32_t v) { put(offset, &v, 4); }
    void u64(size_t offset, uint64_t v) { put(offset, &v, 8); }
};

TEST(KeyDerivationSpec, SealKeyIsTheDocumentedKbkdfOverTheDocumentedRecord) {
    Inputs in;
    in.request = test_request(KeyName::kSeal, kInclusive);
    const EnclaveKeyIdentity& e = in.enclave;
    const sgx::Keyrequest& r = in.request;
    RecordBuilder rec;
    rec.u16(0, 4);
    rec.put(2, e.isvfamilyid.data(), 16);
    rec.put(18, e.isvextprodid.data(), 16);
    rec.u16(34, e.isvprodid);
    rec.u16(36, r.isvsvn);
    rec.put(38, in.secrets.owner_epoch.data(), 16);
    rec.u64(54, (r.attributemask.flags | 3) & e.attributes.flags);
    rec.u64(62, r.attributemask.xfrm & e.attributes.xfrm);
    rec.u64(70, r.attributemask.flags);
    rec.u64(78, r.attributemask.xfrm);
    rec.put(86, e.mrenclave.data(), 32);
    rec.put(118, e.mrsigner.data(), 32);
    rec.put(150, r.keyid, 32);
    rec.put(182, in.secrets.seal_fuses.data(), 32);
    rec.put(214, r.cpusvn, 16);
    rec.put(230, e.padding.data(), 352);
    rec.u32(582, r.miscmask & e.miscselect);
    rec.u32(586, ~r.miscmask);
    rec.u16(590, r.keypolicy);
    rec.put(592, e.configid.data(), 64);
    rec.u16(656, r.configsvn);
    EXPECT_EQ(derive_ok(in), documented_kdf(in.secrets.seal_fuses, rec.bytes));
}

TEST(KeyDerivationSpec, ReportKeyIsTheDocumentedKbkdfOverTheDocumentedRecord) {
    Inputs in;
    in.request = test_request(KeyName::kReport, 0);
    const EnclaveKeyIdentity& e = in.enclave;
    RecordBuilder rec;
    rec.u16(0, 3);
    rec.put(38, in.secrets.owner_epoch.data(), 16);
    rec.u64(54, e.attributes.flags);
    rec.u64(62, e.attributes.xfrm);
    rec.put(86, e.mrenclave.data(), 32);
    rec.put(150, in.request.keyid, 32);
    rec.put(182, in.secrets.seal_fuses.data(), 32);
    rec.put(214, in.secrets.cpusvn.data(), 16);
    rec.put(230, kPkcs1Sha256Padding.data(), 352);
    rec.u32(582, e.miscselect);
    rec.put(592, e.configid.data(), 64);
    rec.u16(656, e.configsvn);
    EXPECT_EQ(derive_ok(in), documented_kdf(in.secrets.seal_fuses, rec.bytes));
}

TEST(KeyDerivationSpec, ProvisionKeysAreTheDocumentedKbkdfOverTheDocumentedRecord) {
    Inputs in;
    in.request = test_request(KeyName::kProvision, kInclusive);
    const EnclaveKeyIdentity& e = in.enclave;
    const sgx::Keyrequest& r = in.request;
    RecordBuilder rec;
    rec.u16(0, 1);
    rec.u16(34, e.isvprodid);
    rec.u16(36, r.isvsvn);
    rec.u64(54, (r.attributemask.flags | 3) & e.attributes.flags);
    rec.u64(62, r.attributemask.xfrm & e.attributes.xfrm);
    rec.u64(70, r.attributemask.flags);
    rec.u64(78, r.attributemask.xfrm);
    rec.put(118, e.mrsigner.data(), 32);
    rec.put(214, r.cpusvn, 16);
    rec.put(230, e.padding.data(), 352);
    rec.u32(582, r.miscmask & e.miscselect);
    rec.u32(586, ~r.miscmask);
    EXPECT_EQ(derive_ok(in), documented_kdf(in.secrets.provisioning_fuses, rec.bytes));

    // PROVISION_SEAL: the same plus the policy's selections, the policy and the seal fuses.
    in.request.keyname = static_cast<uint16_t>(KeyName::kProvisionSeal);
    rec.u16(0, 2);
    rec.put(2, e.isvfamilyid.data(), 16);
    rec.put(18, e.isvextprodid.data(), 16);
    rec.put(182, in.secrets.seal_fuses.data(), 32);
    rec.u16(590, r.keypolicy);
    rec.put(592, e.configid.data(), 64);
    rec.u16(656, r.configsvn);
    EXPECT_EQ(derive_ok(in), documented_kdf(in.secrets.provisioning_fuses, rec.bytes));
}

TEST(KeyDerivationSpec, HardcodedPaddingIsTheSdmConstant) {
    EXPECT_EQ(kPkcs1Sha256Padding[0], 0x00);
    EXPECT_EQ(kPkcs1Sha256Padding[1], 0x01);
    for (size_t i = 2; i < 332; ++i)
        ASSERT_EQ(kPkcs1Sha256Padding[i], 0xff) << i;
    // HARDCODED_PKCS1_5_PADDING[2815:2656] = 2004000501020403650148866009060D30313000H, little endian
    const uint8_t tail[20] = {0x00, 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48,
                              0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    EXPECT_EQ(std::memcmp(kPkcs1Sha256Padding.data() + 332, tail, sizeof tail), 0);
    EXPECT_EQ(EnclaveKeyIdentity{}.padding, kPkcs1Sha256Padding);
}

// Pinned values: sealed data outlives software versions, so the derivation must not drift.
TEST(KeyDerivationSpec, KnownAnswers) {
    auto hex = [](const Key& k) {
        std::string s;
        char b[3];
        for (uint8_t v : k) {
            std::snprintf(b, sizeof b, "%02x", v);
            s += b;
        }
        return s;
    };
    Inputs seal;
    seal.request = test_request(KeyName::kSeal, kSignerOnly);
    Inputs report;
    report.request = test_request(KeyName::kReport, 0);
    Inputs provision;
    provision.request = test_request(KeyName::kProvision, 0);
    EXPECT_EQ(hex(derive_ok(seal)), "30b391f180e15378dded4deacae6fbd7");
    EXPECT_EQ(hex(derive_ok(report)), "f8fad7dea98a179bf67e5e23a273c827");
    EXPECT_EQ(hex(derive_ok(provision)), "f6f5fedd7d077c83a53e8a935b25a55e");
}

// ------------------------------------------------------------- secrets serialization

TEST(PlatformSecrets, GenerationDrawsFreshSecretsAndSetsCpusvn) {
    auto a = generate_platform_secrets();
    auto b = generate_platform_secrets();
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(a->seal_fuses, b->seal_fuses);
    EXPECT_NE(a->provisioning_fuses, b->provisioning_fuses);
    EXPECT_NE(a->report_keyid, b->report_keyid);
    EXPECT_NE(a->owner_epoch, b->owner_epoch);
    EXPECT_NE(a->seal_fuses, a->provisioning_fuses);
    EXPECT_EQ(a->cpusvn, kDefaultCpusvn);
    std::array<uint8_t, 16> custom{};
    custom[0] = 9;
    auto c = generate_platform_secrets(custom);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->cpusvn, custom);
}

TEST(PlatformSecrets, SerializationRoundTrips) {
    const PlatformSecrets original = fixed_secrets(3);
    const SecretBytes bytes = original.serialize();
    ASSERT_EQ(bytes.size(), kPlatformSecretsSize);
    EXPECT_EQ(kPlatformSecretsSize, 144u);
    EXPECT_EQ(std::memcmp(bytes.data(), "CCBXPSEC\x01\x00\x00\x00\x90\x00\x00\x00", 16), 0);
    EXPECT_EQ(std::memcmp(bytes.data() + 16, original.seal_fuses.data(), 32), 0);
    EXPECT_EQ(std::memcmp(bytes.data() + 128, original.cpusvn.data(), 16), 0);
    auto parsed = parse_platform_secrets(bytes.span(), "secrets.bin");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message();
    EXPECT_EQ(parsed->seal_fuses, original.seal_fuses);
    EXPECT_EQ(parsed->provisioning_fuses, original.provisioning_fuses);
    EXPECT_EQ(parsed->report_keyid, original.report_keyid);
    EXPECT_EQ(parsed->owner_epoch, original.owner_epoch);
    EXPECT_EQ(parsed->cpusvn, original.cpusvn);
    // and the parsed secrets derive the same keys
    for (KeyName name : kKeyNames) {
        Inputs a, b;
        b.secrets = *parsed;
        a.secrets = original;
        a.request = b.request = test_request(name, kSignerOnly);
        EXPECT_EQ(derive_ok(a), derive_ok(b));
    }
}

void expect_parse_error(std::span<const uint8_t> bytes, const std::string& fragment) {
    auto parsed = parse_platform_secrets(bytes, "/state/secrets.bin");
    ASSERT_FALSE(parsed.ok()) << "accepted " << bytes.size() << " bytes";
    EXPECT_EQ(parsed.error().code(), CCBOX_PLATFORM_ERROR);
    EXPECT_EQ(parsed.error().message().rfind("/state/secrets.bin: ", 0), 0u) << parsed.error().message();
    EXPECT_NE(parsed.error().message().find(fragment), std::string::npos)
        << "message \"" << parsed.error().message() << "\" does not mention \"" << fragment << "\"";
}

TEST(PlatformSecrets, EveryTruncationIsRejected) {
    const SecretBytes bytes = fixed_secrets().serialize();
    for (size_t n = 0; n < bytes.size(); ++n)
        expect_parse_error(bytes.span().first(n), n < kPlatformSecretsHeaderSize ? "truncated" : "(truncated)");
    std::vector<uint8_t> longer(bytes.data(), bytes.data() + bytes.size());
    longer.push_back(0);
    expect_parse_error(longer, "145 bytes, expected 144");
}

TEST(PlatformSecrets, WrongMagicVersionOrLengthIsRejected) {
    const SecretBytes good = fixed_secrets().serialize();
    const std::vector<uint8_t> original(good.data(), good.data() + good.size());
    for (size_t i = 0; i < 8; ++i) {
        auto bad = original;
        bad[i] ^= 0x20;
        expect_parse_error(bad, "magic");
    }
    for (uint32_t version : {0u, 2u, 0x01000000u}) {
        auto bad = original;
        std::memcpy(bad.data() + 8, &version, 4);
        expect_parse_error(bad, "version " + std::to_string(version) + " is not supported");
    }
    for (uint32_t length : {0u, 143u, 145u, 0xffffffffu}) {
        auto bad = original;
        std::memcpy(bad.data() + 12, &length, 4);
        expect_parse_error(bad, "length field is " + std::to_string(length));
    }
}

}  // namespace
}  // namespace ccbox
