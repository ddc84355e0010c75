// Quotes from a ccbox platform under a ccbox PKI: they verify, and every tamper class fails
// with its own error (issue 11, acceptance 2), in the order Intel's QVL checks.
#include "ccbox_pki_fixture.hpp"

#include "support/sha256.hpp"

namespace ccbox::attestation {
namespace {

using namespace testing;

Policy production_only() {
    Policy p;
    p.require_production = true;
    return p;
}
Policy production_no_debug() {
    Policy p = production_only();
    p.allow_debug = false;
    return p;
}

class OurQuote : public ::testing::Test {
protected:
    OurQuote()
        : pki(make_pki(false, make_secrets(PlatformMode::kProduction))),
          platform(provision(pki, make_secrets(PlatformMode::kProduction))),
          quote(quote_of(platform)), bundle(collateral_of(pki)), roots(roots_of(pki)) {}

    QuoteVerification verify(std::span<const uint8_t> q) { return verify_quote(q, bundle, roots, kNow); }
    QuoteVerification verify() { return verify(quote); }
    Failure failure_of(std::span<const uint8_t> q) { return verify(q).error.failure; }

    // Re-signs the QE report (offset 564) with the platform's PCK key, as a QE that lies would.
    void resign_qe_report(std::vector<uint8_t>& q) {
        auto key = quoting::pck_key(platform.secrets);
        ASSERT_TRUE(key.ok());
        auto sig = ecdsa_p256_sign(key->get(), std::span(q).subspan(564, 384));
        ASSERT_TRUE(sig.ok());
        std::memcpy(q.data() + 948, sig->data(), 64);
    }
    // Re-signs the TCB Info body with the PKI's TCB signing key.
    void resign_tcb_info(EVP_PKEY* key) {
        auto sig = ecdsa_p256_sign(key, std::span(reinterpret_cast<const uint8_t*>(bundle.tcb_info.data()),
                                                  bundle.tcb_info.size()));
        ASSERT_TRUE(sig.ok());
        bundle.tcb_info_signature = *sig;
    }

