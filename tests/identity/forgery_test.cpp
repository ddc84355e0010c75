// Issue 16, acceptance 1: sealed blobs whose KEYREQUEST ccbox_seal would not make are refused.
// The attacker builds an enclave with the victim's public ProductID under a key of its own,
// asks for a seal key with a weaker KEYREQUEST (KEYPOLICY 0: no MRENCLAVE and no MRSIGNER,
// or masks without DEBUG), forges a blob under it on the host, and hands it to the victim.
#include "host/enclave.hpp"
#include "identity_fixture.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <cstring>

namespace {

using namespace identity_test;

// KEYREQUEST offsets (sgx-formats.md) inside a 512-byte key_info and inside a blob (+16).
constexpr size_t kKeyPolicy = 2, kReserved1 = 6, kAttributeMask = 24, kXfrmMask = 32, kMiscMask = 72,
                 kConfigSvn = 76, kReserved2 = 78;
constexpr size_t kBlobRequest = 16, kBlobTag = 552, kBlobHeader = 568;

void put16(uint8_t* p, uint16_t v) { std::memcpy(p, &v, 2); }
void put64(uint8_t* p, uint64_t v) { std::memcpy(p, &v, 8); }

// A blob in the format of docs/sealing.md, made on the host under `seal_key` (what ccbox_seal
// does inside an enclave): HKDF-SHA-256 to the AES-256-GCM key, the header up to the tag and
// the aad authenticated.
Bytes forge_blob(const uint8_t seal_key[16], const uint8_t request[512], const Bytes& plaintext, const Bytes& aad) {
    Bytes blob(kBlobHeader + plaintext.size(), 0);
    std::memcpy(blob.data(), "CCBXSEAL", 8);
    const uint32_t version = 1, header = kBlobHeader;
    std::memcpy(&blob[8], &version, 4);
    std::memcpy(&blob[12], &header, 4);
    std::memcpy(&blob[kBlobRequest], request, 512);
    EXPECT_EQ(RAND_bytes(&blob[528], 12), 1);
    put64(&blob[544], plaintext.size());

    uint8_t key[32];
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    EVP_KDF_CTX* kctx = EVP_KDF_CTX_new(kdf);
    char digest[] = "SHA256";
    char info[] = "ccbox seal v1 aes-256-gcm";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(seal_key), 16),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, sizeof info - 1),
        OSSL_PARAM_construct_end(),
    };
    EXPECT_EQ(EVP_KDF_derive(kctx, key, sizeof key, params), 1);
    EVP_KDF_CTX_free(kctx);
    EVP_KDF_free(kdf);

    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    EXPECT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key, &blob[528]), 1);
    EXPECT_EQ(EVP_EncryptUpdate(ctx, nullptr, &n, blob.data(), kBlobTag), 1);
    if (!aad.empty()) {
        EXPECT_EQ(EVP_EncryptUpdate(ctx, nullptr, &n, aad.data(), static_cast<int>(aad.size())), 1);
    }
    EXPECT_EQ(EVP_EncryptUpdate(ctx, &blob[kBlobHeader], &n, plaintext.data(), static_cast<int>(plaintext.size())), 1);
    EXPECT_EQ(EVP_EncryptFinal_ex(ctx, &blob[kBlobHeader], &n), 1);
    EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, &blob[kBlobTag]), 1);
    EVP_CIPHER_CTX_free(ctx);
    return blob;
}

const Bytes kForged = {'f', 'o', 'r', 'g', 'e', 'd', ' ', 'b', 'y', ' ', 'h', 'o', 's', 't'};
const Bytes kAad = {'d', 'a', 't', 'a', '-', 's', 'e', 'a', 'l', 'i', 'n', 'g'};

// A key_info as the attacker enclave's own ccbox_get_seal_key_by_policy makes it, then
// changed by `downgrade`; the key the attacker's ccbox_get_seal_key gives for it (result in *r).
Bytes attacker_key(ccbox_enclave_t* attacker, void (*downgrade)(uint8_t* info), uint8_t info[512], int* r) {
    uint8_t key[16];
    EXPECT_EQ(id_seal_key(attacker, r, CCBOX_SEAL_POLICY_PRODUCT, key, info), CCBOX_OK);
    EXPECT_EQ(*r, CCBOX_OK);
    downgrade(info);
    EXPECT_EQ(id_seal_key_again(attacker, r, info, key), CCBOX_OK);
    return *r == CCBOX_OK ? Bytes(key, key + 16) : Bytes{};
}

