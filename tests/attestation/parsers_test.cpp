// Every parser rejects malformed input with an error naming the item and field (issue 11,
// "Bad input"): the SGX extension, TCB Info, QE Identity, CRLs and the collateral JSON.
#include "ccbox_pki_fixture.hpp"

#include <nlohmann/json.hpp>

namespace ccbox::attestation {
namespace {

using namespace testing;
using nlohmann::json;

template <typename T>
std::string error_of(const Result<T>& r) {
    return r.ok() ? std::string("(accepted)") : r.error().message();
}

class Parsers : public ::testing::Test {
protected:
    Parsers() : pki(make_pki(false, make_secrets(PlatformMode::kProduction))), bundle(collateral_of(pki)) {}
    Pki pki;
    CollateralBundle bundle;
};

TEST_F(Parsers, TcbInfoFieldsAreNamed) {
    auto with = [&](auto edit) {
        json j = json::parse(bundle.tcb_info);
        edit(j);
        return error_of(parse_tcb_info(j.dump()));
    };
    EXPECT_TRUE(parse_tcb_info(bundle.tcb_info).ok());
    EXPECT_EQ(with([](json& j) { j["version"] = 2; }), "TCB Info: version: expected 3");
    EXPECT_EQ(with([](json& j) { j.erase("fmspc"); }), "TCB Info: fmspc: missing");
    EXPECT_EQ(with([](json& j) { j["fmspc"] = "00A0671100"; }), "TCB Info: fmspc: expected 12 hex digits");
    EXPECT_EQ(with([](json& j) { j["nextUpdate"] = "2026-13-01T00:00:00Z"; }),
              "TCB Info: nextUpdate: expected a UTC time like 2025-06-19T10:56:11Z, got \"2026-13-01T00:00:00Z\"");
    EXPECT_EQ(with([](json& j) { j["tcbLevels"][0]["tcbStatus"] = "Fine"; }),
              "TCB Info: tcbLevels[0].tcbStatus: unknown status \"Fine\"");
    EXPECT_EQ(with([](json& j) { j["tcbLevels"][0]["tcb"]["sgxtcbcomponents"].erase(0); }),
              "TCB Info: tcbLevels[0].tcb.sgxtcbcomponents: expected an array of 16 components");
    EXPECT_EQ(with([](json& j) { j["tcbLevels"][0]["tcb"]["sgxtcbcomponents"][3]["svn"] = 256; }),
              "TCB Info: tcbLevels[0].tcb.sgxtcbcomponents[3].svn: expected an integer in 0..255");
    EXPECT_EQ(with([](json& j) { j["tcbLevels"][0]["tcb"]["pcesvn"] = -1; }),
              "TCB Info: tcbLevels[0].tcb.pcesvn: expected an integer in 0..65535");
    EXPECT_EQ(with([](json& j) { j["tcbType"] = 1; }),
              "TCB Info: tcbType: expected 0 (SGX TCB components compared one by one)");
    EXPECT_EQ(error_of(parse_tcb_info("{")), "TCB Info: (document): not valid JSON");
}

TEST_F(Parsers, QeIdentityFieldsAreNamed) {
    auto with = [&](auto edit) {
        json j = json::parse(bundle.qe_identity);
        edit(j);
        return error_of(parse_qe_identity(j.dump()));
    };
    EXPECT_TRUE(parse_qe_identity(bundle.qe_identity).ok());
    EXPECT_EQ(with([](json& j) { j["id"] = "TD_QE"; }), "QE Identity: id: expected \"QE\"");
    EXPECT_EQ(with([](json& j) { j["mrsigner"] = "zz"; }), "QE Identity: mrsigner: expected 64 hex digits");
    EXPECT_EQ(with([](json& j) { j["isvprodid"] = "1"; }), "QE Identity: isvprodid: expected an integer in 0..65535");
    EXPECT_EQ(with([](json& j) { j["tcbLevels"] = json::array(); }), "QE Identity: tcbLevels: expected a non-empty array");
    EXPECT_EQ(with([](json& j) { j["tcbLevels"][0]["advisoryIDs"] = "x"; }),
              "QE Identity: tcbLevels[0].advisoryIDs: expected an array of strings");
}

TEST_F(Parsers, CollateralBundleFieldsAreNamed) {
    json j = json::parse(collateral_bundle_json(bundle));
    EXPECT_TRUE(parse_collateral_bundle(j.dump()).ok());
    auto with = [&](auto edit) {
        json k = j;
        edit(k);
        return error_of(parse_collateral_bundle(k.dump()));
    };
    EXPECT_EQ(with([](json& k) { k.erase("qe_identity"); }), "collateral: qe_identity: missing");
    EXPECT_EQ(with([](json& k) { k["pck_crl"] = "xyz"; }), "collateral: pck_crl: expected the CRL as hex DER");
    EXPECT_EQ(with([](json& k) { k["tcb_info_signature"] = "00"; }),
              "collateral: tcb_info_signature: expected 128 hex digits");
    // A CRL that is not DER is refused when the collateral is verified, naming it.
    VerifyError error;
    CollateralBundle b = bundle;
    b.root_ca_crl = {0x30, 0x03, 0x02, 0x01};
    EXPECT_FALSE(VerifiedCollateral::verify(b, roots_of(pki), kNow, &error));
    EXPECT_EQ(error.failure, Failure::kCollateralMalformed);
    EXPECT_EQ(error.message, "root CA CRL: not a DER X.509 CRL");
}

TEST(SgxExtension, RoundTripsAndNamesBadFields) {
    SgxExtension ext;
    ext.ppid.fill(0x11);
    for (size_t i = 0; i < 16; ++i)
        ext.tcb_components[i] = static_cast<uint8_t>(i * 7);
    ext.pcesvn = 13;
    ext.cpusvn = ext.tcb_components;
    ext.fmspc = {0x00, 0xa0, 0x67, 0x11, 0x00, 0x00};
    ext.sgx_type = SgxType::kScalable;
    ext.platform_instance_id = std::array<uint8_t, 16>{1, 2, 3};
    ext.configuration = SgxConfiguration{true, false, std::nullopt};
    auto der = encode_sgx_extension(ext);
    ASSERT_TRUE(der.ok());
    auto back = parse_sgx_extension(*der);
    ASSERT_TRUE(back.ok()) << back.error().message();
    EXPECT_EQ(back->ppid, ext.ppid);
    EXPECT_EQ(back->tcb_components, ext.tcb_components);
    EXPECT_EQ(back->pcesvn, 13);
    EXPECT_EQ(back->fmspc, ext.fmspc);
    EXPECT_EQ(back->sgx_type, SgxType::kScalable);
    EXPECT_EQ(back->platform_instance_id, ext.platform_instance_id);
    ASSERT_TRUE(back->configuration);
    EXPECT_EQ(back->configuration->dynamic_platform, std::optional<bool>(true));
    EXPECT_EQ(back->configuration->cached_keys, std::optional<bool>(false));
    EXPECT_FALSE(back->configuration->smt_enabled.has_value());

    // Corruptions, each named: a truncated encoding, no encoding, a missing member.
    auto bad = *der;
    EXPECT_EQ(error_of(parse_sgx_extension(std::span(bad).first(bad.size() - 1))),
              "SGX extension: extension: not a DER SEQUENCE");
    EXPECT_EQ(error_of(parse_sgx_extension({})), "SGX extension: extension: not a DER SEQUENCE");
    SgxExtension no_fmspc_src = ext;
    auto der2 = encode_sgx_extension(no_fmspc_src);
    ASSERT_TRUE(der2.ok());
    // Replace the FMSPC OID's last arc (.4) by an unknown one (.9): FMSPC is then missing.
    const uint8_t fmspc_oid[] = {0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01, 0x04};
    auto pos = std::search(der2->begin(), der2->end(), std::begin(fmspc_oid), std::end(fmspc_oid));
    ASSERT_NE(pos, der2->end());
    pos[9] = 0x09;
    EXPECT_EQ(error_of(parse_sgx_extension(*der2)), "SGX extension: 1.2.840.113741.1.13.1.4: FMSPC missing");
}

TEST(SgxExtension, IntelsCertificateParses) {
    const std::string path = std::string(CCBOX_TESTDATA_DIR) + "/dcap/sgx_quote.bin";
    auto bytes = read_file(path);
    if (!bytes)
        GTEST_SKIP() << "shared test data absent: " << path;
    VerifyError error;
    auto q = parse_quote(*bytes, &error);
    ASSERT_TRUE(q);
    auto certs = parse_pem_certificates(q->pck_chain_pem, "chain");
    ASSERT_TRUE(certs.ok());
    auto ext = sgx_extension_of((*certs)[0].get());
    ASSERT_TRUE(ext.ok()) << ext.error().message();
    EXPECT_EQ(to_hex(ext->fmspc), "00a067110000");
    EXPECT_EQ(to_hex(ext->pce_id), "0000");
    EXPECT_EQ(ext->sgx_type, SgxType::kStandard);
    EXPECT_EQ(ext->pcesvn, 13);
    // Our encoder writes Intel's structure: re-encoding Intel's fields parses to the same.
    auto der = encode_sgx_extension(*ext);
    ASSERT_TRUE(der.ok());
    auto again = parse_sgx_extension(*der);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->tcb_components, ext->tcb_components);
    EXPECT_EQ(again->cpusvn, ext->cpusvn);
    EXPECT_EQ(again->ppid, ext->ppid);
}

}  // namespace
}  // namespace ccbox::attestation