    Pki pki;
    Platform platform;
    std::vector<uint8_t> quote;
    CollateralBundle bundle;
    std::vector<TrustedRoot> roots;
};

TEST_F(OurQuote, VerifiesWithOurCollateralAndRoot) {
    auto r = verify();
    ASSERT_TRUE(r.ok()) << failure_id(r.error.failure) << ": " << r.error.message;
    EXPECT_EQ(r.verdict.tcb_status, TcbStatus::kUpToDate);
    EXPECT_TRUE(r.verdict.advisory_ids.empty());
    EXPECT_EQ(r.verdict.platform_mode, PlatformMode::kProduction);
    EXPECT_EQ(r.verdict.root_kind, RootKind::kCcboxProduction);
    EXPECT_FALSE(r.verdict.debug);
    EXPECT_EQ(r.verdict.report.isvprodid, 7);
    EXPECT_EQ(r.verdict.report.isvsvn, 3);
    EXPECT_EQ(0, std::memcmp(r.verdict.report.reportdata, "ccbox quote test", 16));
    EXPECT_EQ(r.verdict.pck.fmspc, quoting::kFmspc);
}

TEST_F(OurQuote, KeysAreStableAcrossRestarts) {
    // A platform restarted from the same secrets derives the same attestation and PCK keys.
    PlatformSecrets again = platform.secrets;
    auto a1 = quoting::attestation_key(platform.secrets), a2 = quoting::attestation_key(again);
    auto p1 = quoting::pck_key(platform.secrets), p2 = quoting::pck_key(again);
    ASSERT_TRUE(a1.ok() && a2.ok() && p1.ok() && p2.ok());
    EXPECT_EQ(*p256_raw_public_key(a1->get()), *p256_raw_public_key(a2->get()));
    EXPECT_EQ(*p256_raw_public_key(p1->get()), *p256_raw_public_key(p2->get()));
    EXPECT_NE(*p256_raw_public_key(a1->get()), *p256_raw_public_key(p1->get()));
    // Another platform has other keys.
    auto other = make_secrets(PlatformMode::kProduction);
    EXPECT_NE(*p256_raw_public_key(quoting::pck_key(other)->get()), *p256_raw_public_key(p1->get()));
}

TEST_F(OurQuote, AReportNotTargetedAtTheQeIsRefused) {
    sgx::Report report = isv_report(platform.secrets);
    report.body.isvsvn ^= 1;  // the MAC no longer matches
    auto q = quoting::make_quote(platform.secrets, report, platform.chain);
    ASSERT_FALSE(q.ok());
    EXPECT_EQ(q.error().code(), CCBOX_VERIFY_FAILED_AES_CMAC_MISMATCH);
}

// ---------------------------------------------------------------- the quote's own fields
TEST_F(OurQuote, BodyModified) {
    quote[48 + 64] ^= 1;  // MRENCLAVE
    EXPECT_EQ(failure_of(quote), Failure::kQuoteSignatureInvalid);
}

TEST_F(OurQuote, QuoteSignatureModified) {
    quote[436 + 10] ^= 1;
    EXPECT_EQ(failure_of(quote), Failure::kQuoteSignatureInvalid);
}

TEST_F(OurQuote, AttestationKeyModified) {
    // The QE report binds the key: QVL checks that binding before the quote signature.
    quote[500 + 5] ^= 1;
    EXPECT_EQ(failure_of(quote), Failure::kQeReportDataMismatch);
}

TEST_F(OurQuote, AttestationKeyNotOnTheCurveIsItsOwnError) {
    // An attestation key that the QE report binds but that is no P-256 point.
    std::memset(quote.data() + 500, 0x11, 64);
    Sha256 h;
    h.update(quote.data() + 500, 64);
    h.update(quote.data() + 1014, 32);
    auto d = h.finish();
    std::memcpy(quote.data() + 564 + 320, d.data(), 32);
    resign_qe_report(quote);
    EXPECT_EQ(failure_of(quote), Failure::kAttestationKeyInvalid);
}

TEST_F(OurQuote, QeReportModified) {
    quote[564 + 258] ^= 1;  // QE ISVSVN
    EXPECT_EQ(failure_of(quote), Failure::kQeReportSignatureInvalid);
}

TEST_F(OurQuote, QeReportSignatureModified) {
    quote[948 + 40] ^= 1;
    EXPECT_EQ(failure_of(quote), Failure::kQeReportSignatureInvalid);
}

TEST_F(OurQuote, QeReportDataNotBindingTheAttestationKey) {
    quote[564 + 320] ^= 1;  // the PCK signature is made again over the changed REPORTDATA
    resign_qe_report(quote);
    EXPECT_EQ(failure_of(quote), Failure::kQeReportDataMismatch);
    // The auth data is bound as well.
    auto q2 = quote_of(platform);
    q2[1014] ^= 1;
    EXPECT_EQ(failure_of(q2), Failure::kQeReportDataMismatch);
}

// ---------------------------------------------------------------- QE Identity
TEST_F(OurQuote, QeIdentityMismatchMrsigner) {
    quote[564 + 128] ^= 1;
    resign_qe_report(quote);
    auto r = verify();
    EXPECT_EQ(r.error.failure, Failure::kQeIdentityMismatch);
    EXPECT_NE(r.error.message.find("MRSIGNER"), std::string::npos);
}

TEST_F(OurQuote, QeIdentityMismatchIsvProdId) {
    quote[564 + 256] ^= 1;
    resign_qe_report(quote);
    auto r = verify();
    EXPECT_EQ(r.error.failure, Failure::kQeIdentityMismatch);
    EXPECT_NE(r.error.message.find("ISVPRODID"), std::string::npos);
}

TEST_F(OurQuote, QeIdentityAttributesAndMiscselectUnderMask) {
    // A bit outside the mask (MODE64BIT, masked out by FB) changes nothing...
    quote[564 + 48] ^= 0x04;
    resign_qe_report(quote);
    EXPECT_TRUE(verify().ok()) << verify().error.message;
    // ...a bit under the mask (DEBUG) is a mismatch.
    quote[564 + 48] ^= 0x02;
    resign_qe_report(quote);
    auto r = verify();
    EXPECT_EQ(r.error.failure, Failure::kQeIdentityMismatch);
    EXPECT_NE(r.error.message.find("ATTRIBUTES"), std::string::npos);
    auto q2 = quote_of(platform);
    q2[564 + 16] ^= 0x01;  // MISCSELECT, mask FFFFFFFF
    resign_qe_report(q2);
    r = verify(q2);
    EXPECT_EQ(r.error.failure, Failure::kQeIdentityMismatch);
    EXPECT_NE(r.error.message.find("MISCSELECT"), std::string::npos);
}

TEST_F(OurQuote, QeSvnBelowTheQeIdentityLevels) {
    pki.settings().qe.levels = {{uint16_t(quoting::kQeIsvSvn + 1), "2026-01-01T00:00:00Z", TcbStatus::kUpToDate, {}}};
    bundle = collateral_of(pki);
    EXPECT_EQ(failure_of(quote), Failure::kQeSvnTooLow);
}

TEST_F(OurQuote, QeOutOfDateMakesThePlatformOutOfDate) {
    pki.settings().qe.levels = {
        {uint16_t(quoting::kQeIsvSvn + 1), "2026-01-01T00:00:00Z", TcbStatus::kUpToDate, {}},
        {quoting::kQeIsvSvn, "2025-01-01T00:00:00Z", TcbStatus::kOutOfDate, {"CCBOX-SA-0002"}}};
    bundle = collateral_of(pki);
    auto r = verify();
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.verdict.tcb_status, TcbStatus::kOutOfDate);
    EXPECT_EQ(r.verdict.advisory_ids, std::vector<std::string>{"CCBOX-SA-0002"});
}

// ---------------------------------------------------------------- PCK chain and CRLs
TEST_F(OurQuote, PckChainToAnotherRoot) {
    Pki other = make_pki(false, platform.secrets);
    Platform elsewhere = provision(other, platform.secrets);
    EXPECT_EQ(failure_of(quote_of(elsewhere)), Failure::kRootUntrusted);
}

TEST_F(OurQuote, PckCertificateRevoked) {
    pki.revoke_pck(platform.pck.get(), kNow - 2 * kDay);
    bundle = collateral_of(pki);
    auto r = verify();
    EXPECT_EQ(r.error.failure, Failure::kCertificateRevoked);
    EXPECT_NE(r.error.message.find("PCK certificate is revoked by the PCK CRL"), std::string::npos) << r.error.message;
    // Another platform's certificate is not affected.
    Platform other = provision(pki, make_secrets(PlatformMode::kProduction));
    EXPECT_TRUE(verify(quote_of(other)).ok());
}

TEST_F(OurQuote, IntermediateRevoked) {
    pki.revoke_pck_ca(kNow - 2 * kDay);
    bundle = collateral_of(pki);
    auto r = verify();
    EXPECT_EQ(r.error.failure, Failure::kCertificateRevoked);
    EXPECT_NE(r.error.message.find("PCK CA certificate is revoked by the root CA CRL"), std::string::npos)
        << r.error.message;
}

TEST_F(OurQuote, CrlExpired) {
    auto crl = make_crl(pki.pck_ca(), pki.pck_ca_key(), {}, kNow - 20 * kDay, kNow - kDay, 9);
    ASSERT_TRUE(crl.ok());
    bundle.pck_crl = *crl;
    auto r = verify();
    EXPECT_EQ(r.error.failure, Failure::kCrlExpired);
    EXPECT_NE(r.error.message.find("PCK CRL expired"), std::string::npos) << r.error.message;
}

TEST_F(OurQuote, CrlSignedByAWrongKey) {
    auto wrong = p256_generate();
    ASSERT_TRUE(wrong.ok());
    auto crl = make_crl(pki.pck_ca(), wrong->get(), {}, kNow - kDay, kNow + kDay, 9);
    ASSERT_TRUE(crl.ok());
    bundle.pck_crl = *crl;
    EXPECT_EQ(failure_of(quote), Failure::kCrlSignatureInvalid);
    auto root_crl = make_crl(pki.root(), wrong->get(), {}, kNow - kDay, kNow + kDay, 9);
    bundle = collateral_of(pki);
    bundle.root_ca_crl = *root_crl;
    EXPECT_EQ(failure_of(quote), Failure::kCrlSignatureInvalid);
}

// ---------------------------------------------------------------- TCB Info
TEST_F(OurQuote, TcbInfoExpired) {
    bundle.tcb_info = tcb_info_json(pki.settings(), kNow - 40 * kDay, kNow - 10 * kDay);
    resign_tcb_info(pki.tcb_signing_key());
    auto r = verify();
    EXPECT_EQ(r.error.failure, Failure::kTcbInfoExpired);
    EXPECT_NE(r.error.message.find("TCB Info expired at"), std::string::npos) << r.error.message;
}

TEST_F(OurQuote, TcbInfoSignedByAWrongKey) {
    auto wrong = p256_generate();
    ASSERT_TRUE(wrong.ok());
    resign_tcb_info(wrong->get());
    EXPECT_EQ(failure_of(quote), Failure::kTcbInfoSignatureInvalid);
}

TEST_F(OurQuote, TcbInfoBodyChanged) {
    bundle.tcb_info[bundle.tcb_info.find("UpToDate")] = 'u';
    EXPECT_EQ(failure_of(quote), Failure::kTcbInfoSignatureInvalid);
}

TEST_F(OurQuote, TcbInfoForAnotherFmspc) {
    pki.settings().fmspc[5] ^= 1;
    bundle = collateral_of(pki);
    EXPECT_EQ(failure_of(quote), Failure::kFmspcMismatch);
}

TEST_F(OurQuote, TcbInfoWithAnotherPceId) {
    pki.settings().pce_id[1] ^= 1;
    bundle = collateral_of(pki);
    EXPECT_EQ(failure_of(quote), Failure::kPceIdMismatch);
}

TEST_F(OurQuote, NoMatchingTcbLevel) {
    for (auto& level : pki.settings().tcb_levels)
        level.sgx_components[0] = 0xff;
    bundle = collateral_of(pki);
    EXPECT_EQ(failure_of(quote), Failure::kTcbLevelNotFound);
}

TEST_F(OurQuote, PlatformTcbRevokedIsAStatus) {
    pki.settings().tcb_levels[0].status = TcbStatus::kRevoked;
    bundle = collateral_of(pki);
    auto r = verify();
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.verdict.tcb_status, TcbStatus::kRevoked);
}