void keypolicy_zero(uint8_t* info) { put16(info + kKeyPolicy, 0); }

class Forgery : public ::testing::TestWithParam<Backend> {
protected:
    Backend backend() const { return GetParam(); }

    // The attack on one victim/attacker pair (same ProductID, other code, other signer).
    void attack(const std::string& victim_image, const std::string& attacker_image, uint32_t flags) {
        Enclave victim(backend(), image(victim_image), nullptr, flags);
        Enclave attacker(backend(), image(attacker_image), nullptr, flags);
        ASSERT_EQ(victim.created, CCBOX_OK) << ccbox_get_last_error();
        ASSERT_EQ(attacker.created, CCBOX_OK) << ccbox_get_last_error();
        ccbox_enclave_identity_t v{}, a{};
        ASSERT_EQ(ccbox_get_enclave_identity(victim, &v), CCBOX_OK);
        ASSERT_EQ(ccbox_get_enclave_identity(attacker, &a), CCBOX_OK);
        ASSERT_NE(std::memcmp(v.mrenclave, a.mrenclave, 32), 0) << "the fixture: other code";
        ASSERT_NE(std::memcmp(v.mrsigner, a.mrsigner, 32), 0) << "the fixture: another signer";
        ASSERT_EQ(v.isvprodid, a.isvprodid) << "the fixture: the victim's public ProductID";
        ASSERT_EQ(v.attributes & 2, a.attributes & 2) << "the fixture: the same Debug setting";
        ASSERT_EQ(v.attributes & 2, (flags & CCBOX_ENCLAVE_FLAG_DEBUG) ? 2u : 0u);

        // The attacker's enclave asks its own ccbox_get_seal_key for a KEYPOLICY-0 key: refused.
        uint8_t info[512];
        int r = -1;
        Bytes key = attacker_key(attacker, keypolicy_zero, info, &r);
        EXPECT_EQ(r, CCBOX_INVALID_KEYPOLICY) << ccbox_result_str(static_cast<ccbox_result_t>(r));

        // Whatever key the attacker has (the one the old SDK gave, or a guess), a blob whose
        // KEYREQUEST has KEYPOLICY 0 is refused before any key is derived for it.
        if (key.empty())
            key.assign(16, 0x41);
        Bytes forged = forge_blob(key.data(), info, kForged, kAad), plain;
        EXPECT_EQ(unseal(victim, forged, &plain, kAad), CCBOX_INVALID_KEYPOLICY);
        EXPECT_TRUE(plain.empty()) << "the victim accepted the host's data as its own";

        // The victim's own sealing still works.
        Bytes own;
        ASSERT_EQ(seal(victim, CCBOX_SEAL_POLICY_PRODUCT, kForged, &own, kAad), CCBOX_OK);
        ASSERT_EQ(unseal(victim, own, &plain, kAad), CCBOX_OK);
        EXPECT_EQ(plain, kForged);
    }
};

TEST_P(Forgery, KeyPolicyZeroBlobFromADebugAttackerIsRefused) {
    attack("identity_enclave.signed", "identity_enclave_b.signer2.signed", CCBOX_ENCLAVE_FLAG_DEBUG);
}

TEST_P(Forgery, KeyPolicyZeroBlobFromAProductionAttackerIsRefused) {
    attack("identity_enclave.production.signed", "identity_enclave_b.signer2.production.signed", 0);
}

