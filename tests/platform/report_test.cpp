// EREPORT (platform/report): the body a report carries, the MAC only its target can check,
// tampering with any byte, TARGETINFO validation, and reports across platforms.
#include "platform/report.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace ccbox {
namespace {

using Key = std::array<uint8_t, 16>;

template <size_t N>
void fill(std::array<uint8_t, N>& a, uint8_t seed) {
    for (size_t i = 0; i < N; ++i)
        a[i] = static_cast<uint8_t>(seed + 3 * i);
}

PlatformSecrets fixed_secrets(uint8_t seed = 0) {
    PlatformSecrets s;
    fill(s.seal_fuses, static_cast<uint8_t>(0x10 + seed));
    fill(s.provisioning_fuses, static_cast<uint8_t>(0x20 + seed));
    fill(s.report_keyid, static_cast<uint8_t>(0x30 + seed));
    fill(s.owner_epoch, static_cast<uint8_t>(0x40 + seed));
    s.cpusvn = kDefaultCpusvn;
    return s;
}

EnclaveKeyIdentity enclave(uint8_t seed) {
    EnclaveKeyIdentity e;
    fill(e.mrenclave, seed);
    fill(e.mrsigner, static_cast<uint8_t>(seed + 1));
    e.isvprodid = static_cast<uint16_t>(0x100 + seed);
    e.isvsvn = static_cast<uint16_t>(0x200 + seed);
    e.attributes = {sgx::attr::kInit | sgx::attr::kMode64Bit | sgx::attr::kKss, sgx::xfrm::kLegacy};
    e.miscselect = sgx::miscselect::kExinfo;
    fill(e.configid, static_cast<uint8_t>(seed + 2));
    e.configsvn = static_cast<uint16_t>(0x300 + seed);
    fill(e.isvfamilyid, static_cast<uint8_t>(seed + 3));
    fill(e.isvextprodid, static_cast<uint8_t>(seed + 4));
    return e;
}

std::array<uint8_t, sgx::kReportDataSize> report_data() {
    std::array<uint8_t, sgx::kReportDataSize> d{};
    fill(d, 0x77);
    return d;
}

struct ReportTest : ::testing::Test {
    PlatformSecrets secrets = fixed_secrets();
    EnclaveKeyIdentity reporter = enclave(0x50);
    EnclaveKeyIdentity target = enclave(0x90);