TEST_F(OurQuote, OutOfDateAfterATcbRecoveryWithAdvisories) {
    auto higher = pki.settings().tcb_levels[0].sgx_components;
    higher[0] += 1;
    pki.tcb_recovery(higher, quoting::kPceIsvSvn, "2026-05-01T00:00:00Z");
    ASSERT_TRUE(pki.set_advisories(1, {"CCBOX-SA-0001"}).ok());
    bundle = collateral_of(pki);
    auto r = verify();
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.verdict.tcb_status, TcbStatus::kOutOfDate);
    EXPECT_EQ(r.verdict.advisory_ids, std::vector<std::string>{"CCBOX-SA-0001"});
    // A platform at the new level is UpToDate again.
    PlatformSecrets upgraded = platform.secrets;
    upgraded.cpusvn = higher;
    Platform fresh = provision(pki, upgraded);
    auto r2 = verify(quote_of(fresh));
    ASSERT_TRUE(r2.ok()) << r2.error.message;
    EXPECT_EQ(r2.verdict.tcb_status, TcbStatus::kUpToDate);
}

// ---------------------------------------------------------------- formats
TEST_F(OurQuote, UnsupportedVersionKeyTypeAndCertificationDataType) {
    auto q = quote;
    q[0] = 4;
    EXPECT_EQ(failure_of(q), Failure::kUnsupportedQuoteVersion);
    q = quote;
    q[2] = 3;
    EXPECT_EQ(failure_of(q), Failure::kUnsupportedKeyType);
    q = quote;
    q[1014 + 32] = 4;
    EXPECT_EQ(failure_of(q), Failure::kUnsupportedCertificationDataType);
}