// Every way a KEYREQUEST can differ from what ccbox_seal makes, and the result that names it.
struct Downgrade {
    const char* what;
    void (*change)(uint8_t* info);
    ccbox_result_t expected;
};
const Downgrade kDowngrades[] = {
    {"KEYPOLICY 0", keypolicy_zero, CCBOX_INVALID_KEYPOLICY},
    {"KEYPOLICY MRENCLAVE|MRSIGNER", [](uint8_t* i) { put16(i + kKeyPolicy, 3); }, CCBOX_INVALID_KEYPOLICY},
    {"KEYPOLICY MRSIGNER|NOISVPRODID", [](uint8_t* i) { put16(i + kKeyPolicy, 6); }, CCBOX_INVALID_KEYPOLICY},
    {"KEYPOLICY MRSIGNER|CONFIGID", [](uint8_t* i) { put16(i + kKeyPolicy, 0x0a); }, CCBOX_INVALID_KEYPOLICY},
    {"KEYPOLICY reserved bit 15", [](uint8_t* i) { put16(i + kKeyPolicy, 0x8002); }, CCBOX_INVALID_KEYPOLICY},
    {"ATTRIBUTEMASK without DEBUG", [](uint8_t* i) { i[kAttributeMask] &= static_cast<uint8_t>(~2u); },
     CCBOX_INVALID_KEYREQUEST},
    {"ATTRIBUTEMASK 0", [](uint8_t* i) { std::memset(i + kAttributeMask, 0, 8); }, CCBOX_INVALID_KEYREQUEST},
    {"ATTRIBUTEMASK with more bits", [](uint8_t* i) { i[kAttributeMask] |= 0x10; }, CCBOX_INVALID_KEYREQUEST},
    {"XFRM mask", [](uint8_t* i) { i[kXfrmMask] = 3; }, CCBOX_INVALID_KEYREQUEST},
    {"MISCMASK 0", [](uint8_t* i) { std::memset(i + kMiscMask, 0, 4); }, CCBOX_INVALID_KEYREQUEST},
    {"CONFIGSVN", [](uint8_t* i) { i[kConfigSvn] = 1; }, CCBOX_INVALID_KEYREQUEST},
    {"RESERVED (offset 6)", [](uint8_t* i) { i[kReserved1] = 1; }, CCBOX_INVALID_KEYREQUEST},
    {"RESERVED (offset 78)", [](uint8_t* i) { i[kReserved2] = 0x80; }, CCBOX_INVALID_KEYREQUEST},
    {"RESERVED (offset 511)", [](uint8_t* i) { i[511] = 1; }, CCBOX_INVALID_KEYREQUEST},
};

// An application that keeps key_info on the host and asks ccbox_get_seal_key for the key
// again gets every downgraded key_info refused, and an unchanged one still works.
TEST_P(Forgery, DowngradedKeyInfoIsRefusedByGetSealKey) {
    Enclave victim(backend(), image("identity_enclave.signed"));
    ASSERT_EQ(victim.created, CCBOX_OK) << ccbox_get_last_error();
    for (int policy : {CCBOX_SEAL_POLICY_UNIQUE, CCBOX_SEAL_POLICY_PRODUCT}) {
        uint8_t key[16], info[512], again[16];
        int r = -1;
        ASSERT_EQ(id_seal_key(victim, &r, policy, key, info), CCBOX_OK);
        ASSERT_EQ(r, CCBOX_OK);
        for (const Downgrade& d : kDowngrades) {
            uint8_t changed[512];
            std::memcpy(changed, info, sizeof changed);
            d.change(changed);
            std::memset(again, 0, sizeof again);
            ASSERT_EQ(id_seal_key_again(victim, &r, changed, again), CCBOX_OK);
            EXPECT_EQ(r, d.expected) << d.what << ": " << ccbox_result_str(static_cast<ccbox_result_t>(r));
            EXPECT_EQ(Bytes(again, again + 16), Bytes(16, 0)) << d.what << ": no key released";
        }
        ASSERT_EQ(id_seal_key_again(victim, &r, info, again), CCBOX_OK);
        ASSERT_EQ(r, CCBOX_OK);
        EXPECT_EQ(std::memcmp(key, again, 16), 0) << "the unchanged key_info still gives the key";
    }
}

// The victim's own blob with its KEYREQUEST changed in any of these ways is refused with the
// error that names the field, before EGETKEY (not as a failed MAC).
TEST_P(Forgery, BlobWithAnyOtherKeyRequestIsRefused) {
    Enclave victim(backend(), image("identity_enclave.signed"));
    ASSERT_EQ(victim.created, CCBOX_OK) << ccbox_get_last_error();
    Bytes blob, plain;
    ASSERT_EQ(seal(victim, CCBOX_SEAL_POLICY_UNIQUE, kForged, &blob, kAad), CCBOX_OK);
    for (const Downgrade& d : kDowngrades) {
        Bytes changed = blob;
        d.change(&changed[kBlobRequest]);
        EXPECT_EQ(unseal(victim, changed, &plain, kAad), d.expected) << d.what;
        EXPECT_TRUE(plain.empty()) << d.what;
    }
    EXPECT_EQ(unseal(victim, blob, &plain, kAad), CCBOX_OK);
}