    sgx::Report make(const sgx::Targetinfo& ti) {
        auto report = make_report(secrets, reporter, ti, report_data());
        EXPECT_TRUE(report.ok()) << report.error().message();
        return report.ok() ? *report : sgx::Report{};
    }
    sgx::Report make() { return make(target_info_of(target)); }
};

TEST(Cmac, Rfc4493Vectors) {
    const Key key = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
    const Key empty = {0xbb, 0x1d, 0x69, 0x29, 0xe9, 0x59, 0x37, 0x28, 0x7f, 0xa3, 0x7d, 0x12, 0x9b, 0x75, 0x67, 0x46};
    auto mac = aes128_cmac(key, {});
    ASSERT_TRUE(mac.ok());
    EXPECT_EQ(*mac, empty);
    const uint8_t block[16] = {0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
                               0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a};
    const Key one_block = {0x07, 0x0a, 0x16, 0xb4, 0x6b, 0x4d, 0x41, 0x44,
                           0xf7, 0x9b, 0xdd, 0x9d, 0xd0, 0x4a, 0x28, 0x7c};
    mac = aes128_cmac(key, block);
    ASSERT_TRUE(mac.ok());
    EXPECT_EQ(*mac, one_block);
}

TEST_F(ReportTest, TargetInfoCarriesWhatTheReportKeyNeeds) {
    const sgx::Targetinfo ti = target_info_of(target);
    EXPECT_EQ(std::memcmp(ti.measurement, target.mrenclave.data(), 32), 0);
    EXPECT_EQ(ti.attributes.flags, target.attributes.flags);
    EXPECT_EQ(ti.attributes.xfrm, target.attributes.xfrm);
    EXPECT_EQ(ti.miscselect, target.miscselect);
    EXPECT_EQ(ti.configsvn, target.configsvn);
    EXPECT_EQ(std::memcmp(ti.configid, target.configid.data(), 64), 0);
    EXPECT_EQ(ti.cet_attributes, 0);
    EXPECT_EQ(ti.reserved1, 0);
    for (uint8_t b : ti.reserved2)
        EXPECT_EQ(b, 0);
    for (uint8_t b : ti.reserved3)
        EXPECT_EQ(b, 0);
}

TEST_F(ReportTest, BodyIsFilledFromTheReporterAndThePlatform) {
    const sgx::Report report = make();
    const sgx::Reportbody& b = report.body;
    EXPECT_EQ(std::memcmp(b.cpusvn, secrets.cpusvn.data(), 16), 0);
    EXPECT_EQ(b.miscselect, reporter.miscselect);
    EXPECT_EQ(b.cet_attributes, 0);
    EXPECT_EQ(std::memcmp(b.isvextprodid, reporter.isvextprodid.data(), 16), 0);
    EXPECT_EQ(b.attributes.flags, reporter.attributes.flags);
    EXPECT_EQ(b.attributes.xfrm, reporter.attributes.xfrm);
    EXPECT_EQ(std::memcmp(b.mrenclave, reporter.mrenclave.data(), 32), 0);
    EXPECT_EQ(std::memcmp(b.mrsigner, reporter.mrsigner.data(), 32), 0);
    EXPECT_EQ(std::memcmp(b.configid, reporter.configid.data(), 64), 0);
    EXPECT_EQ(b.isvprodid, reporter.isvprodid);
    EXPECT_EQ(b.isvsvn, reporter.isvsvn);
    EXPECT_EQ(b.configsvn, reporter.configsvn);
    EXPECT_EQ(std::memcmp(b.isvfamilyid, reporter.isvfamilyid.data(), 16), 0);
    EXPECT_EQ(std::memcmp(b.reportdata, report_data().data(), 64), 0);
    EXPECT_EQ(std::memcmp(report.keyid, secrets.report_keyid.data(), 32), 0);
    auto zero = [](const uint8_t* p, size_t n) {
        for (size_t i = 0; i < n; ++i)
            if (p[i] != 0)
                return false;
        return true;
    };
    EXPECT_TRUE(zero(b.reserved1, sizeof b.reserved1));
    EXPECT_TRUE(zero(b.reserved2, sizeof b.reserved2));
    EXPECT_TRUE(zero(b.reserved3, sizeof b.reserved3));
    EXPECT_TRUE(zero(b.reserved4, sizeof b.reserved4));
    EXPECT_TRUE(zero(report.padding_to_alignment, sizeof report.padding_to_alignment));
}

TEST_F(ReportTest, MacIsTheCmacOfTheBodyWithTheTargetsReportKey) {
    const sgx::Report report = make();
    sgx::Keyrequest request{};
    request.keyname = static_cast<uint16_t>(sgx::KeyName::kReport);
    std::memcpy(request.keyid, report.keyid, 32);
    auto key = derive_key(secrets, target, request);
    ASSERT_TRUE(key.ok());
    auto mac = aes128_cmac(*key, {reinterpret_cast<const uint8_t*>(&report.body), 384});
    ASSERT_TRUE(mac.ok());
    EXPECT_EQ(std::memcmp(mac->data(), report.mac, 16), 0);
}

TEST_F(ReportTest, MacVerifiesForTheTargetOnly) {
    const sgx::Report report = make();
    EXPECT_TRUE(verify_report_mac(secrets, target, report));
    EXPECT_FALSE(verify_report_mac(secrets, reporter, report));
    EnclaveKeyIdentity other = target;  // differs in MEASUREMENT only
    other.mrenclave[7] ^= 0x04;
    EXPECT_FALSE(verify_report_mac(secrets, other, report));
}

TEST_F(ReportTest, ReportToSelfVerifies) {
    const sgx::Report report = make(target_info_of(reporter));
    EXPECT_TRUE(verify_report_mac(secrets, reporter, report));
    EXPECT_FALSE(verify_report_mac(secrets, target, report));
}

TEST_F(ReportTest, IdentityFieldsOutsideTheReportKeyDoNotMatterToTheVerifier) {
    const sgx::Report report = make();
    EnclaveKeyIdentity same_key = target;
    same_key.mrsigner[0] ^= 1;
    same_key.isvprodid ^= 1;
    same_key.isvsvn ^= 1;
    same_key.isvfamilyid[0] ^= 1;
    same_key.isvextprodid[0] ^= 1;
    same_key.padding[0] ^= 1;
    EXPECT_TRUE(verify_report_mac(secrets, same_key, report));
}

TEST_F(ReportTest, EveryTargetinfoInputOfTheReportKeyMatters) {
    struct Change {
        const char* what;
        void (*apply)(EnclaveKeyIdentity&);
    };
    const Change changes[] = {
        {"MEASUREMENT", [](EnclaveKeyIdentity& e) { e.mrenclave[31] ^= 1; }},
        {"ATTRIBUTES.FLAGS", [](EnclaveKeyIdentity& e) { e.attributes.flags ^= sgx::attr::kDebug; }},
        {"ATTRIBUTES.XFRM", [](EnclaveKeyIdentity& e) { e.attributes.xfrm ^= sgx::xfrm::kAvx; }},
        {"MISCSELECT", [](EnclaveKeyIdentity& e) { e.miscselect ^= 2; }},
        {"CONFIGID", [](EnclaveKeyIdentity& e) { e.configid[63] ^= 1; }},
        {"CONFIGSVN", [](EnclaveKeyIdentity& e) { e.configsvn ^= 1; }},
    };
    for (const Change& c : changes) {
        EnclaveKeyIdentity changed = target;
        c.apply(changed);
        const sgx::Report report = make(target_info_of(changed));
        EXPECT_TRUE(verify_report_mac(secrets, changed, report)) << c.what;
        EXPECT_FALSE(verify_report_mac(secrets, target, report)) << c.what;
    }
}

TEST_F(ReportTest, ChangingAnyBodyByteBreaksTheMac) {
    const sgx::Report report = make();
    for (size_t i = 0; i < sizeof(sgx::Reportbody); ++i) {
        for (uint8_t bit : {0x01, 0x80}) {
            sgx::Report tampered = report;
            reinterpret_cast<uint8_t*>(&tampered.body)[i] ^= bit;
            EXPECT_FALSE(verify_report_mac(secrets, target, tampered)) << "body byte " << i << " bit " << int(bit);
        }
    }
}

TEST_F(ReportTest, ChangingKeyidOrMacBreaksTheMacButAlignmentPaddingDoesNot) {
    const sgx::Report report = make();
    for (size_t i = 0; i < sizeof report.keyid; ++i) {
        sgx::Report tampered = report;
        tampered.keyid[i] ^= 0x01;
        EXPECT_FALSE(verify_report_mac(secrets, target, tampered)) << "KEYID byte " << i;
    }
    for (size_t i = 0; i < sizeof report.mac; ++i) {
        sgx::Report tampered = report;
        tampered.mac[i] ^= 0x01;
        EXPECT_FALSE(verify_report_mac(secrets, target, tampered)) << "MAC byte " << i;
    }
    sgx::Report padded = report;
    std::memset(padded.padding_to_alignment, 0xee, sizeof padded.padding_to_alignment);
    EXPECT_TRUE(verify_report_mac(secrets, target, padded));  // beyond the architectural 432 bytes
}

TEST_F(ReportTest, ReportDataIsCovered) {
    const sgx::Report first = make();
    auto data = report_data();
    data[0] ^= 1;
    auto second = make_report(secrets, reporter, target_info_of(target), data);
    ASSERT_TRUE(second.ok());
    EXPECT_NE(std::memcmp(first.mac, second->mac, 16), 0);
    EXPECT_TRUE(verify_report_mac(secrets, target, *second));
}

TEST_F(ReportTest, TargetinfoReservedBytesAndCetAreRejected) {
    const sgx::Targetinfo good = target_info_of(target);
    auto expect_rejected = [&](const sgx::Targetinfo& ti, const std::string& fragment) {
        auto report = make_report(secrets, reporter, ti, report_data());
        ASSERT_FALSE(report.ok());
        EXPECT_EQ(report.error().code(), CCBOX_INVALID_PARAMETER);
        EXPECT_NE(report.error().message().find(fragment), std::string::npos) << report.error().message();
    };
    sgx::Targetinfo ti = good;
    ti.cet_attributes = 1;
    expect_rejected(ti, "TARGETINFO.CET_ATTRIBUTES");
    ti = good;
    ti.reserved1 = 1;
    expect_rejected(ti, "TARGETINFO.RESERVED (offset 49)");
    for (size_t i = 0; i < sizeof ti.reserved2; ++i) {
        ti = good;
        ti.reserved2[i] = 0x10;
        expect_rejected(ti, "TARGETINFO.RESERVED (offsets 56-63)");
    }
    for (size_t i = 0; i < sizeof ti.reserved3; ++i) {
        ti = good;
        ti.reserved3[i] = 0x10;
        expect_rejected(ti, "TARGETINFO.RESERVED (offsets 128-511)");
    }
}

TEST_F(ReportTest, ReportsDoNotVerifyOnAnotherPlatform) {
    const sgx::Report report = make();
    auto other = generate_platform_secrets();
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(verify_report_mac(*other, target, report));

    auto other_report = make_report(*other, reporter, target_info_of(target), report_data());
    ASSERT_TRUE(other_report.ok());
    EXPECT_NE(std::memcmp(other_report->mac, report.mac, 16), 0);
    EXPECT_TRUE(verify_report_mac(*other, target, *other_report));
    EXPECT_FALSE(verify_report_mac(secrets, target, *other_report));
}

TEST_F(ReportTest, EachRootInputOfTheReportKeyMatters) {
    const sgx::Report report = make();
    PlatformSecrets changed = secrets;
    changed.seal_fuses[0] ^= 1;
    EXPECT_FALSE(verify_report_mac(changed, target, report)) << "seal fuses";
    changed = secrets;
    changed.owner_epoch[0] ^= 1;
    EXPECT_FALSE(verify_report_mac(changed, target, report)) << "owner epoch";
    changed = secrets;
    changed.cpusvn[0] ^= 1;
    EXPECT_FALSE(verify_report_mac(changed, target, report)) << "CPUSVN";
    // The provisioning fuses do not key REPORT keys, and the verifier takes KEYID from the report.
    changed = secrets;
    changed.provisioning_fuses[0] ^= 1;
    changed.report_keyid[0] ^= 1;
    EXPECT_TRUE(verify_report_mac(changed, target, report));
}

}  // namespace
}  // namespace ccbox