TEST_F(OurQuote, TruncationAtEveryLengthAndTrailingBytes) {
    VerifyError error;
    auto collateral = VerifiedCollateral::verify(bundle, roots, kNow, &error);
    ASSERT_TRUE(collateral) << error.message;
    for (size_t n = 0; n < quote.size(); ++n) {
        auto r = verify_quote(std::span(quote).first(n), *collateral, kNow);
        ASSERT_FALSE(r.ok()) << "truncated to " << n;
        ASSERT_EQ(r.error.failure, Failure::kQuoteMalformed) << "truncated to " << n << ": " << r.error.message;
    }
    auto longer = quote;
    longer.push_back(0);
    auto r = verify(longer);
    EXPECT_EQ(r.error.failure, Failure::kQuoteMalformed);
    EXPECT_NE(r.error.message.find("trailing bytes"), std::string::npos) << r.error.message;
}

TEST_F(OurQuote, OversizedAndUndersizedFieldLengths) {
    auto set16 = [](std::vector<uint8_t>& q, size_t off, uint16_t v) { std::memcpy(q.data() + off, &v, 2); };
    auto set32 = [](std::vector<uint8_t>& q, size_t off, uint32_t v) { std::memcpy(q.data() + off, &v, 4); };
    uint32_t sig_len = 0, cert_size = 0;
    std::memcpy(&sig_len, quote.data() + 432, 4);
    std::memcpy(&cert_size, quote.data() + 1014 + 32 + 2, 4);
    for (uint16_t auth : {uint16_t{0xffff}, uint16_t{33}, uint16_t{31}}) {
        auto q = quote;
        set16(q, 1012, auth);
        auto r = verify(q);
        EXPECT_EQ(r.error.failure, Failure::kQuoteMalformed) << auth << ": " << r.error.message;
    }
    for (uint32_t len : {sig_len + 1, sig_len - 1, uint32_t{0xffffffff}, uint32_t{0}}) {
        auto q = quote;
        set32(q, 432, len);
        EXPECT_EQ(failure_of(q), Failure::kQuoteMalformed) << len;
    }
    for (uint32_t len : {cert_size + 1, cert_size - 1, uint32_t{0xffffffff}}) {
        auto q = quote;
        set32(q, 1014 + 32 + 2, len);
        EXPECT_EQ(failure_of(q), Failure::kQuoteMalformed) << len;
    }
    auto big = quote;
    big.resize(kQuoteMaxSize + 1);
    EXPECT_EQ(failure_of(big), Failure::kQuoteMalformed);
}