// The mask downgrade: the victim's own image (Debug=1 in its configuration) launched in debug
// mode, where the host can read its memory, asks for the victim's MRENCLAVE key without the
// DEBUG bit in the mask. EGETKEY itself always counts DEBUG (the SDM's required sealing mask),
// so that key was never the production enclave's; the SDK now refuses the request outright,
// and a blob carrying it is refused before any key is derived.
TEST_P(Forgery, DebugLaunchCannotDropDebugFromTheMask) {
    Enclave victim(backend(), image("identity_enclave.signed"));
    Enclave debug(backend(), image("identity_enclave.signed"), nullptr, CCBOX_ENCLAVE_FLAG_DEBUG);
    ASSERT_EQ(victim.created, CCBOX_OK) << ccbox_get_last_error();
    ASSERT_EQ(debug.created, CCBOX_OK) << ccbox_get_last_error();
    uint8_t info[512];
    int r = -1;
    Bytes key = attacker_key(
        debug, [](uint8_t* i) { put16(i + kKeyPolicy, 1); i[kAttributeMask] &= static_cast<uint8_t>(~2u); }, info, &r);
    EXPECT_EQ(r, CCBOX_INVALID_KEYREQUEST) << ccbox_result_str(static_cast<ccbox_result_t>(r));
    if (key.empty())
        key.assign(16, 0x41);
    Bytes forged = forge_blob(key.data(), info, kForged, kAad), plain;
    EXPECT_EQ(unseal(victim, forged, &plain, kAad), CCBOX_INVALID_KEYREQUEST);
    EXPECT_TRUE(plain.empty()) << "the production enclave accepted a blob the debug launch made";
}

// The documented opt-in: the enclave's own code may still ask for a weaker key, and gets it
// (here KEYPOLICY 0, which the attacker's enclave derives too: why it is only an opt-in), but
// not for a request in host memory.
TEST_P(Forgery, WeakerKeysOnlyThroughTheEnclavesOwnRequest) {
    Enclave victim(backend(), image("identity_enclave.signed"));
    Enclave attacker(backend(), image("identity_enclave_b.signer2.signed"));
    ASSERT_EQ(victim.created, CCBOX_OK) << ccbox_get_last_error();
    ASSERT_EQ(attacker.created, CCBOX_OK) << ccbox_get_last_error();
    uint8_t v_key[16], a_key[16], strong_v[16], strong_a[16];
    int r = -1;
    ASSERT_EQ(id_seal_key_own_request(victim, &r, 0, 0xff0000000000000bull, v_key), CCBOX_OK);
    ASSERT_EQ(r, CCBOX_OK) << ccbox_result_str(static_cast<ccbox_result_t>(r));
    ASSERT_EQ(id_seal_key_own_request(attacker, &r, 0, 0xff0000000000000bull, a_key), CCBOX_OK);
    ASSERT_EQ(r, CCBOX_OK);
    EXPECT_EQ(std::memcmp(v_key, a_key, 16), 0) << "KEYPOLICY 0 ignores both MRENCLAVE and MRSIGNER";
    ASSERT_EQ(id_seal_key_own_request(victim, &r, 2, 0xff0000000000000bull, strong_v), CCBOX_OK);
    ASSERT_EQ(id_seal_key_own_request(attacker, &r, 2, 0xff0000000000000bull, strong_a), CCBOX_OK);
    EXPECT_NE(std::memcmp(strong_v, strong_a, 16), 0) << "MRSIGNER keys differ between signers";

    uint8_t info[512], key[16];
    ASSERT_EQ(id_seal_key(victim, &r, CCBOX_SEAL_POLICY_PRODUCT, key, info), CCBOX_OK);
    keypolicy_zero(info);
    void* host = victim.e->backend->allocate_shared(sizeof info);
    std::memcpy(host, info, sizeof info);
    ASSERT_EQ(id_seal_key_host_request(victim, &r, static_cast<const uint8_t*>(host), key), CCBOX_OK);
    EXPECT_EQ(r, CCBOX_INVALID_PARAMETER) << "a request in host memory is not the enclave's own";
    victim.e->backend->free_shared(host);
}

INSTANTIATE_TEST_SUITE_P(Backends, Forgery, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

}  // namespace
