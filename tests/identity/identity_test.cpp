// Sealing and local attestation in every backend (issue "Sealing and local attestation").
#include "identity_fixture.hpp"

#include <cstring>
#include <filesystem>
#include <map>
#include <memory>

namespace {

using namespace identity_test;

const Bytes kSecret = {'t', 'o', 'p', ' ', 's', 'e', 'c', 'r', 'e', 't', 0, 1, 2, 3};

class Sealing : public ::testing::TestWithParam<Backend> {
protected:
    Backend backend() const { return GetParam(); }
};

bool same_mrenclave(ccbox_enclave_t* x, ccbox_enclave_t* y) {
    ccbox_enclave_identity_t ix{}, iy{};
    EXPECT_EQ(ccbox_get_enclave_identity(x, &ix), CCBOX_OK);
    EXPECT_EQ(ccbox_get_enclave_identity(y, &iy), CCBOX_OK);
    return std::memcmp(ix.mrenclave, iy.mrenclave, 32) == 0;
}

TEST_P(Sealing, SurvivesTerminationAndPlatformRestart) {
    Bytes unique, product, aad = {'c', 't', 'x'};
    {
        Enclave a(backend(), image("identity_enclave.signed"));
        ASSERT_EQ(a.created, CCBOX_OK) << ccbox_get_last_error();
        ASSERT_EQ(seal(a, CCBOX_SEAL_POLICY_UNIQUE, kSecret, &unique, aad), CCBOX_OK);
        ASSERT_EQ(seal(a, CCBOX_SEAL_POLICY_PRODUCT, kSecret, &product), CCBOX_OK);
    }
    Bytes plain;
    {
        Enclave again(backend(), image("identity_enclave.signed"));
        ASSERT_EQ(unseal(again, unique, &plain, aad), CCBOX_OK);
        EXPECT_EQ(plain, kSecret);
        EXPECT_NE(unseal(again, unique, &plain, Bytes{'x'}), CCBOX_OK) << "the aad is authenticated";
    }
    // The platform restarts (the next isolated enclave starts a new one; sim enclaves read
    // the platform's state directory themselves) with the root secrets it keeps on disk.
    const std::string secrets_path = ccbox::test::platform_state_dir() + "/secrets";
    const std::vector<uint8_t> secrets_before = ccbox::test::read_bytes(secrets_path);
    ASSERT_FALSE(secrets_before.empty());
    const bool stopped = ccbox::test::stop_test_platform();
    if (backend() == ccbox::test::Backend::kIsolated) {
        ASSERT_TRUE(stopped) << "the platform was running and has stopped";
    }
    Enclave restarted(backend(), image("identity_enclave.signed"));
    ASSERT_EQ(restarted.created, CCBOX_OK);
    ASSERT_EQ(unseal(restarted, unique, &plain, aad), CCBOX_OK);
    EXPECT_EQ(plain, kSecret);
    ASSERT_EQ(unseal(restarted, product, &plain), CCBOX_OK);
    EXPECT_EQ(plain, kSecret);
    EXPECT_EQ(ccbox::test::read_bytes(secrets_path), secrets_before) << "the same root secrets after the restart";
}

// The blob is the documented, self-describing format (docs/sealing.md), and sealing the same
// data twice gives two different blobs (a fresh KEYID and IV each time).
TEST_P(Sealing, BlobFollowsTheDocumentedFormatAndIsFreshEachTime) {
    Enclave a(backend(), image("identity_enclave.signed"));
    ASSERT_EQ(a.created, CCBOX_OK) << ccbox_get_last_error();
    Bytes first, second;
    ASSERT_EQ(seal(a, CCBOX_SEAL_POLICY_PRODUCT, kSecret, &first), CCBOX_OK);
    ASSERT_EQ(seal(a, CCBOX_SEAL_POLICY_PRODUCT, kSecret, &second), CCBOX_OK);
    auto u16 = [&](const Bytes& b, size_t at) { return static_cast<uint16_t>(b[at] | b[at + 1] << 8); };
    auto u32 = [&](const Bytes& b, size_t at) { uint32_t v; std::memcpy(&v, &b[at], 4); return v; };
    auto u64 = [&](const Bytes& b, size_t at) { uint64_t v; std::memcpy(&v, &b[at], 8); return v; };
    ASSERT_EQ(first.size(), 568 + kSecret.size());
    EXPECT_EQ(std::string(first.begin(), first.begin() + 8), "CCBXSEAL");
    EXPECT_EQ(u32(first, 8), 1u) << "format version";
    EXPECT_EQ(u32(first, 12), 568u) << "header size";
    const size_t request = 16;  // KEYREQUEST (sgx-formats.md): KEYNAME, KEYPOLICY, ISVSVN, ...
    EXPECT_EQ(u16(first, request + 0), 4) << "KEYNAME SEAL";
    EXPECT_EQ(u16(first, request + 2), 2) << "KEYPOLICY MRSIGNER for the product policy";
    EXPECT_EQ(u16(first, request + 4), 1) << "ISVSVN of the sealing enclave";
    EXPECT_EQ(u32(first, 540), 0u) << "reserved";
    EXPECT_EQ(u64(first, 544), kSecret.size()) << "ciphertext size";
    EXPECT_EQ(std::search(first.begin(), first.end(), kSecret.begin(), kSecret.end()), first.end())
        << "no plaintext in the blob";

    ASSERT_EQ(second.size(), first.size());
    const auto keyid = [](const Bytes& b) { return Bytes(b.begin() + 16 + 40, b.begin() + 16 + 72); };
    const auto iv = [](const Bytes& b) { return Bytes(b.begin() + 528, b.begin() + 540); };
    EXPECT_NE(keyid(first), keyid(second)) << "a fresh KEYID per seal";
    EXPECT_NE(iv(first), iv(second)) << "a fresh IV per seal";
    EXPECT_NE(Bytes(first.begin() + 568, first.end()), Bytes(second.begin() + 568, second.end()));
    Bytes plain;
    ASSERT_EQ(unseal(a, second, &plain), CCBOX_OK);
    EXPECT_EQ(plain, kSecret);
}

TEST_P(Sealing, PoliciesSignersAndSecurityVersions) {
    Enclave a(backend(), image("identity_enclave.signed"));        // signer 1, SVN 1
    Enclave b(backend(), image("identity_enclave_b.signed"));      // other MRENCLAVE, signer 1, SVN 1
    Enclave other(backend(), image("identity_enclave_b.signer2.signed"));  // other MRENCLAVE, signer 2
    Enclave resigned(backend(), image("identity_enclave.signer2.signed"));  // same MRENCLAVE, signer 2
    Enclave newer(backend(), image("identity_enclave.svn2.signed"));     // same MRENCLAVE, signer 1, SVN 2
    for (auto* e : {&a, &b, &other, &resigned, &newer})
        ASSERT_EQ(e->created, CCBOX_OK) << ccbox_get_last_error();
    ASSERT_FALSE(same_mrenclave(a, b)) << "the fixture: variant B must measure differently";
    ASSERT_TRUE(same_mrenclave(a, resigned));

    Bytes unique, product, plain;
    ASSERT_EQ(seal(a, CCBOX_SEAL_POLICY_UNIQUE, kSecret, &unique), CCBOX_OK);
    ASSERT_EQ(seal(a, CCBOX_SEAL_POLICY_PRODUCT, kSecret, &product), CCBOX_OK);

    EXPECT_EQ(unseal(b, product, &plain), CCBOX_OK) << "same signer: MRSIGNER policy unseals";
    EXPECT_EQ(plain, kSecret);
    EXPECT_EQ(unseal(b, unique, &plain), CCBOX_VERIFY_FAILED) << "other MRENCLAVE: MRENCLAVE policy fails";
    EXPECT_EQ(unseal(other, product, &plain), CCBOX_VERIFY_FAILED) << "other signer fails on MRSIGNER data";
    EXPECT_EQ(unseal(other, unique, &plain), CCBOX_VERIFY_FAILED) << "and on MRENCLAVE data";
    // As on SGX, an MRENCLAVE-policy key does not depend on the signer: the very same enclave
    // re-signed by someone else is still the same enclave. MRSIGNER data stays out of reach.
    EXPECT_EQ(unseal(resigned, unique, &plain), CCBOX_OK);
    EXPECT_EQ(unseal(resigned, product, &plain), CCBOX_VERIFY_FAILED);

    EXPECT_EQ(unseal(newer, product, &plain), CCBOX_OK) << "a higher ISVSVN unseals data of a lower one";
    EXPECT_EQ(plain, kSecret);
    Bytes from_newer;
    ASSERT_EQ(seal(newer, CCBOX_SEAL_POLICY_PRODUCT, kSecret, &from_newer), CCBOX_OK);
    EXPECT_EQ(unseal(a, from_newer, &plain), CCBOX_INVALID_ISVSVN) << "a lower ISVSVN cannot";
}

TEST_P(Sealing, AnotherPlatformCannotUnseal) {
    Bytes unique, product, plain;
    {
        Enclave a(backend(), image("identity_enclave.signed"));
        ASSERT_EQ(a.created, CCBOX_OK);
        ASSERT_EQ(seal(a, CCBOX_SEAL_POLICY_UNIQUE, kSecret, &unique), CCBOX_OK);
        ASSERT_EQ(seal(a, CCBOX_SEAL_POLICY_PRODUCT, kSecret, &product), CCBOX_OK);
    }
    ccbox::test::TempDir other_dir;
    ccbox_enclave_setting_platform_t platform{nullptr, other_dir.path().c_str()};
    ccbox_enclave_setting_t setting{};
    setting.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
    setting.u.platform = &platform;
    {
        Enclave elsewhere(backend(), image("identity_enclave.signed"), &setting);
        ASSERT_EQ(elsewhere.created, CCBOX_OK) << ccbox_get_last_error();
        EXPECT_EQ(unseal(elsewhere, unique, &plain), CCBOX_VERIFY_FAILED);
        EXPECT_EQ(unseal(elsewhere, product, &plain), CCBOX_VERIFY_FAILED);
    }
    // The other platform (if one was started for it) goes away with its directory.
    (void)ccbox::test::run({ccbox::test::ccbox_tool(), "platform", "stop", "--state-dir", other_dir.path().string()});
}

TEST_P(Sealing, EveryByteChangeAndEveryTruncationIsRejected) {
    Enclave a(backend(), image("identity_enclave.signed"));
    ASSERT_EQ(a.created, CCBOX_OK);
    Bytes blob, plain;
    ASSERT_EQ(seal(a, CCBOX_SEAL_POLICY_PRODUCT, kSecret, &blob, Bytes{'a', 'a', 'd'}), CCBOX_OK);
    ASSERT_EQ(blob.size(), 568 + kSecret.size());
    for (size_t i = 0; i < blob.size(); ++i) {
        Bytes changed = blob;
        changed[i] ^= static_cast<uint8_t>(1u << (i % 8));
        int r = unseal(a, changed, &plain, Bytes{'a', 'a', 'd'});
        EXPECT_NE(r, CCBOX_OK) << "byte " << i;
        EXPECT_TRUE(plain.empty()) << "byte " << i;
    }
    for (size_t size = 0; size < blob.size(); ++size) {
        Bytes truncated(blob.begin(), blob.begin() + static_cast<long>(size));
        EXPECT_NE(unseal(a, truncated, &plain, Bytes{'a', 'a', 'd'}), CCBOX_OK) << "size " << size;
    }
    Bytes longer = blob;
    longer.push_back(0);
    EXPECT_NE(unseal(a, longer, &plain, Bytes{'a', 'a', 'd'}), CCBOX_OK);
    EXPECT_EQ(unseal(a, blob, &plain, Bytes{'a', 'a', 'd'}), CCBOX_OK) << "the original still unseals";
}

TEST_P(Sealing, SealKeysReproduceFromTheirKeyInfo) {
    Enclave a(backend(), image("identity_enclave.signed"));
    ASSERT_EQ(a.created, CCBOX_OK);
    uint8_t key[16], info[512], again[16], other[16], other_info[512];
    int r = -1;
    ASSERT_EQ(id_seal_key(a, &r, CCBOX_SEAL_POLICY_UNIQUE, key, info), CCBOX_OK);
    ASSERT_EQ(r, CCBOX_OK);
    ASSERT_EQ(id_seal_key_again(a, &r, info, again), CCBOX_OK);
    ASSERT_EQ(r, CCBOX_OK);
    EXPECT_EQ(std::memcmp(key, again, 16), 0);
    ASSERT_EQ(id_seal_key(a, &r, CCBOX_SEAL_POLICY_UNIQUE, other, other_info), CCBOX_OK);
    EXPECT_NE(std::memcmp(key, other, 16), 0) << "a fresh KEYID gives a fresh key";
    info[0] = 3;  // ask for a REPORT key through the seal-key API
    ASSERT_EQ(id_seal_key_again(a, &r, info, again), CCBOX_OK);
    EXPECT_EQ(r, CCBOX_INVALID_KEYNAME);
}

TEST_P(Sealing, BlobsAndPlaintextsAreHeapMemory) {
    Enclave a(backend(), image("identity_enclave.signed"));
    ASSERT_EQ(a.created, CCBOX_OK);
    for (int use_free : {1, 0}) {
        int r = -1;
        ASSERT_EQ(id_seal_free_contract(a, &r, use_free), CCBOX_OK) << "use_free " << use_free;
        EXPECT_EQ(r, CCBOX_OK) << "use_free " << use_free;
    }
}

TEST_P(Sealing, LocalAttestation) {
    Enclave a(backend(), image("identity_enclave.signed"));
    Enclave b(backend(), image("identity_enclave_b.signed"));
    Enclave c(backend(), image("identity_enclave.signer2.signed"));
    for (auto* e : {&a, &b, &c})
        ASSERT_EQ(e->created, CCBOX_OK);
    ASSERT_FALSE(same_mrenclave(a, b)) << "the fixture: variant B must measure differently";

    // B's TARGETINFO, as B states it and as the host derives it: the same.
    uint8_t b_target[512];
    int r = -1;
    ASSERT_EQ(id_target_info(b, &r, b_target), CCBOX_OK);
    ASSERT_EQ(r, CCBOX_OK);
    ccbox_target_info_t from_host;
    ASSERT_EQ(ccbox_get_enclave_target_info(b, &from_host), CCBOX_OK);
    EXPECT_EQ(std::memcmp(b_target, from_host.bytes, 512), 0);

    uint8_t data[64];
    for (int i = 0; i < 64; ++i)
        data[i] = static_cast<uint8_t>(i * 3);
    uint8_t report[432];
    ASSERT_EQ(id_report(a, &r, b_target, data, report), CCBOX_OK);
    ASSERT_EQ(r, CCBOX_OK);

    uint8_t mrenclave[32], mrsigner[32], seen_data[64];
    ASSERT_EQ(id_verify_report(b, &r, report, mrenclave, mrsigner, seen_data), CCBOX_OK);
    ASSERT_EQ(r, CCBOX_OK) << "B verifies A's report";
    ccbox_enclave_identity_t a_id;
    ASSERT_EQ(ccbox_get_enclave_identity(a, &a_id), CCBOX_OK);
    EXPECT_EQ(std::memcmp(mrenclave, a_id.mrenclave, 32), 0);
    EXPECT_EQ(std::memcmp(mrsigner, a_id.mrsigner, 32), 0);
    EXPECT_EQ(std::memcmp(seen_data, data, 64), 0);

    ccbox_report_identity_t parsed;
    ASSERT_EQ(ccbox_parse_report(report, sizeof report, &parsed), CCBOX_OK) << "the host can decode it";
    EXPECT_EQ(std::memcmp(parsed.unique_id, a_id.mrenclave, 32), 0);
    ccbox_target_info_t a_target;
    ASSERT_EQ(ccbox_get_target_info_of_report(report, sizeof report, &a_target), CCBOX_OK);
    ccbox_target_info_t a_direct;
    ASSERT_EQ(ccbox_get_enclave_target_info(a, &a_direct), CCBOX_OK);
    EXPECT_EQ(std::memcmp(a_target.bytes, a_direct.bytes, 512), 0);

    // A report targeted at C does not verify in B.
    uint8_t c_target[512], for_c[432];
    ASSERT_EQ(id_target_info(c, &r, c_target), CCBOX_OK);
    ASSERT_EQ(id_report(a, &r, c_target, data, for_c), CCBOX_OK);
    ASSERT_EQ(id_verify_report(b, &r, for_c, mrenclave, mrsigner, seen_data), CCBOX_OK);
    EXPECT_EQ(r, CCBOX_VERIFY_FAILED_AES_CMAC_MISMATCH);
    ASSERT_EQ(id_verify_report(c, &r, for_c, mrenclave, mrsigner, seen_data), CCBOX_OK);
    EXPECT_EQ(r, CCBOX_OK) << "but does in C";

    // Any modified byte of the report fails in B.
    for (size_t i = 0; i < sizeof report; i += 7) {
        uint8_t changed[432];
        std::memcpy(changed, report, sizeof changed);
        changed[i] ^= 0x80;
        ASSERT_EQ(id_verify_report(b, &r, changed, mrenclave, mrsigner, seen_data), CCBOX_OK);
        EXPECT_NE(r, CCBOX_OK) << "byte " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, Sealing, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

}  // namespace