TEST_F(OurQuote, EmptyQeAuthDataParsesAndIsNotBound) {
    // Found by fuzz_quote: a zero-size QE auth data field is legal; the QE report then binds
    // the key with other auth data, which the verifier must notice.
    auto q = quote;
    q.erase(q.begin() + 1014, q.begin() + 1014 + 32);
    const uint16_t zero = 0;
    std::memcpy(q.data() + 1012, &zero, 2);
    uint32_t sig_len = 0;
    std::memcpy(&sig_len, q.data() + 432, 4);
    sig_len -= 32;
    std::memcpy(q.data() + 432, &sig_len, 4);
    VerifyError error;
    auto parsed = parse_quote(q, &error);
    ASSERT_TRUE(parsed) << error.message;
    EXPECT_TRUE(parsed->qe_auth_data.empty());
    EXPECT_EQ(failure_of(q), Failure::kQeReportDataMismatch);
}

TEST_F(OurQuote, CachedCollateralRemembersThePckButChecksEachQuote) {
    VerifyError error;
    auto collateral = VerifiedCollateral::verify(bundle, roots, kNow, &error);
    ASSERT_TRUE(collateral) << error.message;
    ASSERT_TRUE(verify_quote(quote, *collateral, kNow).ok());  // the PCK certificate is now remembered
    auto q = quote;
    q[436] ^= 1;
    EXPECT_EQ(verify_quote(q, *collateral, kNow).error.failure, Failure::kQuoteSignatureInvalid);
    q = quote;
    q[948] ^= 1;
    EXPECT_EQ(verify_quote(q, *collateral, kNow).error.failure, Failure::kQeReportSignatureInvalid);
    EXPECT_TRUE(is_expiry(verify_quote(quote, *collateral, kNow + 60 * kDay).error.failure));
    // A revoked certificate is refused from the first quote on, cached or not.
    pki.revoke_pck(platform.pck.get(), kNow - kDay);
    auto revoked = VerifiedCollateral::verify(collateral_of(pki), roots, kNow, &error);
    ASSERT_TRUE(revoked);
    EXPECT_EQ(verify_quote(quote, *revoked, kNow).error.failure, Failure::kCertificateRevoked);
    EXPECT_EQ(verify_quote(quote, *revoked, kNow).error.failure, Failure::kCertificateRevoked);
}

