// SIGSTRUCT building, signing and every EINIT check, against SIGSTRUCTs made by other
// toolchains (shared/testdata/sigstruct).
#include "platform/sigstruct.hpp"
#include "support/file_io.hpp"
#include "support/hex.hpp"
#include "test_support.hpp"

#include <cstring>

namespace ccbox {
namespace {

sgx::Sigstruct load_sigstruct(const std::string& name) {
    auto bytes = test::read_bytes(test::testdata_dir() + "/sigstruct/" + name);
    sgx::Sigstruct sig{};
    EXPECT_EQ(bytes.size(), sizeof sig);
    std::memcpy(&sig, bytes.data(), std::min(bytes.size(), sizeof sig));
    return sig;
}

RsaKey sig1_key() {
    auto key = RsaKey::load_pem_file(test::testdata_dir() + "/sigstruct/sig1.key.pem", false);
    EXPECT_TRUE(key.ok());
    return key.value();
}

SigstructFields sig1_fields() {
    SigstructFields f;
    f.vendor = 0;
    f.date = 0x20160109;
    f.miscselect = 0;
    f.miscmask = 0xffffffff;
    f.attributes = {0x4, 0x3};
    f.attributemask = {0xfffffffffffffffdull, 0xffffffffffffff1bull};
    auto hash = from_hex("c50673624a6cb17c1c6c2a4e6906f47a170c4629b8723781d1017ef376f1a75d", 32, "hash");
    std::copy(hash->begin(), hash->end(), f.enclavehash.begin());
    return f;
}

const SigstructCheck* find_check(const std::vector<SigstructCheck>& checks, const std::string& name) {
    for (const auto& c : checks)
        if (c.name == name)
            return &c;
    return nullptr;
}

std::vector<std::string> failed_checks(const std::vector<SigstructCheck>& checks) {
    std::vector<std::string> out;
    for (const auto& c : checks)
        if (!c.passed)
            out.push_back(c.name);
    return out;
}

TEST(Sigstruct, LayoutMatchesARealSigstruct) {
    CCBOX_REQUIRE_TESTDATA();
    sgx::Sigstruct sig = load_sigstruct("test_enclave.sig");
    EXPECT_EQ(sig.isvprodid, 65535);
    EXPECT_EQ(sig.isvsvn, 0);
    EXPECT_EQ(sig.date, 0x20161214u);
    EXPECT_EQ(sig.exponent, 3u);
    EXPECT_EQ(sig.attributes.flags, 0x4u);
    EXPECT_EQ(sig.attributes.xfrm, 0x3u);
    EXPECT_EQ(sig.attributemask.flags, 0xfffffffffffffffdull);
    EXPECT_EQ(to_hex(sig.enclavehash), "784acfd7d5096a8f0fbd3265760bff21b120f62407a9a9e5ba31aa3c8ed198fc");
    EXPECT_EQ(to_hex(mrsigner_of(sig)), "fb4bab3d6036ac1d730fa83d7366df1dd2dfeac194ef335d6854d8a6c6475542");
}

TEST(Sigstruct, RealSigstructPassesEveryCheck) {
    CCBOX_REQUIRE_TESTDATA();
    auto checks = check_sigstruct(load_sigstruct("test_enclave.sig"));
    EXPECT_TRUE(failed_checks(checks).empty());
    EXPECT_TRUE(find_check(checks, "signature")->passed);
    EXPECT_TRUE(find_check(checks, "q1/q2")->passed);
}

TEST(Sigstruct, ReproducesSig1ByteForByte) {
    CCBOX_REQUIRE_TESTDATA();
    auto signed_sig = sign_sigstruct(make_unsigned_sigstruct(sig1_fields()), sig1_key());
    ASSERT_TRUE(signed_sig.ok()) << signed_sig.error().message();
    auto expected = test::read_bytes(test::testdata_dir() + "/sigstruct/sig1.sigstruct.bin");
    ASSERT_EQ(expected.size(), sizeof(sgx::Sigstruct));
    EXPECT_EQ(std::memcmp(&signed_sig.value(), expected.data(), expected.size()), 0);
    EXPECT_EQ(to_hex(mrsigner_of(*signed_sig)), "83d719e77deaca1470f6baf62a4d774303c899db69020f9c70ee1dfc08c7ce9e");
}

TEST(Sigstruct, TwoStepSigningEqualsOneStep) {
    CCBOX_REQUIRE_TESTDATA();
    RsaKey key = sig1_key();
    sgx::Sigstruct unsigned_sig = make_unsigned_sigstruct(sig1_fields());
    // An offline signer only ever sees the digest.
    auto signature = key.sign_sha256_digest(sigstruct_signing_digest(unsigned_sig));
    ASSERT_TRUE(signature.ok());
    auto public_key = RsaKey::from_modulus_le(load_sigstruct("sig1.sigstruct.bin").modulus, 3);
    ASSERT_TRUE(public_key.ok());
    auto assembled = attach_signature(unsigned_sig, *public_key, *signature);
    ASSERT_TRUE(assembled.ok()) << assembled.error().message();
    auto one_step = sign_sigstruct(unsigned_sig, key);
    EXPECT_EQ(std::memcmp(&assembled.value(), &one_step.value(), sizeof(sgx::Sigstruct)), 0);

    // A signature of anything else does not attach.
    SigstructFields other = sig1_fields();
    other.isvsvn = 1;
    auto wrong = attach_signature(make_unsigned_sigstruct(other), *public_key, *signature);
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().code(), CCBOX_INVALID_SIGNATURE);
    EXPECT_NE(wrong.error().message().find("does not verify"), std::string::npos);
}

TEST(Sigstruct, RefusesKeysThatAreNotRsa3072WithExponent3) {
    auto check = [](const char* openssl_args) {
        test::TempDir dir;
        std::string path = dir.file("key.pem");
        std::string command = std::string("openssl genpkey -algorithm RSA ") + openssl_args + " -out " + path +
                              " 2>/dev/null";
        EXPECT_EQ(std::system(command.c_str()), 0);
        auto key = RsaKey::load_pem_file(path, false);
        EXPECT_TRUE(key.ok());
        auto refused = require_sgx_signing_key(*key, path);
        EXPECT_FALSE(refused.ok());
        EXPECT_EQ(refused.error().code(), CCBOX_INVALID_SGX_SIGNING_KEY);
        EXPECT_NE(refused.error().message().find("RSA-3072 with public exponent 3"), std::string::npos);
        EXPECT_NE(refused.error().message().find("ccbox keygen"), std::string::npos);
        return refused.error().message();
    };
    EXPECT_NE(check("-pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_keygen_pubexp:3").find("RSA-2048"), std::string::npos);
    EXPECT_NE(check("-pkeyopt rsa_keygen_bits:3072").find("exponent 65537"), std::string::npos);
    auto garbage = RsaKey::from_pem(std::vector<uint8_t>{'n', 'o', 'p', 'e'}, "junk.pem", false);
    ASSERT_FALSE(garbage.ok());
    EXPECT_NE(garbage.error().message().find("junk.pem: not a PEM RSA private key"), std::string::npos);
}

TEST(Sigstruct, GeneratedKeysAreSgxKeys) {
    auto key = RsaKey::generate_sgx_key();
    ASSERT_TRUE(key.ok());
    EXPECT_TRUE(require_sgx_signing_key(*key, "generated").ok());
    const std::string pem = key->private_pem();
    auto reloaded = RsaKey::from_pem(std::vector<uint8_t>(pem.begin(), pem.end()), "generated", false);
    ASSERT_TRUE(reloaded.ok());
    EXPECT_EQ(reloaded->modulus_be(384), key->modulus_be(384));
}

// Each tampering makes its own check fail (and the signature, when the byte is signed).
TEST(Sigstruct, EveryCheckHasItsOwnFailure) {
    CCBOX_REQUIRE_TESTDATA();
    const sgx::Sigstruct good = load_sigstruct("test_enclave.sig");
    struct Case {
        const char* check;
        void (*tamper)(sgx::Sigstruct&);
        const char* message;
    };
    const Case cases[] = {
        {"header", [](sgx::Sigstruct& s) { s.header[4] ^= 1; }, "HEADER is"},
        {"vendor", [](sgx::Sigstruct& s) { s.vendor = 1; }, "VENDOR is 0x1"},
        {"header2", [](sgx::Sigstruct& s) { s.header2[0] = 9; }, "HEADER2 is"},
        {"exponent", [](sgx::Sigstruct& s) { s.exponent = 65537; }, "EXPONENT is 65537"},
        {"reserved bytes", [](sgx::Sigstruct& s) { s.reserved4[0] = 1; }, "reserved SIGSTRUCT field"},
        {"modulus size", [](sgx::Sigstruct& s) { s.modulus[383] = 0x01; }, "not a 3072-bit number"},
        {"signature", [](sgx::Sigstruct& s) { s.signature[10] ^= 0x40; }, "SIGNATURE does not verify"},
        {"q1/q2", [](sgx::Sigstruct& s) { s.q2[100] ^= 1; }, "Q1/Q2 do not match"},
        {"controlled attributes", [](sgx::Sigstruct& s) { s.attributes.flags |= sgx::attr::kEinitTokenKey; },
         "EINITTOKEN_KEY"},
    };
    for (const auto& c : cases) {
        sgx::Sigstruct bad = good;
        c.tamper(bad);
        auto checks = check_sigstruct(bad);
        const SigstructCheck* check = find_check(checks, c.check);
        ASSERT_NE(check, nullptr) << c.check;
        EXPECT_FALSE(check->passed) << c.check;
        EXPECT_NE(check->message.find(c.message), std::string::npos) << c.check << ": " << check->message;
    }
    // reserved4 lies outside the signed bytes: only its own check fails.
    sgx::Sigstruct reserved = good;
    reserved.reserved4[0] = 1;
    EXPECT_EQ(failed_checks(check_sigstruct(reserved)), std::vector<std::string>{"reserved bytes"});
}

TEST(Sigstruct, EinitComparesTheEnclaveWithTheSigstruct) {
    CCBOX_REQUIRE_TESTDATA();
    const sgx::Sigstruct sig = load_sigstruct("test_enclave.sig");
    EinitTarget target;
    target.attributes = {sgx::attr::kMode64Bit, 0x3};
    std::memcpy(target.mrenclave.data(), sig.enclavehash, 32);
    EXPECT_TRUE(einit_verify(sig, target).ok());

    EinitTarget other_measurement = target;
    other_measurement.mrenclave[0] ^= 1;
    auto r = einit_verify(sig, other_measurement);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), CCBOX_MEASUREMENT_MISMATCH);

    EinitTarget debug = target;  // DEBUG is outside this SIGSTRUCT's mask: allowed
    debug.attributes.flags |= sgx::attr::kDebug;
    EXPECT_TRUE(einit_verify(sig, debug).ok());

    EinitTarget provision = target;  // PROVISIONKEY is inside the mask and not signed
    provision.attributes.flags |= sgx::attr::kProvisionKey;
    r = einit_verify(sig, provision);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), CCBOX_INVALID_ATTRIBUTE);
    EXPECT_NE(r.error().message().find("attribute flags"), std::string::npos);

    EinitTarget avx = target;  // XFRM bit 2 is outside the mask 0x...1b; bit 3 is inside
    avx.attributes.xfrm = 0x7;
    EXPECT_TRUE(einit_verify(sig, avx).ok());
    avx.attributes.xfrm = 0xb;
    r = einit_verify(sig, avx);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message().find("XFRM"), std::string::npos);

    EinitTarget misc = target;
    misc.miscselect = 1;
    r = einit_verify(sig, misc);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message().find("MISCSELECT"), std::string::npos);
}

TEST(Sigstruct, FamilyIdNeedsKss) {
    CCBOX_REQUIRE_TESTDATA();
    SigstructFields f = sig1_fields();
    f.isvfamilyid[0] = 1;
    auto sig = sign_sigstruct(make_unsigned_sigstruct(f), sig1_key());
    ASSERT_TRUE(sig.ok());
    EinitTarget target{{sgx::attr::kMode64Bit, 3}, 0, f.enclavehash};
    auto r = einit_verify(*sig, target);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message().find("KSS"), std::string::npos);
}

TEST(Sigstruct, BcdDates) {
    EXPECT_EQ(bcd_date(2016, 1, 9).value(), 0x20160109u);
    EXPECT_EQ(bcd_date(2026, 11, 28).value(), 0x20261128u);
    EXPECT_FALSE(bcd_date(2026, 2, 30).ok());
    EXPECT_FALSE(bcd_date(2026, 13, 1).ok());
    EXPECT_EQ(format_bcd_date(0x20161214), "2016-12-14");
}

}  // namespace
}  // namespace ccbox