// ---------------------------------------------------------------- modes and policy
TEST_F(OurQuote, ProductionPkiDoesNotCertifyADevelopmentPlatform) {
    auto dev = make_secrets(PlatformMode::kDevelopment);
    auto csr = quoting::pck_certificate_request(dev);
    auto fields = quoting::platform_sgx_fields(dev);
    ASSERT_TRUE(csr.ok() && fields.ok());
    auto cert = pki.issue_pck(*csr, *fields, kNow);
    ASSERT_FALSE(cert.ok());
    EXPECT_EQ(cert.error().code(), CCBOX_CONSTRAINT_FAILED);
}

TEST_F(OurQuote, DevelopmentPlatformIsReportedAndRefusedByAProductionPolicy) {
    auto dev = make_secrets(PlatformMode::kDevelopment);
    Pki dev_pki = make_pki(true, dev);
    Platform p = provision(dev_pki, dev);
    auto dev_bundle = collateral_of(dev_pki);
    auto r = verify_quote(quote_of(p), dev_bundle, roots_of(dev_pki), kNow);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.verdict.platform_mode, PlatformMode::kDevelopment);
    EXPECT_EQ(r.verdict.root_kind, RootKind::kCcboxDevelopment);
    EXPECT_EQ(check_policy(r.verdict, production_only()).failure, Failure::kPolicyDevelopmentPlatform);
    EXPECT_EQ(check_policy(r.verdict, {}).failure, Failure::kNone);
    // A production verifier that trusts only the production root refuses it outright.
    EXPECT_EQ(verify_quote(quote_of(p), dev_bundle, roots, kNow).error.failure, Failure::kRootUntrusted);
}

TEST_F(OurQuote, TheVerifierReadsTheIsolationSvnEvenUnderAProductionRoot) {
    // Defence in depth: were a production CA to certify a development platform anyway, the
    // quote's CPUSVN still says development.
    auto dev = make_secrets(PlatformMode::kDevelopment);
    auto fields = quoting::platform_sgx_fields(dev);
    auto key = quoting::pck_key(dev);
    ASSERT_TRUE(fields.ok() && key.ok());
    auto cert = issue_certificate(pki.names(), {CertRole::kPck, key->get(), pki.pck_ca(), pki.pck_ca_key(),
                                                kNow - kDay, kNow + 100 * kDay, &*fields});
    ASSERT_TRUE(cert.ok()) << cert.error().message();
    Platform p{dev, std::move(*cert), {}};
    p.chain = pki.pck_chain_pem(p.pck.get());
    auto level = pki.settings().tcb_levels[0];
    level.sgx_components[kCpusvnModeComponent] = 0;
    pki.settings().tcb_levels.push_back(level);
    bundle = collateral_of(pki);
    auto r = verify(quote_of(p));
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.verdict.platform_mode, PlatformMode::kDevelopment);
    EXPECT_EQ(check_policy(r.verdict, production_only()).failure, Failure::kPolicyDevelopmentPlatform);
}

TEST_F(OurQuote, DevelopmentRootNeverVouchesForProduction) {
    Pki dev_pki = make_pki(true, platform.secrets);
    Platform p = provision(dev_pki, platform.secrets);  // a platform whose CPUSVN says production
    auto dev_bundle = collateral_of(dev_pki);
    auto dev_roots = roots_of(dev_pki);
    EXPECT_EQ(dev_roots[0].kind, RootKind::kCcboxDevelopment);
    auto r = verify_quote(quote_of(p), dev_bundle, dev_roots, kNow);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.verdict.platform_mode, PlatformMode::kDevelopment);
    EXPECT_EQ(check_policy(r.verdict, production_only()).failure, Failure::kPolicyDevelopmentPlatform);
}

TEST_F(OurQuote, DebugEnclaveIsReportedAndRefused) {
    auto r = verify(quote_of(platform, /*debug=*/true));
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_TRUE(r.verdict.debug);
    EXPECT_EQ(check_policy(r.verdict, production_no_debug()).failure,
              Failure::kPolicyDebugEnclave);
    auto production = verify();
    EXPECT_EQ(check_policy(production.verdict, production_no_debug()).failure,
              Failure::kNone);
}

TEST_F(OurQuote, EveryFailureHasItsOwnIdentifier) {
    std::set<std::string_view> ids;
    for (int f = 0; f <= static_cast<int>(Failure::kPolicyTcbStatus); ++f)
        EXPECT_TRUE(ids.insert(failure_id(static_cast<Failure>(f))).second);
}

}  // namespace
}  // namespace ccbox::attestation
